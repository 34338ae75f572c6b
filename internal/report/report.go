// Package report turns a cleaned document and its repair log into one
// self-contained HTML page for review: the input beside the result,
// every repair highlighted by kind, page images with repaired words boxed,
// and, given a gold text, the differences that remain.
package report

import (
	"errors"
	"io"

	"github.com/emend/emend/pipeline"
)

// Options are what a report shows beside the document itself.
type Options struct {
	// Images are the pages of a scan or PDF (see Images); nil for text.
	Images []Image
	// Gold is the reference Markdown; when set, the report adds the
	// evaluation view.
	Gold []byte
}

// Write renders doc as an HTML report. The document should have been
// cleaned with clean.Options.KeepOriginal, so that the input can be shown
// beside the result.
func Write(w io.Writer, doc *pipeline.Document, opts Options) error {
	return errors.New("report: not written yet")
}
