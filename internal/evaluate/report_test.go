package evaluate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKind(t *testing.T) {
	tests := []struct {
		name, reason string
		path, want   string
	}{
		{"seed file", "a seed case's one input is grouped as seed, whatever its name", "corpus/seed-003/003_24bf5f31f9206233.txt", "seed"},
		{"pdftotext text", "other inputs are grouped by file name", "corpus/res-73-7/text.txt", "text.txt"},
		{"scan", "a scan of any case is one kind", "corpus/render-61-180-a/scan.pdf", "scan.pdf"},
		{"seed prefix only", "the case directory must start with seed-", "corpus/my-seed-1/a.txt", "a.txt"},
		{"bare file", "a path without a case directory", "layout.txt", "layout.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Kind(tt.path)); diff != "" {
				t.Errorf("Kind(%q) (%s) mismatch (-want +got):\n%s", tt.path, tt.reason, diff)
			}
		})
	}
}

// writeCorpus makes a corpus directory from a map of relative paths to
// contents; a path ending in "/" makes a directory.
func writeCorpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCases(t *testing.T) {
	dir := writeCorpus(t, map[string]string{
		"b-case/gold.md":      "b",
		"b-case/text.txt":     "b",
		"b-case/hyphens.txt":  "not an input: a list of hyphen decisions",
		"b-case/notes.md":     "not an input: Markdown is for people",
		"b-case/scan.pdf":     "%PDF",
		"b-case/extra/":       "",
		"a-case/gold.md":      "a",
		"a-case/layout.txt":   "a",
		"no-gold/text.txt":    "a case needs gold.md",
		"loose.txt":           "not in a case",
		"c-case/gold.md":      "a case with no inputs",
		"c-case/hyphens.txt":  "",
		"d-case/sub/gold.md":  "too deep",
		"d-case/sub/text.txt": "too deep",
	})
	got, err := Cases(dir)
	if err != nil {
		t.Fatal(err)
	}
	in := func(parts ...string) string { return filepath.Join(append([]string{dir}, parts...)...) }
	want := []Case{
		{Name: "a-case", Gold: in("a-case", "gold.md"), Inputs: []string{in("a-case", "layout.txt")}},
		{Name: "b-case", Gold: in("b-case", "gold.md"), Inputs: []string{in("b-case", "scan.pdf"), in("b-case", "text.txt")}},
		{Name: "c-case", Gold: in("c-case", "gold.md")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Cases mismatch (-want +got):\n%s", diff)
	}
}

func TestTotalLine(t *testing.T) {
	tests := []struct {
		name, reason string
		label        string
		total        Total
		want         string
	}{
		{
			name:   "empty total",
			reason: "a kind whose inputs all failed prints the zero-denominator conventions",
			label:  "kind scan.png",
			total:  Total{Fails: 1},
			want:   "kind scan.png" + strings.Repeat(" ", 31) + " n=0   fail=1  CER=100.00% WER=100.00% markP=1.000 markR=1.000 paraF1=1.000 notes=0/0    0.0s",
		},
		{
			name:   "counts",
			reason: "rates come from summed counts; seconds are summed",
			label:  "ALL",
			total: Total{Scored: 12, Chars: 400, CharErrs: 7, Words: 80, WordErrs: 9, MarkGold: 4, MarkOut: 3, MarkHit: 2,
				ParaGold: 10, ParaOut: 8, ParaHit: 6, NoteGold: 5, NoteHit: 4, Secs: 123.456},
			want: "ALL" + strings.Repeat(" ", 41) + " n=12  fail=0  CER=  1.75% WER= 11.25% markP=0.667 markR=0.500 paraF1=0.667 notes=4/5  123.5s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.total.Line(tt.label)); diff != "" {
				t.Errorf("Line (%s) mismatch (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestRunCases(t *testing.T) {
	const gold = "Recalling the Convention[^1]\n\nDecides to act.\n\n[^1]: A/RES/55/25.\n"
	dir := writeCorpus(t, map[string]string{
		"one/gold.md":    gold,
		"one/text.txt":   "",
		"one/scan.pdf":   "",
		"seed-9/gold.md": gold,
		"seed-9/9.txt":   "",
	})
	clean := func(_ context.Context, input string) ([]byte, error) {
		switch filepath.Base(input) {
		case "text.txt":
			return []byte(gold), nil
		case "9.txt":
			return []byte("Recalling the Convention Decides to act."), nil
		}
		return nil, errors.New("scan.pdf: page 1: no OCR engine")
	}
	var report bytes.Buffer
	total, err := RunCases(context.Background(), dir, "", clean, &report)
	if err != nil {
		t.Fatal(err)
	}
	perfect := Total{Scored: 1, Chars: 40, Words: 6, MarkGold: 1, MarkOut: 1, MarkHit: 1, ParaGold: 2, ParaOut: 2, ParaHit: 2, NoteGold: 1, NoteOut: 1, NoteHit: 1}
	flat := Total{Scored: 1, Chars: 40, Words: 6, MarkGold: 1, ParaGold: 2, ParaOut: 1, ParaHit: 1, NoteGold: 1}
	sum := Total{Scored: 2, Fails: 1, Chars: 80, Words: 12, MarkGold: 2, MarkOut: 1, MarkHit: 1, ParaGold: 4, ParaOut: 3, ParaHit: 3, NoteGold: 2, NoteOut: 1, NoteHit: 1}
	want := strings.Join([]string{
		fmt.Sprintf("%-44s FAILED: scan.pdf: page 1: no OCR engine", filepath.Join("one", "scan.pdf")),
		perfect.Line(filepath.Join("one", "text.txt")),
		flat.Line(filepath.Join("seed-9", "9.txt")),
		"",
		Total{Fails: 1}.Line("kind scan.pdf"),
		flat.Line("kind seed"),
		perfect.Line("kind text.txt"),
		sum.Line("ALL"),
		"",
	}, "\n")
	// Lines end in measured seconds; compare without them.
	withoutSecs := func(report string) []string {
		lines := strings.Split(report, "\n")
		for i := range lines {
			lines[i] = secsColumn.ReplaceAllString(lines[i], "")
		}
		return lines
	}
	if diff := cmp.Diff(withoutSecs(want), withoutSecs(report.String())); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	total.Secs = 0
	if diff := cmp.Diff(sum, total); diff != "" {
		t.Errorf("total mismatch (-want +got):\n%s", diff)
	}

	t.Run("only", func(t *testing.T) {
		var report bytes.Buffer
		total, err := RunCases(context.Background(), dir, "seed-", clean, &report)
		if err != nil {
			t.Fatal(err)
		}
		if total.Scored != 1 || total.Fails != 0 {
			t.Errorf("only=seed-: scored %d, failed %d; want 1 and 0\n%s", total.Scored, total.Fails, report.String())
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		called := false
		_, err := RunCases(ctx, dir, "", func(context.Context, string) ([]byte, error) {
			called = true
			return nil, nil
		}, &bytes.Buffer{})
		if !errors.Is(err, context.Canceled) || called {
			t.Errorf("cancelled run: err %v, cleaner called %v; want context.Canceled and no call", err, called)
		}
	})

	t.Run("writer fails", func(t *testing.T) {
		broken := errors.New("disk full")
		_, err := RunCases(context.Background(), dir, "", clean, failingWriter{broken})
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want %v", err, broken)
		}
	})
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
