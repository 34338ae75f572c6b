package stages

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emend/emend/pipeline"
)

// FuzzJoinFields holds joinFields to what it replaces.
func FuzzJoinFields(f *testing.F) {
	for _, s := range []string{"a  b", " a\tb\n c ", "x\u00a0\u00a0y", "\u2003z\u0085", "\xff  \xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := joinFields(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("joinFields(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzCleanJoin holds cleanJoin, and appendWords under it, to what they
// replace: the parts are s cut at each '|'.
func FuzzCleanJoin(f *testing.F) {
	for _, s := range []string{"a|b", " a | b ", "a  b|c", "a\tb|\nc", "x\u00a0|\u00a0y", "\u2003z|\u0085", "\xff | \xfe", "", "|", "||a", "a\u00a0 b|c",
		"1.     Recognizes that broad|international cooperation between|Member States’ and relevant\x7f|", "plain line of words| spaced  line |\x1fcontrol",
	} {
		f.Add(s)
	}
	var buf []byte
	f.Fuzz(func(t *testing.T, s string) {
		parts := strings.Split(s, "|")
		var got string
		got, buf = cleanJoin(parts, buf)
		if want := cleanSpaces(strings.Join(parts, " ")); got != want {
			t.Errorf("cleanJoin(%q) = %q, want %q", parts, got, want)
		}
		dst := []byte("x" + s + " ")
		if got, want := string(dst[:appendWords(dst, 1, s)]), strings.TrimSpace("x "+joinFields(s)); got != want {
			t.Errorf("appendWords(%q) after x = %q, want %q", s, got, want)
		}
		if got, want := isPrintableASCII(s), strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r >= utf8.RuneSelf }) < 0; got != want {
			t.Errorf("isPrintableASCII(%q) = %v, want %v", s, got, want)
		}
		if got, want := cleanSpaces(s), cleanSpacesBefore(s); got != want {
			t.Errorf("cleanSpaces(%q) = %q, want %q", s, got, want)
		}
		checkDoubleSpace(t, s)
	})
}

func checkDoubleSpace(t *testing.T, s string) {
	t.Helper()
	want := strings.Contains(s, "  ")
	if got := hasDoubleSpace(s); got != want {
		t.Errorf("hasDoubleSpace(%q) = %v, want %v", s, got, want)
	}
	if got := hasDoubleSpace([]byte(s)); got != want {
		t.Errorf("hasDoubleSpace([]byte(%q)) = %v, want %v", s, got, want)
	}
}

// TestHasDoubleSpace puts spaces at every place of texts up to three
// words of eight bytes long, where hasDoubleSpace looks at bytes together.
func TestHasDoubleSpace(t *testing.T) {
	for n := range 26 {
		for i := range n {
			for j := range n {
				b := []byte(strings.Repeat("x", n))
				b[i], b[j] = ' ', ' '
				checkDoubleSpace(t, string(b))
				b[i] = 0xA0 // a byte with the top bit set next to a space
				checkDoubleSpace(t, string(b))
			}
		}
	}
}

// cleanSpacesBefore is cleanSpaces as first written.
func cleanSpacesBefore(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// FuzzLastRaisedMark holds lastRaisedMark to strings.LastIndex.
func FuzzLastRaisedMark(f *testing.F) {
	m := string(pipeline.RaisedMark)
	for _, s := range []string{"", m, "a" + m + "b" + m, m + "\xf4", "\xf4\x8f\xbf", "x\xf4" + m + "\xf4\x8f", "\xf4\xf4\x8f\xbf\xbd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := lastRaisedMark(s), strings.LastIndex(s, m); got != want {
			t.Errorf("lastRaisedMark(%q) = %d, want %d", s, got, want)
		}
	})
}

// FuzzEndsClause holds endsClause, with its shortcut for a final letter and
// its byte search for the raised mark, to the code as first written.
func FuzzEndsClause(f *testing.F) {
	m := string(pipeline.RaisedMark)
	for _, s := range []string{"", " ", "slavery,4", "slavery, 4 ", "text" + m + "abc", "text," + m + "ab", "a.”", "a.\"", "a.)", "see 61/180", "x.¹²", "Z", "x,™", "end.]", "x,'", "a" + m, m + "b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := endsClause(s), endsClauseBefore(s); got != want {
			t.Errorf("endsClause(%q) = %v, want %v", s, got, want)
		}
	})
}

func endsClauseBefore(t string) bool {
	t = strings.TrimRight(t, " ")
	if t == "" {
		return true
	}
	t = stripTrailingMarkerBefore(t)
	switch t[len(t)-1] {
	case ',', ';', ':', '.', ']':
		return true
	}
	return strings.HasSuffix(t, ".”") || strings.HasSuffix(t, ".\"") || strings.HasSuffix(t, ".)")
}

func stripTrailingMarkerBefore(t string) string {
	tail := max(0, len(t)-12)
	if i := strings.LastIndex(t[tail:], string(pipeline.RaisedMark)); i >= 0 && tail+i > 0 {
		t = t[:tail+i]
	}
	s := t
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if !isMarkerGlyph(r) {
			break
		}
		s = s[:len(s)-n]
	}
	if s == t {
		i := len(s)
		for i > 0 && len(s)-i < 3 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		s = strings.TrimSuffix(s[:i], " ")
	}
	if s != t && s != "" && strings.IndexByte(",;.:", s[len(s)-1]) >= 0 {
		return s
	}
	return t
}

// TestPageShape holds pageShape, which counts where it can, to the code as
// first written, on random pages with values in and out of the counted
// range.
func TestPageShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var scratch []int
	for range 20000 {
		lines := make([]pipeline.Line, rng.IntN(60))
		spread := []int{1, 4, 40, 300, 1000}[rng.IntN(5)]
		for i := range lines {
			lines[i].Indent = rng.IntN(spread) // a count of spaces: never negative
			lines[i].Text = strings.Repeat("x", rng.IntN(spread))
		}
		var margin, typical int
		margin, typical, scratch = pageShape(lines, scratch)
		wantMargin, wantTypical := pageShapeBefore(lines)
		if margin != wantMargin || typical != wantTypical {
			t.Fatalf("pageShape = %d, %d, want %d, %d", margin, typical, wantMargin, wantTypical)
		}
	}
}

func pageShapeBefore(lines []pipeline.Line) (margin, typical int) {
	if len(lines) == 0 {
		return 0, 0
	}
	count := map[int]int{}
	lens := make([]int, 0, len(lines))
	for _, ln := range lines {
		count[ln.Indent]++
		lens = append(lens, len(ln.Text))
	}
	best := -1
	for ind, c := range count {
		if best < 0 || c > count[best] || c == count[best] && ind < best {
			best = ind
		}
	}
	sort.Ints(lens)
	return best, lens[len(lens)*8/10]
}
