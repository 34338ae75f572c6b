package serve

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/emend/emend/pipeline"
)

// format is what /v1/clean answers with: one of pipeline's renderings, or
// the HTML review report.
type format string

const (
	formatMarkdown = format(pipeline.FormatMarkdown)
	formatText     = format(pipeline.FormatText)
	formatJSON     = format(pipeline.FormatJSON)
	formatHTML     = format("html")
)

// contentType is the Content-Type of a response in format f.
func (f format) contentType() string {
	switch f {
	case formatText:
		return "text/plain; charset=utf-8"
	case formatJSON:
		return "application/json"
	case formatHTML:
		return "text/html; charset=utf-8"
	}
	return "text/markdown; charset=utf-8"
}

// parseFormat reads a ?format= value: pipeline's names, and html.
func parseFormat(s string) (format, bool) {
	if f, ok := pipeline.ParseFormat(s); ok {
		return format(f), true
	}
	switch strings.ToLower(s) {
	case "html", "htm", "report":
		return formatHTML, true
	}
	return "", false
}

// negotiate chooses the response format: ?format= when given, else the
// Accept header's most preferred type emend writes, else Markdown.
func negotiate(r *http.Request) (format, *httpError) {
	if v := r.URL.Query().Get("format"); v != "" {
		f, ok := parseFormat(v)
		if !ok {
			return "", &httpError{http.StatusBadRequest, reasonBadRequest, outcomeRejected,
				fmt.Sprintf("unknown format %q: use md, text, json or html", v)}
		}
		return f, nil
	}
	return fromAccept(r.Header.Values("Accept")), nil
}

// acceptable maps media ranges to formats. text/* and */* get Markdown,
// the default: it is text, and what "emend clean" writes.
var acceptable = map[string]format{
	"text/markdown":         formatMarkdown,
	"text/x-markdown":       formatMarkdown,
	"text/plain":            formatText,
	"application/json":      formatJSON,
	"text/html":             formatHTML,
	"application/xhtml+xml": formatHTML,
	"text/*":                formatMarkdown,
	"*/*":                   formatMarkdown,
}

// fromAccept picks the format of highest quality in Accept headers (RFC
// 9110 12.5.1); among equals, a specific type beats a wildcard, then the
// first listed wins. Nothing acceptable gives Markdown rather than 406: a
// client that asks for something odd still gets the document.
func fromAccept(values []string) format {
	best, bestQ, bestWild := formatMarkdown, 0.0, true
	for _, v := range values {
		for _, rng := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(rng))
			if err != nil {
				continue
			}
			f, ok := acceptable[mt]
			if !ok {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil {
					continue
				}
			}
			wild := strings.HasSuffix(mt, "/*")
			if q > bestQ || (q == bestQ && q > 0 && bestWild && !wild) {
				best, bestQ, bestWild = f, q, wild
			}
		}
	}
	return best
}
