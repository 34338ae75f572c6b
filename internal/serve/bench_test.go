package serve

// Benchmarks of /v1/clean in-process, on seed-001 of the shared corpus (a
// legacy ODS export of A/RES/61/180, 11.5 KB of text): what one request
// costs through the handler alone and through a loopback connection, what
// the HTML report adds, how many documents a second the server answers
// with many clients at once, and, as the baseline, the same document
// through clean.Cleaner and pipeline.Render without HTTP. Every benchmark
// reports docs/s; MB/s is input bytes. Read the ratios of
// BenchmarkCleanMarkdown to BenchmarkCleanDirect/md as the cost of HTTP.
//
//	go test -run '^$' -bench . -benchtime 20x ./internal/serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/report"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// benchSeed is the benchmarks' document: seed-001's one input.
func benchSeed(b *testing.B) (name string, data []byte) {
	b.Helper()
	dir := filepath.Dir(testutil.CorpusFile(b, "seed-001", "gold.md"))
	ins, err := filepath.Glob(filepath.Join(dir, "[0-9]*.txt"))
	if err != nil || len(ins) != 1 {
		b.Fatalf("%s: want one input beside gold.md, found %v (%v)", dir, ins, err)
	}
	data, err = os.ReadFile(ins[0])
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Base(ins[0]), data
}

// benchServer is a Server with opts, reachable in-process (ServeHTTP) and
// on a loopback listener (url, through client); the benchmark's end stops
// it.
type benchServer struct {
	*Server
	url    string
	client *http.Client
}

func newBenchServer(b *testing.B, opts Options, clients int) *benchServer {
	b.Helper()
	s := New(opts)
	hs := httptest.NewServer(s)
	// Keep a connection per client, as a real client pool would: the
	// default of 2 idle connections a host would make most requests dial.
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}
	b.Cleanup(func() {
		tr.CloseIdleConnections()
		hs.Close()
		s.Close()
	})
	return &benchServer{Server: s, url: hs.URL, client: &http.Client{Transport: tr}}
}

// postHTTP sends one document over the loopback connection and reads the
// whole answer; it returns the status and the body's length.
func (s *benchServer) postHTTP(target string, data []byte) (int, int64, error) {
	resp, err := s.client.Post(s.url+target, "text/plain", bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, n, err
}

// postHandler sends one document to the handler without a connection.
func (s *benchServer) postHandler(target string, data []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(data))
	req.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// reportDocs reports documents per wall-clock second of the loop.
func reportDocs(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// benchFormat times one format of /v1/clean serially, through the handler
// alone and through a loopback connection; want, when not nil, is the
// answer the first request must give.
func benchFormat(b *testing.B, format string, want []byte) {
	name, data := benchSeed(b)
	s := newBenchServer(b, Options{}, 1)
	target := "/v1/clean?format=" + format + "&name=" + name
	b.Run("handler", func(b *testing.B) {
		rec := s.postHandler(target, data)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		if want != nil && !bytes.Equal(rec.Body.Bytes(), want) {
			b.Fatalf("the server's %s differs from clean.Cleaner and pipeline.Render's", format)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if rec := s.postHandler(target, data); rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
		reportDocs(b)
		b.ReportMetric(float64(rec.Body.Len()), "out-bytes")
	})
	b.Run("http", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			status, _, err := s.postHTTP(target, data)
			if err != nil || status != http.StatusOK {
				b.Fatalf("POST %s: status %d, %v", target, status, err)
			}
		}
		reportDocs(b)
	})
}

// BenchmarkCleanMarkdown posts seed-001 raw and asks for Markdown, what
// "emend clean" writes.
func BenchmarkCleanMarkdown(b *testing.B) {
	name, data := benchSeed(b)
	cl := clean.New(clean.Options{})
	defer cl.Close()
	doc, err := cl.Bytes(context.Background(), name, data)
	if err != nil {
		b.Fatal(err)
	}
	want, err := pipeline.Render(doc, pipeline.FormatMarkdown)
	if err != nil {
		b.Fatal(err)
	}
	benchFormat(b, "md", want)
}

// BenchmarkCleanHTMLReport posts seed-001 raw and asks for the HTML review
// report: beside BenchmarkCleanMarkdown, the report's cost.
func BenchmarkCleanHTMLReport(b *testing.B) {
	benchFormat(b, "html", nil)
}

// BenchmarkCleanParallel sends seed-001 as Markdown from many clients at
// once (8 a core) over loopback connections, to a server that cleans
// GOMAXPROCS documents at a time and queues the rest: the throughput under
// concurrency, and each request's latency, queueing included. The queue
// holds every client, so that none may be refused: a 503 fails the
// benchmark.
func BenchmarkCleanParallel(b *testing.B) {
	name, data := benchSeed(b)
	const perCore = 8
	clients := perCore * runtime.GOMAXPROCS(0)
	s := newBenchServer(b, Options{MaxConcurrent: runtime.GOMAXPROCS(0), Queue: clients}, clients)
	target := "/v1/clean?format=md&name=" + name
	if status, _, err := s.postHTTP(target, data); err != nil || status != http.StatusOK {
		b.Fatalf("POST %s: status %d, %v", target, status, err)
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		busy      atomic.Int64 // 503s
		failed    atomic.Int64 // other failures
		firstErr  atomic.Value // string: the first failure, for the message
	)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.SetParallelism(perCore)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			status, _, err := s.postHTTP(target, data)
			mine = append(mine, time.Since(start))
			switch {
			case err != nil:
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
			case status == http.StatusServiceUnavailable:
				busy.Add(1)
			case status != http.StatusOK:
				failed.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d", status))
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if n := busy.Load(); n > 0 {
		b.Fatalf("%d of %d requests refused 503 with %d clients, --max-concurrent %d and --queue %d: the queue should have held them all",
			n, b.N, clients, s.opts.MaxConcurrent, s.opts.Queue)
	}
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; the first: %v", n, b.N, firstErr.Load())
	}
	reportDocs(b)
	slices.Sort(latencies)
	b.ReportMetric(ms(percentile(latencies, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(latencies, 0.99)), "p99-ms")
	b.ReportMetric(float64(clients), "clients")
}

// percentile is the q-quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkCleanDirect is the baseline: seed-001 through one shared
// clean.Cleaner and a rendering, as "emend clean" and the server's handler
// do it, with no HTTP. md has "emend clean"'s options; md-keep-original
// the server's (it keeps the input as read, for the report), so that the
// difference between it and BenchmarkCleanMarkdown/handler is the handler
// alone; html renders the report as the server does for a text input.
func BenchmarkCleanDirect(b *testing.B) {
	name, data := benchSeed(b)
	for _, tt := range []struct {
		name string
		keep bool
		html bool
	}{
		{"md", false, false},
		{"md-keep-original", true, false},
		{"html", true, true},
	} {
		b.Run(tt.name, func(b *testing.B) {
			cl := clean.New(clean.Options{KeepOriginal: tt.keep})
			defer cl.Close()
			ctx := context.Background()
			var out bytes.Buffer
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				doc, err := cl.Bytes(ctx, name, data)
				if err != nil {
					b.Fatal(err)
				}
				out.Reset()
				if tt.html {
					imgs, err := report.Images(ctx, name, data)
					if err != nil {
						b.Fatal(err)
					}
					err = report.Write(&out, doc, report.Options{Images: imgs})
					if err != nil {
						b.Fatal(err)
					}
					continue
				}
				md, err := pipeline.Render(doc, pipeline.FormatMarkdown)
				if err != nil {
					b.Fatal(err)
				}
				out.Write(md)
			}
			reportDocs(b)
			b.ReportMetric(float64(out.Len()), "out-bytes")
		})
	}
}
