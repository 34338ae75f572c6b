package input

// The byte scanners of text.go stand for plainer code that was slower. The
// tests here hold each to the code it replaced, kept below as a reference,
// on the snippets, every corpus and seed input (where present), and random
// strings built from the bytes that matter to it.

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/pipeline"
)

func refLooksBinaryBytes(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' {
			ctl++
		}
	}
	return ctl*20 > len(b)
}

func refControlBytes(b []byte) int {
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' {
			ctl++
		}
	}
	return ctl
}

func refOCRGlyphScore(text string) int {
	n := strings.Count(text, "®") + strings.Count(text, "™")
	for _, g := range []string{",? ", ",” ", ",’ ", ",' ", ",* "} {
		n += strings.Count(text, g)
	}
	return n
}

func refSplitPages(text string) []pipeline.Page {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\f")
	if len(raw) > 1 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	pages := make([]pipeline.Page, 0, len(raw))
	for i, p := range raw {
		page := pipeline.Page{Number: i + 1}
		blank := false
		for j, ln := range strings.Split(p, "\n") {
			ln = strings.TrimRight(ln, " \t\v")
			if strings.TrimSpace(ln) == "" {
				blank = true
				continue
			}
			indent := 0
			for _, r := range ln {
				if r == ' ' {
					indent++
				} else if r == '\t' {
					indent += 8 - indent%8
				} else {
					break
				}
			}
			page.Lines = append(page.Lines, pipeline.Line{
				Text:   strings.TrimLeft(ln, " \t"),
				Indent: indent,
				Break:  blank && len(page.Lines) > 0,
				Origin: j + 1,
			})
			blank = false
		}
		pages = append(pages, page)
	}
	return pages
}

// scanInputs are the snippets and the corpus and seed inputs.
func scanInputs(t *testing.T) []string {
	t.Helper()
	ins := []string{pdftextSnippet, layoutSnippet, flatSnippet, ocrSnippet, odsSnippet, markdownSnippet}
	for _, pat := range []string{"../../../shared/corpus/*/*.txt", "../../testdata/seeds/*/input.txt"} {
		paths, _ := filepath.Glob(pat)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ins = append(ins, string(b))
		}
	}
	return ins
}

// randomText strings together pieces likely to matter to the scanners.
func randomText(r *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

var scanPieces = []string{" ", " ", "  ", "    ", "\t", "\v", "\f", "\r", "\n", "\r\n", "\x00", "\x01", "\x1f", "\x08", "\x0e",
	",", ",?", ",? ", "” ", "’", "'", "*", "®", "™", "\u00a0", "\u3000", "a", "Word", "é", "\xff", "\x7f", "\x80", "0", "9"}

func TestControlBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		b := []byte(randomText(r, scanPieces, r.IntN(40)))
		if i%2 == 0 {
			// Every byte value, at every place within a word.
			b = make([]byte, r.IntN(30))
			for j := range b {
				b[j] = byte(r.IntN(256))
			}
		}
		if got, want := controlBytes(b), refControlBytes(b); got != want {
			t.Fatalf("controlBytes(%q) = %d, want %d", b, got, want)
		}
		if got, want := looksBinaryBytes(b), refLooksBinaryBytes(b); got != want {
			t.Fatalf("looksBinaryBytes(%q) = %v, want %v", b, got, want)
		}
	}
	for c := range 256 {
		for pos := range 9 {
			b := []byte("abcdefghijklmnop")
			b[pos] = byte(c)
			if got, want := controlBytes(b), refControlBytes(b); got != want {
				t.Fatalf("controlBytes(%q) = %d, want %d", b, got, want)
			}
		}
	}
	for _, in := range scanInputs(t) {
		if got, want := looksBinaryBytes([]byte(in)), refLooksBinaryBytes([]byte(in)); got != want {
			t.Errorf("looksBinaryBytes of an input starting %.40q = %v, want %v", in, got, want)
		}
	}
}

func TestHasFourSpaces(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(s string) {
		t.Helper()
		if got, want := hasFourSpaces(s), strings.Contains(s, "    "); got != want {
			t.Fatalf("hasFourSpaces(%q) = %v, want %v", s, got, want)
		}
	}
	for range 50000 {
		check(randomText(r, []string{" ", " ", " ", "a", "b", "\t", "é"}, r.IntN(24)))
	}
	for _, in := range scanInputs(t) {
		for ln := range strings.SplitSeq(in, "\n") {
			check(ln)
			check(strings.TrimSpace(ln))
		}
	}
}

func TestOCRGlyphScore(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	check := func(s string) {
		t.Helper()
		if got, want := ocrGlyphScore(s), refOCRGlyphScore(s); got != want {
			t.Fatalf("ocrGlyphScore(%q) = %d, want %d", s, got, want)
		}
	}
	for range 50000 {
		check(randomText(r, []string{",", ",", "?", "” ", "’ ", "'", "*", " ", "®", "™", "”", "a"}, r.IntN(20)))
	}
	for _, in := range scanInputs(t) {
		check(in)
	}
}

func TestSplitPagesAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	check := func(s string) {
		t.Helper()
		if diff := cmp.Diff(refSplitPages(s), SplitPages(s)); diff != "" {
			t.Fatalf("SplitPages(%.80q) differs from the reference (-want +got):\n%s", s, diff)
		}
	}
	for range 20000 {
		check(randomText(r, []string{" ", "\t", "\v", "\f", "\r", "\n", "\r\n", "\u00a0", "\u3000", "\u0085", "a", "Word", "é", "\xff"}, r.IntN(30)))
	}
	for _, in := range scanInputs(t) {
		check(in)
	}
}
