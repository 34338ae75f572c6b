package stages

import (
	"iter"
	"os"
	"path/filepath"
	"testing"
)

// The inputs the in-package tests run their checks on: the seeds, the
// txtar cases and, when it is beside the module, the corpus.
var testInputPatterns = []string{"../testdata/seeds/*/input.txt", "../testdata/*/*.txtar", "../../shared/corpus/*/*.txt"}

// testInputs yields the path and text of each file that patterns match,
// and fails the test when none does.
func testInputs(t *testing.T, patterns ...string) iter.Seq2[string, string] {
	t.Helper()
	var paths []string
	for _, pattern := range patterns {
		more, _ := filepath.Glob(pattern)
		paths = append(paths, more...)
	}
	if len(paths) == 0 {
		t.Fatal("no test inputs found")
	}
	return func(yield func(string, string) bool) {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !yield(p, string(data)) {
				return
			}
		}
	}
}
