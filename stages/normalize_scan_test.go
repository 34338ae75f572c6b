package stages

// The normalizer's fast paths stand for plainer code: plainASCII for a byte
// loop, normalizeASCII for the transform on ASCII text, sameWords for
// comparing the words joined again. These tests hold each to the code it
// stands for on every line of the test inputs, random lines and fuzzed text.

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/transform"
)

func plainASCIIRef(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
}

func checkNormalizeScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := plainASCII(s), plainASCIIRef(s); got != want {
		t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
	}
	if isASCII(s) {
		want, _, err := transform.String(newNormalizeTransformer(), ligatures.Replace(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := normalizeASCII(s); got != want {
			t.Fatalf("normalizeASCII(%q) = %q, the transform gives %q", s, got, want)
		}
	}
	// Against the line itself with its white space changed, and against
	// the line normalized.
	for _, other := range []string{NormalizeString(s), strings.ReplaceAll(s, "\t", " "), strings.ReplaceAll(s, " ", "  "), strings.TrimSpace(s) + "\u00a0", s + "x"} {
		want := strings.Join(strings.Fields(s), " ") == strings.Join(strings.Fields(other), " ")
		if got := sameWords(s, other); got != want {
			t.Fatalf("sameWords(%q, %q) = %v, want %v", s, other, got, want)
		}
	}
}

func TestNormalizeScannersOnInputs(t *testing.T) {
	for _, text := range testInputs(t, testInputPatterns...) {
		for line := range strings.Lines(text) {
			checkNormalizeScanners(t, strings.TrimRight(line, "\n"))
		}
	}
}

// normalizePieces are the bytes and runes the normalizer treats each its
// own way.
var normalizePieces = []string{
	" ", "  ", "\t", "\n", "\v", "\f", "\r", "\x00", "\x01", "\x1f", "\x7f", "\\", "\\W", " \\1", "a", "Word", ".", "7",
	"\u00a0", "\u2003", "\u3000", "\u0085", "\u00ad", "\u200b", "\ufeff", "\ufb01", "\ue000", "\ufffd", "\u2011",
	"é", "e\u0301", "“", "’", "–", "\xff", "\xe2\x80",
}

func TestNormalizeScannersOnRandomLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for range 20000 {
		b.Reset()
		for range rng.IntN(24) {
			b.WriteString(normalizePieces[rng.IntN(len(normalizePieces))])
		}
		checkNormalizeScanners(t, b.String())
	}
	// Every byte at every place of an eight-byte word.
	for c := range 256 {
		for at := range 17 {
			s := []byte("abcdefghijklmnopq")
			s[at] = byte(c)
			checkNormalizeScanners(t, string(s))
		}
	}
}

func FuzzNormalizeScanners(f *testing.F) {
	for _, s := range normalizePieces {
		f.Add("x" + s + " y")
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalizeScanners(t, s)
	})
}
