package stages

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
)

// foldSamples returns strings to check case folding on: every token of the
// seeds and the corpus and the words trimWord and lastWord find in them,
// every character alone and inside a word, and random strings.
func foldSamples(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, text := range testInputs(t, "../testdata/seeds/*/input.txt", "../../shared/corpus/*/*.txt") {
		for _, f := range strings.Fields(text) {
			out = append(out, f, trimWord(f), lastWord(f), lastWord(strings.TrimSuffix(f, ".")))
		}
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r < 0x3000 || r%7 == 0 {
			out = append(out, string(r), "Jun"+string(r), string(r)+"er", "T"+string(r))
		}
	}
	pieces := []string{"a", "A", "per", "PER", "To", "May", "JUNE", "İ", "K", "ǅ", "Σ", "ς", "’", "'", ".", ",", "(", ")", "“", "\xff", "\xe2\x80", "no", "No.", "para", "article", "Article", "of", "THE"}
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestMarkersFolding checks that the lookups spacedPrior and gluedPrior make
// without lower-casing a word first answer as they would with it.
func TestMarkersFolding(t *testing.T) {
	dict := dictionaries.Default()
	for _, w := range foldSamples(t) {
		lw := strings.ToLower(w)
		if got, want := dict.IsNumberNoun(w), dict.IsNumberNoun(lw); got != want {
			t.Fatalf("IsNumberNoun(%q) = %v, IsNumberNoun(%q) = %v", w, got, lw, want)
		}
		if got, want := dict.IsFunctionWord(w), dict.IsFunctionWord(lw); got != want {
			t.Fatalf("IsFunctionWord(%q) = %v, IsFunctionWord(%q) = %v", w, got, lw, want)
		}
		for _, set := range []map[string]bool{monthNames, numberedAbbrev} {
			if got, want := lowerIn(set, w), set[lw]; got != want {
				t.Fatalf("lowerIn(%q) = %v, want %v", w, got, want)
			}
		}
		if got, want := isUpperCase(w), strings.ToUpper(w) == w; got != want {
			t.Fatalf("isUpperCase(%q) = %v, want %v", w, got, want)
		}
	}
}
