// Package stages holds emend's repairs, one stage per file. Each stage
// implements pipeline.Stage, takes what it needs in its constructor and logs
// every change it makes.
package stages

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/emend/emend/pipeline"
)

// Normalizer puts every line in NFC, spells out ligatures, turns odd spaces
// into plain spaces and non-breaking hyphens into hyphens, and drops soft
// hyphens, zero-width characters, stray control characters and private-use
// glyphs that PDF symbol fonts leave behind. It also drops the stray
// backslash Tesseract reads from a speck before a capital ("\Welcomes").
type Normalizer struct{}

var _ pipeline.Stage = (*Normalizer)(nil)

func (*Normalizer) Name() string { return "normalize" }

// ligatures are the presentation forms typeset PDFs use; NFKC would spell
// them out too, but it would also flatten superscript digits and ™, which
// are footnote-marker evidence.
var ligatures = strings.NewReplacer(
	"\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl",
	"\uFB05", "st", "\uFB06", "st",
)

func mapRune(r rune) rune {
	switch {
	case r == '\t', r == '\u00A0', r == '\u202F', r == '\u205F', r == '\u3000', r >= '\u2000' && r <= '\u200A':
		return ' '
	case r == '\u2010', r == '\u2011':
		return '-'
	}
	return r
}

func dropRune(r rune) bool {
	switch {
	case r == '\u00AD', r == '\uFEFF', r == '\u2060', r >= '\u200B' && r <= '\u200D':
		return true
	case r >= '\uE000' && r <= '\uF8FF': // private use: symbol-font bullets and ornaments
		return true
	case r == unicode.ReplacementChar:
		return true
	}
	return unicode.IsControl(r)
}

func newNormalizeTransformer() transform.Transformer {
	return transform.Chain(norm.NFC, runes.Map(mapRune), runes.Remove(runes.Predicate(dropRune)))
}

// NormalizeString applies the character normalization to one string.
func NormalizeString(s string) string {
	// Ligatures first: spelled out, "ﬁ" followed by a combining accent must
	// still compose under NFC.
	out, _, err := transform.String(newNormalizeTransformer(), ligatures.Replace(s))
	if err != nil { // the chain cannot fail on a string; keep the input if it ever does
		return s
	}
	return strings.TrimSpace(stripBackslash(out))
}

// stripBackslash removes a backslash standing at the start of a word: UN
// text never has one there, and Tesseract reads one from a speck of dust.
func stripBackslash(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && (i == 0 || s[i-1] == ' ') && i+1 < len(s) && s[i+1] < 0x80 && (unicode.IsLetter(rune(s[i+1])) || unicode.IsDigit(rune(s[i+1]))) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// plainASCII reports printable ASCII without tabs, backslashes or doubled
// spaces at the ends: text the transform would return unchanged.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
}

// alreadyNormal reports text the transform would return unchanged though
// it is not plain ASCII: typographic quotes and dashes, accented letters
// already composed. Most lines of UN text are such; checking is several
// times cheaper than transforming.
func alreadyNormal(s string) bool {
	// The transform ends with TrimSpace, which takes any Unicode space
	// (U+2028, U+3000…) from the ends.
	if strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r < 0x80 {
			if r < 0x20 || r == 0x7f || r == '\\' {
				return false
			}
			continue
		}
		if mapRune(r) != r || dropRune(r) || r >= '\uFB00' && r <= '\uFB06' {
			return false
		}
	}
	return norm.NFC.IsNormalString(s)
}

func (n *Normalizer) Apply(doc *pipeline.Document) error {
	t := newNormalizeTransformer()
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		for li := range page.Lines {
			ln := &page.Lines[li]
			if plainASCII(ln.Text) || alreadyNormal(ln.Text) {
				continue // nothing to normalize: the common case, kept cheap
			}
			// Indented layout lines: the transform would only trim them (it
			// maps or drops every white space TrimSpace removes), and a
			// change of white space alone is not logged.
			if core := strings.TrimSpace(ln.Text); plainASCII(core) || alreadyNormal(core) {
				ln.Text = core
				continue
			}
			t.Reset()
			// A soft hyphen ending a line marks where a word was broken:
			// keep that as a hyphen for the dehyphenator to judge.
			src := ln.Text
			if strings.HasSuffix(strings.TrimRight(src, " "), "\u00AD") {
				src = strings.TrimSuffix(strings.TrimRight(src, " "), "\u00AD") + "-"
			}
			out, _, err := transform.String(t, ligatures.Replace(src))
			if err != nil {
				return err
			}
			out = strings.TrimSpace(stripBackslash(out))
			if out == ln.Text {
				continue
			}
			// Whitespace-only changes (tabs, odd spaces) are not worth a log
			// entry: they change nothing a reader sees.
			if strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(ln.Text), " ") {
				kind := pipeline.RepairNormalize
				reason := "normalized characters: NFC, ligatures, soft hyphens, invisible or control characters"
				if strings.Contains(ln.Text, `\`) && !strings.Contains(out, `\`) {
					kind, reason = pipeline.RepairJunk, "removed a stray backslash OCR read before a word"
				}
				doc.Record(pipeline.Repair{
					Stage: n.Name(), Kind: kind, Before: ln.Text, After: out, Reason: reason,
					Confidence: 0.99, Pos: pipeline.LinePos(page.Number, ln.Origin, 0, len(ln.Text)),
				})
			}
			ln.Text = out
		}
		// A line of nothing but invisible or control characters is gone.
		kept := page.Lines[:0]
		for _, ln := range page.Lines {
			if ln.Text != "" {
				kept = append(kept, ln)
			}
		}
		page.Lines = kept
	}
	return nil
}
