package serve

// Tests of the HTTP API through a real listener (httptest.Server): every
// format and how it is chosen, raw and multipart uploads, the errors a
// client can provoke, the upload page, the health check, the metrics and
// the request log. Documents are real: the seeds and the shared corpus,
// and scans read by poppler and Tesseract, which must be installed (a
// missing tool fails the test; it never skips).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

func TestMain(m *testing.M) {
	ocr.SingleThreaded()
	os.Exit(m.Run())
}

// scanTools are the programs the scan and PDF tests run.
var scanTools = []string{"pdfinfo", "pdftotext", "pdftoppm", "pdfimages", "pdfseparate", "pdfunite", "tesseract"}

func requireScanTools(t *testing.T) {
	t.Helper()
	testutil.RequireTools(t, "the server's PDF and scan tests need poppler-utils and tesseract-ocr installed (they must run, not skip)", scanTools...)
}

// logBuffer collects the server's log lines; the handlers write from
// their own goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testServer is a Server on a real listener.
type testServer struct {
	*Server
	url string
	log *logBuffer
}

// newTestServer starts a Server with opts on a local port; the test's end
// stops it.
func newTestServer(t *testing.T, opts Options) *testServer {
	t.Helper()
	lb := &logBuffer{}
	opts.Log = slog.New(slog.NewTextHandler(lb, nil))
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		s.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", lb.String())
		}
	})
	return &testServer{Server: s, url: hs.URL, log: lb}
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   string
}

// do sends a request and reads the reply.
func do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the reply: %v", req.Method, req.URL, err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// post sends body to path with a Content-Type ("" for none) and headers
// given as "Name: value".
func post(t *testing.T, url, contentType string, body []byte, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	return do(t, req)
}

// form is a multipart/form-data body: fields in order, each a name, an
// optional filename and content.
type formPart struct{ name, filename, content string }

func multipartBody(t *testing.T, parts ...formPart) (contentType string, body []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			cd += fmt.Sprintf(`; filename=%q`, p.filename)
			h.Set("Content-Type", "application/octet-stream")
		}
		h.Set("Content-Disposition", cd)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.Bytes()
}

func uploadFile(t *testing.T, url, filename string, data []byte) reply {
	t.Helper()
	ct, body := multipartBody(t, formPart{"file", filename, string(data)})
	return post(t, url, ct, body)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seed004 is a pdftotext extraction of A/RES/63/194 from the shared corpus.
func seed004(t *testing.T) (name string, data []byte) {
	t.Helper()
	p := testutil.CorpusFile(t, "seed-004", "004_f7f706135f7fc837.txt")
	return filepath.Base(p), readFile(t, p)
}

// seed000 is a flattened page of A/RES/61/180, with footnotes.
func seed000(t *testing.T) []byte {
	t.Helper()
	return readFile(t, filepath.Join(testutil.ModuleRoot(t), "testdata", "seeds", "seed-000", "input.txt"))
}

// jsonDoc is what the tests read of the JSON rendering.
type jsonDoc struct {
	Source     string `json:"source"`
	Kind       string `json:"input_kind"`
	Paragraphs []struct {
		Text string `json:"text"`
		Page int    `json:"page"`
	} `json:"paragraphs"`
	Footnotes []struct {
		Number int `json:"number"`
	} `json:"footnotes"`
	Repairs []struct {
		Kind string `json:"kind"`
	} `json:"repairs"`
	FailedPages []struct {
		Page int `json:"page"`
	} `json:"failed_pages"`
}

func decodeDoc(t *testing.T, body string) jsonDoc {
	t.Helper()
	var d jsonDoc
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("the reply is not the JSON rendering: %v\n%.500s", err, body)
	}
	return d
}

func (d jsonDoc) text() string {
	var b strings.Builder
	for _, p := range d.Paragraphs {
		b.WriteString(p.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// wantStatus fails the test unless r has status, and returns r.
func wantStatus(t *testing.T, r reply, status int) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%.800s", r.status, status, r.body)
	}
	return r
}

// cleanLocally is what "emend clean -f f" writes for data: the server must
// answer the same.
func cleanLocally(t *testing.T, source string, data []byte, f pipeline.Format) string {
	t.Helper()
	cl := clean.New(clean.Options{})
	defer cl.Close()
	doc, err := cl.Bytes(context.Background(), source, data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Render(doc, f)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestCleanFormats posts a raw text body and asks for each format with
// ?format=: Markdown, text and JSON must be exactly what "emend clean"
// writes for the same bytes and name; HTML must be the review report.
func TestCleanFormats(t *testing.T) {
	s := newTestServer(t, Options{})
	name, data := seed004(t)
	for _, tt := range []struct {
		format, contentType string
		pf                  pipeline.Format
	}{
		{"md", "text/markdown; charset=utf-8", pipeline.FormatMarkdown},
		{"text", "text/plain; charset=utf-8", pipeline.FormatText},
		{"json", "application/json", pipeline.FormatJSON},
		{"html", "text/html; charset=utf-8", ""},
	} {
		t.Run(tt.format, func(t *testing.T) {
			r := wantStatus(t, post(t, s.url+"/v1/clean?format="+tt.format+"&name="+name, "text/plain", data), http.StatusOK)
			if got := r.header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if r.header.Get("X-Emend-Failed-Pages") != "" {
				t.Errorf("X-Emend-Failed-Pages %q on a text document", r.header.Get("X-Emend-Failed-Pages"))
			}
			if tt.pf != "" {
				if want := cleanLocally(t, name, data, tt.pf); r.body != want {
					t.Errorf("the server's %s differs from emend clean's:\n got: %.300q\nwant: %.300q", tt.format, r.body, want)
				}
			}
			switch tt.format {
			case "json":
				d := decodeDoc(t, r.body)
				if d.Source != name || len(d.Paragraphs) < 5 || len(d.Repairs) == 0 {
					t.Errorf("JSON: source %q, %d paragraphs, %d repairs; want %q and some of each", d.Source, len(d.Paragraphs), len(d.Repairs), name)
				}
				if !strings.Contains(d.text(), "Recalling its resolution 61/180 of 20 December 2006") {
					t.Errorf("JSON paragraphs lack the first preambular paragraph:\n%.500s", d.text())
				}
			case "html":
				if !strings.Contains(r.body, "<html") || !strings.Contains(r.body, "trafficking in persons") {
					t.Errorf("not an HTML report of the document:\n%.500s", r.body)
				}
			}
		})
	}
}

// TestAcceptNegotiation: without ?format=, the Accept header chooses, with
// q-values and wildcards as RFC 9110 says; Markdown is the default and
// what a client gets when it accepts nothing emend writes; ?format= beats
// Accept.
func TestAcceptNegotiation(t *testing.T) {
	s := newTestServer(t, Options{})
	data := seed000(t)
	for _, tt := range []struct {
		name, query, accept, want string
	}{
		{"no Accept", "", "", "text/markdown; charset=utf-8"},
		{"curl's */*", "", "*/*", "text/markdown; charset=utf-8"},
		{"JSON", "", "application/json", "application/json"},
		{"plain text", "", "text/plain", "text/plain; charset=utf-8"},
		{"markdown", "", "text/markdown", "text/markdown; charset=utf-8"},
		{"a browser's", "", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8"},
		{"q-values", "", "text/plain;q=0.5, application/json;q=0.9", "application/json"},
		{"q=0 refuses", "", "application/json;q=0, text/plain", "text/plain; charset=utf-8"},
		{"specific beats wildcard", "", "*/*, text/plain", "text/plain; charset=utf-8"},
		{"nothing emend writes", "", "image/png", "text/markdown; charset=utf-8"},
		{"format beats Accept", "?format=json", "text/html", "application/json"},
		{"format names", "?format=markdown", "application/json", "text/markdown; charset=utf-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.accept != "" {
				headers = append(headers, "Accept: "+tt.accept)
			}
			r := wantStatus(t, post(t, s.url+"/v1/clean"+tt.query, "text/plain", data, headers...), http.StatusOK)
			if got := r.header.Get("Content-Type"); got != tt.want {
				t.Errorf("Accept %q, query %q: Content-Type %q, want %q", tt.accept, tt.query, got, tt.want)
			}
			if r.header.Get("Vary") != "Accept" {
				t.Errorf("Vary %q, want Accept: caches must key on it", r.header.Get("Vary"))
			}
		})
	}
}

// TestMultipartUpload sends the document as a browser form does: fields
// before the file are skipped, the file's name becomes the source, and a
// Windows path in it is cut to the name.
func TestMultipartUpload(t *testing.T) {
	s := newTestServer(t, Options{})
	data := seed000(t)
	ct, body := multipartBody(t,
		formPart{"comment", "", "from the registry"},
		formPart{"file", `C:\Users\clerk\A-RES-61-180.txt`, string(data)},
		formPart{"file", "second.txt", "ignored: one document per request"})
	r := wantStatus(t, post(t, s.url+"/v1/clean?format=json", ct, body), http.StatusOK)
	d := decodeDoc(t, r.body)
	if d.Source != "A-RES-61-180.txt" {
		t.Errorf("source %q, want the uploaded file's name A-RES-61-180.txt", d.Source)
	}
	if want := cleanLocally(t, "A-RES-61-180.txt", data, pipeline.FormatJSON); r.body != want {
		t.Errorf("the upload's JSON differs from emend clean's for the same file")
	}
	// A file field without a filename (curl -F 'file=<doc.txt'): ?name= names it.
	ct, body = multipartBody(t, formPart{"file", "", string(data)})
	if d := decodeDoc(t, wantStatus(t, post(t, s.url+"/v1/clean?format=json&name=61-180.txt", ct, body), http.StatusOK).body); d.Source != "61-180.txt" {
		t.Errorf("source %q, want 61-180.txt from ?name=", d.Source)
	}
	if !strings.Contains(s.log.String(), "source=A-RES-61-180.txt") {
		t.Errorf("the request log does not name the document:\n%s", s.log.String())
	}
}

// TestRawBodyNames: a raw body is named by ?name=, else by a
// Content-Disposition filename, else "upload"; names are cut to a safe
// base name.
func TestRawBodyNames(t *testing.T) {
	s := newTestServer(t, Options{})
	data := seed000(t)
	for _, tt := range []struct {
		name, query string
		headers     []string
		want        string
	}{
		{"none", "", nil, "upload"},
		{"query", "&name=A-RES-61-180.txt", nil, "A-RES-61-180.txt"},
		{"query path", "&name=../../etc/passwd", nil, "passwd"},
		{"disposition", "", []string{`Content-Disposition: attachment; filename="export.txt"`}, "export.txt"},
		{"disposition UTF-8", "", []string{`Content-Disposition: attachment; filename*=UTF-8''r%C3%A9solution.txt`}, "résolution.txt"},
		{"query beats disposition", "&name=a.txt", []string{`Content-Disposition: attachment; filename="b.txt"`}, "a.txt"},
		{"control characters", "&name=a%0Ab%1B.txt", nil, "ab.txt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := wantStatus(t, post(t, s.url+"/v1/clean?format=json"+tt.query, "application/octet-stream", data, tt.headers...), http.StatusOK)
			if d := decodeDoc(t, r.body); d.Source != tt.want {
				t.Errorf("source %q, want %q", d.Source, tt.want)
			}
		})
	}
}

// onePage writes page n of the PDF at path to dir/name with pdfseparate.
func onePage(t *testing.T, path string, n int, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	if b, err := exec.Command("pdfseparate", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdfseparate: %v\n%s", err, b)
	}
	return out
}

// TestScannedPDF uploads page 1 of the scanned A/RES/73/7 from the corpus:
// poppler rasterizes it and Tesseract reads it, inside the server.
func TestScannedPDF(t *testing.T) {
	requireScanTools(t)
	t.Parallel()
	s := newTestServer(t, Options{Clean: clean.Options{Workers: 1}})
	page := onePage(t, testutil.CorpusFile(t, "res-73-7", "scan.pdf"), 1, t.TempDir(), "res-73-7-p1.pdf")
	r := wantStatus(t, uploadFile(t, s.url+"/v1/clean?format=json", "res-73-7-p1.pdf", readFile(t, page)), http.StatusOK)
	d := decodeDoc(t, r.body)
	if d.Source != "res-73-7-p1.pdf" || d.Kind != string(pipeline.KindOCR) {
		t.Errorf("source %q kind %q, want res-73-7-p1.pdf read by OCR", d.Source, d.Kind)
	}
	if !strings.Contains(d.text(), "Report of the International Criminal Court") {
		t.Errorf("the OCR'd page lacks its title:\n%.800s", d.text())
	}
	if r.header.Get("X-Emend-Pages") != "1" {
		t.Errorf("X-Emend-Pages %q, want 1", r.header.Get("X-Emend-Pages"))
	}
}

// TestImageReport uploads a scanned page image and asks for the report:
// the page is OCR'd and the report embeds its picture.
func TestImageReport(t *testing.T) {
	requireScanTools(t)
	t.Parallel()
	s := newTestServer(t, Options{Clean: clean.Options{Workers: 1}})
	png := readFile(t, filepath.Join(testutil.ModuleRoot(t), "testdata", "scans", "A-RES-2758-XXVI.png"))
	r := wantStatus(t, post(t, s.url+"/v1/clean?name=2758.png", "image/png", png, "Accept: text/html"), http.StatusOK)
	if !strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Restoration of the lawful rights") {
		t.Errorf("not a report of the page:\n%.500s", r.body)
	}
	if !strings.Contains(r.body, "data:image/jpeg;base64,") {
		t.Error("the report embeds no page image")
	}
}

// TestFailedPages: a PDF of which one page cannot be read (a scanned page
// with OCR off) is still answered 200 with the other page, and the failed
// page is named in X-Emend-Failed-Pages and the JSON.
func TestFailedPages(t *testing.T) {
	requireScanTools(t)
	s := newTestServer(t, Options{Clean: clean.Options{OCR: clean.OCRNever}})
	dir := t.TempDir()
	scans := filepath.Join(testutil.ModuleRoot(t), "testdata", "scans")
	p1 := onePage(t, filepath.Join(scans, "A-RES-63-194.text.pdf"), 1, dir, "text-1.pdf")
	p2 := onePage(t, filepath.Join(scans, "A-RES-63-194.scan.pdf"), 2, dir, "scan-2.pdf")
	mixed := filepath.Join(dir, "mixed.pdf")
	if b, err := exec.Command("pdfunite", p1, p2, mixed).CombinedOutput(); err != nil {
		t.Fatalf("pdfunite: %v\n%s", err, b)
	}
	r := wantStatus(t, uploadFile(t, s.url+"/v1/clean?format=json", "mixed.pdf", readFile(t, mixed)), http.StatusOK)
	if got := r.header.Get("X-Emend-Failed-Pages"); got != "2" {
		t.Errorf("X-Emend-Failed-Pages %q, want 2", got)
	}
	d := decodeDoc(t, r.body)
	if len(d.FailedPages) != 1 || d.FailedPages[0].Page != 2 {
		t.Errorf("failed_pages %+v, want page 2", d.FailedPages)
	}
	if !strings.Contains(d.text(), "Recalling its resolution 61/180") {
		t.Errorf("page 1 is missing from the answer:\n%.500s", d.text())
	}
	fams := scrape(t, s.url)
	if got := metricValue(t, fams, "emend_documents_total", "input_kind", "pdf", "outcome", "partial"); got != 1 {
		t.Errorf("emend_documents_total{pdf,partial} = %v, want 1", got)
	}
	if got := metricValue(t, fams, "emend_pages_total", "outcome", "failed"); got != 1 {
		t.Errorf("emend_pages_total{failed} = %v, want 1", got)
	}
}

// TestBadRequests: what is not a document, or not a well-formed upload,
// is refused with 400 or 415 and a message saying what to send instead.
func TestBadRequests(t *testing.T) {
	s := newTestServer(t, Options{})
	data := seed000(t)
	goodCT, good := multipartBody(t, formPart{"file", "a.txt", string(data)})
	boundary := strings.TrimPrefix(goodCT, "multipart/form-data; boundary=")
	noFileCT, noFile := multipartBody(t, formPart{"comment", "", "no file here"})
	for _, tt := range []struct {
		name, query, contentType string
		body                     []byte
		status                   int
		says                     string
	}{
		{"urlencoded (curl --data)", "", "application/x-www-form-urlencoded", []byte("a=b"), http.StatusUnsupportedMediaType, "--data-binary"},
		{"JSON body", "", "application/json", []byte(`{"text": "x"}`), http.StatusUnsupportedMediaType, "application/json is not a document"},
		{"zip", "", "application/zip", []byte("PK\x03\x04"), http.StatusUnsupportedMediaType, "multipart/form-data"},
		{"unparsable Content-Type", "", "text/", data, http.StatusBadRequest, "cannot be parsed"},
		{"multipart without boundary", "", "multipart/form-data", good, http.StatusBadRequest, "without a boundary"},
		{"multipart, wrong boundary", "", "multipart/form-data; boundary=not-" + boundary, good, http.StatusBadRequest, "multipart"},
		{"multipart, truncated", "", goodCT, good[:len(good)/2], http.StatusBadRequest, "ends too early"},
		{"multipart, no closing boundary", "", goodCT, good[:len(good)-len(boundary)-8], http.StatusBadRequest, "ends too early"},
		{"multipart, not multipart", "", goodCT, data, http.StatusBadRequest, "multipart"},
		{"multipart without a file", "", noFileCT, noFile, http.StatusBadRequest, `field named "file"`},
		{"multipart, empty body", "", goodCT, nil, http.StatusBadRequest, "multipart"},
		{"unknown format", "?format=docx", "text/plain", data, http.StatusBadRequest, `unknown format "docx": use md, text, json or html`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := wantStatus(t, post(t, s.url+"/v1/clean"+tt.query, tt.contentType, tt.body), tt.status)
			if !strings.Contains(r.body, tt.says) {
				t.Errorf("message %q does not say %q", r.body, tt.says)
			}
		})
	}
	if got := metricValue(t, scrape(t, s.url), "emend_failures_total", "reason", "bad_request"); got != 12 {
		t.Errorf("emend_failures_total{bad_request} = %v, want 12", got)
	}
}

// TestMethodNotAllowed: /v1/clean takes POST only, and says so in Allow.
func TestMethodNotAllowed(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, _ := http.NewRequest(m, s.url+"/v1/clean", strings.NewReader("x"))
		r := wantStatus(t, do(t, req), http.StatusMethodNotAllowed)
		if r.header.Get("Allow") != "POST" {
			t.Errorf("%s: Allow %q, want POST", m, r.header.Get("Allow"))
		}
		if !strings.Contains(r.body, "POST") {
			t.Errorf("%s: message %q does not say to POST", m, r.body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/healthz", nil)
	wantStatus(t, do(t, req), http.StatusMethodNotAllowed)
	req, _ = http.NewRequest(http.MethodGet, s.url+"/v2/clean", nil)
	wantStatus(t, do(t, req), http.StatusNotFound)
}

// TestInputErrors: a document that is itself bad gets 422 with a message
// naming it, in JSON for JSON clients, on the report's page for the form.
func TestInputErrors(t *testing.T) {
	requireScanTools(t)
	s := newTestServer(t, Options{})
	corruptPDF := []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF body \x00\x01\x02\n%%EOF\n")
	junk := bytes.Repeat([]byte{0, 0xff, 0x13, 0x37, 0x00, 0x9c}, 500)
	for _, tt := range []struct {
		name, file string
		data       []byte
		says       string
	}{
		{"corrupt PDF", "minutes.pdf", corruptPDF, "minutes.pdf: "},
		{"empty", "empty.txt", nil, "empty.txt: file is empty"},
		{"binary junk", "junk.bin", junk, "junk.bin: file is binary"},
		{"broken PNG header", "broken.png", []byte("\x89PNG\r\n\x1a\nnot an IHDR"), "broken.png: broken image header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := wantStatus(t, uploadFile(t, s.url+"/v1/clean", tt.file, tt.data), http.StatusUnprocessableEntity)
			if !strings.HasPrefix(r.body, "emend: "+tt.says) {
				t.Errorf("message %q does not start %q", r.body, "emend: "+tt.says)
			}
			j := wantStatus(t, uploadFile(t, s.url+"/v1/clean?format=json", tt.file, tt.data), http.StatusUnprocessableEntity)
			var e errorBody
			if err := json.Unmarshal([]byte(j.body), &e); err != nil || e.Status != 422 || e.Source != tt.file || !strings.HasPrefix(e.Error, tt.says) {
				t.Errorf("JSON error %q (%v), want status 422, source %q, error starting %q", j.body, err, tt.file, tt.says)
			}
			h := wantStatus(t, uploadFile(t, s.url+"/v1/clean?format=html", tt.file, tt.data), http.StatusUnprocessableEntity)
			if !strings.Contains(h.body, "<html") || !strings.Contains(h.body, `href="/"`) {
				t.Errorf("the form's error page is not a page leading back:\n%s", h.body)
			}
		})
	}
	if !strings.Contains(s.log.String(), "status=422") {
		t.Errorf("the log has no 422 line:\n%s", s.log.String())
	}
}

// TestUploadPage checks the page's DOM contract (browser tests drive it by
// these ids) and that it fetches nothing.
func TestUploadPage(t *testing.T) {
	s := newTestServer(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, s.url+"/", nil)
	r := wantStatus(t, do(t, req), http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{
		`<form id="upload" method="post" action="/v1/clean?format=html" enctype="multipart/form-data">`,
		`<input type="file" name="file" id="file"`,
		`<button type="submit" id="submit">`,
		`id="drop"`,
		`input.files =`,
		`form.submit()`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, external := range []string{"src=", "<link", "url(", "@import", `href="http`} {
		if strings.Contains(r.body, external) {
			t.Errorf("the page refers to something outside it: %s", external)
		}
	}
}

func TestHealthz(t *testing.T) {
	s := newTestServer(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, s.url+"/healthz", nil)
	r := wantStatus(t, do(t, req), http.StatusOK)
	if strings.TrimSpace(r.body) != "ok" || r.header.Get("X-Emend-Version") != pipeline.Version {
		t.Errorf("healthz: body %q, version %q; want ok and %s", r.body, r.header.Get("X-Emend-Version"), pipeline.Version)
	}
}

// scrape reads /metrics as Prometheus would.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: status %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return fams
}

// metricValue is the value of the series of name with the labels given as
// name, value pairs: a counter's or gauge's value, a histogram's count.
// A missing series fails the test.
func metricValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("/metrics has no %s", name)
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	t.Fatalf("/metrics has no %s%v", name, labels)
	return 0
}

// TestMetrics sends a known mix of requests and reads the counts back
// from /metrics, with the Go and process collectors beside them.
func TestMetrics(t *testing.T) {
	s := newTestServer(t, Options{})
	data := seed000(t)
	for range 2 {
		wantStatus(t, post(t, s.url+"/v1/clean?format=json", "text/plain", data), http.StatusOK)
	}
	wantStatus(t, post(t, s.url+"/v1/clean", "text/plain", data), http.StatusOK)
	wantStatus(t, uploadFile(t, s.url+"/v1/clean", "empty.txt", nil), http.StatusUnprocessableEntity)
	wantStatus(t, post(t, s.url+"/v1/clean", "application/x-www-form-urlencoded", data), http.StatusUnsupportedMediaType)

	cl := clean.New(clean.Options{})
	defer cl.Close()
	doc, err := cl.Bytes(context.Background(), "x", data)
	if err != nil {
		t.Fatal(err)
	}
	fams := scrape(t, s.url)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"emend_documents_total", []string{"input_kind", "text", "outcome", "ok"}, 3},
		{"emend_documents_total", []string{"input_kind", "text", "outcome", "failed"}, 1},
		{"emend_documents_total", []string{"input_kind", "unknown", "outcome", "rejected"}, 1},
		{"emend_documents_total", []string{"input_kind", "pdf", "outcome", "ok"}, 0},
		{"emend_failures_total", []string{"reason", "input"}, 1},
		{"emend_failures_total", []string{"reason", "bad_request"}, 1},
		{"emend_failures_total", []string{"reason", "timeout"}, 0},
		{"emend_pages_total", []string{"outcome", "ok"}, float64(3 * len(doc.Pages))},
		{"emend_repairs_total", []string{"kind", string(pipeline.RepairMarker)}, float64(3 * doc.CountRepairs()[pipeline.RepairMarker])},
		{"emend_http_request_duration_seconds", []string{"route", "clean", "format", "json", "code", "200"}, 2},
		{"emend_http_request_duration_seconds", []string{"route", "clean", "format", "md", "code", "200"}, 1},
		{"emend_http_request_duration_seconds", []string{"route", "clean", "format", "md", "code", "422"}, 1},
		{"emend_http_request_duration_seconds", []string{"route", "clean", "format", "md", "code", "415"}, 1},
		{"emend_document_duration_seconds", []string{"input_kind", "text"}, 3},
		{"emend_documents_in_flight", nil, 0},
		{"emend_queue_length", nil, 0},
		{"emend_limit", []string{"limit", "max_body_bytes"}, DefaultMaxBody},
		{"emend_build_info", []string{"version", pipeline.Version}, 1},
	} {
		if got := metricValue(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if doc.CountRepairs()[pipeline.RepairMarker] == 0 {
		t.Error("seed-000 has no marker repairs: the repairs check proves nothing")
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

// TestRequestLog: one line per request, with method, path, status, bytes,
// duration and the document's name.
func TestRequestLog(t *testing.T) {
	s := newTestServer(t, Options{})
	wantStatus(t, uploadFile(t, s.url+"/v1/clean", "A-RES-61-180.txt", seed000(t)), http.StatusOK)
	req, _ := http.NewRequest(http.MethodGet, s.url+"/healthz", nil)
	wantStatus(t, do(t, req), http.StatusOK)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(s.log.String(), "msg=request") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the log line follows the reply
	}
	var lines []string
	for _, ln := range strings.Split(s.log.String(), "\n") {
		if strings.Contains(ln, "msg=request") {
			lines = append(lines, ln)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d request lines, want 2:\n%s", len(lines), s.log.String())
	}
	for _, want := range []string{"method=POST", "path=/v1/clean", "status=200", "bytes=", "duration=", "source=A-RES-61-180.txt", "format=md"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q lacks %s", lines[0], want)
		}
	}
	if !strings.Contains(lines[1], "path=/healthz") || !strings.Contains(lines[1], "status=200") {
		t.Errorf("log line %q is not the health check's", lines[1])
	}
}

func TestFromAccept(t *testing.T) {
	for _, tt := range []struct {
		accept []string
		want   format
	}{
		{nil, formatMarkdown},
		{[]string{"application/json", "text/html;q=0.5"}, formatJSON},
		{[]string{"text/*;q=0.9, text/plain;q=0.8"}, formatMarkdown},
		{[]string{"text/html;q=abc, text/plain;q=0.1"}, formatText},
		{[]string{"application/xhtml+xml"}, formatHTML},
		{[]string{";;;, ,"}, formatMarkdown},
	} {
		if got := fromAccept(tt.accept); got != tt.want {
			t.Errorf("fromAccept(%q) = %s, want %s", tt.accept, got, tt.want)
		}
	}
}
