package serve

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// upload is a document as it arrived: its name, for messages and the JSON
// source, and its bytes.
type upload struct {
	name string
	data []byte
}

// defaultName names a document that came without one.
const defaultName = "upload"

// httpError is an answer other than a cleaned document.
type httpError struct {
	status  int
	reason  string // emend_failures_total's reason; "" counts nothing
	outcome string // emend_documents_total's outcome; "" counts nothing
	msg     string
}

func (e *httpError) Error() string { return e.msg }

// acceptedTypes is what a raw body may be labelled, for messages.
const acceptedTypes = "application/octet-stream, application/pdf, image/png, image/jpeg, image/tiff, text/plain, " +
	"or multipart/form-data with the document in a field named \"file\""

// bodyKind says how to read the body from its Content-Type: raw or
// multipart (with its boundary), or refused.
func bodyKind(r *http.Request) (multipartBoundary string, err *httpError) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "", nil // unlabelled: the body is the document, as content decides anyway
	}
	mt, params, perr := mime.ParseMediaType(ct)
	if perr != nil && !errors.Is(perr, mime.ErrInvalidMediaParameter) {
		return "", &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
			fmt.Sprintf("Content-Type %q cannot be parsed: %v; send %s", ct, perr, acceptedTypes)}
	}
	switch {
	case mt == "multipart/form-data":
		b := params["boundary"]
		if b == "" {
			return "", &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
				"multipart/form-data without a boundary parameter: the body cannot be split into parts"}
		}
		return b, nil
	case mt == "application/x-www-form-urlencoded":
		return "", &httpError{http.StatusUnsupportedMediaType, reasonBadRequest, outcomeRejected,
			"Content-Type application/x-www-form-urlencoded is a form's fields, not a document (curl --data sets it): " +
				"send the file as the body with -H 'Content-Type: application/octet-stream' --data-binary @FILE, " +
				"or as an upload with -F file=@FILE"}
	case mt == "application/octet-stream", mt == "application/pdf", mt == "application/x-pdf",
		strings.HasPrefix(mt, "text/"), strings.HasPrefix(mt, "image/"):
		return "", nil
	}
	return "", &httpError{http.StatusUnsupportedMediaType, reasonBadRequest, outcomeRejected,
		fmt.Sprintf("Content-Type %s is not a document emend reads; send %s", mt, acceptedTypes)}
}

// readUpload reads the document from the body, which is at most maxBody
// bytes: raw, named by ?name= or a Content-Disposition filename, or the
// first file of a multipart/form-data upload (the field named "file", or
// any with a filename), named by its filename, or by ?name= without one.
func readUpload(w http.ResponseWriter, r *http.Request, boundary string, maxBody int64) (upload, error) {
	if r.ContentLength > maxBody {
		return upload{}, tooLarge(maxBody)
	}
	body := http.MaxBytesReader(w, r.Body, maxBody)
	if boundary == "" {
		data, err := io.ReadAll(body)
		if err != nil {
			return upload{}, bodyError(err, maxBody, "reading the body")
		}
		return upload{name: rawName(r), data: data}, nil
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return upload{}, &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
				"the multipart form has no file part: send the document in a field named \"file\" (curl -F file=@FILE)"}
		}
		if err != nil {
			return upload{}, bodyError(err, maxBody, "reading the multipart form")
		}
		if part.FormName() != "file" && part.FileName() == "" {
			_ = part.Close() // another field (a format, a comment): skip it
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return upload{}, bodyError(err, maxBody, "reading the uploaded file")
		}
		name := cleanName(part.FileName())
		if name == defaultName {
			name = rawName(r) // a file part without a filename: ?name= may say
		}
		// Read what follows (the closing boundary) so that the server
		// notices the client leave while the document is cleaned.
		if _, err := io.Copy(io.Discard, body); err != nil {
			return upload{}, bodyError(err, maxBody, "reading the end of the multipart form")
		}
		return upload{name: name, data: data}, nil
	}
}

// rawName is a raw body's name: ?name=, else the filename of a
// Content-Disposition header, else defaultName.
func rawName(r *http.Request) string {
	if n := r.URL.Query().Get("name"); n != "" {
		return cleanName(n)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != "" {
		if _, params, err := mime.ParseMediaType(cd); err == nil {
			return cleanName(params["filename"])
		}
	}
	return defaultName
}

// cleanName makes a client's file name safe to print and log: its last
// path element, without control characters, at most 200 bytes.
func cleanName(n string) string {
	n = strings.ReplaceAll(n, "\\", "/") // Windows browsers send C:\...\name
	n = path.Base(n)
	n = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, n)
	for len(n) > 200 {
		_, size := utf8.DecodeLastRuneInString(n)
		n = n[:len(n)-size]
	}
	if n = strings.TrimSpace(n); n == "" || n == "." || n == "/" || n == ".." {
		return defaultName
	}
	return n
}

func tooLarge(maxBody int64) *httpError {
	return &httpError{http.StatusRequestEntityTooLarge, reasonTooLarge, outcomeRejected,
		fmt.Sprintf("the request body is over the server's limit of %s (--max-body)", byteSize(maxBody))}
}

// bodyError words a failure to read the body: over the limit, too slow,
// or malformed.
func bodyError(err error, maxBody int64, doing string) *httpError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(maxBody)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return &httpError{http.StatusRequestTimeout, reasonTimeout, outcomeRejected,
			"the upload took longer than the server's --timeout"}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
			doing + ": the body ends too early (truncated upload, or a boundary that does not match the Content-Type's)"}
	}
	return &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
		fmt.Sprintf("%s: malformed body: %v", doing, err)}
}

// byteSize writes n in the largest binary unit that divides it, as the
// --max-body flag accepts it.
func byteSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
