// Package stages holds emend's repairs, one stage per file. Each stage
// implements pipeline.Stage, takes what it needs in its constructor and logs
// every change it makes.
package stages

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
// spaces at the ends: text the transform would return unchanged. It runs
// on every line, so it tests eight bytes at a time.
func plainASCII(s string) bool {
	i := printableRun(s, 0)
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
}

// printableRun returns the first i from start, stepping eight bytes at a
// time, whose eight bytes s[i:i+8] are not all printable ASCII other than
// a backslash, or which has fewer than eight bytes after it.
func printableRun(s string, i int) int {
	const low7, high, ones = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080, 0x0101010101010101
	for ; i+8 <= len(s); i += 8 {
		x := load64(s[i : i+8])
		bs := x ^ '\\'*ones // zero where x has a backslash
		// A byte's high bit is set in bad when the byte is 0x7F or more,
		// below 0x20, or a backslash. (Adding to the low seven bits of a
		// byte carries into its high bit, never into the next byte.)
		bad := (x&low7 + ones) | x | ^((x&low7 + (0x80-0x20)*ones) | x) | ^((bs&low7 + low7) | bs)
		if bad&high != 0 {
			break
		}
	}
	return i
}

// normalizeASCII is what the transform makes of ASCII text: NFC and the
// ligatures leave it alone, a tab becomes a space and the other control
// characters go. It saves the transform's set-up and rune-by-rune work on
// the lines of ODS exports, which indent with tabs.
func normalizeASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t':
			b.WriteByte(' ')
		case c < 0x20 || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sameWords is strings.Join(strings.Fields(a), " ") ==
// strings.Join(strings.Fields(b), " ") without building either: the words
// of a and b, split at Unicode white space, are the same. Words are
// compared byte by byte; a byte inside a multi-byte rune never starts a
// space, so looking for spaces at each byte finds those Fields finds.
func sameWords(a, b string) bool {
	i, j := skipSpaces(a, 0), skipSpaces(b, 0)
	for i < len(a) && j < len(b) {
		// Equal printable ASCII, most of any line, is no space in either.
		if c := a[i]; c == b[j] && c > ' ' && c < utf8.RuneSelf {
			i++
			j++
			continue
		}
		wa, wb := spaceWidth(a, i), spaceWidth(b, j)
		switch {
		case wa > 0 && wb > 0:
			i, j = skipSpaces(a, i), skipSpaces(b, j)
		case wa > 0 || wb > 0 || a[i] != b[j]:
			return false
		default:
			i++
			j++
		}
	}
	return skipSpaces(a, i) == len(a) && skipSpaces(b, j) == len(b)
}

// spaceWidth returns the length of the white space rune (unicode.IsSpace)
// at s[i], or 0.
func spaceWidth(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		if c == ' ' || c >= '\t' && c <= '\r' {
			return 1
		}
		return 0
	}
	if r, w := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
		return w
	}
	return 0
}

// skipSpaces returns the index of the first byte at or after i that does
// not start a white space rune.
func skipSpaces(s string, i int) int {
	for i < len(s) {
		w := spaceWidth(s, i)
		if w == 0 {
			break
		}
		i += w
	}
	return i
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
	first, end := -1, 0 // where the runes beyond ASCII start and end
	for i := 0; i < len(s); {
		if i = printableRun(s, i); i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '\\' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if mapRune(r) != r || dropRune(r) || r >= '\uFB00' && r <= '\uFB06' {
			return false
		}
		if first < 0 {
			first = i
		}
		i += n
		end = i
	}
	if first < 0 {
		return true // ASCII: NFC already
	}
	// An ASCII character has a normalization boundary before it: it
	// neither reorders nor composes with what precedes it. So s is NFC
	// when the part from the character before its first rune beyond ASCII
	// to the end of its last one is.
	return norm.NFC.IsNormalString(s[max(first-1, 0):end])
}

func (n *Normalizer) Apply(doc *pipeline.Document) error {
	// The transformer is made for the first line that needs it: in most
	// documents none does.
	var t transform.Transformer
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
			// A soft hyphen ending a line marks where a word was broken:
			// keep that as a hyphen for the dehyphenator to judge.
			src := ln.Text
			if strings.HasSuffix(strings.TrimRight(src, " "), "\u00AD") {
				src = strings.TrimSuffix(strings.TrimRight(src, " "), "\u00AD") + "-"
			}
			var out string
			if isASCII(src) {
				out = normalizeASCII(src)
			} else {
				if t == nil {
					t = newNormalizeTransformer()
				}
				t.Reset()
				var err error
				out, _, err = transform.String(t, ligatures.Replace(src))
				if err != nil {
					return err
				}
			}
			out = strings.TrimSpace(stripBackslash(out))
			if out == ln.Text {
				continue
			}
			// Whitespace-only changes (tabs, odd spaces) are not worth a log
			// entry: they change nothing a reader sees.
			if !sameWords(out, ln.Text) {
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
		for li, ln := range page.Lines {
			if ln.Text != "" {
				// A line that stays where it is need not be copied.
				if len(kept) < li {
					page.Lines[len(kept)] = ln
				}
				kept = kept[:len(kept)+1]
			}
		}
		page.Lines = kept
	}
	return nil
}
