package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/emend/emend/internal/batch"
	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/pdf"
	"github.com/emend/emend/internal/serve"
)

type serveCommand struct {
	stdout, stderr io.Writer
}

func (*serveCommand) Name() string { return "serve" }
func (*serveCommand) Synopsis() string {
	return "clean documents sent over HTTP (an API, an upload page, metrics)"
}

func (*serveCommand) Usage() string {
	return `Usage: emend serve [--addr HOST:PORT] [--max-body SIZE] [--timeout D]
                   [--max-concurrent N] [--queue N] [--max-pixels N] [--max-pages N]
                   [--drain D] [-j N] [--dict FILE]... [--input-kind K] [--ocr MODE]
                   [--page-timeout D]

Serve answers HTTP requests with the same pipeline as "emend clean":

  POST /v1/clean   the document as the body (Content-Type
                   application/octet-stream, application/pdf, image/png,
                   image/jpeg, image/tiff or text/plain; name it with
                   ?name=FILE or a Content-Disposition filename), or as a
                   multipart/form-data upload in a field named "file".
                   The answer is Markdown, text, JSON or the HTML review
                   report: ?format=md|text|json|html, or else the Accept
                   header (text/markdown, text/plain, application/json,
                   text/html); Markdown by default.
  GET /            an upload page: drop a file, read the report
  GET /healthz     "ok" while the server runs
  GET /metrics     Prometheus metrics: documents by input kind and
                   outcome, pages, repairs by kind, failures by reason,
                   request and cleaning latency, documents in flight and
                   queued, and the Go runtime and process

A document of which some pages could not be read is still answered 200,
with X-Emend-Failed-Pages listing them (the JSON lists them too). Errors
are answered in the format asked for (JSON for JSON clients), naming the
file and, where there is one, the page:

  400  malformed multipart form, no file part, unknown format
  405  a method other than POST on /v1/clean (Allow says POST)
  408  the upload itself took longer than --timeout
  413  a body over --max-body, or pages over --max-pixels or
       --max-pages (refused from the headers, before decoding)
  415  a Content-Type that is not a document (curl --data sends
       application/x-www-form-urlencoded: use --data-binary with
       -H 'Content-Type: application/octet-stream', or -F file=@FILE)
  422  a bad document: corrupt or encrypted PDF, empty, binary junk
  500  a bug (please report it with the input)
  503  busy: --max-concurrent documents are being cleaned and --queue
       more wait (Retry-After says when to come back), or the server
       is shutting down
  504  cleaning took longer than --timeout (OCR and poppler are stopped)

On SIGINT or SIGTERM the server stops listening at once, lets requests in
flight finish for up to --drain, cancels any still running after that
(503), and exits 0 after a clean shutdown; a second signal cancels at
once. Each request is logged on one line to standard error (method, path,
status, bytes, duration, document name), after a first line saying
"listening on http://ADDR" (with --addr HOST:0, the port chosen).

Flags:

  --addr ADDR        where to listen (default 127.0.0.1:8080; :8080 for
                     every interface; port 0 picks a free one)
  --max-body SIZE    largest request body, e.g. 64MiB, 500KB, 1G
                     (default 64MiB)
  --timeout D        for a whole request: upload, wait and cleaning
                     (default 5m)
  --max-concurrent N documents cleaned at once (default: all cores)
  --queue N          requests that may wait for a slot beyond those; the
                     rest get 503 at once (default 16)
  --max-pixels N     pixels a page may have: images by their header, PDF
                     pages at 400 dpi (default 100000000)
  --max-pages N      pages a PDF or TIFF may have (default 500)
  --drain D          on a signal, time for requests in flight (default 1m)
  -j N               pages OCR'd at once, over all documents (default: all
                     cores)
  --dict, --input-kind, --ocr, --page-timeout: as for "emend clean"

Examples:

  emend serve
  emend serve --addr :8080 --max-concurrent 4 --queue 32 --timeout 10m
  curl -F file=@scan.pdf 'http://127.0.0.1:8080/v1/clean?format=json'
  curl -H 'Content-Type: application/pdf' --data-binary @scan.pdf \
       -H 'Accept: text/plain' 'http://127.0.0.1:8080/v1/clean?name=scan.pdf'
  curl --data-binary @export.txt -H 'Content-Type: text/plain' \
       http://127.0.0.1:8080/v1/clean > export.md
`
}

func (c *serveCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	maxBody := sizeFlag(serve.DefaultMaxBody)
	fs.Var(&maxBody, "max-body", "")
	timeout := fs.Duration("timeout", serve.DefaultTimeout, "")
	concurrent := fs.Int("max-concurrent", runtime.NumCPU(), "")
	queue := fs.Int("queue", serve.DefaultQueue, "")
	maxPixels := fs.Int("max-pixels", serve.DefaultMaxPixels, "")
	maxPages := fs.Int("max-pages", serve.DefaultMaxPages, "")
	drain := fs.Duration("drain", serve.DefaultDrain, "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	var pf pipelineFlags
	pf.register(fs)
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("serve: %v (run \"emend help serve\")", err)
	}
	if len(rest) > 0 {
		return usageError("serve: unexpected argument %q: documents are sent over HTTP (run \"emend help serve\")", rest[0])
	}
	for _, f := range []struct {
		name string
		bad  bool
	}{
		{"--max-body", maxBody <= 0}, {"--timeout", *timeout <= 0}, {"--max-concurrent", *concurrent < 1},
		{"--queue", *queue < 0}, {"--max-pixels", *maxPixels < 1}, {"--max-pages", *maxPages < 1},
		{"--drain", *drain <= 0}, {"-j", *jobs < 1},
	} {
		if f.bad {
			return usageError("serve: %s must be positive", f.name)
		}
	}
	ps, err := pf.settings("serve")
	if err != nil {
		return err
	}
	extra, err := batch.FaultStages()
	if err != nil {
		return usageError("serve: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	if err := pdf.Check(); err != nil {
		log.Warn("PDFs will be refused: " + err.Error())
	}
	if *queue == 0 {
		*queue = -1 // serve.Options: 0 is the default, -1 none
	}
	srv := serve.New(serve.Options{
		Clean: clean.Options{Kind: ps.kind, Dict: ps.dict, OCR: ps.ocr, Workers: *jobs,
			PageTimeout: ps.pageTimeout, Extra: extra},
		MaxBody: int64(maxBody), Timeout: *timeout, MaxConcurrent: *concurrent, Queue: *queue,
		MaxPixels: *maxPixels, MaxPages: *maxPages, Drain: *drain, Log: log,
	})
	defer srv.Close()

	// A second signal cancels the drain. Every SIGINT and SIGTERM is
	// counted here from the start, beside main's context, which the first
	// one cancels: counting, not timing, says which signal is the second.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	served := make(chan struct{})
	defer close(served)
	go func() {
		for n := 0; ; {
			select {
			case <-signals:
				if n++; n == 2 {
					srv.Abort()
					return
				}
			case <-served:
				return
			}
		}
	}()
	// The one line that is not a log record: scripts and tests read the
	// address from it (with port 0, the system chose it).
	fmt.Fprintf(c.stderr, "listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	return nil
}

// sizeFlag is a byte count written as a number with an optional unit:
// 1048576, 512KB, 64MiB, 1G (K, M and G are powers of 1024 here, as for
// memory).
type sizeFlag int64

func (s *sizeFlag) String() string { return strconv.FormatInt(int64(*s), 10) }

func (s *sizeFlag) Set(v string) error {
	num := strings.TrimSpace(v)
	mult := int64(1)
	lower := strings.ToLower(num)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
		{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
	} {
		if strings.HasSuffix(lower, u.suffix) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size (write e.g. 64MiB, 500KB or 1048576)", v)
	}
	*s = sizeFlag(n * mult)
	return nil
}
