// Package serve is emend's HTTP server: POST a document to /v1/clean and
// get it back cleaned, as Markdown, text, JSON or the HTML review report,
// through the same Cleaner as "emend clean". GET / is an upload page,
// /healthz a liveness check and /metrics Prometheus metrics.
//
// The server protects itself before it cleans: a request is admitted only
// while fewer than MaxConcurrent+Queue are in the house (the rest get 503
// at once, before their body is read), the body is capped at MaxBody, page
// images and PDFs are measured from their headers and refused when their
// pages would be absurd to decode (MaxPixels, MaxPages), and every request
// runs under Timeout, which cancels OCR and poppler with it.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

// Defaults for the limits, which the serve command's flags also show.
const (
	DefaultMaxBody   = 64 << 20
	DefaultTimeout   = 5 * time.Minute
	DefaultQueue     = 16
	DefaultMaxPixels = 100_000_000
	DefaultMaxPages  = 500
	DefaultDrain     = time.Minute
)

// Options configure a Server; zero values take the defaults.
type Options struct {
	// Clean configures the one Cleaner all requests share. KeepOriginal is
	// always set: the HTML report shows the input beside the result.
	Clean clean.Options

	MaxBody       int64         // bytes a request body may have
	Timeout       time.Duration // for a whole request: upload, queue and cleaning
	MaxConcurrent int           // documents cleaned at once; 0 is one per core
	Queue         int           // requests that may wait for a slot beyond those; 0 is DefaultQueue, -1 none
	MaxPixels     int           // pixels a page may have (PDF pages at 400 dpi)
	MaxPages      int           // pages a PDF or TIFF may have
	Drain         time.Duration // how long in-flight requests may finish after Serve's ctx ends

	Log *slog.Logger // one line per request; nil discards
}

func (o *Options) defaults() {
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = runtime.NumCPU()
	}
	switch {
	case o.Queue < 0:
		o.Queue = 0
	case o.Queue == 0:
		o.Queue = DefaultQueue
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Drain <= 0 {
		o.Drain = DefaultDrain
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	o.Clean.KeepOriginal = true
}

// Server answers emend's HTTP API. It is an http.Handler; Serve runs it on
// a listener with graceful shutdown.
type Server struct {
	opts Options
	cl   *clean.Cleaner
	m    *metrics
	gate *gate
	mux  *http.ServeMux
	log  *slog.Logger

	// base is the context of every request; cancelled when a drain runs
	// out or is cut short, so that cleaning still running stops.
	base       context.Context
	cancelBase context.CancelFunc
	abortOnce  sync.Once
	abort      chan struct{}
	active     atomic.Int64 // requests being answered
}

// New makes a Server and its Cleaner; Close frees the Cleaner.
func New(opts Options) *Server {
	opts.defaults()
	s := &Server{opts: opts, cl: clean.New(opts.Clean), log: opts.Log, abort: make(chan struct{})}
	s.m = newMetrics(opts)
	s.gate = newGate(opts.MaxConcurrent, opts.Queue, s.m)
	s.base, s.cancelBase = context.WithCancel(context.Background())

	s.mux = http.NewServeMux()
	s.mux.Handle("/v1/clean", s.route("clean", http.HandlerFunc(s.handleClean)))
	s.mux.Handle("/healthz", s.route("healthz", getOnly(http.HandlerFunc(s.handleHealth))))
	s.mux.Handle("/metrics", s.route("metrics", getOnly(
		promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{Registry: s.m.reg, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)}))))
	s.mux.Handle("/{$}", s.route("page", getOnly(http.HandlerFunc(s.handlePage))))
	s.mux.Handle("/", s.route("other", http.HandlerFunc(s.handleNotFound)))
	return s
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close frees the Cleaner's OCR engine. Call it once no request runs.
func (s *Server) Close() {
	s.cancelBase()
	s.cl.Close()
}

// Abort cuts a drain short: requests still running are cancelled and
// answered 503. The serve command calls it on a second signal.
func (s *Server) Abort() { s.abortOnce.Do(func() { close(s.abort) }) }

// Serve answers requests on ln until ctx ends, then shuts down gracefully:
// the listener closes at once (new connections are refused), requests in
// flight have Options.Drain to finish, and those still running after it
// (or after Abort) are cancelled. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return s.base },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "version", pipeline.Version,
		"max_concurrent", s.opts.MaxConcurrent, "queue", s.opts.Queue, "timeout", s.opts.Timeout,
		"max_body", s.opts.MaxBody, "max_pixels", s.opts.MaxPixels, "max_pages", s.opts.MaxPages)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: no new connections; waiting for requests in flight",
		"in_flight", s.active.Load(), "drain", s.opts.Drain)
	drain, cancel := context.WithTimeout(context.Background(), s.opts.Drain)
	defer cancel()
	var forced atomic.Bool
	go func() {
		select {
		case <-s.abort:
			forced.Store(true)
			cancel()
		case <-drain.Done():
		}
	}()
	if err := srv.Shutdown(drain); err == nil {
		<-served
		s.log.Info("stopped")
		return nil
	}
	// Out of time: cancel what runs, give the handlers a moment to answer
	// (503), then close every connection.
	left := s.active.Load()
	s.cancelBase()
	for end := time.Now().Add(5 * time.Second); s.active.Load() > 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	_ = srv.Close()
	<-served
	if forced.Load() {
		return fmt.Errorf("shutdown forced: %d requests still running were cancelled", left)
	}
	return fmt.Errorf("shutdown: %d requests still running after the %s drain (--drain) were cancelled", left, s.opts.Drain)
}

// requestInfo is what a handler tells the request log about a request.
type requestInfo struct {
	source string
	format format
	err    string
	failed []int // pages that could not be read
	status int   // logged instead of the response's (a client that left gets none)
}

type infoKey struct{}

func info(r *http.Request) *requestInfo {
	if ri, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// recorder notes a response's status and size for the log and metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusClientClosed is what a request whose client left before the answer
// is logged and counted with (nginx's convention); nothing is sent.
const statusClientClosed = 499

// route wraps a handler with what every request gets: the version header,
// panic recovery, one log line and the latency metric.
func (s *Server) route(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.active.Add(1)
		defer s.active.Add(-1)
		start := time.Now()
		ri := &requestInfo{}
		rec := &recorder{ResponseWriter: w}
		rec.Header().Set("X-Emend-Version", pipeline.Version)
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
		defer func() {
			p := recover()
			if p == http.ErrAbortHandler {
				panic(p)
			}
			if p != nil {
				ri.err = fmt.Sprintf("panic: %v", p)
				if rec.status == 0 {
					s.m.failures.WithLabelValues(reasonInternal).Inc()
					http.Error(rec, "emend: internal error (please report this with the input)", http.StatusInternalServerError)
				}
			}
			status := rec.status
			switch {
			case ri.status != 0:
				status = ri.status
			case status == 0:
				status = http.StatusOK
			}
			took := time.Since(start)
			s.m.request(name, string(ri.format), status, took)
			attrs := []any{"method", r.Method, "path", r.URL.Path, "status", status, "bytes", rec.bytes,
				"duration", took.Round(time.Millisecond), "remote", r.RemoteAddr}
			if ri.source != "" {
				attrs = append(attrs, "source", ri.source)
			}
			if ri.format != "" {
				attrs = append(attrs, "format", string(ri.format))
			}
			if len(ri.failed) > 0 {
				attrs = append(attrs, "failed_pages", ri.failed)
			}
			if ri.err != "" {
				attrs = append(attrs, "error", ri.err)
			}
			level := slog.LevelInfo
			if status >= 500 && status != statusClientClosed {
				level = slog.LevelError
			}
			s.log.Log(context.Background(), level, "request", attrs...)
		}()
		h.ServeHTTP(rec, r)
	})
}

// getOnly answers methods other than GET and HEAD with 405.
func getOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			info(r).err = "method not allowed"
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, fmt.Sprintf("emend: %s %s: use GET", r.Method, r.URL.Path), http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	info(r).err = "no such route"
	http.Error(w, fmt.Sprintf("emend: no %s here: POST documents to /v1/clean; GET / is an upload page, /healthz and /metrics the checks", r.URL.Path),
		http.StatusNotFound)
}

// isCanceled reports an error that is the request's context ending.
func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
