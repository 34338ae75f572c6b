package stages

import (
	"strings"
	"testing"
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
