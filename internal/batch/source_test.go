package batch

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type walked struct {
	input, rel, body string
	err              error
}

func walkAll(t *testing.T, inputs []string, skip func(string) bool) []walked {
	t.Helper()
	var got []walked
	err := Walk(context.Background(), inputs, skip, func(it Item, r io.Reader) error {
		w := walked{input: it.Input, rel: it.Rel, err: it.Err}
		if r != nil {
			b, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			w.body = string(b)
			if int64(len(b)) != it.Size {
				t.Errorf("%s: size %d, read %d bytes", it.Input, it.Size, len(b))
			}
		} else if it.Err == nil {
			t.Errorf("%s: no reader and no error", it.Input)
		}
		got = append(got, w)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rels(ws []walked) []string {
	var out []string
	for _, w := range ws {
		if w.err == nil {
			out = append(out, w.rel)
		}
	}
	slices.Sort(out)
	return out
}

func TestWalkDirectory(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a.txt":            "A",
		"sub/b.pdf":        "B",
		"sub/deep/c.txt":   "C",
		".hidden":          "no",
		".git/config":      "no",
		"sub/.DS_Store":    "no",
		"out/already.md":   "no",
		"sub/deep/.x.tmp-": "no",
	})
	if err := os.Symlink(filepath.Join(root, "a.txt"), filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte("not part of the dump"), 0o600)
	if err := os.Symlink(secret, filepath.Join(root, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	skip := func(p string) bool { return p == filepath.Join(root, "out") }
	all := walkAll(t, []string{root}, skip)
	refusedLink := false
	for _, w := range all {
		if w.rel == "escape.txt" {
			refusedLink = w.err != nil && strings.Contains(w.err.Error(), "outside the input folder") && w.body == ""
		}
	}
	if !refusedLink {
		t.Errorf("a link out of the dump was not refused: %+v", all)
	}
	got := rels(all)
	want := []string{"a.txt", "link.txt", "sub/b.pdf", "sub/deep/c.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("one folder: got %q, want %q", got, want)
	}

	// Two inputs: each one's outputs go under its own name.
	other := filepath.Join(t.TempDir(), "other")
	writeFiles(t, other, map[string]string{"a.txt": "A2"})
	got = rels(walkAll(t, []string{root, other}, skip))
	base := filepath.Base(root)
	want = []string{"other/a.txt", base + "/a.txt", base + "/link.txt", base + "/sub/b.pdf", base + "/sub/deep/c.txt"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("two folders: got %q, want %q", got, want)
	}
}

func TestWalkGlobAndFiles(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"x/1.txt": "1", "x/2.txt": "2", "x/3.pdf": "3"})
	got := walkAll(t, []string{filepath.Join(root, "x", "*.txt")}, nil)
	if len(got) != 2 || got[0].rel != "1.txt" || got[1].rel != "2.txt" || got[0].body != "1" {
		t.Errorf("glob: got %+v", got)
	}
	if err := CheckInputs([]string{filepath.Join(root, "none", "*.txt")}); err == nil || !strings.Contains(err.Error(), "matches nothing") {
		t.Errorf("empty glob: %v", err)
	}
	if err := CheckInputs([]string{filepath.Join(root, "missing.txt")}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	// A relative path below the working directory keeps its folders.
	t.Chdir(root)
	got = walkAll(t, []string{"x/3.pdf"}, nil)
	if len(got) != 1 || got[0].rel != "x/3.pdf" {
		t.Errorf("relative file: %+v", got)
	}
}

// archiveEntries are the entries every archive test writes, evil names
// included.
var archiveEntries = []struct{ name, body string }{
	{"docs/a.txt", "alpha"},
	{"docs/deep/b.txt", "beta"},
	{"../../etc/x", "evil"},
	{"/etc/y", "evil"},
	{`..\..\windows\z`, "evil"},
	{"docs/./c.txt", "gamma"},
	{"__MACOSX/docs/._a.txt", "fork"},
}

func makeZip(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range archiveEntries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func makeTar(t *testing.T, path string, gz bool) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(f)
		w = zw
	}
	tw := tar.NewWriter(w)
	tw.WriteHeader(&tar.Header{Name: "docs/", Typeflag: tar.TypeDir, Mode: 0o755})
	for _, e := range archiveEntries {
		tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(e.body))})
		io.WriteString(tw, e.body)
	}
	tw.WriteHeader(&tar.Header{Name: "docs/link", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"})
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		zw.Close()
	}
	f.Close()
}

func TestWalkArchives(t *testing.T) {
	dir := t.TempDir()
	paths := map[string]string{
		"dump.zip":    filepath.Join(dir, "dump.zip"),
		"dump.tar":    filepath.Join(dir, "dump.tar"),
		"dump.tar.gz": filepath.Join(dir, "dump.tar.gz"),
	}
	makeZip(t, paths["dump.zip"])
	makeTar(t, paths["dump.tar"], false)
	makeTar(t, paths["dump.tar.gz"], true)
	for name, p := range paths {
		got := walkAll(t, []string{p}, nil)
		var good, refused []string
		for _, w := range got {
			if errors.Is(w.err, ErrUnsafePath) {
				refused = append(refused, strings.TrimPrefix(w.input, p+":"))
				continue
			}
			if w.err != nil {
				t.Errorf("%s: %s: %v", name, w.input, w.err)
				continue
			}
			good = append(good, w.rel+"="+w.body)
		}
		slices.Sort(good)
		if want := []string{"docs/a.txt=alpha", "docs/c.txt=gamma", "docs/deep/b.txt=beta"}; !slices.Equal(good, want) {
			t.Errorf("%s: entries %q, want %q", name, good, want)
		}
		if len(refused) != 3 {
			t.Errorf("%s: refused %q, want the three escaping names", name, refused)
		}
	}
	// Several archives: each under its name without the archive suffix.
	got := rels(walkAll(t, []string{paths["dump.zip"], paths["dump.tar.gz"]}, nil))
	if !slices.Contains(got, "dump/docs/a.txt") || len(got) != 6 {
		t.Errorf("two archives: %q", got)
	}
}

func TestWalkDamagedArchives(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "cut.tar.gz")
	makeTar(t, tgz, true)
	data, _ := os.ReadFile(tgz)
	os.WriteFile(tgz, data[:len(data)/2], 0o644)
	notgz := filepath.Join(dir, "plain.tgz")
	os.WriteFile(notgz, []byte("not gzip at all"), 0o644)
	notzip := filepath.Join(dir, "bad.zip")
	os.WriteFile(notzip, []byte("PK not really"), 0o644)
	for _, p := range []string{tgz, notgz, notzip} {
		got := walkAll(t, []string{p}, nil)
		if len(got) == 0 || got[len(got)-1].err == nil {
			t.Errorf("%s: damage not reported: %+v", filepath.Base(p), got)
		}
	}
}

func TestEntryRel(t *testing.T) {
	for name, want := range map[string]string{
		"a/b.txt":      "a/b.txt",
		"./a/./b.txt":  "a/b.txt",
		`a\b.txt`:      "a/b.txt",
		"a/../b.txt":   "",
		"../x":         "",
		"/abs":         "",
		"C:/x":         "",
		`C:\x`:         "",
		"":             "",
		"a/b/../../..": "",
	} {
		got, err := entryRel("", name)
		if want == "" {
			if err == nil {
				t.Errorf("entryRel(%q) = %q, want refusal", name, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("entryRel(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if got, _ := entryRel("dump", "a.txt"); got != "dump/a.txt" {
		t.Errorf("with prefix: %q", got)
	}
}

func TestOutputPathConfined(t *testing.T) {
	out := t.TempDir()
	for _, rel := range []string{"../x.md", "/etc/x.md", "a/../../x.md"} {
		if _, err := outputPath(out, rel); err == nil {
			t.Errorf("outputPath(%q) allowed", rel)
		}
	}
	if p, err := outputPath(out, "a/b.txt.md"); err != nil || p != filepath.Join(out, "a", "b.txt.md") {
		t.Errorf("outputPath: %q %v", p, err)
	}
}
