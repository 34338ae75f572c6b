// Package evaluate scores emend's Markdown against gold Markdown with the
// figures of the project's shared scorer (../shared/score), to the last
// printed digit, so that "emend eval" and ../shared/bin/score never tell
// two stories about the same output.
//
// The gold format and the metrics are described in
// ../shared/corpus/README.md: CER and WER on the body text with markers
// removed, precision and recall of footnote markers on the right words,
// F1 of paragraph starts, and footnote definitions that match exactly.
package evaluate

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
)

// Result holds the counts for one output scored against its gold. The
// names and values of the integer fields are those of the scorer's JSON.
type Result struct {
	GoldChars, CharErrs        int // runes of gold body text; character edit distance
	GoldWords, WordErrs        int // gold body words; word edit distance
	MarkGold, MarkOut, MarkHit int // footnote markers in gold, in output, on the right word
	ParaGold, ParaOut, ParaHit int // paragraph starts in gold, in output, where gold has one
	NoteGold, NoteOut, NoteHit int // footnote definitions in gold, in output, equal to gold's

	// Misses lists what the gold has that the output lacks, in gold order:
	// markers and paragraph starts by word, then definitions by number.
	// It explains the counts and never changes them.
	Misses []Miss
}

// The figures of a Result are those the scorer prints on the report line
// for that one input. Its JSON form differs only where a denominator is
// zero: there it has NaN for CER and WER and 0 for MarkP and MarkR.

// CER is the character error rate, CharErrs/GoldChars; 1 for an empty gold.
func (r Result) CER() float64 { return ratio(r.CharErrs, r.GoldChars) }

// WER is the word error rate, WordErrs/GoldWords; 1 for an empty gold.
func (r Result) WER() float64 { return ratio(r.WordErrs, r.GoldWords) }

// MarkP is the precision of footnote markers, MarkHit/MarkOut. An output
// without markers scores 0 if the gold has some and 1 if it has none.
func (r Result) MarkP() float64 { return prec(r.MarkHit, r.MarkGold, r.MarkOut) }

// MarkR is the recall of footnote markers, MarkHit/MarkGold; 1 when the
// gold has none.
func (r Result) MarkR() float64 { return ratio(r.MarkHit, r.MarkGold) }

// ParaF1 is the F1 of paragraph starts, from precision ParaHit/ParaOut and
// recall ParaHit/ParaGold, with MarkP's and MarkR's conventions for empty
// counts, and 0 when both are 0.
func (r Result) ParaF1() float64 { return f1(r.ParaHit, r.ParaGold, r.ParaOut) }

// MissKind says what a Miss is about.
type MissKind string

// The kinds of Miss.
const (
	MissedMarker    MissKind = "marker"
	MissedParagraph MissKind = "paragraph"
	MissedNote      MissKind = "note"
)

// A Miss is one footnote marker, paragraph start or footnote definition of
// the gold that the output does not reproduce.
type Miss struct {
	Kind MissKind
	// Near quotes the gold words around the place, or names the footnote
	// ("[^3]") for a definition.
	Near string
	// Want is what the gold has there, Got what the output has instead.
	Want, Got string
}

func (m Miss) String() string {
	return fmt.Sprintf("%s near %q: want %s, got %s", m.Kind, m.Near, m.Want, m.Got)
}

// Compare scores out against gold. Both are Markdown in the gold format;
// out may be anything, including invalid UTF-8. The counts are the
// scorer's for every pair of inputs on which the scorer does not panic.
func Compare(gold, out []byte) Result {
	g, o := parse(string(gold)), parse(string(out))
	r := Result{
		GoldChars: utf8.RuneCountInString(g.Text),
		CharErrs:  levenshtein.ComputeDistance(g.Text, o.Text),
		GoldWords: len(g.Words),
		MarkOut:   countMarks(o.Marks),
		ParaGold:  len(g.Starts),
		ParaOut:   len(o.Starts),
		NoteGold:  len(g.Notes),
		NoteOut:   len(o.Notes),
	}
	at, dist := alignWords(g.Words, o.Words)
	r.WordErrs = dist

	// partner is the output position paired with gold position i. The end
	// of the gold body pairs with the end of the output's: a last paragraph
	// without words of its own starts there. (The scorer panics on such a
	// gold; this way a gold compared with itself still scores every start.)
	partner := func(i int) int {
		if i == len(at) {
			return len(o.Words)
		}
		return at[i]
	}
	outStarts := make([]bool, len(o.Words)+1)
	for _, j := range o.Starts {
		outStarts[j] = true
	}

	// Walk the gold words once, taking paragraph starts and markers in
	// order so that the misses come out in reading order.
	next := 0 // index into g.Starts
	for i := 0; i <= len(g.Words); i++ {
		if next < len(g.Starts) && g.Starts[next] == i {
			next++
			if j := partner(i); j >= 0 && outStarts[j] {
				r.ParaHit++
			} else {
				r.Misses = append(r.Misses, paragraphMiss(g, o, i, j))
			}
		}
		if i == len(g.Words) || g.Marks[i] == "" {
			continue
		}
		r.MarkGold++
		if j := at[i]; j >= 0 && o.Marks[j] == g.Marks[i] {
			r.MarkHit++
		} else {
			r.Misses = append(r.Misses, markerMiss(g, o, i, j))
		}
	}

	for _, k := range footnoteOrder(g.Notes) {
		// A plain lookup, as in the scorer: a gold definition with empty
		// text matches an output that lacks the definition.
		if got := o.Notes[k]; got == g.Notes[k] {
			r.NoteHit++
		} else {
			m := Miss{Kind: MissedNote, Near: "[^" + k + "]", Want: fmt.Sprintf("%q", g.Notes[k]), Got: fmt.Sprintf("%q", got)}
			if _, ok := o.Notes[k]; !ok {
				m.Got = "no definition"
			}
			r.Misses = append(r.Misses, m)
		}
	}
	return r
}

func countMarks(marks []string) int {
	n := 0
	for _, m := range marks {
		if m != "" {
			n++
		}
	}
	return n
}

// footnoteOrder returns the footnote numbers in numeric order. They are
// strings of ASCII digits, possibly with leading zeros, so shorter sorts
// first and equal lengths sort as text.
func footnoteOrder(notes map[string]string) []string {
	keys := make([]string, 0, len(notes))
	for k := range notes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		ka, kb := strings.TrimLeft(keys[a], "0"), strings.TrimLeft(keys[b], "0")
		if len(ka) != len(kb) {
			return len(ka) < len(kb)
		}
		if ka != kb {
			return ka < kb
		}
		return keys[a] < keys[b]
	})
	return keys
}

// around quotes up to three words either side of words[i].
func around(words []string, i int) string {
	lo, hi := max(i-3, 0), min(i+4, len(words))
	if lo >= hi {
		return ""
	}
	return strings.Join(words[lo:hi], " ")
}

func markerMiss(g, o parsed, i, j int) Miss {
	m := Miss{Kind: MissedMarker, Near: around(g.Words, i), Want: fmt.Sprintf("[^%s] on %q", g.Marks[i], g.Words[i])}
	switch {
	case j < 0:
		m.Got = "the word deleted"
	case o.Marks[j] == "":
		m.Got = fmt.Sprintf("no marker on %q", o.Words[j])
	default:
		m.Got = fmt.Sprintf("[^%s] on %q", o.Marks[j], o.Words[j])
	}
	return m
}

func paragraphMiss(g, o parsed, i, j int) Miss {
	// Near quotes the opening words of the gold paragraph.
	near := strings.Join(g.Words[i:min(i+6, len(g.Words))], " ")
	m := Miss{Kind: MissedParagraph, Near: near, Want: "a paragraph start"}
	switch {
	case i == len(g.Words):
		m.Near = "the end of the body"
		m.Got = "no paragraph there"
	case j < 0:
		m.Got = fmt.Sprintf("%q deleted", g.Words[i])
	default:
		m.Got = fmt.Sprintf("%q inside a paragraph", o.Words[j])
	}
	return m
}

// ratio is a/b, and 1 when b is 0, as in the scorer.
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// prec is hit/out; with nothing output it is 1 only where nothing was due.
func prec(hit, gold, out int) float64 {
	if out == 0 && gold > 0 {
		return 0
	}
	return ratio(hit, out)
}

// f1 is the harmonic mean of prec and recall, 0 when both are 0.
func f1(hit, gold, out int) float64 {
	p, r := prec(hit, gold, out), ratio(hit, gold)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
