//go:build unix

package stages_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// BenchmarkMarkersAlone runs the markers stage alone over the seeds and the
// corpus's text inputs, each prepared once by the stages before it. Unlike
// BenchmarkStage it restores only what the stage changes between runs, so
// that a count of instructions over runs (perf stat with two -benchtime
// values) is the stage's own:
//
//	go test -c -o m.test ./stages/
//	perf stat -e instructions:u ./m.test -test.run '^$' -test.bench MarkersAlone -test.benchtime 200x
func BenchmarkMarkersAlone(b *testing.B) {
	dict := dictionaries.Default()
	chain := stages.Chain(dict)
	at := slices.IndexFunc(chain, func(s pipeline.Stage) bool { return s.Name() == "markers" })
	if at < 0 {
		b.Fatal("no markers stage in the chain")
	}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "*.txt"))
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "seeds", "*", "input.txt"))
	paths = append(paths, seeds...)
	type prepared struct {
		doc        *pipeline.Document
		paragraphs []pipeline.Paragraph
		footnotes  []pipeline.Footnote
		log        []pipeline.Repair
	}
	var docs []prepared
	size := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(data) == 0 {
			continue
		}
		doc, err := input.Read("bench", data, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := chain[:at].Run(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
		// Clipped, so that what the stage appends goes to new arrays.
		pr := prepared{doc: doc, paragraphs: slices.Clone(doc.Paragraphs),
			footnotes: slices.Clone(doc.Footnotes), log: slices.Clip(doc.Log)}
		for i := range pr.paragraphs {
			pr.paragraphs[i].Refs = slices.Clip(pr.paragraphs[i].Refs)
		}
		for i := range pr.footnotes {
			pr.footnotes[i].Refs = slices.Clip(pr.footnotes[i].Refs)
		}
		docs = append(docs, pr)
		size += len(data)
	}
	stage := chain[at]
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, pr := range docs {
			copy(pr.doc.Paragraphs, pr.paragraphs)
			copy(pr.doc.Footnotes, pr.footnotes)
			pr.doc.Log = pr.log
			if err := stage.Apply(pr.doc); err != nil {
				b.Fatal(err)
			}
		}
	}
}
