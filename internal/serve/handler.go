package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/report"
	"github.com/emend/emend/pipeline"
)

// retryAfter is the Retry-After of a busy answer, in seconds: about the
// time a short document takes, so that a client's retry finds a slot.
const retryAfter = "5"

// handleClean is POST /v1/clean: read the document, check it, wait for a
// slot, clean it, and answer in the negotiated format.
func (s *Server) handleClean(w http.ResponseWriter, r *http.Request) {
	ri := info(r)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.answerError(w, r, formatText, "", &httpError{http.StatusMethodNotAllowed, "", "",
			fmt.Sprintf("%s /v1/clean: send the document with POST (GET / is an upload form)", r.Method)})
		return
	}
	f, herr := negotiate(r)
	if herr != nil {
		s.answerError(w, r, formatText, inputUnknown, herr)
		return
	}
	ri.format = f
	w.Header().Set("Vary", "Accept")
	boundary, herr := bodyKind(r)
	if herr != nil {
		s.answerError(w, r, f, inputUnknown, herr)
		return
	}
	if !s.gate.admit() {
		w.Header().Set("Retry-After", retryAfter)
		s.answerError(w, r, f, inputUnknown, &httpError{http.StatusServiceUnavailable, reasonBusy, outcomeRejected,
			fmt.Sprintf("server busy: it holds all the documents it takes at once (--max-concurrent %d cleaned, --queue %d waiting); try again in a few seconds",
				s.opts.MaxConcurrent, s.opts.Queue)})
		return
	}
	holdsSlot := false
	defer func() {
		if holdsSlot {
			s.gate.release()
		} else {
			s.gate.leave()
		}
	}()

	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	rc := http.NewResponseController(w)
	deadline, _ := ctx.Deadline()
	_ = rc.SetReadDeadline(deadline) // a slow upload counts against the timeout too
	up, err := readUpload(w, r, boundary, s.opts.MaxBody)
	// The body is in: lift the deadline, or the server's wait for the
	// client to hang up would take it for a broken connection.
	_ = rc.SetReadDeadline(time.Time{})
	ri.source = up.name
	if err != nil {
		s.answerError(w, r, f, inputUnknown, err)
		return
	}
	kind := inputKind(up.data)
	if err := s.checkPages(ctx, up.name, up.data); err != nil {
		s.answerError(w, r, f, kind, s.classify(ctx, r, up.name, err))
		return
	}
	if err := s.gate.acquire(ctx); err != nil {
		s.answerError(w, r, f, kind, s.queueError(ctx, r, up.name))
		return
	}
	holdsSlot = true

	start := time.Now()
	doc, err := s.cl.Bytes(ctx, up.name, up.data)
	var pe *clean.PagesError
	if errors.As(err, &pe) && doc != nil {
		err = nil
	}
	var body []byte
	if err == nil {
		body, err = s.render(ctx, doc, f, up)
	}
	if err != nil {
		s.answerError(w, r, f, kind, s.classify(ctx, r, up.name, err))
		return
	}
	s.m.cleaned(kind, doc, time.Since(start))
	h := w.Header()
	h.Set("Content-Type", f.contentType())
	h.Set("X-Emend-Pages", strconv.Itoa(len(doc.Pages)))
	h.Set("X-Emend-Repairs", strconv.Itoa(len(doc.Log)))
	if len(doc.FailedPages) > 0 {
		pages := make([]string, len(doc.FailedPages))
		for i, p := range doc.FailedPages {
			pages[i] = strconv.Itoa(p.Page)
			ri.failed = append(ri.failed, p.Page)
		}
		h.Set("X-Emend-Failed-Pages", strings.Join(pages, ","))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// render writes doc in format f; the HTML report gets the input's page
// images. A report whose images cannot be made (a page poppler cannot
// render) is still written, without them.
func (s *Server) render(ctx context.Context, doc *pipeline.Document, f format, up upload) ([]byte, error) {
	if f != formatHTML {
		return pipeline.Render(doc, pipeline.Format(f))
	}
	imgs, err := report.Images(ctx, up.name, up.data)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.log.Warn("report without page images", "source", up.name, "error", err)
		imgs = nil
	}
	var b bytes.Buffer
	if err := report.Write(&b, doc, report.Options{Images: imgs}); err != nil {
		return nil, fmt.Errorf("writing the HTML report: %w", err)
	}
	return b.Bytes(), nil
}

// inputKind is the input_kind label for a document's bytes.
func inputKind(data []byte) string {
	switch {
	case clean.IsPDF(data):
		return inputPDF
	case ocr.SniffImage(data) != "":
		return inputImage
	}
	return inputText
}

// classify turns an error from checking, cleaning or rendering a document
// into an answer. The request's own end comes first: a timeout makes
// poppler and OCR fail with errors of their own, which would be misleading.
func (s *Server) classify(ctx context.Context, r *http.Request, source string, err error) *httpError {
	var ie *clean.InputError
	var se *pipeline.StageError
	switch {
	case s.base.Err() != nil:
		return &httpError{http.StatusServiceUnavailable, reasonCanceled, outcomeFailed,
			source + ": the server is shutting down and stopped cleaning the document; send it again"}
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && r.Context().Err() == nil:
		return &httpError{http.StatusGatewayTimeout, reasonTimeout, outcomeFailed,
			fmt.Sprintf("%s: cleaning took longer than the server's %s limit (--timeout); send fewer pages at a time", source, s.opts.Timeout)}
	case r.Context().Err() != nil:
		return &httpError{statusClientClosed, reasonCanceled, outcomeFailed, source + ": the client closed the connection"}
	case isBomb(err):
		return &httpError{http.StatusRequestEntityTooLarge, reasonImageBomb, outcomeRejected, err.Error()}
	case errors.As(err, &ie):
		return &httpError{http.StatusUnprocessableEntity, reasonInput, outcomeFailed, ie.Error()}
	case errors.As(err, &se):
		return &httpError{http.StatusInternalServerError, reasonInternal, outcomeFailed,
			fmt.Sprintf("%s: stage %s failed: %s (please report this with the input)", source, se.Stage, se.Brief())}
	case isCanceled(err):
		// A deadline of poppler's or OCR's own, not the request's.
		return &httpError{http.StatusGatewayTimeout, reasonTimeout, outcomeFailed, source + ": " + err.Error()}
	}
	return &httpError{http.StatusInternalServerError, reasonInternal, outcomeFailed, source + ": " + err.Error()}
}

// queueError answers a request that found no slot before its context
// ended.
func (s *Server) queueError(ctx context.Context, r *http.Request, source string) *httpError {
	switch {
	case s.base.Err() != nil:
		return &httpError{http.StatusServiceUnavailable, reasonCanceled, outcomeRejected,
			source + ": the server is shutting down; send the document again"}
	case r.Context().Err() != nil:
		return &httpError{statusClientClosed, reasonCanceled, outcomeRejected, source + ": the client closed the connection while the document waited for a slot"}
	}
	return &httpError{http.StatusServiceUnavailable, reasonBusy, outcomeRejected,
		fmt.Sprintf("%s: server busy: no slot came free within the %s limit (--timeout); try again later", source, s.opts.Timeout)}
}

// errorBody is a JSON error answer.
type errorBody struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
	Source string `json:"source,omitempty"`
}

// answerError counts a refused or failed document (kind "" counts none)
// and answers in a form the client reads: JSON for JSON clients, a small
// page for the browser's upload form, plain text otherwise.
func (s *Server) answerError(w http.ResponseWriter, r *http.Request, f format, kind string, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = &httpError{http.StatusInternalServerError, reasonInternal, outcomeFailed, err.Error()}
	}
	ri := info(r)
	ri.err = he.msg
	if he.outcome != "" && kind != "" {
		s.m.failed(kind, he.outcome, he.reason)
	}
	if he.status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	if he.status == statusClientClosed {
		ri.status = he.status
		return // nobody to answer
	}
	var body []byte
	switch f {
	case formatJSON:
		body, _ = json.Marshal(errorBody{Error: he.msg, Status: he.status, Source: ri.source})
		body = append(body, '\n')
	case formatHTML:
		body = []byte(fmt.Sprintf(errorPage, he.status, html.EscapeString(http.StatusText(he.status)), html.EscapeString(he.msg)))
	default:
		body = []byte("emend: " + he.msg + "\n")
	}
	w.Header().Set("Content-Type", format(f).errorType())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(he.status)
	_, _ = w.Write(body)
}

// errorType is the Content-Type of an error answer for a client that asked
// for f.
func (f format) errorType() string {
	switch f {
	case formatJSON:
		return "application/json"
	case formatHTML:
		return "text/html; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// errorPage answers the upload form's failures; %d status, %s status text,
// %s message, all escaped.
const errorPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>emend: %[1]d %[2]s</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#222}
pre{white-space:pre-wrap;background:#fbeaea;border-left:4px solid #b00;padding:1rem}</style></head>
<body><h1>%[1]d %[2]s</h1><pre id="error">%[3]s</pre><p><a href="/">Clean another document</a></p></body></html>
`
