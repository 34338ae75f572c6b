// Package clean runs emend's whole job on one input: read it, run the
// repair chain, render the result. The CLI, batch workers and the server
// all go through here, so that there is one pipeline.
package clean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// MaxInputBytes bounds what one text input may be: a UN document is at
// most a few megabytes of text; a larger "text" file is something else.
const MaxInputBytes = 256 << 20

// MaxBinaryBytes bounds a PDF or page image.
const MaxBinaryBytes = 2 << 30

// Options configure a run.
type Options struct {
	Kind pipeline.InputKind // "" to detect (text inputs only)
	Dict *dictionaries.Set  // nil for the embedded lists

	// Scans and PDFs.
	OCR         OCRMode       // "" is OCRAuto
	Workers     int           // Tesseract clients, pages OCR'd at once; 0 is one per core
	PageTimeout time.Duration // per page OCR deadline; 0 is ocr.DefaultPageTimeout

	// Extra stages run after the repair chain (batch fault injection).
	Extra []pipeline.Stage

	// KeepOriginal keeps a copy of the pages as read in Document.Original,
	// for review reports that show the input beside the result.
	KeepOriginal bool
}

// Cleaner holds the stage chain, built once and shared: stages are
// stateless between documents, so one Cleaner serves many goroutines. Its
// OCR engine (a pool of Tesseract clients) starts on the first scan.
type Cleaner struct {
	opts  Options
	chain pipeline.Pipeline

	engineOnce sync.Once
	ocr        *ocr.Engine
}

// New builds a Cleaner.
func New(opts Options) *Cleaner {
	if opts.Dict == nil {
		opts.Dict = dictionaries.Default()
	}
	chain := append(stages.Chain(opts.Dict), opts.Extra...)
	return &Cleaner{opts: opts, chain: chain}
}

// InputError is a problem with the input itself (as opposed to a bug or a
// cancelled run): the message names the file.
type InputError struct {
	Source string
	Err    error
}

func (e *InputError) Error() string { return e.Source + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Bytes cleans data read from source (a name for messages): text, a PDF or
// a page image. When some pages of a PDF or image cannot be read, it
// returns the document cleaned from the others and a *PagesError.
func (c *Cleaner) Bytes(ctx context.Context, source string, data []byte) (*pipeline.Document, error) {
	if IsPDF(data) {
		return withFile(data, func(path string) (*pipeline.Document, error) { return c.readPDF(ctx, source, path) })
	}
	if ocr.SniffImage(data) != "" {
		return c.readImage(ctx, source, data)
	}
	return c.text(ctx, source, data)
}

func (c *Cleaner) text(ctx context.Context, source string, data []byte) (*pipeline.Document, error) {
	if len(data) > MaxInputBytes {
		return nil, &InputError{source, fmt.Errorf("file is %d MiB; text inputs over %d MiB are refused", len(data)>>20, MaxInputBytes>>20)}
	}
	doc, err := input.Read(source, data, c.opts.Kind)
	if err != nil {
		return nil, &InputError{source, err}
	}
	if err := c.repair(ctx, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// repair runs the stage chain over a document as read.
func (c *Cleaner) repair(ctx context.Context, doc *pipeline.Document) error {
	if c.opts.KeepOriginal {
		doc.Original = pipeline.ClonePages(doc.Pages)
	}
	return c.chain.Run(ctx, doc)
}

// File cleans the file at path; "-" reads standard input.
func (c *Cleaner) File(ctx context.Context, path string) (*pipeline.Document, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, MaxBinaryBytes+1))
	} else {
		var fi os.FileInfo
		if fi, err = os.Stat(path); err == nil && fi.IsDir() {
			return nil, &InputError{path, errors.New("is a directory (give the files inside it, e.g. dir/*.txt)")}
		}
		if err == nil && fi.Size() > MaxBinaryBytes {
			return nil, &InputError{path, fmt.Errorf("file is %d MiB; inputs over %d MiB are refused", fi.Size()>>20, MaxBinaryBytes>>20)}
		}
		if err == nil && fi.Size() > 0 && isPDFFile(path) {
			// poppler reads the file itself: no need to hold it in memory.
			return c.readPDF(ctx, path, path)
		}
		data, err = os.ReadFile(path)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &InputError{path, err}
	}
	return c.Bytes(ctx, path, data)
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed, so that a reader never sees a partial
// output and a failed run leaves nothing behind.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// isPDFFile reports a file that starts like a PDF.
func isPDFFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	tail := make([]byte, 2048)
	m := 0
	if fi, err := f.Stat(); err == nil {
		m, _ = f.ReadAt(tail, max(0, fi.Size()-int64(len(tail))))
	}
	return looksPDF(head[:n], tail[:m])
}
