package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/report"
)

type reportCommand struct {
	stdout, stderr io.Writer
}

func (*reportCommand) Name() string { return "report" }
func (*reportCommand) Synopsis() string {
	return "write an HTML page showing every repair, beside the input and the page images"
}

func (*reportCommand) Usage() string {
	return `Usage: emend report [-o FILE] [--gold GOLD.md] [--no-images] [--dict FILE]...
                    [--input-kind KIND] [--ocr auto|always|never] [--page-timeout D]
                    [-j N] INPUT

Report cleans INPUT as "emend clean" does and writes one self-contained
HTML page for review. It needs no network: styles, script and page images
are inline, so it opens offline and can be mailed.

The page shows:

  - a summary: input kind, pages, failed pages, metadata, and the repairs
    counted by kind and by low confidence;
  - the input as read on the left and the cleaned text on the right,
    paragraph by paragraph, each repair highlighted in its kind's colour;
    hovering one shows what it changed, why, and how sure emend is;
  - for scans and PDFs, the page images, with each repaired word boxed;
  - footnote references linked to their definitions, and back;
  - every repair in a list, those under 80% confidence first; clicking
    one shows it in the text and on the page; a filter shows one kind.

With --gold, the page adds the evaluation view: CER, WER, marker precision
and recall, paragraph F1 and footnotes against the gold Markdown, what the
gold has that the output lacks, and the remaining differences as a diff.

Flags:

  -o FILE          write the page to FILE (default: standard output)
  --gold FILE      gold Markdown to compare with
  --no-images      leave out the page images of scans and PDFs
  --dict, --input-kind, --ocr, --page-timeout, -j: as for "emend clean"

Examples:

  emend report -o review.html testdata/scans/A-RES-63-194.scan.pdf
  emend report --gold gold.md -o eval.html export.txt
`
}

func (c *reportCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "")
	gold := fs.String("gold", "", "")
	noImages := fs.Bool("no-images", false, "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	var pf pipelineFlags
	pf.register(fs)
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("report: %v (run \"emend help report\")", err)
	}
	if len(inputs) != 1 {
		return usageError("report: give exactly one input (run \"emend help report\")")
	}
	ps, err := pf.settings("report")
	if err != nil {
		return err
	}
	in := inputs[0]
	var goldText []byte
	if *gold != "" {
		if goldText, err = os.ReadFile(*gold); err != nil {
			return fmt.Errorf("report: gold: %w", err)
		}
	}
	data, err := readInput(in)
	if err != nil {
		return err
	}
	cl := clean.New(clean.Options{Kind: ps.kind, Dict: ps.dict, OCR: ps.ocr, Workers: max(1, *jobs),
		PageTimeout: ps.pageTimeout, KeepOriginal: true})
	defer cl.Close()
	doc, err := cl.Bytes(ctx, in, data)
	var pagesErr *clean.PagesError
	if errors.As(err, &pagesErr) && doc != nil {
		// The report shows the failed pages; the run still fails.
		for _, ln := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(c.stderr, "emend:", ln)
		}
	} else if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintln(c.stderr, "emend:", describe(in, err))
		return errSilent
	}
	var images []report.Image
	if !*noImages {
		if images, err = report.Images(ctx, in, data); err != nil {
			// The text can still be reviewed without the pictures.
			fmt.Fprintln(c.stderr, "emend: page images left out:", err)
		}
	}
	var b bytes.Buffer
	if err := report.Write(&b, doc, report.Options{Images: images, Gold: goldText}); err != nil {
		return err
	}
	if *out != "" {
		err = clean.WriteFileAtomic(*out, b.Bytes())
	} else {
		_, err = c.stdout.Write(b.Bytes())
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if pagesErr != nil {
		return errSilent
	}
	return nil
}

// readInput reads a whole input, "-" for standard input, refusing what
// is too large to be a document.
func readInput(path string) ([]byte, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, clean.MaxBinaryBytes+1))
	} else {
		var fi os.FileInfo
		if fi, err = os.Stat(path); err == nil && fi.IsDir() {
			return nil, &clean.InputError{Source: path, Err: errors.New("is a directory")}
		}
		data, err = os.ReadFile(path)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &clean.InputError{Source: path, Err: err}
	}
	if len(data) > clean.MaxBinaryBytes {
		return nil, &clean.InputError{Source: path, Err: fmt.Errorf("file is over %d MiB", clean.MaxBinaryBytes>>20)}
	}
	return data, nil
}
