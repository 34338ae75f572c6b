package batch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

// benchDocs is the size of the benchmark dump: enough documents that the
// run's fixed costs (server start, setup, shutdown) weigh little.
const benchDocs = 400

// benchDump writes the dump once and returns its folder and byte count.
func benchDump(b *testing.B) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	dump := filepath.Join(dir, "dump")
	var size int64
	for _, rel := range seedDump(b, dump, benchDocs) {
		fi, err := os.Stat(filepath.Join(dump, rel))
		if err != nil {
			b.Fatal(err)
		}
		size += fi.Size()
	}
	return dump, size
}

// BenchmarkRun is a whole batch on the embedded server with two local
// workers: walk, queue, clean, write, report, manifest.
func BenchmarkRun(b *testing.B) {
	dump, size := benchDump(b)
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(b.TempDir(), "out")
		opts := testOptions([]string{dump}, out)
		opts.Config.Formats = []pipeline.Format{pipeline.FormatMarkdown}
		s, err := Run(context.Background(), opts)
		if err != nil || s.Done != benchDocs {
			b.Fatalf("run: %+v %v", s, err)
		}
	}
	b.ReportMetric(float64(b.N*benchDocs)/time.Since(start).Seconds(), "docs/s")
}

// BenchmarkCleanInProcess is the same documents through the same Cleaner
// and the same atomic writes, two at a time, without the queue: what
// BenchmarkRun is compared with.
func BenchmarkCleanInProcess(b *testing.B) {
	dump, size := benchDump(b)
	var files []string
	filepath.WalkDir(dump, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	cl := clean.New(clean.Options{})
	defer cl.Close()
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		out := b.TempDir()
		next := make(chan string)
		done := make(chan struct{})
		for range 2 {
			go func() {
				defer func() { done <- struct{}{} }()
				for p := range next {
					doc, err := cl.File(context.Background(), p)
					if err != nil {
						b.Error(err)
						continue
					}
					if err := clean.WriteFileAtomic(filepath.Join(out, filepath.Base(p)+".md"), pipeline.Markdown(doc)); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, p := range files {
			next <- p
		}
		close(next)
		<-done
		<-done
	}
	b.ReportMetric(float64(b.N*len(files))/time.Since(start).Seconds(), "docs/s")
}
