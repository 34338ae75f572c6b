package evaluate

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCompare(t *testing.T) {
	const gold = "Recalling the Convention[^1] and the Protocol,[^2]\n\nDecides to remain seized.\n\n[^1]: A/RES/55/25.\n[^2]: Ibid.\n"
	tests := []struct {
		name, reason string
		gold, out    string
		want         Result
	}{
		{
			name:   "identical",
			reason: "everything the gold has is found",
			gold:   gold, out: gold,
			want: Result{GoldChars: 68, GoldWords: 10, MarkGold: 2, MarkOut: 2, MarkHit: 2, ParaGold: 2, ParaOut: 2, ParaHit: 2, NoteGold: 2, NoteOut: 2, NoteHit: 2},
		},
		{
			name:   "typography and spacing",
			reason: "curly quotes, dashes, NBSP, tabs, CRLF and lone markers cost nothing",
			gold:   "He said “yes” – twice,[^1] here\n\n[^1]: A ‘note’.",
			out:    "He\tsaid \"yes\" - twice, [^1]\u00a0here\r\n \r\n[^1]:  A 'note'.\r\n",
			want:   Result{GoldChars: 27, GoldWords: 6, MarkGold: 1, MarkOut: 1, MarkHit: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1, NoteGold: 1, NoteOut: 1, NoteHit: 1},
		},
		{
			name:   "marker on the next word",
			reason: "a marker counts only on the right word",
			gold:   "a b[^1] c",
			out:    "a b c[^1]",
			want: Result{GoldChars: 5, GoldWords: 3, MarkGold: 1, MarkOut: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1,
				Misses: []Miss{{Kind: MissedMarker, Near: "a b c", Want: `[^1] on "b"`, Got: `no marker on "b"`}}},
		},
		{
			name:   "marker with the wrong number",
			reason: "a marker counts only with the right number",
			gold:   "a b[^1] c",
			out:    "a b[^2] c",
			want: Result{GoldChars: 5, GoldWords: 3, MarkGold: 1, MarkOut: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1,
				Misses: []Miss{{Kind: MissedMarker, Near: "a b c", Want: `[^1] on "b"`, Got: `[^2] on "b"`}}},
		},
		{
			name:   "marker on a misread word",
			reason: "the word is substituted, not deleted, so its marker still counts",
			gold:   "the Crime,[^2] the",
			out:    "the Crirne,[^2] the",
			want:   Result{GoldChars: 14, CharErrs: 2, GoldWords: 3, WordErrs: 1, MarkGold: 1, MarkOut: 1, MarkHit: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1},
		},
		{
			name:   "marker on a deleted word",
			reason: "a gold word with no partner cannot carry its marker",
			gold:   "a b[^1] c",
			out:    "a c",
			want: Result{GoldChars: 5, CharErrs: 2, GoldWords: 3, WordErrs: 1, MarkGold: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1,
				Misses: []Miss{{Kind: MissedMarker, Near: "a b c", Want: `[^1] on "b"`, Got: "the word deleted"}}},
		},
		{
			name:   "paragraph split in two",
			reason: "an extra start lowers precision, not recall",
			gold:   "a b\n\nc d",
			out:    "a\n\nb\n\nc d",
			want:   Result{GoldChars: 7, GoldWords: 4, ParaGold: 2, ParaOut: 3, ParaHit: 2},
		},
		{
			name:   "paragraphs merged",
			reason: "a gold start inside an output paragraph is missed",
			gold:   "a b\n\nc d",
			out:    "a b\nc d",
			want: Result{GoldChars: 7, GoldWords: 4, ParaGold: 2, ParaOut: 1, ParaHit: 1,
				Misses: []Miss{{Kind: MissedParagraph, Near: "c d", Want: "a paragraph start", Got: `"c" inside a paragraph`}}},
		},
		{
			name:   "definitions wrong, missing and extra",
			reason: "a definition counts only with the same number and the same normalized text",
			gold:   "a\n\n[^1]: One.\n[^2]: Two.\n[^10]: Ten.\n[^3]:",
			out:    "a\n\n[^1]: One. \n[^2]: Two!\n[^4]: Four.",
			want: Result{GoldChars: 1, GoldWords: 1, ParaGold: 1, ParaOut: 1, ParaHit: 1, NoteGold: 4, NoteOut: 3, NoteHit: 2,
				Misses: []Miss{
					{Kind: MissedNote, Near: "[^2]", Want: `"Two."`, Got: `"Two!"`},
					{Kind: MissedNote, Near: "[^10]", Want: `"Ten."`, Got: "no definition"},
				}},
		},
		{
			name:   "last gold paragraph of a lone marker",
			reason: "its start is at the end of the body and pairs with the end of the output (the scorer panics here)",
			gold:   "a\n\n[^1]",
			out:    "a\n\n[^1]",
			want:   Result{GoldChars: 1, GoldWords: 1, MarkGold: 1, MarkOut: 1, MarkHit: 1, ParaGold: 2, ParaOut: 2, ParaHit: 2},
		},
		{
			name:   "empty output",
			reason: "everything is missed, and nothing breaks",
			gold:   "a[^1]\n\n[^1]: x",
			out:    "",
			want: Result{GoldChars: 1, CharErrs: 1, GoldWords: 1, WordErrs: 1, MarkGold: 1, ParaGold: 1, NoteGold: 1,
				Misses: []Miss{
					{Kind: MissedParagraph, Near: "a", Want: "a paragraph start", Got: `"a" deleted`},
					{Kind: MissedMarker, Near: "a", Want: `[^1] on "a"`, Got: "the word deleted"},
					{Kind: MissedNote, Near: "[^1]", Want: `"x"`, Got: "no definition"},
				}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare([]byte(tt.gold), []byte(tt.out))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Compare (%s) mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestResultRates(t *testing.T) {
	type rates struct{ CER, WER, MarkP, MarkR, ParaF1 float64 }
	tests := []struct {
		name, reason string
		r            Result
		want         rates
	}{
		{
			name:   "ordinary counts",
			reason: "plain ratios, F1 the harmonic mean",
			r:      Result{GoldChars: 200, CharErrs: 5, GoldWords: 40, WordErrs: 2, MarkGold: 4, MarkOut: 2, MarkHit: 1, ParaGold: 4, ParaOut: 2, ParaHit: 2},
			want:   rates{CER: 0.025, WER: 0.05, MarkP: 0.5, MarkR: 0.25, ParaF1: 2 * 1 * 0.5 / 1.5},
		},
		{
			name:   "no markers output where some were due",
			reason: "precision is 0, not 1, so that printing nothing is not rewarded",
			r:      Result{GoldChars: 1, GoldWords: 1, MarkGold: 3},
			want:   rates{MarkP: 0, MarkR: 0, ParaF1: 1},
		},
		{
			name:   "no markers due and none output",
			reason: "precision and recall are 1: nothing was wrong",
			r:      Result{GoldChars: 1, GoldWords: 1},
			want:   rates{MarkP: 1, MarkR: 1, ParaF1: 1},
		},
		{
			name:   "markers output where none were due",
			reason: "precision is 0, recall 1",
			r:      Result{GoldChars: 1, GoldWords: 1, MarkOut: 2},
			want:   rates{MarkP: 0, MarkR: 1, ParaF1: 1},
		},
		{
			name:   "no paragraph hit",
			reason: "F1 is 0 when precision and recall are 0",
			r:      Result{GoldChars: 1, GoldWords: 1, ParaGold: 2, ParaOut: 3},
			want:   rates{MarkP: 1, MarkR: 1, ParaF1: 0},
		},
		{
			name:   "empty gold",
			reason: "the scorer's ratio is 1 for a zero denominator, so CER and WER are 100%",
			r:      Result{},
			want:   rates{CER: 1, WER: 1, MarkP: 1, MarkR: 1, ParaF1: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rates{tt.r.CER(), tt.r.WER(), tt.r.MarkP(), tt.r.MarkR(), tt.r.ParaF1()}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("rates (%s) mismatch (-want +got):\n%s", tt.reason, diff)
			}
			var one Total
			one.Add(tt.r, 0)
			total := rates{one.CER(), one.WER(), one.MarkP(), one.MarkR(), one.ParaF1()}
			if diff := cmp.Diff(got, total); diff != "" {
				t.Errorf("a Total of one Result differs from it (-result +total):\n%s", diff)
			}
		})
	}
}

// fuzzGold is a page of gold in the corpus's style, a seed for FuzzCompare.
const fuzzGold = `61/180. Improving the coordination of efforts against trafficking in persons

The General Assembly,

Recalling the United Nations Convention against Transnational Organized Crime[^1] and the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children,[^2]

1. Welcomes the efforts of Member States, United Nations agencies and non-governmental organizations;

2. Requests the Secretary-General to submit a report at its sixty-third session.

[^1]: United Nations, Treaty Series, vol. 2225, No. 39574.
[^2]: Ibid., vol. 2237, No. 39574.
`

// FuzzCompare checks that Compare never panics and that a gold compared
// with itself is perfect.
func FuzzCompare(f *testing.F) {
	f.Add([]byte("a b[^1]\n\nc [^2] d\n\n[^1]: x y\n[^2]: z"), []byte("a b c d"))
	f.Add([]byte("a\n\n[^1]"), []byte("[^1]"))
	f.Add([]byte("a\x02b\x01c [^1] x\x01\x02"), []byte("\xe2[^1]\x80\x83x"))
	f.Add([]byte("x[^[^2]1] w[^1][^2]\r\n \t\r\n“q” – —\u00a0t\tx"), []byte("[^01]: q\n\n[^1]:"))
	f.Add([]byte(fuzzGold), []byte(strings.ReplaceAll(fuzzGold, "[^", " [^")))
	f.Fuzz(func(t *testing.T, gold, out []byte) {
		// Compare takes time and memory quadratic in the lengths, as the
		// scorer does; on long inputs the fuzzer would only wait.
		if len(gold) > 2<<10 || len(out) > 2<<10 {
			return
		}
		r := Compare(gold, out)
		if r.MarkHit > r.MarkGold || r.MarkHit > r.MarkOut || r.ParaHit > r.ParaGold || r.ParaHit > r.ParaOut || r.NoteHit > r.NoteGold {
			t.Errorf("more hits than items: %+v", r)
		}
		if r.WordErrs > max(r.GoldWords, len(parse(string(out)).Words)) {
			t.Errorf("word distance %d above the longer length: %+v", r.WordErrs, r)
		}
		for _, rate := range []float64{r.CER(), r.WER(), r.MarkP(), r.MarkR(), r.ParaF1()} {
			if math.IsNaN(rate) || math.IsInf(rate, 0) || rate < 0 {
				t.Errorf("rate %v out of range: %+v", rate, r)
			}
		}
		for _, m := range r.Misses {
			if !utf8.ValidString(m.String()) && utf8.Valid(gold) && utf8.Valid(out) {
				t.Errorf("miss %q is not valid UTF-8", m.String())
			}
		}

		self := Compare(gold, gold)
		want := Result{
			GoldChars: self.GoldChars, GoldWords: self.GoldWords,
			MarkGold: self.MarkGold, MarkOut: self.MarkGold, MarkHit: self.MarkGold,
			ParaGold: self.ParaGold, ParaOut: self.ParaGold, ParaHit: self.ParaGold,
			NoteGold: self.NoteGold, NoteOut: self.NoteGold, NoteHit: self.NoteGold,
		}
		if diff := cmp.Diff(want, self, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("gold against itself is not perfect (-want +got):\n%s", diff)
		}
	})
}

// BenchmarkCompare scores corpus inputs against their gold, per kind of
// input: the gold itself (the distance functions' shortcut), the plain
// pdftotext text and the layout text.
func BenchmarkCompare(b *testing.B) {
	dir, ok := findShared()
	if !ok {
		b.Skip("benchmark needs ../shared/corpus beside the module")
	}
	caseDir := filepath.Join(dir, "corpus", "render-61-180-a")
	gold, err := os.ReadFile(filepath.Join(caseDir, "gold.md"))
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"gold.md", "text.txt", "layout.txt"} {
		out, err := os.ReadFile(filepath.Join(caseDir, kind))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(kind, filepath.Ext(kind)), func(b *testing.B) {
			b.SetBytes(int64(len(gold) + len(out)))
			b.ReportAllocs()
			for b.Loop() {
				Compare(gold, out)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
		})
	}
}
