package main

// The report command's tests run the built binary, since what they check
// is what a user sees: the exit status, the one line naming what failed,
// and the file written whole or not at all.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/emend/emend/internal/testutil"
)

// reportSeed is seed-004 of the shared corpus and its gold.
func reportSeed(t *testing.T) (input, gold string) {
	t.Helper()
	gold = testutil.CorpusFile(t, "seed-004", "gold.md")
	ins, err := filepath.Glob(filepath.Join(filepath.Dir(gold), "[0-9]*.txt"))
	if err != nil || len(ins) != 1 {
		t.Fatalf("seed-004: want one input beside gold.md, found %v (%v)", ins, err)
	}
	return ins[0], gold
}

// wantReport fails unless path holds a whole report page.
func wantReport(t *testing.T, path string) string {
	t.Helper()
	page := string(readFile(t, path))
	if !strings.HasPrefix(page, "<!DOCTYPE html>") {
		t.Errorf("%s starts %.40q, want <!DOCTYPE html>", path, page)
	}
	if !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
		t.Errorf("%s does not end with </html>", path)
	}
	return page
}

// wantFailure fails unless r exited with code and one line of stderr
// naming what failed (and the page, when asked).
func wantFailure(t *testing.T, r result, code int, names ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit status %d, want %d\nstderr: %s", r.code, code, r.stderr)
	}
	for _, n := range names {
		if !strings.Contains(r.stderr, n) {
			t.Errorf("stderr does not name %q:\n%s", n, r.stderr)
		}
	}
	if lines := r.stderrLines(); len(lines) != 1 || !strings.HasPrefix(lines[0], "emend: ") {
		t.Errorf("want one stderr line starting \"emend: \", got %q", lines)
	}
	if r.stdout != "" {
		t.Errorf("stdout has %d bytes after a failure", len(r.stdout))
	}
}

func TestReportCommand(t *testing.T) {
	input, gold := reportSeed(t)

	t.Run("writes the page", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "review.html")
		r := runBinary(t, nil, "report", "-o", out, input)
		if r.code != 0 || r.stderr != "" || r.stdout != "" {
			t.Fatalf("emend report -o: exit status %d, stdout %d bytes, stderr:\n%s", r.code, len(r.stdout), r.stderr)
		}
		page := wantReport(t, out)
		for _, want := range []string{`id="summary"`, `id="kind-filter"`, `id="repairs"`, `class="repair k-marker`, `href="#fn-1"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if strings.Contains(page, `id="evaluation"`) {
			t.Error("an evaluation view without --gold")
		}
		checkNoTemporaries(t, dir)
		if fi, err := os.Stat(out); err != nil || fi.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("the page should be readable by others, as a file to mail or publish: %v %v", fi.Mode(), err)
		}
	})

	t.Run("standard output", func(t *testing.T) {
		r := runBinary(t, nil, "report", input)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "<!DOCTYPE html>") {
			t.Errorf("emend report without -o: exit status %d, stdout %.40q\n%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("standard input", func(t *testing.T) {
		r := runBinary(t, readFile(t, input), "report", "-")
		if r.code != 0 || !strings.Contains(r.stdout, `class="repair k-marker`) {
			t.Errorf("emend report -: exit status %d\n%s", r.code, r.stderr)
		}
	})

	t.Run("gold", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "eval.html")
		r := runBinary(t, nil, "report", "--gold", gold, "-o", out, input)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("emend report --gold: exit status %d\n%s", r.code, r.stderr)
		}
		page := wantReport(t, out)
		for _, want := range []string{`id="evaluation"`, `id="eval-cer"`, `id="eval-markr"`, `class="diff"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the page with --gold lacks %s", want)
			}
		}
	})

	t.Run("flags after the input", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "eval.html")
		r := runBinary(t, nil, "report", input, "--gold", gold, "-o", out)
		if r.code != 0 {
			t.Fatalf("exit status %d\n%s", r.code, r.stderr)
		}
		if !strings.Contains(wantReport(t, out), `id="evaluation"`) {
			t.Error("--gold after the input was not taken")
		}
	})

	t.Run("missing input", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "review.html")
		missing := filepath.Join(dir, "no-such-resolution.txt")
		wantFailure(t, runBinary(t, nil, "report", "-o", out, missing), 1, missing)
		checkNoOutput(t, out)
	})

	t.Run("missing gold", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "review.html")
		missing := filepath.Join(dir, "no-such-gold.md")
		wantFailure(t, runBinary(t, nil, "report", "--gold", missing, "-o", out, input), 1, missing)
		checkNoOutput(t, out)
	})

	t.Run("input is a directory", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "review.html")
		wantFailure(t, runBinary(t, nil, "report", "-o", out, dir), 1, dir, "directory")
		checkNoOutput(t, out)
	})

	t.Run("corrupt PDF", func(t *testing.T) {
		testutil.RequireTools(t, "the PDF goes to poppler: install poppler-utils (this test must run, not skip)", "pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
		dir := t.TempDir()
		bad := filepath.Join(dir, "broken.pdf")
		writeFile(t, bad, []byte("%PDF-1.7\n1 0 obj garbage\n%%EOF\n"))
		out := filepath.Join(dir, "review.html")
		r := runBinary(t, nil, "report", "-o", out, bad)
		if r.code == 0 {
			t.Fatalf("a corrupt PDF gave exit status 0")
		}
		wantFailure(t, r, 1, bad)
		checkNoOutput(t, out)
	})

	t.Run("a failed run keeps the old page", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "review.html")
		writeFile(t, out, []byte("the review of yesterday"))
		wantFailure(t, runBinary(t, nil, "report", "-o", out, filepath.Join(dir, "gone.txt")), 1, "gone.txt")
		if got := string(readFile(t, out)); got != "the review of yesterday" {
			t.Errorf("a failed run changed the page it would have replaced: %.40q", got)
		}
		if r := runBinary(t, nil, "report", "-o", out, input); r.code != 0 {
			t.Fatalf("exit status %d\n%s", r.code, r.stderr)
		}
		wantReport(t, out)
		checkNoTemporaries(t, dir)
	})

	for _, tt := range []struct {
		name, reason string
		args         []string
		says         string
	}{
		{"two inputs", "a report is of one document", []string{"report", input, input}, "exactly one input"},
		{"no input", "a report needs a document", []string{"report"}, "exactly one input"},
		{"unknown flag", "flag errors are usage errors", []string{"report", "--frobnicate", input}, "frobnicate"},
		{"bad --ocr", "the pipeline flags are checked as clean checks them", []string{"report", "--ocr", "sometimes", input}, "sometimes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "review.html")
			args := append([]string{tt.args[0], "-o", out}, tt.args[1:]...)
			r := runBinary(t, nil, args...)
			wantFailure(t, r, 2, tt.says)
			checkNoOutput(t, out)
		})
	}

	t.Run("help", func(t *testing.T) {
		r := runBinary(t, nil, "help", "report")
		if r.code != 0 {
			t.Errorf("emend help report: exit status %d", r.code)
		}
		for _, want := range []string{"Usage: emend report", "-o FILE", "--gold", "--no-images", "Examples:"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("emend help report lacks %q:\n%s", want, r.stdout)
			}
		}
		list := runBinary(t, nil, "help")
		if !regexp.MustCompile(`(?m)^\s+report\s`).MatchString(list.stdout) {
			t.Errorf("emend help does not list report:\n%s", list.stdout)
		}
	})
}

// TestReportCommandFailedPage reports on a PDF one of whose pages cannot
// be read (a scanned page with --ocr never): the page is written, showing
// the failure, and the run still fails, naming the page.
func TestReportCommandFailedPage(t *testing.T) {
	testutil.RequireTools(t, "this test builds and reads a PDF with poppler: install poppler-utils (it must run, not skip)",
		"pdfseparate", "pdfunite", "pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
	dir := t.TempDir()
	p1 := scanPDFPage(t, testutil.CorpusFile(t, "res-73-7", "text.pdf"), 1, dir, "text-1.pdf")
	p2 := scanPDFPage(t, testutil.CorpusFile(t, "res-73-7", "scan.pdf"), 2, dir, "scan-2.pdf")
	mixed := filepath.Join(dir, "mixed.pdf")
	scanTool(t, "pdfunite", p1, p2, mixed)

	for _, tt := range []struct {
		name    string
		flags   []string
		figures int
	}{
		{"with images", nil, 2},
		{"no images", []string{"--no-images"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".html")
			args := append(append([]string{"report", "--ocr", "never", "-o", out}, tt.flags...), mixed)
			r := runBinary(t, nil, args...)
			if r.code != 1 {
				t.Errorf("exit status %d, want 1: a page was lost\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, mixed) || !strings.Contains(r.stderr, "page 2") {
				t.Errorf("stderr does not name %s, page 2:\n%s", mixed, r.stderr)
			}
			page := wantReport(t, out)
			if !regexp.MustCompile(`id="failed-pages"><span title="[^"]+">2</span></dd>`).MatchString(page) {
				t.Errorf("the page does not list page 2 as failed")
			}
			if !strings.Contains(page, `<tr data-kind="page-failed">`) {
				t.Errorf("the summary does not count the failed page")
			}
			if n := strings.Count(page, `<figure class="page"`); n != tt.figures {
				t.Errorf("%d page images, want %d", n, tt.figures)
			}
			if tt.figures > 0 && !strings.Contains(page, `src="data:image/jpeg;base64,`) {
				t.Errorf("the page images are not inline")
			}
			checkNoTemporaries(t, dir)
		})
	}
}
