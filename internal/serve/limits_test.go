package serve

// Tests of the limits: body size, request timeout, concurrency and queue,
// and image and PDF bombs. Each must give its status, a message naming
// the limit (and the flag that sets it), and its count in /metrics. The
// concurrency tests hold documents in a slot with a stage that waits for
// the test, so that what they check never depends on timing.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/testutil"
	"github.com/emend/emend/pipeline"
)

// TestBodyTooLarge: a body over --max-body is refused with 413, whether
// its length is declared, streamed without one, or inside a multipart
// form.
func TestBodyTooLarge(t *testing.T) {
	s := newTestServer(t, Options{MaxBody: 2 << 10})
	big := bytes.Repeat([]byte("Recalling its resolution 61/180 of 20 December 2006.\n"), 100)
	ct, form := multipartBody(t, formPart{"file", "big.txt", string(big)})
	for _, tt := range []struct {
		name, contentType string
		body              io.Reader
	}{
		{"declared length", "text/plain", bytes.NewReader(big)},
		{"chunked", "text/plain", io.MultiReader(bytes.NewReader(big))}, // no length known: sent chunked
		{"multipart", ct, bytes.NewReader(form)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, s.url+"/v1/clean", tt.body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)
			r := wantStatus(t, do(t, req), http.StatusRequestEntityTooLarge)
			if !strings.Contains(r.body, "2 KiB (--max-body)") {
				t.Errorf("message %q does not name the limit", r.body)
			}
		})
	}
	// Just under the limit passes.
	wantStatus(t, post(t, s.url+"/v1/clean", "text/plain", big[:2<<10]), http.StatusOK)
	if got := metricValue(t, scrape(t, s.url), "emend_failures_total", "reason", "too_large"); got != 3 {
		t.Errorf("emend_failures_total{too_large} = %v, want 3", got)
	}
}

// TestTimeout: a scan that takes longer than --timeout is cut off, poppler
// and Tesseract with it, and answered 504 naming the limit.
func TestTimeout(t *testing.T) {
	requireScanTools(t)
	t.Parallel()
	s := newTestServer(t, Options{Timeout: 1500 * time.Millisecond, Clean: clean.Options{Workers: 1}})
	scan := readFile(t, testutil.CorpusFile(t, "res-73-7", "scan.pdf"))
	start := time.Now()
	r := wantStatus(t, uploadFile(t, s.url+"/v1/clean?format=json", "res-73-7.pdf", scan), http.StatusGatewayTimeout)
	took := time.Since(start)
	var e errorBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || !strings.Contains(e.Error, "res-73-7.pdf: cleaning took longer than the server's 1.5s limit (--timeout)") {
		t.Errorf("error %q (%v) does not name the document and the limit", r.body, err)
	}
	fams := scrape(t, s.url)
	if got := metricValue(t, fams, "emend_failures_total", "reason", "timeout"); got != 1 {
		t.Errorf("emend_failures_total{timeout} = %v, want 1", got)
	}
	if got := metricValue(t, fams, "emend_documents_total", "input_kind", "pdf", "outcome", "failed"); got != 1 {
		t.Errorf("emend_documents_total{pdf,failed} = %v, want 1", got)
	}
	if got := metricValue(t, fams, "emend_documents_in_flight"); got != 0 {
		t.Errorf("emend_documents_in_flight = %v after the timeout, want 0", got)
	}
	t.Logf("504 after %s", took.Round(time.Millisecond))
}

// holdStage keeps every document in its slot until the test releases it,
// and says which document arrived.
type holdStage struct {
	arrived chan string
	release chan struct{}
}

func newHoldStage() *holdStage {
	return &holdStage{arrived: make(chan string, 16), release: make(chan struct{})}
}

func (*holdStage) Name() string { return "test-hold" }

func (h *holdStage) Apply(doc *pipeline.Document) error {
	h.arrived <- doc.Source
	<-h.release
	return nil
}

var _ pipeline.Stage = (*holdStage)(nil)

// waitGauge waits until g reads want; it fails the test after 20 seconds,
// which only a hang takes.
func waitGauge(t *testing.T, g prometheus.Gauge, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for promtest.ToFloat64(g) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed at %v, want %v", name, promtest.ToFloat64(g), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// postAsync posts in the background; the reply arrives on the channel.
func postAsync(t *testing.T, url, name string, data []byte) <-chan reply {
	ch := make(chan reply, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/clean?name="+name, bytes.NewReader(data))
		req.Header.Set("Content-Type", "text/plain")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("posting %s: %v", name, err)
			ch <- reply{}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		ch <- reply{resp.StatusCode, resp.Header, string(b)}
	}()
	return ch
}

// TestBusy fills the one slot and the queue of one, and checks that the
// next request is refused at once with 503 and Retry-After, while the
// queued one waits and is cleaned when the slot comes free.
func TestBusy(t *testing.T) {
	hold := newHoldStage()
	s := newTestServer(t, Options{MaxConcurrent: 1, Queue: 1, Clean: clean.Options{Extra: []pipeline.Stage{hold}}})
	released := false
	defer func() {
		if !released {
			close(hold.release)
		}
	}()
	data := seed000(t)

	first := postAsync(t, s.url, "first.txt", data)
	if got := <-hold.arrived; got != "first.txt" {
		t.Fatalf("%s took the slot, want first.txt", got)
	}
	second := postAsync(t, s.url, "second.txt", data)
	waitGauge(t, s.m.queued, "emend_queue_length", 1)

	r := wantStatus(t, post(t, s.url+"/v1/clean?name=third.txt", "text/plain", data), http.StatusServiceUnavailable)
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if !strings.Contains(r.body, "--max-concurrent") || !strings.Contains(r.body, "--queue") {
		t.Errorf("message %q does not name the limits", r.body)
	}
	if got := promtest.ToFloat64(s.m.inFlight); got != 1 {
		t.Errorf("emend_documents_in_flight = %v while one document is held, want 1", got)
	}

	close(hold.release)
	released = true
	for _, ch := range []<-chan reply{first, second} {
		if r := <-ch; r.status != http.StatusOK {
			t.Errorf("a document admitted before the refusal got %d: %s", r.status, r.body)
		}
	}
	if got := <-hold.arrived; got != "second.txt" {
		t.Errorf("%s was cleaned second, want second.txt", got)
	}
	fams := scrape(t, s.url)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"emend_failures_total", []string{"reason", "busy"}, 1},
		{"emend_documents_total", []string{"input_kind", "unknown", "outcome", "rejected"}, 1},
		{"emend_documents_total", []string{"input_kind", "text", "outcome", "ok"}, 2},
		{"emend_documents_in_flight", nil, 0},
		{"emend_queue_length", nil, 0},
	} {
		if got := metricValue(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

// TestQueueTimeout: a queued request whose --timeout passes before a slot
// comes free gets 503, not a hang.
func TestQueueTimeout(t *testing.T) {
	hold := newHoldStage()
	s := newTestServer(t, Options{MaxConcurrent: 1, Queue: 1, Timeout: 300 * time.Millisecond,
		Clean: clean.Options{Extra: []pipeline.Stage{hold}}})
	data := seed000(t)
	first := postAsync(t, s.url, "first.txt", data)
	<-hold.arrived
	r := post(t, s.url+"/v1/clean?name=second.txt", "text/plain", data)
	close(hold.release)
	<-first
	wantStatus(t, r, http.StatusServiceUnavailable)
	if !strings.Contains(r.body, "second.txt: server busy: no slot came free within the 300ms limit (--timeout)") {
		t.Errorf("message %q", r.body)
	}
	if got := metricValue(t, scrape(t, s.url), "emend_failures_total", "reason", "busy"); got != 1 {
		t.Errorf("emend_failures_total{busy} = %v, want 1", got)
	}
}

// pngHeader is a PNG that declares w × h grey pixels and holds almost
// none: a decompression bomb's header, to be refused before decoding.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		body := append([]byte(typ), data...)
		b.Write(body)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(body))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8 // bit depth; colour type 0 (grey)
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// tiffHeader is a little-endian TIFF whose pages declare the given sizes
// and hold no pixels.
func tiffHeader(sizes ...[2]uint32) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8))
	for i, s := range sizes {
		binary.Write(&b, binary.LittleEndian, uint16(2))
		for j, tag := range []uint16{256, 257} {
			binary.Write(&b, binary.LittleEndian, tag)
			binary.Write(&b, binary.LittleEndian, uint16(4)) // LONG
			binary.Write(&b, binary.LittleEndian, uint32(1))
			binary.Write(&b, binary.LittleEndian, s[j])
		}
		next := uint32(0)
		if i+1 < len(sizes) {
			next = uint32(b.Len() + 4)
		}
		binary.Write(&b, binary.LittleEndian, next)
	}
	return b.Bytes()
}

// blankPDF is a valid PDF of pages empty pages of w × h points.
func blankPDF(pages int, w, h float64) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", i+3)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	for range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>", w, h))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// TestImageBombs: pages that would take gigabytes to decode or rasterize,
// or too many of them, are refused with 413 from the headers alone: the
// test files have no pixels, so anything that tried to decode them would
// fail differently (422).
func TestImageBombs(t *testing.T) {
	requireScanTools(t)
	s := newTestServer(t, Options{MaxPages: 2})
	for _, tt := range []struct {
		name, file string
		data       []byte
		says       []string
	}{
		{"PNG past ocr's own limit", "bomb.png", pngHeader(100000, 100000), []string{"100000 × 100000", "refused"}},
		{"PNG over --max-pixels", "big.png", pngHeader(20000, 20000), []string{"page 1", "20000 × 20000", "400.0 megapixels", "--max-pixels"}},
		{"TIFF over --max-pixels", "big.tif", tiffHeader([2]uint32{20000, 15000}), []string{"20000 × 15000", "--max-pixels"}},
		{"TIFF page 2 past ocr's limit", "two.tif", tiffHeader([2]uint32{100, 100}, [2]uint32{1 << 20, 1 << 20}), []string{"page 2", "1048576 × 1048576"}},
		{"TIFF over --max-pages", "many.tif", tiffHeader([2]uint32{100, 100}, [2]uint32{100, 100}, [2]uint32{100, 100}), []string{"3 pages", "--max-pages"}},
		{"PDF over --max-pages", "many.pdf", blankPDF(3, 595, 842), []string{"3 pages", "--max-pages"}},
		{"PDF page of 200 inches", "poster.pdf", blankPDF(1, 14400, 14400), []string{"page 1", "14400 × 14400 pt", "80000 × 80000 pixels", "--max-pixels"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := wantStatus(t, uploadFile(t, s.url+"/v1/clean", tt.file, tt.data), http.StatusRequestEntityTooLarge)
			if !strings.HasPrefix(r.body, "emend: "+tt.file+": ") {
				t.Errorf("message %q does not name %s", r.body, tt.file)
			}
			for _, say := range tt.says {
				if !strings.Contains(r.body, say) {
					t.Errorf("message %q does not say %q", r.body, say)
				}
			}
		})
	}
	fams := scrape(t, s.url)
	if got := metricValue(t, fams, "emend_failures_total", "reason", "image_bomb"); got != 7 {
		t.Errorf("emend_failures_total{image_bomb} = %v, want 7", got)
	}
	if got := metricValue(t, fams, "emend_documents_total", "input_kind", "image", "outcome", "rejected"); got != 5 {
		t.Errorf("emend_documents_total{image,rejected} = %v, want 5", got)
	}
	if got := metricValue(t, fams, "emend_document_duration_seconds", "input_kind", "image"); got != 0 {
		t.Errorf("%v images were cleaned; every one should have been refused first", got)
	}
}

// TestPagesWithinLimits: an A4 PDF and a page-sized image pass the checks.
func TestPagesWithinLimits(t *testing.T) {
	requireScanTools(t)
	s := New(Options{})
	defer s.Close()
	for name, data := range map[string][]byte{
		"a4.pdf":   blankPDF(2, 595, 842),
		"a0.pdf":   blankPDF(1, 2384, 3370), // A0 at 400 dpi is 19,900 × 28,100: 560 megapixels
		"page.png": pngHeader(2480, 3508),
		"page.tif": tiffHeader([2]uint32{2480, 3508}, [2]uint32{2480, 3508}),
	} {
		err := s.checkPages(t.Context(), name, data)
		if name == "a0.pdf" {
			if !isBomb(err) {
				t.Errorf("%s: %v, want refused at the default --max-pixels", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
