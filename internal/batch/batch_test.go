package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// seedDump writes n distinct text documents made from the seed inputs
// into dir/sub folders and returns their relative paths.
func seedDump(t testing.TB, dir string, n int) []string {
	t.Helper()
	root := testutil.ModuleRoot(t)
	var seeds [][]byte
	for i := range 5 {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "seeds", fmt.Sprintf("seed-%03d", i), "input.txt"))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	var rels []string
	for i := range n {
		rel := fmt.Sprintf("part-%d/doc-%04d.txt", i%3, i)
		body := append(append([]byte{}, seeds[i%len(seeds)]...), fmt.Sprintf("\n\nDocument number %d of the dump.\n", i)...)
		writeFiles(t, dir, map[string]string{rel: string(body)})
		rels = append(rels, rel)
	}
	return rels
}

// readManifest returns the manifest's results by rel (or input) and its
// line count.
func readManifest(t *testing.T, out string) (map[string]Result, int) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byRel := map[string]Result{}
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("manifest line %d: %v", n+1, err)
		}
		n++
		id := r.Rel
		if id == "" {
			id = r.Input
		}
		if _, dup := byRel[id]; dup {
			t.Errorf("manifest: two lines for %s", id)
		}
		byRel[id] = r
	}
	return byRel, n
}

func testOptions(in []string, out string) Options {
	return Options{
		Inputs: in,
		Config: Config{Out: out, Formats: []pipeline.Format{pipeline.FormatMarkdown, pipeline.FormatJSON}},
		Jobs:   2,
		Queue:  QueueSettings{AckWait: 2 * time.Second, MaxDeliver: 2},
		Grace:  10 * time.Second,
	}
}

func TestRunCleansResumesAndRefuses(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump")
	rels := seedDump(t, dump, 12)
	writeFiles(t, dump, map[string]string{"bad/corrupt.pdf": "%PDF-1.7\n1 0 obj <<>> endobj\ngarbage\n%%EOF\n"})
	zipPath := filepath.Join(dir, "more.zip")
	makeZip(t, zipPath)
	out := filepath.Join(dir, "out")

	opts := testOptions([]string{dump, zipPath}, out)
	opts.InlineLimit = 4 << 10 // most seeds go through the object store
	opts.Window = 3            // and the walk waits for workers
	s, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	// 12 documents + corrupt PDF + 3 good zip entries + 3 refused ones.
	if s.Found != 19 || s.Done != 15 || len(s.Failed) != 4 || s.Skipped != 0 || s.Interrupted {
		t.Fatalf("first run: %+v", s)
	}
	results, lines := readManifest(t, out)
	if lines != 19 {
		t.Errorf("manifest has %d lines, want 19", lines)
	}
	cl := clean.New(clean.Options{})
	defer cl.Close()
	for _, rel := range rels {
		r := results["dump/"+rel]
		if r.Status != StatusDone || r.Pages == 0 || len(r.Repairs) == 0 || len(r.Outputs) != 2 || r.Hash == "" {
			t.Errorf("%s: %+v", rel, r)
			continue
		}
		src, _ := os.ReadFile(filepath.Join(dump, rel))
		doc, err := cl.Bytes(context.Background(), filepath.Join(dump, rel), src)
		if err != nil {
			t.Fatal(err)
		}
		want := pipeline.Markdown(doc)
		got, err := os.ReadFile(filepath.Join(out, "dump", rel+".md"))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: batch output differs from clean's (%v)", rel, err)
		}
		if _, err := os.Stat(filepath.Join(out, "dump", rel+".json")); err != nil {
			t.Errorf("%s: no JSON output: %v", rel, err)
		}
	}
	if r := results["dump/bad/corrupt.pdf"]; r.Status != StatusFailed || r.Attempts != 1 || !strings.Contains(r.Error, "corrupt.pdf") {
		t.Errorf("corrupt PDF: %+v", r)
	}
	refused := 0
	for id, r := range results {
		if r.Status == StatusRefused {
			refused++
			if !strings.Contains(r.Error, "leaves the output directory") || !strings.HasPrefix(id, zipPath+":") {
				t.Errorf("refused %s: %+v", id, r)
			}
		}
	}
	if refused != 3 {
		t.Errorf("%d refused entries, want 3", refused)
	}
	if _, err := os.Stat(filepath.Join(dir, "etc")); err == nil {
		t.Error("an archive entry was written outside the output directory")
	}

	// The same run again: nothing to do, and the failures are still told.
	s, err = Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Done != 0 || s.Skipped != 15 || len(s.Failed) != 4 {
		t.Errorf("rerun: %+v", s)
	}
	if _, n := readManifest(t, out); n != 19 {
		t.Errorf("rerun wrote lines: %d", n)
	}

	// A changed document and a deleted output are done again; the rest
	// are skipped.
	changed := filepath.Join(dump, rels[0])
	os.WriteFile(changed, []byte("Resolution 1/1\n\nRecalling its resolution 60/1,\n"), 0o644)
	os.Remove(filepath.Join(out, "dump", rels[1]+".json"))
	s, err = Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Done != 2 || s.Skipped != 13 || len(s.Failed) != 4 {
		t.Errorf("after a change: %+v", s)
	}
	if _, err := os.Stat(filepath.Join(out, "dump", rels[1]+".json")); err != nil {
		t.Errorf("deleted output not remade: %v", err)
	}
	// --retry-failed queues the failures again.
	opts.RetryFailed = true
	if s, err = Run(context.Background(), opts); err != nil || s.Skipped != 15 || len(s.Failed) != 4 {
		t.Errorf("retry failed: %+v %v", s, err)
	}
}

func TestRunPanicIsDeadLetter(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump")
	seedDump(t, dump, 4)
	// Two poison documents: their redeliveries each want the worker to
	// themselves, at the same time.
	writeFiles(t, dump, map[string]string{
		"poison.txt":  "Recalling its resolution 60/1,\n\nPOISONPANIC here.\n",
		"poison2.txt": "Recalling its resolution 60/2,\n\nPOISONPANIC there.\n",
	})
	t.Setenv(FaultEnv, "panic:POISONPANIC")
	extra, err := FaultStages()
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions([]string{dump}, filepath.Join(dir, "out"))
	opts.Extra = extra
	opts.Queue.MaxDeliver = 3
	s, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Done != 4 || len(s.Failed) != 2 {
		t.Fatalf("summary: %+v", s)
	}
	for _, r := range s.Failed {
		if r.Status != StatusDead || r.Attempts != 3 || !strings.Contains(r.Error, "stage fault failed") {
			t.Errorf("poison: %+v", r)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "poison.txt.md")); err == nil {
		t.Error("the poison document has an output")
	}
}

func TestRunInterruptedResumes(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump")
	seedDump(t, dump, 40)
	out := filepath.Join(dir, "out")
	t.Setenv(FaultEnv, "delay:50ms")
	extra, _ := FaultStages()
	opts := testOptions([]string{dump}, out)
	opts.Extra = extra
	opts.Jobs = 1
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Interrupt once a few documents are in the manifest.
		for {
			time.Sleep(20 * time.Millisecond)
			data, _ := os.ReadFile(filepath.Join(out, ManifestName))
			if bytes.Count(data, []byte("\n")) >= 5 {
				cancel()
				return
			}
		}
	}()
	s, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Interrupted || s.Done >= 40 || s.Done < 5 {
		t.Fatalf("interrupted run: %+v", s)
	}
	first := s.Done
	s, err = Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Interrupted || s.Done+s.Skipped != 40 || s.Skipped != first {
		t.Errorf("resumed run: %+v (first run did %d)", s, first)
	}
	if _, n := readManifest(t, out); n != 40 {
		t.Errorf("manifest has %d lines, want 40", n)
	}
}

func TestFingerprint(t *testing.T) {
	base := Config{Formats: []pipeline.Format{pipeline.FormatMarkdown}}
	fp := Fingerprint(base)
	for name, cfg := range map[string]Config{
		"formats": {Formats: []pipeline.Format{pipeline.FormatJSON}},
		"ocr":     {Formats: base.Formats, OCR: clean.OCRAlways},
		"dict":    {Formats: base.Formats, Dicts: []DictFile{{Name: "x", Content: []byte("[terms]\nfoo\n")}}},
		"kind":    {Formats: base.Formats, Kind: pipeline.KindFlat},
	} {
		if Fingerprint(cfg) == fp {
			t.Errorf("%s does not change the fingerprint", name)
		}
	}
	if Fingerprint(Config{Formats: base.Formats, Out: "/elsewhere", ID: "x"}) != fp {
		t.Error("the output directory changes the fingerprint")
	}
}

func TestRunOutputCollision(t *testing.T) {
	dir := t.TempDir()
	one, two := filepath.Join(dir, "1", "docs"), filepath.Join(dir, "2", "docs")
	seedDump(t, one, 2)
	seedDump(t, two, 1) // part-0/doc-0000.txt again, under the same "docs"
	opts := testOptions([]string{one, two}, filepath.Join(dir, "out"))
	for run := range 2 {
		s, err := Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Failed) != 1 || s.Failed[0].Input != filepath.Join(two, "part-0", "doc-0000.txt") {
			t.Fatalf("run %d: %+v", run, s)
		}
		if run == 0 && (s.Done != 2 || !strings.Contains(s.Failed[0].Error, "is taken by")) || run == 1 && s.Skipped != 2 {
			t.Errorf("run %d: %+v", run, s)
		}
	}
	if _, n := readManifest(t, filepath.Join(dir, "out")); n != 3 {
		t.Errorf("manifest lines: %d", n)
	}
}

// TestRunLocked: a second batch on the same output directory is refused,
// whether it shares the first one's --state or has its own.
func TestRunLocked(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump")
	seedDump(t, dump, 1)
	out := filepath.Join(dir, "out")
	r, err := newRunner(testOptions([]string{dump}, out))
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	for _, state := range []string{"", filepath.Join(dir, "other-state")} {
		opts := testOptions([]string{dump}, out)
		opts.State = state
		if _, err := Run(context.Background(), opts); err == nil || !strings.Contains(err.Error(), ErrLocked.Error()) {
			t.Errorf("second batch on the same output, state %q: %v", state, err)
		}
	}
}
