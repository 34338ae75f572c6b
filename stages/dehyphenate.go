package stages

import (
	"strings"

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

// keepHyphen decides whether a word broken as a-/b at a line end is the
// compound "a-b" (true) or the word "ab" (false), and says why. vocab may
// be nil.
func keepHyphen(dict *dictionaries.Set, vocab *Vocabulary, a, b string) (bool, string) {
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
	case boundPrefixes[strings.ToLower(a)] && dict.IsWord(b):
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
	var vocab *Vocabulary
	var order []lineRef
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
			vocab = NewVocabulary(doc)
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
func (d *Dehyphenator) join(doc *pipeline.Document, vocab *Vocabulary, pi int, cur, next *pipeline.Line) bool {
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
