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
	for i := range doc.Paragraphs {
		p := &doc.Paragraphs[i]
		p.Text = s.repair(doc, vocab, i, p.Text)
	}
	return nil
}

// token is a whitespace-separated piece of a paragraph with its offset.
type token struct {
	text       string
	start, end int
}

func tokenize(s string) []token {
	var out []token
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

func (s *SplitWords) repair(doc *pipeline.Document, vocab *Vocabulary, pi int, text string) string {
	toks := tokenize(text)
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(toks); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		t := toks[i]
		// "Secretary -General": a hyphen set off from its first half.
		if i+1 < len(toks) && strings.HasPrefix(toks[i+1].text, "-") && isLetters(lastWord(t.text)) && t.text == strings.TrimRight(t.text, ",;:.") {
			second := strings.TrimPrefix(toks[i+1].text, "-")
			if w := firstWord(second); w != "" && s.dict.IsWord(lastWord(t.text)) && s.dict.IsWord(w) {
				joined := t.text + "-" + second
				s.log(doc, pi, t.start, toks[i+1].end, t.text+" "+toks[i+1].text, joined, pipeline.RepairSplitWord, "hyphen of a compound set off by a space", 0.9)
				b.WriteString(joined)
				i++
				continue
			}
		}
		if n, joined, why, conf := s.splitAt(vocab, toks, i); n > 1 {
			before := text[t.start:toks[i+n-1].end]
			s.log(doc, pi, t.start, toks[i+n-1].end, before, joined, pipeline.RepairSplitWord, why, conf)
			b.WriteString(joined)
			i += n - 1
			continue
		}
		// Lost hyphens: "nongovernmental" -> "non-governmental".
		core := trimWord(t.text)
		if core != "" && !strings.Contains(core, "-") && len(core) > 5 {
			if hy, ok := s.dict.Hyphenated(core); ok && !strings.EqualFold(hy, core) {
				hy = matchCase(core, hy)
				fixed := strings.Replace(t.text, core, hy, 1)
				s.log(doc, pi, t.start, t.end, t.text, fixed, pipeline.RepairSpelling, "UN spelling of a compound: "+hy, 0.9)
				b.WriteString(fixed)
				continue
			}
		}
		// "post conflict" -> "post-conflict", only after bound prefixes: a
		// free word pair such as "long term" is often right as it is.
		if i+1 < len(toks) && boundPrefixes[strings.ToLower(t.text)] {
			next := toks[i+1].text
			w := firstWord(next)
			if w != "" && s.dict.IsHyphenatedTerm(t.text+"-"+w) {
				joined := t.text + "-" + next
				s.log(doc, pi, t.start, toks[i+1].end, t.text+" "+next, joined, pipeline.RepairSpelling, "UN spelling of a compound: "+t.text+"-"+w, 0.85)
				b.WriteString(joined)
				i++
				continue
			}
		}
		b.WriteString(t.text)
	}
	return b.String()
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
// n = 0.
func (s *SplitWords) splitAt(vocab *Vocabulary, toks []token, i int) (n int, joined, why string, conf float64) {
	first := toks[i].text
	a := first
	// The first piece may carry opening punctuation ("(organi zations"),
	// but no closing punctuation: that would end the word.
	if lw := lastWord(a); lw == "" || len(lw) != len(a)-strings.IndexFunc(a, isLetterRune) {
		return 0, "", "", 0
	}
	head := a[:len(a)-len(lastWord(a))]
	a = lastWord(a)
	for k := 2; k <= 3 && i+k-1 < len(toks); k++ {
		last := toks[i+k-1].text
		b := firstWord(last)
		if b == "" || !isLower(b) {
			return 0, "", "", 0
		}
		// Middle pieces must be bare letters ("Ukrai n e").
		if k == 3 {
			mid := toks[i+1].text
			if !isLetters(mid) || len(mid) > 2 {
				return 0, "", "", 0
			}
			b = mid + b
		}
		word := a + b
		if !s.known(vocab, word) {
			continue
		}
		parts := []string{a, b}
		if k == 3 {
			parts = []string{a, toks[i+1].text, firstWord(last)}
		}
		allWords := true
		for _, p := range parts {
			if !s.dict.IsWord(p) || len(p) == 1 && p != "a" && p != "I" {
				allWords = false
			}
		}
		rest := last[len(firstWord(last)):]
		out := head + word + rest
		if !allWords {
			return k, out, word + " is a word and " + strings.Join(parts, " ") + " is not", 0.9
		}
		// Both parts are words: join only on the document's own evidence.
		lw := strings.ToLower(word)
		pair := strings.ToLower(strings.Join(parts, " "))
		if len(word) >= 6 && vocab.Words[lw] >= 2 && vocab.Bigrams[pair] <= 1 &&
			!(s.dict.IsFunctionWord(parts[0]) && s.dict.IsFunctionWord(parts[len(parts)-1])) {
			return k, out, "the document writes " + word + " elsewhere, and not " + strings.Join(parts, " "), 0.75
		}
		return 0, "", "", 0
	}
	return 0, "", "", 0
}

func isLetterRune(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f }

// known reports whether w is a word by the lexicons or by the document.
func (s *SplitWords) known(vocab *Vocabulary, w string) bool {
	return s.dict.IsWord(w) || vocab.Words[strings.ToLower(w)] >= 2
}

func (s *SplitWords) log(doc *pipeline.Document, pi, start, end int, before, after string, kind pipeline.RepairKind, why string, conf float64) {
	doc.Record(pipeline.Repair{
		Stage: s.Name(), Kind: kind, Before: before, After: after, Reason: why, Confidence: conf,
		Pos: doc.ParaPos(pi, start, end),
	})
}
