package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/evaluate"
	"github.com/emend/emend/pipeline"
)

type evalCommand struct {
	stdout, stderr io.Writer
}

func (*evalCommand) Name() string     { return "eval" }
func (*evalCommand) Synopsis() string { return "score cleaned Markdown against gold text" }

func (*evalCommand) Usage() string {
	return `Usage: emend eval [-json] [-misses] GOLD.md OUT.md
       emend eval --cases DIR [--only SUBSTRING]

Eval compares emend's Markdown with a gold transcription and prints the
figures the project is measured by:

  CER     character edit distance over the gold's length, on body text with
          markers removed, whitespace collapsed, curly quotes and dashes
          folded to ASCII
  WER     the same over words
  markP   precision of footnote markers: a marker counts only with the right
  markR   number on the right word, after word alignment; and recall
  paraF1  F1 of paragraph starts
  notes   footnote definitions equal to the gold's, number and text

The figures agree with ../shared/bin/score on the same files.

With --cases, every directory under DIR that holds a gold.md is a case;
every other file in it except hyphens.txt is an input. Each input is
cleaned in-process and scored, and the report gives a line per input, per
kind of input, and the total.

Flags:

  -json          print the counts as JSON (two-file form)
  -misses        list the gold's markers, paragraph starts and footnotes the
                 output misses (two-file form)
  --cases DIR    run a directory of cases
  --only S       with --cases, only inputs whose path contains S

Examples:

  emend clean -o out.md input.txt && emend eval gold.md out.md
  emend eval --cases ../shared/corpus --only .txt
`
}

func (c *evalCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cases := fs.String("cases", "", "")
	only := fs.String("only", "", "")
	asJSON := fs.Bool("json", false, "")
	misses := fs.Bool("misses", false, "")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("eval: %v (run \"emend help eval\")", err)
	}
	if *cases != "" {
		if len(pos) != 0 {
			return usageError("eval: --cases takes no file arguments")
		}
		cl := clean.New(clean.Options{})
		cleaner := func(ctx context.Context, input string) ([]byte, error) {
			doc, err := cl.File(ctx, input)
			if err != nil {
				return nil, err
			}
			return pipeline.Markdown(doc), nil
		}
		_, err := evaluate.RunCases(ctx, *cases, *only, cleaner, c.stdout)
		return err
	}
	if len(pos) != 2 {
		return usageError("eval: want GOLD.md and OUT.md, or --cases DIR (run \"emend help eval\")")
	}
	gold, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("eval: %v", err)
	}
	out, err := os.ReadFile(pos[1])
	if err != nil {
		return fmt.Errorf("eval: %v", err)
	}
	r := evaluate.Compare(gold, out)
	if *asJSON {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, string(b))
		return nil
	}
	var t evaluate.Total
	t.Add(r, 0)
	fmt.Fprintln(c.stdout, t.Line(pos[1]))
	if *misses {
		for _, m := range r.Misses {
			fmt.Fprintln(c.stdout, "  ", m.String())
		}
	}
	return nil
}
