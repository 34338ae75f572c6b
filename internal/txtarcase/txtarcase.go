// Package txtarcase reads the golden test cases of emend's stages: txtar
// archives whose comment names the case and says why it exists, with an
// input.txt section, an optional kind section and the want sections of
// the stage under test.
package txtarcase

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/txtar"

	"github.com/emend/emend/pipeline"
)

// Case is one parsed case.
type Case struct {
	File    string
	Name    string
	Reason  string
	Input   []byte
	Kind    pipeline.InputKind // "" for "detect"; pdftext when no kind section
	Archive *txtar.Archive
}

// Read parses file and checks it is well formed: a "name:" and a
// "reason:" line in the comment, only the sections in allowed, an
// input.txt section and the required want section.
func Read(file string, allowed map[string]bool, want string) (*Case, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	c := &Case{File: file, Archive: txtar.Parse(data), Kind: pipeline.KindPDFText}
	var reason []string
	inReason := false
	for _, ln := range strings.Split(string(c.Archive.Comment), "\n") {
		switch {
		case strings.HasPrefix(ln, "name:"):
			c.Name = strings.TrimSpace(strings.TrimPrefix(ln, "name:"))
			inReason = false
		case strings.HasPrefix(ln, "reason:"):
			reason = append(reason, strings.TrimSpace(strings.TrimPrefix(ln, "reason:")))
			inReason = true
		case inReason && strings.TrimSpace(ln) != "":
			reason = append(reason, strings.TrimSpace(ln))
		}
	}
	c.Reason = strings.Join(reason, " ")
	if c.Name == "" || c.Reason == "" {
		return nil, fmt.Errorf("%s: the comment header needs a \"name:\" line and a \"reason:\" line", file)
	}
	for _, f := range c.Archive.Files {
		if !allowed[f.Name] {
			return nil, fmt.Errorf("%s: unknown section %q", file, f.Name)
		}
	}
	in, ok := Section(c.Archive, "input.txt")
	if !ok {
		return nil, fmt.Errorf("%s: no input.txt section", file)
	}
	c.Input = in
	if _, ok := Section(c.Archive, want); !ok {
		return nil, fmt.Errorf("%s: no %s section", file, want)
	}
	if k, ok := Section(c.Archive, "kind"); ok {
		switch kind := strings.TrimSpace(string(k)); kind {
		case "detect":
			c.Kind = ""
		default:
			c.Kind = pipeline.InputKind(kind)
			if !slices.Contains(pipeline.Kinds, c.Kind) {
				return nil, fmt.Errorf("%s: unknown input kind %q", file, kind)
			}
		}
	}
	return c, nil
}

// Section returns the named section of a.
func Section(a *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// SetSection replaces the data of the named section of a, if it has one.
func SetSection(a *txtar.Archive, name string, data []byte) {
	for i := range a.Files {
		if a.Files[i].Name == name {
			a.Files[i].Data = data
			return
		}
	}
}

// RegisterUpdateFlag defines -update unless another test file of the same
// binary already has.
func RegisterUpdateFlag() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the want sections of txtar golden cases from the stages' output")
	}
}

// Updating reports whether -update was given.
func Updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	on, _ := g.Get().(bool)
	return on
}

// FuzzSeeds returns the inputs of every case under testdata/<dir>/*.txtar
// for the given dirs, and the corpus seed inputs testdata/seeds/*/input.txt,
// to seed the stages' fuzzers. It reads inputs only, so it takes cases of
// any stage's format.
func FuzzSeeds(testdata string, dirs ...string) ([][]byte, error) {
	var seeds [][]byte
	var files []string
	for _, dir := range dirs {
		fs, _ := filepath.Glob(filepath.Join(testdata, dir, "*.txtar"))
		files = append(files, fs...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		in, ok := Section(txtar.Parse(data), "input.txt")
		if !ok {
			return nil, fmt.Errorf("%s: no input.txt section", f)
		}
		seeds = append(seeds, in)
	}
	inputs, _ := filepath.Glob(filepath.Join(testdata, "seeds", "*", "input.txt"))
	for _, f := range inputs {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		seeds = append(seeds, b)
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("no fuzz seeds under %s", testdata)
	}
	return seeds, nil
}
