package batch

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzEntryRel: whatever an archive calls its entry, an accepted output
// path stays inside the output directory.
func FuzzEntryRel(f *testing.F) {
	for _, e := range archiveEntries {
		f.Add("", e.name)
	}
	f.Add("dump", "a/../../b")
	f.Add("", "a\x00b")
	f.Fuzz(func(t *testing.T, prefix, name string) {
		if prefix != "" && (!filepath.IsLocal(prefix) || strings.Contains(prefix, "\\")) {
			return // prefixes come from local paths
		}
		rel, err := entryRel(prefix, name)
		if err != nil {
			return
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) || path.IsAbs(rel) || strings.HasPrefix(rel, "../") || rel == ".." {
			t.Fatalf("entryRel(%q, %q) = %q escapes", prefix, name, rel)
		}
		if _, err := outputPath("/out", rel+".md"); err != nil {
			t.Fatalf("entryRel accepted %q but outputPath refuses it: %v", rel, err)
		}
	})
}

// FuzzManifestLoad: any manifest file loads without panicking, and the
// part kept ends at a line boundary.
func FuzzManifestLoad(f *testing.F) {
	f.Add([]byte(`{"key":"a","status":"done","rel":"x"}` + "\n" + `{"key":"b"`))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"key":"a","outputs":["../x"]}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := &manifest{byID: map[digest]manifestEntry{}}
		off, err := m.load(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if off < 0 || off > int64(len(data)) || off > 0 && data[off-1] != '\n' {
			t.Fatalf("kept %d of %d bytes, not at a line end", off, len(data))
		}
	})
}

// FuzzParseJob: headers from the wire never make a job with an unsafe
// output path reach the writer.
func FuzzParseJob(f *testing.F) {
	f.Add("b", "a/b.txt", strings.Repeat("0", 64), "md-x", "12")
	f.Add("b", "../../etc/x", strings.Repeat("f", 64), "md-x", "-1")
	f.Fuzz(func(t *testing.T, batch, rel, hash, pipe, size string) {
		j := Job{Batch: batch, Rel: rel, Hash: hash, Pipeline: pipe}
		h := j.header()
		h.Set(hdrSize, size)
		got, err := parseJob(h)
		if err != nil {
			return
		}
		_ = got.Key()
		if p, err := outputPath("/out", got.Rel+".md"); err == nil && !strings.HasPrefix(p, "/out/") {
			t.Fatalf("rel %q writes to %q", got.Rel, p)
		}
	})
}
