package serve

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"
)

// FuzzRequest feeds arbitrary bodies under arbitrary Content-Types to
// /v1/clean: whatever arrives, the server answers 200 or a 4xx that says
// why, never panics (which the handler would turn into a 500) or fails
// internally, answers JSON clients in JSON, and gives back every place in
// the queue and every slot it took. --max-pixels is 1, so that no image
// reaches OCR: the fuzzer exercises request parsing and the text pipeline.
func FuzzRequest(f *testing.F) {
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.SetBoundary("emendfuzzboundary")
	mw.WriteField("comment", "x")
	w, _ := mw.CreateFormFile("file", "A-RES-61-180.txt")
	w.Write([]byte("Recalling its resolution 61/180 of 20 December 2006,1\n1 Official Records.\n"))
	mw.Close()
	ct := mw.FormDataContentType()
	f.Add(ct, uint8(0), form.Bytes())
	f.Add(ct, uint8(2), form.Bytes()[:form.Len()/2])
	f.Add(ct, uint8(3), []byte("--emendfuzzboundary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"))
	f.Add("multipart/form-data; boundary=\"\"", uint8(0), form.Bytes())
	f.Add("multipart/mixed; boundary=emendfuzzboundary", uint8(1), form.Bytes())
	f.Add("text/plain; charset=utf-8", uint8(1), []byte("63/194. Improving the coordination\n\nThe General Assembly,\n"))
	f.Add("application/x-www-form-urlencoded", uint8(0), []byte("file=x"))
	f.Add("", uint8(4), []byte("\xff\xfe1\x002\x00"))
	f.Add("image/png", uint8(2), pngHeader(3, 3))
	f.Add("application/octet-stream", uint8(2), []byte("%PDF-1.4\n%%EOF\n"))
	f.Add("text/plain", uint8(2), []byte{})

	s := New(Options{MaxPixels: 1, MaxBody: 1 << 20})
	f.Cleanup(s.Close)
	formats := []string{"", "?format=md", "?format=json", "?format=text", "?format=html"}

	f.Fuzz(func(t *testing.T, contentType string, format uint8, body []byte) {
		target := "/v1/clean" + formats[int(format)%len(formats)]
		req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("Content-Type %q, %s, body %q: status %d: %s", contentType, target, body, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Content-Type") == "" {
			t.Errorf("status %d without a Content-Type", rec.Code)
		}
		if target == "/v1/clean?format=json" && !json.Valid(rec.Body.Bytes()) {
			t.Errorf("status %d: a JSON client got no JSON: %q", rec.Code, rec.Body.String())
		}
		if q, n := promtest.ToFloat64(s.m.queued), promtest.ToFloat64(s.m.inFlight); q != 0 || n != 0 {
			t.Fatalf("after the request: %v queued, %v in flight; want 0 and 0", q, n)
		}
		if len(s.gate.admitted) != 0 || len(s.gate.slots) != 0 {
			t.Fatalf("after the request: %d admitted, %d slots taken; want none", len(s.gate.admitted), len(s.gate.slots))
		}
	})
}
