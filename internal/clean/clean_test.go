package clean

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// seed is a short flattened page of A/RES/61/180 (testdata/seeds/seed-000).
func seed(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seeds", "seed-000", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBytes(t *testing.T) {
	c := New(Options{})
	doc, err := c.Bytes(context.Background(), "seed-000.txt", seed(t))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Source != "seed-000.txt" || doc.Kind != pipeline.KindFlat || len(doc.Paragraphs) == 0 || len(doc.Footnotes) == 0 || len(doc.Log) == 0 {
		t.Errorf("seed-000: source %q kind %q, %d paragraphs, %d footnotes, %d repairs; want the source, flat, and some of each",
			doc.Source, doc.Kind, len(doc.Paragraphs), len(doc.Footnotes), len(doc.Log))
	}

	forced, err := New(Options{Kind: pipeline.KindMarkdown}).Bytes(context.Background(), "x", seed(t))
	if err != nil {
		t.Fatal(err)
	}
	if forced.Kind != pipeline.KindMarkdown {
		t.Errorf("Options.Kind %q not used: got %q", pipeline.KindMarkdown, forced.Kind)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.txt", nil)
	zip := write("dump.zip.txt", append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), make([]byte, 64)...))
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		path         string
		is           error
		says         string
	}{
		{"missing", "the path is wrong", filepath.Join(dir, "missing.txt"), fs.ErrNotExist, "missing.txt: no such file or directory"},
		{"empty", "nothing to clean", empty, input.ErrEmpty, "empty.txt: file is empty"},
		{"binary", "an archive given as text", zip, input.ErrBinary, "dump.zip.txt: file is binary"},
		{"directory", "a glob caught a directory", sub, nil, "sub: is a directory"},
	}
	c := New(Options{})
	for _, tt := range tests {
		doc, err := c.File(context.Background(), tt.path)
		var ie *InputError
		if doc != nil || !errors.As(err, &ie) {
			t.Errorf("%s: File = %v, %v; want an *InputError (%s)", tt.name, doc, err, tt.reason)
			continue
		}
		if ie.Source != tt.path {
			t.Errorf("%s: Source %q, want %q", tt.name, ie.Source, tt.path)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: %v is not %v", tt.name, err, tt.is)
		}
		if !strings.Contains(err.Error(), tt.says) || strings.Count(err.Error(), tt.path) != 1 {
			t.Errorf("%s: message %q: want it to name the file once and say %q", tt.name, err, tt.says)
		}
	}

	_, err := c.Bytes(context.Background(), "huge.txt", make([]byte, MaxInputBytes+1))
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "huge.txt: file is 256 MiB") {
		t.Errorf("input over MaxInputBytes: %v; want an InputError naming its size", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(Options{}).Bytes(ctx, "seed.txt", seed(t))
	var ie *InputError
	if !errors.Is(err, context.Canceled) || errors.As(err, &ie) {
		t.Errorf("cancelled run: %v; want context.Canceled, not an input error", err)
	}
}

// TestConcurrent uses one Cleaner from many goroutines, as the CLI does:
// every run must give what a run alone gives. Run it with -race.
func TestConcurrent(t *testing.T) {
	c := New(Options{})
	data := seed(t)
	want, err := c.Bytes(context.Background(), "seed.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	wantMD := pipeline.Markdown(want)
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := c.Bytes(context.Background(), "seed.txt", data)
			if err == nil {
				got[i] = pipeline.Markdown(doc)
			}
		}()
	}
	wg.Wait()
	for i, g := range got {
		if diff := cmp.Diff(string(wantMD), string(g)); diff != "" {
			t.Errorf("goroutine %d (-alone +concurrent):\n%s", i, diff)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.md")
	for _, content := range [][]byte{[]byte("first\n"), []byte("second, shorter\n"), {}} {
		if err := WriteFileAtomic(path, content); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, content) {
			t.Errorf("after writing %q: read %q, %v", content, got, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, %v; want 0644 like any output file", fi.Mode().Perm(), err)
		}
	}
	checkOnly(t, dir, "out.md")

	// A directory where the file should go: the rename fails, and the
	// temporary file must not stay behind.
	blocked := filepath.Join(dir, "blocked.md")
	if err := os.Mkdir(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(blocked, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
	checkOnly(t, dir, "blocked.md", "out.md")

	if err := WriteFileAtomic(filepath.Join(dir, "no", "such", "dir.md"), []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	checkOnly(t, dir, "blocked.md", "out.md")
}

// checkOnly fails unless dir holds exactly the named entries.
func checkOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(names, got); diff != "" {
		t.Errorf("files in %s (-want +got):\n%s", dir, diff)
	}
}
