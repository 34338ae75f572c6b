package stages

import (
	"strings"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Dehyphenator undoes line-end hyphens ("organi-" / "zations") and keeps
// the hyphen of real compounds ("non-" / "governmental",
// "Secretary-" / "General"). It works across page breaks, after furniture
// and footnote blocks are gone, so that the two halves are neighbours.
//
// The evidence, strongest first: the document's own spelling of the word
// elsewhere, the UN term list, the English lexicon, and the shape of the
// parts (a bound prefix such as "non" or "post", tens of a number).
type Dehyphenator struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*Dehyphenator)(nil)

func NewDehyphenator(dict *dictionaries.Set) *Dehyphenator { return &Dehyphenator{dict: dict} }

func (*Dehyphenator) Name() string { return "dehyphenate" }

// wordCounts is what keepHyphen asks of a document's vocabulary: how often
// it writes a plain word and a hyphenated one, both lower case.
type wordCounts interface {
	Count(w string) int
	HyphenCount(w string) int
}

// keepHyphen decides whether a word broken as a-/b at a line end is the
// compound "a-b" (true) or the word "ab" (false), and says why. vocab may
// be nil.
func keepHyphen(dict *dictionaries.Set, vocab wordCounts, a, b string) (bool, string) {
	hy := a + "-" + b
	joined := a + b
	lh, lj := strings.ToLower(hy), strings.ToLower(joined)
	switch {
	case vocab != nil && vocab.HyphenCount(lh) > 0 && vocab.Count(lj) == 0:
		return true, "the document writes " + hy + " elsewhere"
	case vocab != nil && vocab.Count(lj) > 0 && vocab.HyphenCount(lh) == 0:
		return false, "the document writes " + joined + " elsewhere"
	case dict.IsHyphenatedTerm(hy):
		return true, hy + " is UN spelling"
	case numberWords[strings.ToLower(a)]:
		return true, "compound number"
	case dict.IsWord(joined):
		return false, joined + " is a word"
	case isUpper(a) && isUpper(b) && dict.IsWord(a) && dict.IsWord(b):
		return true, "compound of two capitalized words"
	case boundPrefixes.has(strings.ToLower(a)) && dict.IsWord(b):
		return true, a + "- is a prefix the UN hyphenates"
	case dict.IsWord(a) && dict.IsWord(b) && !dict.IsFunctionWord(a) && len(a) > 2 && len(b) > 2:
		return true, "both parts are words and the joined form is not"
	}
	return false, "typesetting hyphen: neither part stands alone"
}

// lineRef addresses one line in reading order.
type lineRef struct{ page, line int }

func (d *Dehyphenator) Apply(doc *pipeline.Document) error {
	if doc.Kind == pipeline.KindFlat || doc.Kind == pipeline.KindODS || doc.Kind == pipeline.KindMarkdown {
		return nil // no line breaks inside paragraphs to undo
	}
	// The document's vocabulary is counted at the first line-end hyphen,
	// before any join changes a line: most pages of a born-digital text
	// have none, and counting costs as much as the rest of the stage.
	var vocab wordCounts
	n := 0
	for _, p := range doc.Pages {
		n += len(p.Lines)
	}
	order := make([]lineRef, 0, n)
	for pi := range doc.Pages {
		for li := range doc.Pages[pi].Lines {
			order = append(order, lineRef{pi, li})
		}
	}
	for k, nk := 0, 1; nk < len(order); {
		cur := &doc.Pages[order[k].page].Lines[order[k].line]
		next := &doc.Pages[order[nk].page].Lines[order[nk].line]
		if next.Text == "" {
			nk++ // emptied by an earlier join: look further
			continue
		}
		if strings.HasSuffix(cur.Text, "-") && vocab == nil {
			vocab = newHyphenCounts(doc, order)
		}
		if !strings.HasSuffix(cur.Text, "-") || !d.join(doc, vocab, order[k].page, cur, next) {
			k, nk = nk, nk+1
		}
		// After a join, cur may end in a hyphen again ("inter-" / "govern-" /
		// "mental"): try it against the next line before moving on.
	}
	// Lines emptied by carrying their only word up are dropped.
	for pi := range doc.Pages {
		kept := doc.Pages[pi].Lines[:0]
		for _, ln := range doc.Pages[pi].Lines {
			if ln.Text != "" {
				kept = append(kept, ln)
			}
		}
		doc.Pages[pi].Lines = kept
	}
	return nil
}

// join undoes the hyphen at the end of cur against the first word of next
// and reports whether it changed anything.
func (d *Dehyphenator) join(doc *pipeline.Document, vocab wordCounts, pi int, cur, next *pipeline.Line) bool {
	t := cur.Text
	if strings.HasSuffix(t, "--") {
		return false
	}
	stem := strings.TrimSuffix(t, "-")
	// pdftotext -layout leaves a space before the hyphen ("post -").
	stem = strings.TrimRight(stem, " ")
	a := lastWord(stem)
	b := firstWord(next.Text)
	if a == "" || b == "" {
		return false
	}
	// The carried-over token keeps its punctuation and any glued marker.
	tok, rest := next.Text, ""
	if i := strings.IndexByte(next.Text, ' '); i >= 0 {
		tok, rest = next.Text[:i], strings.TrimLeft(next.Text[i:], " ")
	}
	if tok == next.Text && strings.HasSuffix(tok, "-") && firstWord(tok) == strings.TrimSuffix(tok, "-") {
		// The next line is only a middle piece of the same word: carry
		// it up whole and decide once the last piece is in view.
		cur.Text = stem + tok
		next.Text = ""
		return true
	}
	keep, why := keepHyphen(d.dict, vocab, a, b)
	joinedTok := tok
	if keep {
		joinedTok = "-" + tok
	}
	before := a + "-" + tok
	cur.Text = stem + joinedTok
	next.Text = rest
	after := a + joinedTok
	conf := 0.9
	if strings.HasPrefix(why, "the document") || strings.HasSuffix(why, "UN spelling") {
		conf = 0.97
	} else if strings.HasPrefix(why, "typesetting") || strings.HasPrefix(why, "both parts") {
		conf = 0.6
	}
	doc.Record(pipeline.Repair{
		Stage: d.Name(), Kind: pipeline.RepairHyphen, Before: before, After: after, Reason: why,
		Confidence: conf,
		Pos:        pipeline.LinePos(doc.Pages[pi].Number, cur.Origin, len(stem)-len(a), len(cur.Text)),
	})
	return true
}

// hyphenCounts are the counts of a document's vocabulary that its
// line-end hyphens ask about: for each line ending in a hyphen, the word
// its last piece and the next line's first piece make, with the hyphen and
// without. Counting only those costs a fraction of counting every word,
// as NewVocabulary does: most tokens differ from all of them in length or
// first letter, which rules them out before their key is made.
//
// The counts are those NewVocabulary would give for the lines as they
// were when newHyphenCounts was called. A question about another word (a
// join may build a piece the lines did not have) is answered by counting
// everything, once, from those lines.
type hyphenCounts struct {
	lines  []string
	ids    map[string]int // index in counts of a lower-case word; a hyphenated one has an inner hyphen, a plain one none
	counts []int
	// lens[c] has bit n set when a counted word starts with the ASCII
	// byte c and is n bytes long, bit 63 for 63 bytes or more.
	lens [utf8.RuneSelf]uint64
	// lasts[c] has bit l-'a' set when a counted word starts with the
	// ASCII byte c and ends with the letter l; bit 26 when it ends with
	// another byte.
	lasts [utf8.RuneSelf]uint32
	// hashes has bit polyHash(w)%4096 set for each counted word w.
	hashes [64]uint64
	all    *Vocabulary
}

func newHyphenCounts(doc *pipeline.Document, order []lineRef) wordCounts {
	if len(doc.Paragraphs) > 0 {
		return NewVocabulary(doc) // it counts the paragraphs then
	}
	h := &hyphenCounts{lines: make([]string, len(order)), ids: make(map[string]int)}
	for i, r := range order {
		h.lines[i] = doc.Pages[r.page].Lines[r.line].Text
	}
	want := func(w string) {
		if w == "" {
			return
		}
		if _, ok := h.ids[w]; !ok {
			h.ids[w] = len(h.counts)
			h.counts = append(h.counts, 0)
		}
		if w[0] < utf8.RuneSelf {
			h.lens[w[0]] |= 1 << min(len(w), 63)
			h.lasts[w[0]] |= lastBit(w[len(w)-1])
		}
		k := polyHash(w) % 4096
		h.hashes[k/64] |= 1 << (k % 64)
	}
	for i, ln := range h.lines {
		if !strings.HasSuffix(ln, "-") || strings.HasSuffix(ln, "--") {
			continue
		}
		a := lastWord(strings.TrimRight(strings.TrimSuffix(ln, "-"), " "))
		for _, next := range h.lines[i+1:] {
			if next != "" {
				if b := firstWord(next); a != "" && b != "" {
					want(strings.ToLower(a + "-" + b))
					want(strings.ToLower(a + b))
				}
				break
			}
		}
	}
	for _, ln := range h.lines {
		h.add(ln)
	}
	return h
}

// add counts the words of s that h counts, as Vocabulary.Add does.
func (h *hyphenCounts) add(s string) {
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		j := tokenEnd(s, i+1)
		tok := s[i:j]
		i = j
		// Most tokens start with their word's first letter, which rules
		// them out before the word is trimmed.
		if c := tok[0]; isASCIILetter(c) && h.lens[c|0x20] == 0 {
			continue
		}
		start, end := trimBounds(tok, -1)
		w := tok[start:end]
		if w == "" || w[len(w)-1] == '-' {
			continue
		}
		// w starts with a letter; lower-casing maps an ASCII one to the
		// byte its key starts with, and keeps an ASCII word's length.
		var lens uint64
		if c := w[0]; c < utf8.RuneSelf {
			if lens = h.lens[c|0x20]; lens == 0 {
				continue
			}
		}
		var id int
		var ok bool
		if isASCII(w) {
			if lens&(1<<min(len(w), 63)) == 0 || h.lasts[w[0]|0x20]&lastBit(w[len(w)-1]|0x20) == 0 {
				continue
			}
			// polyHash lower-cases ASCII as the key does.
			if k := polyHash(w) % 4096; h.hashes[k/64]&(1<<(k%64)) == 0 {
				continue
			}
			var buf [64]byte
			if len(w) <= len(buf) {
				id, ok = h.ids[string(bytesLower(append(buf[:0], w...)))]
			} else {
				id, ok = h.ids[lower(w)]
			}
		} else {
			id, ok = h.ids[lower(w)]
		}
		if !ok {
			continue
		}
		h.counts[id] = countAgain(h.counts[id], w)
	}
}

// lastBit is the bit of hyphenCounts.lasts for a word's last byte, lower
// case.
func lastBit(c byte) uint32 {
	if c >= 'a' && c <= 'z' {
		return 1 << (c - 'a')
	}
	return 1 << 26
}

// Count and HyphenCount answer as Vocabulary's do, which counts a word
// with an inner hyphen only as hyphenated and any other only as plain.
func (h *hyphenCounts) Count(w string) int {
	if strings.IndexByte(w, '-') > 0 {
		return 0
	}
	if id, ok := h.ids[w]; ok {
		return h.counts[id]
	}
	return h.vocabulary().Count(w)
}

func (h *hyphenCounts) HyphenCount(w string) int {
	if strings.IndexByte(w, '-') <= 0 {
		return 0
	}
	if id, ok := h.ids[w]; ok {
		return h.counts[id]
	}
	return h.vocabulary().HyphenCount(w)
}

// vocabulary counts every word of the lines, as NewVocabulary did.
func (h *hyphenCounts) vocabulary() *Vocabulary {
	if h.all == nil {
		size := 0
		for _, ln := range h.lines {
			size += len(ln)
		}
		h.all = &Vocabulary{}
		h.all.reset(size/20 + 16)
		for _, ln := range h.lines {
			h.all.Add(ln)
		}
	}
	return h.all
}
