// Package testutil holds what the tests of several of emend's packages
// share: finding the module root and the shared corpus beside it, requiring
// the external programs a test runs, and reading a page's text. Only tests
// import it.
//
// A missing program or corpus file fails the test, never skips it: CI
// installs the programs and provides the corpus, and a green run without
// them would prove nothing.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emend/emend/pipeline"
)

// RequireTools fails the test unless every program in names is on PATH.
// The message names the missing ones and then says need, what to install.
func RequireTools(t testing.TB, need string, names ...string) {
	t.Helper()
	var missing []string
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%s not installed; %s", strings.Join(missing, ", "), need)
	}
}

// ModuleRoot walks up from the test's working directory, its package's
// directory, to the directory holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// CorpusFile is the path of a file of the shared corpus, which sits beside
// the module root at ../shared/corpus; parts name it inside the corpus.
func CorpusFile(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{filepath.Dir(ModuleRoot(t)), "shared", "corpus"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared corpus file missing: %v (the corpus must sit beside the repository, at ../shared/corpus from its root)", err)
	}
	return p
}

// PageText is the text of a page's lines, each ended by a newline.
func PageText(p pipeline.Page) string {
	var b strings.Builder
	for _, l := range p.Lines {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}
