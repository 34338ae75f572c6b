package main

// End-to-end tests of "emend serve" as a process: it starts on a port the
// system picks and says which, answers like "emend clean", and on SIGTERM
// stops taking connections while the request in flight (a scan being
// OCR'd) finishes, then exits 0; with a drain too short, the request is
// cancelled with 503 and the exit status is 1. The HTTP API itself is
// tested in internal/serve.

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emend/emend/internal/testutil"
)

// serveProc is a running "emend serve" and the address it listens on.
type serveProc struct {
	*batchProc
	addr string
}

var listeningLine = regexp.MustCompile(`listening on http://([^\s"]+)`)

// startServe starts the built emend serving on a free local port, with
// args after it, and waits for it to say where it listens.
func startServeProc(t *testing.T, args ...string) *serveProc {
	t.Helper()
	addrs := make(chan string, 1)
	p := startEmend(t, "emend serve", t.TempDir(), batchEnv(), func(ln string) {
		if m := listeningLine.FindStringSubmatch(ln); m != nil {
			select {
			case addrs <- m[1]:
			default:
			}
		}
	}, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	select {
	case addr := <-addrs:
		return &serveProc{batchProc: p, addr: addr}
	case <-p.done:
		t.Fatalf("emend serve exited with %s before listening:\n%s", p.status(), p.stderr.String())
	case <-time.After(batchDeadline):
		t.Fatalf("emend serve did not say where it listens:\n%s", p.stderr.String())
	}
	return nil
}

// servePost posts a document as a multipart upload.
func servePost(addr, query, name string, data []byte) (int, string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		return 0, "", err
	}
	w.Write(data)
	mw.Close()
	resp, err := http.Post("http://"+addr+"/v1/clean"+query, mw.FormDataContentType(), &b)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// inFlight reads emend_documents_in_flight from /metrics.
func inFlight(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("/metrics: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^emend_documents_in_flight (\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("/metrics has no emend_documents_in_flight:\n%.2000s", b)
	}
	return string(m[1])
}

// waitInFlight waits until the server is cleaning n documents.
func waitInFlight(t *testing.T, addr, n string) {
	t.Helper()
	deadline := time.Now().Add(batchDeadline)
	for inFlight(t, addr) != n {
		if time.Now().After(deadline) {
			t.Fatalf("emend_documents_in_flight never reached %s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// refused reports whether a new connection to addr is refused.
func refused(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return true
	}
	c.Close()
	return false
}

type postResult struct {
	status int
	body   string
	err    error
}

// postInBackground posts a document; the result arrives on the channel.
func postInBackground(addr, query, name string, data []byte) <-chan postResult {
	ch := make(chan postResult, 1)
	go func() {
		status, body, err := servePost(addr, query, name, data)
		ch <- postResult{status, body, err}
	}()
	return ch
}

// TestServeGracefulShutdown runs the server, checks that it cleans as
// "emend clean" does, then sends SIGTERM while a scanned page is being
// OCR'd: new connections must be refused at once, the scan must still be
// answered 200 with its text, and the process must exit 0.
func TestServeGracefulShutdown(t *testing.T) {
	requireScanTools(t)
	t.Parallel()
	s := startServeProc(t, "-j", "1", "--drain", "3m")

	seed := filepath.Join(testutil.ModuleRoot(t), "testdata", "seeds", "seed-000", "input.txt")
	status, body, err := servePost(s.addr, "", "input.txt", readFile(t, seed))
	if err != nil || status != http.StatusOK {
		t.Fatalf("posting seed-000: status %d, %v\n%s", status, err, body)
	}
	want := runCleanOK(t, seed).stdout
	if body != strings.Replace(want, seed, "input.txt", -1) {
		t.Errorf("the server's Markdown differs from emend clean's:\n got: %.300q\nwant: %.300q", body, want)
	}

	scan := scanPDFPage(t, testutil.CorpusFile(t, "res-73-7", "scan.pdf"), 1, t.TempDir(), "res-73-7-p1.pdf")
	slow := postInBackground(s.addr, "?format=json", "res-73-7-p1.pdf", readFile(t, scan))
	waitInFlight(t, s.addr, "1")
	s.signal(t, syscall.SIGTERM)

	deadline := time.Now().Add(30 * time.Second)
	for !refused(s.addr) {
		if time.Now().After(deadline) {
			t.Fatal("new connections still accepted 30s after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case r := <-slow:
		t.Fatalf("the scan was answered (%d) before the listener closed: the test proves nothing about draining; "+
			"is OCR this fast? body: %.300s", r.status, r.body)
	default:
	}

	r := <-slow
	if r.err != nil || r.status != http.StatusOK {
		t.Fatalf("the request in flight at SIGTERM got status %d, %v:\n%.500s", r.status, r.err, r.body)
	}
	if !strings.Contains(r.body, "International Criminal Court") {
		t.Errorf("the scan's answer lacks its title:\n%.500s", r.body)
	}
	s.wait(t, batchDeadline)
	s.wantCode(t, 0, "a clean shutdown")

	log := s.stderr.String()
	down := strings.Index(log, "shutting down")
	scanLine := strings.Index(log, "source=res-73-7-p1.pdf")
	if down < 0 || scanLine < down {
		t.Errorf("the log should say it is shutting down before the scan's request line:\n%s", log)
	}
	if !strings.Contains(log, "msg=stopped") {
		t.Errorf("the log does not end with stopped:\n%s", log)
	}
	if !refused(s.addr) {
		t.Error("a connection was accepted after the server exited")
	}
}

// TestServeShutdownCutShort: a request still running when --drain runs
// out, or when a second signal comes, is cancelled and answered 503, and
// the exit status says the shutdown was not clean.
func TestServeShutdownCutShort(t *testing.T) {
	requireScanTools(t)
	t.Parallel()
	for _, tt := range []struct {
		name, drain string
		second      bool
	}{
		{"drain runs out", "200ms", false},
		{"second signal", "3m", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startServeProc(t, "-j", "1", "--drain", tt.drain)
			scan := scanPDFPage(t, testutil.CorpusFile(t, "res-73-7", "scan.pdf"), 2, t.TempDir(), "res-73-7-p2.pdf")
			slow := postInBackground(s.addr, "", "res-73-7-p2.pdf", readFile(t, scan))
			waitInFlight(t, s.addr, "1")
			s.signal(t, syscall.SIGTERM)
			if tt.second {
				waitStderr(t, s, "shutting down")
				s.signal(t, syscall.SIGINT)
			}
			r := <-slow
			if r.err != nil || r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "shutting down") {
				t.Errorf("the request cut off got %d, %v, %q; want 503 saying the server is shutting down", r.status, r.err, r.body)
			}
			s.wait(t, batchDeadline)
			s.wantCode(t, 1, "requests were cancelled")
			want := fmt.Sprintf("emend: serve: shutdown: 1 requests still running after the %s drain (--drain) were cancelled", tt.drain)
			if tt.second {
				want = "emend: serve: shutdown forced: 1 requests still running were cancelled"
			}
			if !strings.Contains(s.stderr.String(), want) {
				t.Errorf("stderr does not say %q:\n%s", want, s.stderr.String())
			}
		})
	}
}

// waitStderr waits until the process has written what to its standard
// error.
func waitStderr(t *testing.T, p *serveProc, what string) {
	t.Helper()
	deadline := time.Now().Add(batchDeadline)
	for !strings.Contains(p.stderr.String(), what) {
		if time.Now().After(deadline) || p.exited() {
			t.Fatalf("emend serve never wrote %q:\n%s", what, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServeUsage: the serve command's usage errors exit 2 naming the flag;
// a port in use exits 1 naming the address.
func TestServeUsage(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"argument", []string{"serve", "doc.pdf"}, 2, `unexpected argument "doc.pdf"`},
		{"bad size", []string{"serve", "--max-body", "12XB"}, 2, `"12XB" is not a size`},
		{"zero concurrency", []string{"serve", "--max-concurrent", "0"}, 2, "--max-concurrent must be positive"},
		{"negative queue", []string{"serve", "--queue", "-1"}, 2, "--queue must be positive"},
		{"bad OCR mode", []string{"serve", "--ocr", "maybe"}, 2, `unknown --ocr "maybe"`},
		{"bad address", []string{"serve", "--addr", "nonsense"}, 1, "serve: listen tcp: address nonsense"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runInProcess(t, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d", r.code, tt.code)
			}
			if !strings.Contains(r.stderr, tt.says) {
				t.Errorf("stderr %q does not say %q", r.stderr, tt.says)
			}
		})
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	r := runInProcess(t, "serve", "--addr", busy.Addr().String())
	if r.code != 1 || !strings.Contains(r.stderr, busy.Addr().String()) || !strings.Contains(r.stderr, "address already in use") {
		t.Errorf("a port in use: exit %d, stderr %q; want 1 naming the address", r.code, r.stderr)
	}

	help := runInProcess(t, "help", "serve")
	for _, flag := range []string{"--addr", "--max-body", "--timeout", "--max-concurrent", "--queue", "--max-pixels", "--max-pages", "--drain", "-j", "--ocr", "/v1/clean", "/metrics", "/healthz"} {
		if !strings.Contains(help.stdout, flag) {
			t.Errorf("emend help serve does not mention %s", flag)
		}
	}
	if main := runInProcess(t, "help"); !strings.Contains(main.stdout, "serve") {
		t.Errorf("emend help does not list serve:\n%s", main.stdout)
	}
}
