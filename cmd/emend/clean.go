package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

type cleanCommand struct {
	stdout, stderr io.Writer
}

func (*cleanCommand) Name() string { return "clean" }
func (*cleanCommand) Synopsis() string {
	return "repair scans, PDFs and text extractions and write Markdown, text or JSON"
}

func (*cleanCommand) Usage() string {
	return `Usage: emend clean [-f md|text|json] [-o FILE|DIR] [--dict FILE]... [--input-kind KIND]
                   [--ocr auto|always|never] [--page-timeout D] [-j N] INPUT...

Clean reads each INPUT, repairs it and writes the result. An INPUT of "-"
reads standard input. Inputs may be:

  - PDFs: born-digital pages are read from their text layer with the
    position and size of every word; scanned pages are rasterized with
    poppler and OCR'd with Tesseract. --ocr decides page by page.
  - page images: PNG, JPEG, TIFF (every page of a multi-page TIFF) and
    PNM, OCR'd with Tesseract; images under 250 dpi are upsampled to 300.
  - text as pdftotext wrote it (with or without -layout), text flattened
    onto one line, raw OCR text, a legacy ODS export, or emend's own
    Markdown; the kind is detected, and --input-kind overrides the guess
    (pdftext, layout, flat, ocr, ods, markdown).

Where words have boxes (OCR, PDF text layers), a raised, small glyph run is
taken as a footnote marker whatever OCR read it as, and indentation and the
gaps between lines mark paragraph starts.

The repairs: characters normalized; ODS tags, mastheads, running heads, job
numbers, barcodes, page numbers and viewer junk removed (the masthead goes
into the metadata); footnote blocks taken out and their definitions paired
with their markers; markers found in every form (Crime1, Slavery,4,
"pornography 3", OCR's ' ? ® ™ for superscript digits); line-end hyphens
and split words undone, UN compounds kept; paragraphs rebuilt and operative
numbers put back in place.

With one INPUT, the result goes to standard output, or to FILE with -o.
With several, -o names a directory (created if missing) that receives one
file per input, named after it. Outputs are written to a temporary file and
renamed, so a failed input leaves no partial file. A bad input (missing,
empty, binary, undecodable) is reported on one line naming it; the other
inputs are still cleaned, and the exit status is 1.

Flags:

  -f FORMAT        md (Markdown with [^N] footnotes, default), text
                   (superscript markers), or json (paragraphs, footnotes,
                   metadata and the repair log)
  -o PATH          output file, or directory for several inputs
  --dict FILE      add your own word lists (repeatable); sections [terms],
                   [instruments], [preambular], [operative], [english],
                   [symbols], [number-nouns], [function-words]
  --input-kind K   skip detection (text inputs)
  --ocr MODE       auto (default): OCR PDF pages without a usable text
                   layer; always: OCR every page; never: text layers only
  --page-timeout D give up on a page whose OCR takes longer (default 3m);
                   the page is reported, the rest of the document is cleaned
  -j N             inputs cleaned, and pages OCR'd, at once (default: all
                   cores)

A page that cannot be read (corrupt, OCR timed out) is reported on a line
naming the file and page, and the exit status is 1; the output is still
written from the other pages, and its JSON lists the failed pages.

Examples:

  emend clean testdata/seeds/seed-002.txt
  emend clean -o out/ scans/*.pdf scans/*.tif
  emend clean -f json -o A-RES-61-180.json export.txt
  pdftotext -layout report.pdf - | emend clean -
  emend clean -o clean/ --dict mylist.txt dump/*.txt
`
}

func (c *cleanCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("clean", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("f", "md", "")
	out := fs.String("o", "", "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	var pf pipelineFlags
	pf.register(fs)
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("clean: %v (run \"emend help clean\")", err)
	}
	if len(inputs) == 0 {
		return usageError("clean: no input given (run \"emend help clean\")")
	}
	f, ok := pipeline.ParseFormat(*format)
	if !ok {
		return usageError("clean: unknown format %q: use md, text or json", *format)
	}
	ps, err := pf.settings("clean")
	if err != nil {
		return err
	}
	if *jobs < 1 {
		*jobs = 1
	}
	dirOut := len(inputs) > 1 && *out != ""
	if dirOut {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fmt.Errorf("clean: %v", err)
		}
	}
	cl := clean.New(clean.Options{Kind: ps.kind, Dict: ps.dict, OCR: ps.ocr, Workers: *jobs, PageTimeout: ps.pageTimeout})
	defer cl.Close()
	names := outputNames(inputs, f)

	results := make([][]byte, len(inputs))
	errs := make([]error, len(inputs))
	// pageErrs are pages that failed in documents that were still cleaned
	// from their other pages: reported, and the run fails, but the output
	// is written (it records the failed pages).
	pageErrs := make([]error, len(inputs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(*jobs)
	for i, in := range inputs {
		g.Go(func() error {
			doc, err := cl.File(gctx, in)
			var pe *clean.PagesError
			if errors.As(err, &pe) && doc != nil {
				pageErrs[i], err = err, nil
			}
			if err == nil {
				results[i], err = pipeline.Render(doc, f)
			}
			if err != nil {
				errs[i] = err
				return nil // one bad input must not stop the others
			}
			if dirOut {
				dst := filepath.Join(*out, names[i])
				errs[i] = clean.WriteFileAtomic(dst, results[i])
				results[i] = nil
			}
			return nil
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	failed := 0
	for i, in := range inputs {
		if pageErrs[i] != nil {
			failed++
			for _, ln := range strings.Split(pageErrs[i].Error(), "\n") {
				fmt.Fprintln(c.stderr, "emend:", ln)
			}
		}
		if errs[i] != nil {
			failed++
			fmt.Fprintln(c.stderr, "emend:", describe(in, errs[i]))
			continue
		}
		if dirOut {
			continue
		}
		if *out != "" {
			if err := clean.WriteFileAtomic(*out, results[i]); err != nil {
				failed++
				fmt.Fprintln(c.stderr, "emend:", describe(*out, err))
			}
			continue
		}
		if _, err := c.stdout.Write(results[i]); err != nil {
			return err
		}
	}
	if failed > 0 {
		if len(inputs) > 1 {
			fmt.Fprintf(c.stderr, "emend: %d of %d inputs failed\n", failed, len(inputs))
		}
		return errSilent
	}
	return nil
}

// describe words an error for the user: input errors already name the
// file; others get it prefixed.
func describe(path string, err error) string {
	var ie *clean.InputError
	if errors.As(err, &ie) {
		return ie.Error()
	}
	var se *pipeline.StageError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s: stage %s failed: %s (please report this with the input)", se.Source, se.Stage, se.Brief())
	}
	return path + ": " + err.Error()
}

// outputNames names the output file of each input in a directory:
// the input's base name with the format's extension, numbered when two
// inputs from different folders share a name, so no output overwrites
// another.
func outputNames(inputs []string, f pipeline.Format) []string {
	names := make([]string, len(inputs))
	seen := map[string]int{}
	for i, in := range inputs {
		name := outputName(in, f)
		if n := seen[name]; n > 0 {
			ext := filepath.Ext(name)
			name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), n+1, ext)
		}
		seen[outputName(in, f)]++
		names[i] = name
	}
	return names
}

// outputName is the output file name for input path in format f.
func outputName(path string, f pipeline.Format) string {
	base := filepath.Base(path)
	if path == "-" {
		base = "stdin"
	}
	return strings.TrimSuffix(base, filepath.Ext(base)) + f.Ext()
}
