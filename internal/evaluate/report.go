package evaluate

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Total sums Results over many inputs. Rates are computed from the summed
// counts, so long documents weigh more than short ones, as in the scorer.
type Total struct {
	Scored, Fails              int // inputs scored; inputs whose cleaning failed
	Chars, CharErrs            int
	Words, WordErrs            int
	MarkGold, MarkOut, MarkHit int
	ParaGold, ParaOut, ParaHit int
	NoteGold, NoteOut, NoteHit int
	Secs                       float64 // time spent cleaning the scored inputs
}

// Add counts one scored input that took secs to clean.
func (t *Total) Add(r Result, secs float64) {
	t.Scored++
	t.Chars += r.GoldChars
	t.CharErrs += r.CharErrs
	t.Words += r.GoldWords
	t.WordErrs += r.WordErrs
	t.MarkGold += r.MarkGold
	t.MarkOut += r.MarkOut
	t.MarkHit += r.MarkHit
	t.ParaGold += r.ParaGold
	t.ParaOut += r.ParaOut
	t.ParaHit += r.ParaHit
	t.NoteGold += r.NoteGold
	t.NoteOut += r.NoteOut
	t.NoteHit += r.NoteHit
	t.Secs += secs
}

// Failed counts one input that could not be cleaned. It adds nothing to
// the rates: a failure shows only in the fail column.
func (t *Total) Failed() { t.Fails++ }

// CER is Result.CER over the summed counts.
func (t Total) CER() float64 { return ratio(t.CharErrs, t.Chars) }

// WER is Result.WER over the summed counts.
func (t Total) WER() float64 { return ratio(t.WordErrs, t.Words) }

// MarkP is Result.MarkP over the summed counts.
func (t Total) MarkP() float64 { return prec(t.MarkHit, t.MarkGold, t.MarkOut) }

// MarkR is Result.MarkR over the summed counts.
func (t Total) MarkR() float64 { return ratio(t.MarkHit, t.MarkGold) }

// ParaF1 is Result.ParaF1 over the summed counts.
func (t Total) ParaF1() float64 { return f1(t.ParaHit, t.ParaGold, t.ParaOut) }

// Line is the scorer's report line for t, without a newline, for example
//
//	seed-000/000_66e4e6ee1e7788ba.txt            n=1   fail=0  CER=  4.04% WER=  4.85% markP=0.000 markR=0.000 paraF1=0.000 notes=0/2    0.0s
func (t Total) Line(name string) string {
	return fmt.Sprintf("%-44s n=%-3d fail=%-2d CER=%6.2f%% WER=%6.2f%% markP=%.3f markR=%.3f paraF1=%.3f notes=%d/%d %6.1fs",
		name, t.Scored, t.Fails, 100*t.CER(), 100*t.WER(),
		t.MarkP(), t.MarkR(), t.ParaF1(),
		t.NoteHit, t.NoteGold, t.Secs)
}

// Kind groups inputs in the report: "seed" for the file of a seed-* case,
// otherwise the input's file name (text.txt, layout.txt, scan.pdf, ...).
func Kind(inputPath string) string {
	if strings.HasPrefix(filepath.Base(filepath.Dir(inputPath)), "seed-") {
		return "seed"
	}
	return filepath.Base(inputPath)
}

// A Case is one document of a corpus: its gold Markdown and the inputs
// that should each clean to it.
type Case struct {
	Name   string   // the case directory's name, such as "res-73-7"
	Gold   string   // path of gold.md
	Inputs []string // paths of the inputs, sorted by file name
}

// Cases finds the cases under dir as the scorer does: every dir/*/gold.md,
// in sorted order, with every other file beside it as an input except
// Markdown files (*.md) and hyphens.txt, which are notes for people.
func Cases(dir string) ([]Case, error) {
	golds, err := filepath.Glob(filepath.Join(dir, "*", "gold.md"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: %s: %w", dir, err)
	}
	sort.Strings(golds)
	cases := make([]Case, 0, len(golds))
	for _, gold := range golds {
		cdir := filepath.Dir(gold)
		ents, err := os.ReadDir(cdir) // sorted by file name
		if err != nil {
			return nil, fmt.Errorf("evaluate: reading case %s: %w", cdir, err)
		}
		c := Case{Name: filepath.Base(cdir), Gold: gold}
		for _, e := range ents {
			name := e.Name()
			if e.IsDir() || strings.HasSuffix(name, ".md") || name == "hyphens.txt" {
				continue
			}
			c.Inputs = append(c.Inputs, filepath.Join(cdir, name))
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// A Cleaner turns one input file into Markdown. RunCases reports its error
// as the input's failure and goes on with the next input.
type Cleaner func(ctx context.Context, input string) (markdown []byte, err error)

// RunCases cleans every input of every case under dir whose path contains
// only (all of them when only is ""), scores each against its gold and
// writes the scorer's report to w: a line per input, a blank line, a line
// per kind of input and an ALL line. A failed input is reported as
// "FAILED: <err>" and counted in the fail column.
//
// It stops early, returning the total so far, when ctx is done, when a
// gold cannot be read, or when w fails.
func RunCases(ctx context.Context, dir, only string, clean Cleaner, w io.Writer) (Total, error) {
	var all Total
	cases, err := Cases(dir)
	if err != nil {
		return all, err
	}
	rw := &reportWriter{w: w}
	byKind := map[string]*Total{}
	for _, c := range cases {
		var gold []byte
		goldRead := false // the gold is read once, for the first input chosen
		for _, in := range c.Inputs {
			if only != "" && !strings.Contains(in, only) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return all, err
			}
			if !goldRead {
				if gold, err = os.ReadFile(c.Gold); err != nil {
					return all, fmt.Errorf("evaluate: case %s: %w", c.Name, err)
				}
				goldRead = true
			}
			t0 := time.Now()
			out, cleanErr := clean(ctx, in)
			secs := time.Since(t0).Seconds()

			k := Kind(in)
			if byKind[k] == nil {
				byKind[k] = &Total{}
			}
			rel, err := filepath.Rel(dir, in)
			if err != nil {
				rel = in
			}
			if cleanErr != nil {
				byKind[k].Failed()
				all.Failed()
				rw.printf("%-44s FAILED: %v\n", rel, cleanErr)
			} else {
				r := Compare(gold, out)
				byKind[k].Add(r, secs)
				all.Add(r, secs)
				var one Total
				one.Add(r, secs)
				rw.printf("%s\n", one.Line(rel))
			}
			if rw.err != nil {
				return all, rw.err
			}
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	rw.printf("\n")
	for _, k := range kinds {
		rw.printf("%s\n", byKind[k].Line("kind "+k))
	}
	rw.printf("%s\n", all.Line("ALL"))
	return all, rw.err
}

// reportWriter keeps the first write error so that the report loop can
// check it once per line.
type reportWriter struct {
	w   io.Writer
	err error
}

func (rw *reportWriter) printf(format string, args ...any) {
	if rw.err == nil {
		_, rw.err = fmt.Fprintf(rw.w, format, args...)
	}
}
