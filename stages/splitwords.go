package stages

import (
	"strings"
	"unicode"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// SplitWords rejoins words that extraction split with a space
// ("organi zations", "sup plementing", "Ukrai n e") and restores the UN
// spelling of compounds whose hyphen was lost ("nongovernmental",
// "seventyfourth", "post conflict", "Secretary -General").
//
// A split is only joined when the joined form is a word and the split form
// is not plausible text: when a part is no word at all, or when both parts
// are words but the document uses the joined word and never the pair
// ("per sons" in a text that says "persons" thirty times).
type SplitWords struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*SplitWords)(nil)

func NewSplitWords(dict *dictionaries.Set) *SplitWords { return &SplitWords{dict: dict} }

func (*SplitWords) Name() string { return "splitwords" }

func (s *SplitWords) Apply(doc *pipeline.Document) error {
	vocab := NewVocabulary(doc)
	memo := newWordMemo(s.dict)
	for i := range doc.Paragraphs {
		p := &doc.Paragraphs[i]
		p.Text = s.repair(doc, vocab, memo, i, p.Text)
	}
	return nil
}

// token is a whitespace-separated piece of a paragraph with its offset.
type token struct {
	text       string
	start, end int
}

func tokenize(s string) []token {
	out := make([]token, 0, len(s)/5+1)
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		if j > i {
			out = append(out, token{s[i:j], i, j})
		}
		i = j
	}
	return out
}

func (s *SplitWords) repair(doc *pipeline.Document, vocab *Vocabulary, memo *wordMemo, pi int, text string) string {
	toks := tokenize(text)
	memo.startTokens(len(toks))
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(toks); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		t := toks[i]
		// "Secretary -General", "Under -Secretary -General": hyphens set
		// off from the first half of a compound.
		if j := s.spacedHyphens(toks, i); j > i {
			joined := t.text
			for k := i + 1; k <= j; k++ {
				joined += toks[k].text
			}
			s.log(doc, pi, t.start, toks[j].end, text[t.start:toks[j].end], joined, pipeline.RepairSplitWord, "hyphen of a compound set off by a space", 0.9)
			b.WriteString(joined)
			i = j
			continue
		}
		// "Secretary- General", "traf- ficking": a line-end hyphen that
		// flattening left before a space.
		if i+1 < len(toks) && strings.HasSuffix(t.text, "-") && len(t.text) > 1 {
			if a, w := lastWord(t.text[:len(t.text)-1]), firstWord(toks[i+1].text); a != "" && w != "" && len(a) == len(t.text)-1-strings.IndexFunc(t.text, isLetterRune) {
				keep, why := keepHyphen(s.dict, vocab, a, w)
				joined := t.text + toks[i+1].text
				if !keep {
					joined = t.text[:len(t.text)-1] + toks[i+1].text
				}
				s.log(doc, pi, t.start, toks[i+1].end, text[t.start:toks[i+1].end], joined, pipeline.RepairSplitWord, "line-end hyphen left before a space: "+why, 0.85)
				b.WriteString(joined)
				i++
				continue
			}
		}
		// "R e c a l l i n g": a word set letter by letter.
		if j, word := s.letterSpaced(toks, i); j > i {
			s.log(doc, pi, t.start, toks[j].end, text[t.start:toks[j].end], word, pipeline.RepairSplitWord, "letter-spaced word", 0.85)
			b.WriteString(word)
			i = j
			continue
		}
		if n, joined, why, conf := s.splitAt(vocab, memo, toks, i); n > 1 {
			before := text[t.start:toks[i+n-1].end]
			s.log(doc, pi, t.start, toks[i+n-1].end, before, joined, pipeline.RepairSplitWord, why, conf)
			b.WriteString(joined)
			i += n - 1
			continue
		}
		// Lost hyphens: "nongovernmental" -> "non-governmental".
		core := trimWord(t.text)
		if core != "" && len(core) > 5 && !strings.Contains(core, "-") {
			if hy, ok := memo.hyphenated(core); ok && !strings.EqualFold(hy, core) {
				hy = matchCase(core, hy)
				fixed := strings.Replace(t.text, core, hy, 1)
				s.log(doc, pi, t.start, t.end, t.text, fixed, pipeline.RepairSpelling, "UN spelling of a compound: "+hy, 0.9)
				b.WriteString(fixed)
				continue
			}
		}
		// "post conflict" -> "post-conflict", only after bound prefixes: a
		// free word pair such as "long term" is often right as it is.
		if i+1 < len(toks) && len(t.text) <= 7 && boundPrefixes[lower(t.text)] {
			next := toks[i+1].text
			w := firstWord(next)
			if w != "" && s.dict.IsHyphenatedTerm(t.text+"-"+w) {
				joined := t.text + "-" + next
				s.log(doc, pi, t.start, toks[i+1].end, text[t.start:toks[i+1].end], joined, pipeline.RepairSpelling, "UN spelling of a compound: "+t.text+"-"+w, 0.85)
				b.WriteString(joined)
				i++
				continue
			}
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// spacedHyphens returns the index of the last token of a compound whose
// hyphens stand apart from the words before them ("Under -Secretary
// -General"), or i when there is none.
func (s *SplitWords) spacedHyphens(toks []token, i int) int {
	t := toks[i].text
	if i+1 >= len(toks) || len(toks[i+1].text) < 2 || toks[i+1].text[0] != '-' || !isLetters(t) || !s.dict.IsWord(t) {
		return i
	}
	j := i
	for j+1 < len(toks) && len(toks[j+1].text) > 1 && toks[j+1].text[0] == '-' {
		w := firstWord(toks[j+1].text[1:])
		if w == "" || !s.dict.IsWord(w) {
			break
		}
		j++
		if w != toks[j].text[1:] {
			break // punctuation follows: the compound ends here
		}
	}
	return j
}

// letterSpaced joins a run of three or more single letters ("R e c a l l
// i n g") when they spell a word, and returns the last token of the run.
func (s *SplitWords) letterSpaced(toks []token, i int) (int, string) {
	if len(toks[i].text) != 1 || !isLetters(toks[i].text) {
		return i, ""
	}
	j := i
	for j+1 < len(toks) && len(toks[j+1].text) == 1 && isLetters(toks[j+1].text) {
		j++
	}
	// The last letter may carry punctuation: "c a l l i n g,".
	var b strings.Builder
	for k := i; k <= j; k++ {
		b.WriteString(toks[k].text)
	}
	if j+1 < len(toks) {
		if w := firstWord(toks[j+1].text); len(w) == 1 && len(toks[j+1].text) > 1 {
			j++
			b.WriteString(toks[j].text)
		}
	}
	if j-i < 2 {
		return i, ""
	}
	word := b.String()
	if !s.dict.IsWord(trimWord(word)) {
		return i, ""
	}
	return j, word
}

// matchCase spells hy with the letters' case from orig, letter by letter
// (hy is orig with hyphens added), keeping capitals the term itself has:
// "Nongovernmental" becomes "Non-governmental", "InterAgency"
// "Inter-Agency", "secretarygeneral" "Secretary-General".
func matchCase(orig, hy string) string {
	o := []rune(orig)
	var b strings.Builder
	i := 0
	for _, r := range hy {
		if r == '-' || i >= len(o) {
			b.WriteRune(r)
			continue
		}
		if unicode.IsUpper(o[i]) {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

// splitAt looks for a word split by spaces starting at toks[i], over two or
// three tokens. It returns how many tokens to join and the joined text, or
// n = 0. It runs for every pair of tokens in the document, so the cheap
// tests come first and dictionary answers are memoized.
func (s *SplitWords) splitAt(vocab *Vocabulary, memo *wordMemo, toks []token, i int) (n int, joined, why string, conf float64) {
	if i+1 >= len(toks) || !isLower(toks[i+1].text) {
		return 0, "", "", 0 // the second piece of a split word is lower case
	}
	first := toks[i].text
	a := lastWord(first)
	// The first piece may carry opening punctuation ("(organi zations"),
	// but no closing punctuation: that would end the word.
	if a == "" || len(a) != len(first)-strings.IndexFunc(first, isLetterRune) {
		return 0, "", "", 0
	}
	head := first[:len(first)-len(a)]
	var buf [96]byte
	for k := 2; k <= 3 && i+k-1 < len(toks); k++ {
		last := toks[i+k-1].text
		b := firstWord(last)
		if b == "" || !isLower(b) || k == 2 && len(b) >= 2 && len(b) <= 5 && commonWords[b] {
			// The second piece of a split word is never a common word on
			// its own ("of the", "with in"): skip half of all pairs early.
			return 0, "", "", 0
		}
		mid := ""
		if k == 3 {
			// Middle pieces must be bare letters ("Ukrai n e").
			mid = toks[i+1].text
			// Only a single stray letter sits between the halves
			// ("Ukrai n e"); "a" and "I" are words in their own right.
			if len(mid) != 1 || !isLetters(mid) || mid == "a" || mid == "I" {
				return 0, "", "", 0
			}
		}
		if len(a)+len(mid)+len(b) > len(buf) {
			return 0, "", "", 0
		}
		key := append(append(append(buf[:0], a...), mid...), b...)
		allWords := memo.tokenWord(toks, i, a) && memo.tokenWord(toks, i+k-1, b) && (k == 2 || memo.isWord(mid) && len(mid) > 1)
		if allWords {
			// Both parts are words: join only on the document's own
			// evidence, checked first because it is the cheap lookup.
			lk := bytesLower(key)
			if len(key) < 6 || vocab.countBytes(lk) < 2 {
				continue
			}
			word := string(key)
			pair := strings.ToLower(strings.TrimSpace(a + " " + mid + " " + b))
			if k == 3 {
				pair = strings.ToLower(a + " " + mid + " " + b)
			}
			// A common short word next to another word is a real pair far
			// more often than a split: "in human beings", "a broad range",
			// "every one of them".
			if vocab.Bigram(pair) > 1 || commonWords[lower(a)] || commonWords[lower(b)] || commonWords[lower(mid)] {
				return 0, "", "", 0
			}
			return k, head + word + last[len(b):], "the document writes " + word + " elsewhere, and not " + pairText(a, mid, b), 0.75
		}
		word := string(key)
		if !s.dict.IsWord(word) && vocab.Count(lower(word)) < 2 {
			continue
		}
		return k, head + word + last[len(b):], word + " is a word and " + pairText(a, mid, b) + " is not", 0.9
	}
	return 0, "", "", 0
}

// commonWords never take part in a split judged on document evidence alone.
var commonWords = map[string]bool{"a": true, "an": true, "the": true, "in": true, "on": true, "at": true,
	"of": true, "to": true, "by": true, "for": true, "and": true, "or": true, "as": true, "is": true,
	"be": true, "no": true, "so": true, "up": true, "every": true, "any": true, "some": true, "one": true,
	"all": true, "with": true, "from": true, "into": true, "out": true, "its": true, "it": true,
	"this": true, "that": true, "not": true, "are": true, "was": true, "his": true, "her": true}

func pairText(a, mid, b string) string {
	if mid == "" {
		return a + " " + b
	}
	return a + " " + mid + " " + b
}

// bytesLower lower-cases ASCII letters of b in place.
func bytesLower(b []byte) []byte {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

func isLetterRune(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f }

func (s *SplitWords) log(doc *pipeline.Document, pi, start, end int, before, after string, kind pipeline.RepairKind, why string, conf float64) {
	doc.Record(pipeline.Repair{
		Stage: s.Name(), Kind: kind, Before: before, After: after, Reason: why, Confidence: conf,
		Pos: doc.ParaPos(pi, start, end),
	})
}
