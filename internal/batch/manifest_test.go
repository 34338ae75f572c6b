package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManifestDropsTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), ManifestName)
	m, err := openManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"k1", "k2"} {
		if err := m.add(Result{Key: k, Rel: k + ".txt", Status: StatusDone}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.close(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	// A crash mid-write leaves half a line.
	torn := append(append([]byte{}, good...), `{"input":"x","key":"k3","sta`...)
	os.WriteFile(path, torn, 0o644)

	m, err = openManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if !m.knows("k1.txt", "k1") || !m.knows("k2.txt", "k2") || m.knows("k3.txt", "k3") {
		t.Errorf("entries after reopening: %v", m.byID)
	}
	if err := m.add(Result{Key: "k3", Rel: "k3.txt", Status: StatusDone}); err != nil {
		t.Fatal(err)
	}
	m.close()
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], `"key":"k3"`) || !strings.HasSuffix(string(data), "\n") {
		t.Errorf("manifest after repair and append:\n%s", data)
	}
}

func TestManifestGarbledLineEndsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), ManifestName)
	os.WriteFile(path, []byte(`{"key":"a","rel":"a.txt","status":"done"}`+"\n"+"\x00\x00\x00\n"), 0o644)
	m, err := openManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	if !m.knows("a.txt", "a") || len(m.byID) != 1 {
		t.Errorf("entries: %v", m.byID)
	}
	if fi, _ := os.Stat(path); fi.Size() != int64(len(`{"key":"a","rel":"a.txt","status":"done"}`+"\n")) {
		t.Errorf("garbage kept: size %d", fi.Size())
	}
}

func TestSweepTemp(t *testing.T) {
	out := t.TempDir()
	state := filepath.Join(out, ".emend")
	writeFiles(t, out, map[string]string{
		"a.txt.md":                     "keep",
		".a.txt.md.tmp-123":            "temp",
		"sub/.b.txt.json.tmp-9":        "temp",
		"sub/b.txt.json":               "keep",
		".emend/jetstream/.x.tmp-1":    "queue store: not ours",
		"sub/.hidden-but-not-temp.txt": "keep",
	})
	n, err := sweepTemp(out, state)
	if err != nil || n != 2 {
		t.Fatalf("swept %d, %v", n, err)
	}
	for _, keep := range []string{"a.txt.md", "sub/b.txt.json", ".emend/jetstream/.x.tmp-1", "sub/.hidden-but-not-temp.txt"} {
		if _, err := os.Stat(filepath.Join(out, keep)); err != nil {
			t.Errorf("%s removed", keep)
		}
	}
}
