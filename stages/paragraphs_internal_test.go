package stages

import (
	"strings"
	"testing"

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

// FuzzCleanJoin holds cleanJoin, and foldSpaces under it, to what they
// replace: the parts are s cut at each '|'.
func FuzzCleanJoin(f *testing.F) {
	for _, s := range []string{"a|b", " a | b ", "a  b|c", "a\tb|\nc", "x\u00a0|\u00a0y", "\u2003z|\u0085", "\xff | \xfe", "", "|", "||a", "a\u00a0 b|c"} {
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
		if got, want := string(foldSpaces([]byte(s))), joinFields(s); got != want {
			t.Errorf("foldSpaces(%q) = %q, want %q", s, got, want)
		}
		if got, want := cleanSpaces(s), cleanSpacesBefore(s); got != want {
			t.Errorf("cleanSpaces(%q) = %q, want %q", s, got, want)
		}
	})
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
