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

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

type cleanCommand struct {
	stdout, stderr io.Writer
}

func (*cleanCommand) Name() string     { return "clean" }
func (*cleanCommand) Synopsis() string { return "repair text inputs and write Markdown, text or JSON" }

func (*cleanCommand) Usage() string {
	return `Usage: emend clean [-f md|text|json] [-o FILE|DIR] [--dict FILE]... [--input-kind KIND] [-j N] INPUT...

Clean reads each INPUT, repairs it and writes the result. An INPUT of "-"
reads standard input. Inputs may be text as pdftotext wrote it (with or
without -layout), text flattened onto one line, raw OCR text, a legacy ODS
export, or emend's own Markdown; the kind is detected, and --input-kind
overrides the guess (pdftext, layout, flat, ocr, ods, markdown).

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
  --input-kind K   skip detection
  -j N             inputs cleaned at once (default: all cores)

Examples:

  emend clean testdata/seeds/seed-002.txt
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
	kind := fs.String("input-kind", "", "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	var dicts multiFlag
	fs.Var(&dicts, "dict", "")
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
	var k pipeline.InputKind
	if *kind != "" {
		for _, known := range pipeline.Kinds {
			if string(known) == *kind {
				k = known
			}
		}
		if k == "" {
			return usageError("clean: unknown input kind %q", *kind)
		}
	}
	dict := dictionaries.Default()
	if len(dicts) > 0 {
		if dict, err = dict.WithFiles(dicts...); err != nil {
			return usageError("clean: %v", err)
		}
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
	cl := clean.New(clean.Options{Kind: k, Dict: dict})
	names := outputNames(inputs, f)

	results := make([][]byte, len(inputs))
	errs := make([]error, len(inputs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(*jobs)
	for i, in := range inputs {
		g.Go(func() error {
			doc, err := cl.File(gctx, in)
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
		msg := se.Err.Error()
		if i := strings.Index(msg, "\n"); i >= 0 {
			msg = msg[:i] // keep the stack trace out of the one-line report
		}
		return fmt.Sprintf("%s: stage %s failed: %s (please report this with the input)", se.Source, se.Stage, msg)
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
