package dictionaries

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWordSet(t *testing.T) {
	ws := newWordSet([]string{"zeta", "a", "ab", "abc", "ab", "", "é", "éa", "b"})
	if diff := cmp.Diff([]string{"a", "ab", "abc", "b", "zeta", "é", "éa"}, ws.words()); diff != "" {
		t.Errorf("words() of unsorted input with duplicates mismatch (-want +got):\n%s", diff)
	}
	more := ws.with([]string{"aa", "zz", "a"})
	if diff := cmp.Diff([]string{"a", "aa", "ab", "abc", "b", "zeta", "zz", "é", "éa"}, more.words()); diff != "" {
		t.Errorf("words() after with mismatch (-want +got):\n%s", diff)
	}
	cases := []struct {
		name   string
		key    string
		want   bool
		reason string
	}{
		{"one byte", "a", true, "a one-byte word has its own run"},
		{"two bytes", "ab", true, "in the run of its prefix"},
		{"three bytes", "abc", true, "binary search within the run"},
		{"non-ASCII", "é", true, "two-byte UTF-8 word"},
		{"non-ASCII longer", "éa", true, "run of the two UTF-8 bytes of é"},
		{"absent prefix", "q", false, "empty run"},
		{"absent in a run", "abd", false, "binary search misses"},
		{"prefix of a word", "ze", false, "only whole words"},
		{"added later", "aa", false, "ws itself is unchanged by with"},
		{"empty", "", false, "the empty key is never a member"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := []bool{ws.has(tc.key), ws.hasBytes([]byte(tc.key))}
			if diff := cmp.Diff([]bool{tc.want, tc.want}, got); diff != "" {
				t.Errorf("has, hasBytes(%q) mismatch (-want +got):\n%s\nwhy: %s", tc.key, diff, tc.reason)
			}
		})
	}
	var empty *wordSet
	if empty.has("a") || empty.hasBytes([]byte("a")) || len(empty.words()) != 0 {
		t.Error("a nil wordSet must be empty")
	}
}

func BenchmarkWordSetHas(b *testing.B) {
	ws := Default().english
	for _, bc := range []struct{ name, key string }{
		{"hit", "organization"},
		{"miss", "organizationx"},
		{"big-run", "reconsideration"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ws.has(bc.key)
			}
		})
	}
}
