//go:build unix

package stages_test

// Benchmarks of the text path, the whole of it (read, repair, render) and
// stage by stage, with sub-benchmarks per kind of input. They report MB/s
// of input and pages/s:
//
//	go test -run '^$' -bench . -benchtime 2s -cpu 1 ./stages/
//
// Besides the wall-clock MB/s that b.SetBytes gives, they report cpu-MB/s,
// input bytes over the process's CPU time: on a machine shared with other
// work, wall-clock time counts the waits for a core and CPU time does not.
//
// The corpus inputs (../shared/corpus beside the module) are benchmarked
// when present; the seeds in testdata/seeds always are.

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// benchSet is the inputs of one sub-benchmark, all cleaned in each
// iteration.
type benchSet struct {
	name   string
	kind   pipeline.InputKind // the kind Detect must find; "" for any
	inputs [][]byte
}

// benchSets gathers the seeds by kind and the corpus's text inputs by file
// name.
func benchSets(b *testing.B) []benchSet {
	b.Helper()
	read := func(pattern string) [][]byte {
		paths, _ := filepath.Glob(pattern)
		slices.Sort(paths)
		var out [][]byte
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, data)
		}
		return out
	}
	seed := func(names ...string) [][]byte {
		var out [][]byte
		for _, n := range names {
			in := read(filepath.Join("..", "testdata", "seeds", n, "input.txt"))
			if len(in) == 0 {
				b.Fatalf("testdata/seeds/%s/input.txt is missing", n)
			}
			out = append(out, in...)
		}
		return out
	}
	sets := []benchSet{
		{"flat", pipeline.KindFlat, seed("seed-000", "seed-003")},
		{"ods", pipeline.KindODS, seed("seed-001")},
		{"pdftext", pipeline.KindPDFText, seed("seed-002")},
		{"ocr", pipeline.KindOCR, seed("seed-004")},
	}
	corpus := filepath.Join("..", "..", "shared", "corpus")
	if text := read(filepath.Join(corpus, "*", "text.txt")); len(text) > 0 {
		sets = append(sets, benchSet{"corpus-text.txt", "", text})
	}
	if layout := read(filepath.Join(corpus, "*", "layout.txt")); len(layout) > 0 {
		sets = append(sets, benchSet{"corpus-layout.txt", "", layout})
	}
	return sets
}

func totalBytes(inputs [][]byte) int64 {
	n := 0
	for _, in := range inputs {
		n += len(in)
	}
	return int64(n)
}

// BenchmarkChain measures what one input costs from bytes to Markdown:
// input.Read, the stage chain and pipeline.Markdown.
func BenchmarkChain(b *testing.B) {
	chain := stages.Chain(dictionaries.Default())
	ctx := context.Background()
	for _, set := range benchSets(b) {
		b.Run(set.name, func(b *testing.B) {
			pages := 0
			for _, in := range set.inputs {
				doc, err := input.Read("bench", in, "")
				if err != nil {
					b.Fatal(err)
				}
				if set.kind != "" && doc.Kind != set.kind {
					b.Fatalf("input detected as %q, benchmarked as %q", doc.Kind, set.kind)
				}
				pages += len(doc.Pages)
			}
			b.SetBytes(totalBytes(set.inputs))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPUTime()
			for range b.N {
				for _, in := range set.inputs {
					doc, err := input.Read("bench", in, "")
					if err != nil {
						b.Fatal(err)
					}
					if err := chain.Run(ctx, doc); err != nil {
						b.Fatal(err)
					}
					if len(pipeline.Markdown(doc)) == 0 {
						b.Fatal("empty output")
					}
				}
			}
			reportCPU(b, totalBytes(set.inputs), processCPUTime()-cpu0)
			b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkStage measures each stage alone over all the inputs, each
// prepared by the stages before it. Copying the prepared documents is not
// timed.
func BenchmarkStage(b *testing.B) {
	chain := stages.Chain(dictionaries.Default())
	ctx := context.Background()
	var inputs [][]byte
	for _, set := range benchSets(b) {
		inputs = append(inputs, set.inputs...)
	}
	for i, stage := range chain {
		b.Run(stage.Name(), func(b *testing.B) {
			prepared := make([]*pipeline.Document, len(inputs))
			pages := 0
			for j, in := range inputs {
				doc, err := input.Read("bench", in, "")
				if err != nil {
					b.Fatal(err)
				}
				if err := chain[:i].Run(ctx, doc); err != nil {
					b.Fatal(err)
				}
				prepared[j] = doc
				pages += len(doc.Pages)
			}
			b.SetBytes(totalBytes(inputs))
			b.ReportAllocs()
			b.ResetTimer()
			work := make([]*pipeline.Document, len(prepared))
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				for j, doc := range prepared {
					work[j] = cloneDocument(doc)
				}
				b.StartTimer()
				cpu0 := processCPUTime()
				for _, doc := range work {
					if err := stage.Apply(doc); err != nil {
						b.Fatal(err)
					}
				}
				cpu += processCPUTime() - cpu0
			}
			reportCPU(b, totalBytes(inputs), cpu)
			b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// cloneDocument copies doc deeply enough that a stage working on the copy
// leaves doc as it was.
func cloneDocument(doc *pipeline.Document) *pipeline.Document {
	c := *doc
	c.Meta.Symbols = slices.Clone(doc.Meta.Symbols)
	c.Pages = slices.Clone(doc.Pages)
	for i := range c.Pages {
		c.Pages[i].Lines = slices.Clone(c.Pages[i].Lines)
		for j := range c.Pages[i].Lines {
			c.Pages[i].Lines[j].Words = slices.Clone(c.Pages[i].Lines[j].Words)
		}
	}
	c.Paragraphs = slices.Clone(doc.Paragraphs)
	for i := range c.Paragraphs {
		c.Paragraphs[i].Refs = slices.Clone(c.Paragraphs[i].Refs)
	}
	c.Footnotes = slices.Clone(doc.Footnotes)
	for i := range c.Footnotes {
		c.Footnotes[i].Refs = slices.Clone(c.Footnotes[i].Refs)
	}
	c.Log = slices.Clone(doc.Log)
	c.FailedPages = slices.Clone(doc.FailedPages)
	return &c
}

// processCPUTime is the CPU time the test process has used so far.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports cpu-MB/s: b.N times size bytes over cpu.
func reportCPU(b *testing.B, size int64, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}
