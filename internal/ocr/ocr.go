// Package ocr reads page images with Tesseract through gosseract and turns
// its hOCR into pages of lines and words with their boxes.
//
// A Tesseract client costs about a third of a second and 100 MB to create
// (it loads the LSTM model), so an Engine keeps a pool of long-lived
// clients, one per worker. Tesseract's own OpenMP threads are switched off
// (OMP_THREAD_LIMIT=1): pages run in parallel instead, which scales better.
package ocr

/*
#include <leptonica/allheaders.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
	"unicode"

	"github.com/otiai10/gosseract/v2"

	"github.com/emend/emend/pipeline"
)

func init() {
	// Leptonica reports decoding failures on stderr; emend reports them itself.
	C.setMsgSeverity(C.L_SEVERITY_NONE)
}

// SingleThreaded makes sure Tesseract's OpenMP runs one thread per page:
// with several, pages in parallel fight over the cores and spend most of
// their time spinning in the kernel (measured: 12 s of CPU against 5 s for
// a two-page scan). libgomp reads OMP_THREAD_LIMIT once, when it is loaded,
// before any Go code runs, so the only way to set it from inside is to
// re-execute the program with it set. Call it first thing in main (and in
// TestMain); it returns only if the variable was already set or the
// re-execution failed.
func SingleThreaded() {
	if os.Getenv("OMP_THREAD_LIMIT") != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
	_ = syscall.Exec(exe, os.Args, env)
}

// DefaultPageTimeout bounds one page's OCR. A 300 dpi page of dense text
// takes 2–5 s on one core; a page that takes a minute is pathological.
const DefaultPageTimeout = 3 * time.Minute

// Options configure an Engine.
type Options struct {
	Workers     int           // clients in the pool; 0 means one per core
	PageTimeout time.Duration // 0 means DefaultPageTimeout
	Language    string        // Tesseract language, "eng" by default
	// No user words: feeding Tesseract the UN-term and instrument lists
	// (user_words_file with lstm_use_matrix 1) changed not one character
	// of its output on the corpus scans, through gosseract or the CLI.
}

// Engine OCRs pages with a pool of Tesseract clients. It is safe for
// concurrent use; at most Workers pages are recognized at once.
type Engine struct {
	opts  Options
	slots chan *gosseract.Client // nil entries are free slots without a client yet
}

// ErrTimeout is returned for a page Tesseract did not finish in time.
var ErrTimeout = errors.New("OCR timed out")

// NewEngine makes an engine. Clients start lazily, on first use.
func NewEngine(opts Options) *Engine {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.PageTimeout <= 0 {
		opts.PageTimeout = DefaultPageTimeout
	}
	if opts.Language == "" {
		opts.Language = "eng"
	}
	e := &Engine{opts: opts, slots: make(chan *gosseract.Client, opts.Workers)}
	for range opts.Workers {
		e.slots <- nil
	}
	return e
}

// Workers is the size of the pool.
func (e *Engine) Workers() int { return e.opts.Workers }

// Close frees every idle client. Pages still running keep theirs until
// they finish.
func (e *Engine) Close() {
	for range e.opts.Workers {
		if c := <-e.slots; c != nil {
			c.Close()
		}
	}
}

func (e *Engine) newClient() (*gosseract.Client, error) {
	c := gosseract.NewClient()
	c.Trim = false
	if err := c.SetLanguage(e.opts.Language); err != nil {
		c.Close()
		return nil, err
	}
	for k, v := range map[gosseract.SettableVariable]string{
		// Automatic page segmentation, the CLI's default. The API's own
		// default reads the page as one block of text, which turns a
		// masthead with a logo and a barcode into garbage and swallows the
		// text beside it. It is set as a variable because gosseract's
		// SetPageSegMode is lost when the client initializes.
		"tessedit_pageseg_mode": strconv.Itoa(int(gosseract.PSM_AUTO)),
		"hocr_char_boxes":       "1", // glyph boxes, to map raised ink to glyphs
		"debug_file":            "/dev/null",
	} {
		if err := c.SetVariable(k, v); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Recognize OCRs one prepared page and returns its lines, with the page
// number set. Boxes are mapped back to the image's own pixels when it was
// upsampled.
func (e *Engine) Recognize(ctx context.Context, p Prepared, number int) (pipeline.Page, error) {
	var c *gosseract.Client
	select {
	case c = <-e.slots:
	case <-ctx.Done():
		return pipeline.Page{}, ctx.Err()
	}
	if c == nil {
		var err error
		if c, err = e.newClient(); err != nil {
			e.slots <- nil
			return pipeline.Page{}, fmt.Errorf("starting Tesseract: %w", err)
		}
	}
	done := make(chan ocrResult, 1)
	go func() {
		var r ocrResult
		if r.err = c.SetImageFromBytes(p.PGM); r.err == nil {
			if r.err = c.SetVariable("user_defined_dpi", strconv.Itoa(int(p.DPI+0.5))); r.err == nil {
				r.hocr, r.err = c.HOCRText()
			}
		}
		done <- r
	}()
	timer := time.NewTimer(e.opts.PageTimeout)
	defer timer.Stop()
	var r ocrResult
	select {
	case r = <-done:
		e.slots <- c
	case <-timer.C:
		e.abandon(c, done)
		return pipeline.Page{}, fmt.Errorf("%w after %s", ErrTimeout, e.opts.PageTimeout)
	case <-ctx.Done():
		e.abandon(c, done)
		return pipeline.Page{}, ctx.Err()
	}
	if r.err != nil {
		return pipeline.Page{}, fmt.Errorf("tesseract: %w", r.err)
	}
	lines, w, h, err := parseHOCR([]byte(r.hocr))
	if err != nil {
		return pipeline.Page{}, err
	}
	page := buildPage(lines, w, h, parsePGM(p.PGM))
	page.Number = number
	if p.Scale != 1 && p.Scale > 0 {
		scalePage(&page, 1/p.Scale)
	}
	return page, nil
}

type ocrResult struct {
	hocr string
	err  error
}

// abandon gives up on a client still recognizing a page. Tesseract cannot
// be interrupted through gosseract, so the call runs on in its goroutine
// and the client is closed when it returns; the slot gets a fresh client.
func (e *Engine) abandon(c *gosseract.Client, done chan ocrResult) {
	e.slots <- nil
	go func() {
		<-done
		c.Close()
	}()
}

func scalePage(p *pipeline.Page, f float64) {
	p.Width *= f
	p.Height *= f
	for i := range p.Lines {
		for j := range p.Lines[i].Words {
			if b := p.Lines[i].Words[j].Box; b != nil {
				*b = pipeline.Box{X0: b.X0 * f, Y0: b.Y0 * f, X1: b.X1 * f, Y1: b.Y1 * f}
			}
		}
	}
}

// buildPage turns hOCR lines into pipeline lines, splitting raised glyph
// runs off the ends of words (see raisedRun).
func buildPage(lines []hocrLine, width, height float64, img *grey) pipeline.Page {
	page := pipeline.Page{Width: width, Height: height}
	for li, l := range lines {
		ln := pipeline.Line{Origin: li + 1, Block: l.para}
		skip := false
		for wi, w := range l.words {
			if skip {
				skip = false
				continue
			}
			head, tail := splitRaised(img, l, &w, wi == 0)
			// The raised ink had no glyph of its own in the word: Tesseract
			// read it as a separate word right after, "Court !".
			// Or the raised ink took the word's closing punctuation, whose
			// rough glyph box reached into it, and the marker's reading
			// follows as a word of its own: "Relations;" "!".
			if tail != nil && wi+1 < len(l.words) {
				next := l.words[wi+1]
				if isStrayGlyph(next.text) && next.box.X0-tail.Box.X1 < l.capHeight() {
					switch tail.Text {
					case "":
						tail.Text, skip = next.text, true
					case ",", ";", ".", ":":
						w.text += tail.Text
						tail.Text, skip = next.text, true
					}
				}
			}
			if head != nil {
				ln.Words = append(ln.Words, *head)
			}
			box := w.box
			if body := w.text; body != "" {
				// The row height stands for the font size: it is what
				// tells footnote type from body type.
				ln.Words = append(ln.Words, pipeline.Word{Text: body, Box: &box, Confidence: w.conf, Joined: head != nil, FontSize: l.xSize})
			}
			if tail != nil {
				ln.Words = append(ln.Words, *tail)
			}
		}
		ln.Text = pipeline.JoinWords(ln.Words)
		page.Lines = append(page.Lines, ln)
	}
	return page
}

// splitRaised finds raised glyph runs at the end of word w (a footnote
// marker glued to its word) and, for the first word of a line, at its start
// (a footnote definition's number). It cuts w down to the rest and returns
// the runs as superscript words. Tesseract's own glyph boxes cannot be
// trusted for this (the LSTM engine gives each glyph a rough box), so the
// page's pixels decide: see raisedRun.
func splitRaised(img *grey, l hocrLine, w *hocrWord, first bool) (head, tail *pipeline.Word) {
	if img == nil {
		return nil, nil
	}
	capH := l.capHeight()
	if capH <= 0 {
		return nil, nil
	}
	cut := func(run pipeline.Box, fromEnd bool) *pipeline.Word {
		// The glyphs that reach into the raised run are its reading.
		// Tesseract's glyph boxes are rough and can stick far out of the
		// ink they stand for, so a glyph that is not a letter goes with
		// the run when its box reaches well into it; a letter only when
		// its box stays close to the run, since letters end words.
		x0, x1 := run.X0, run.X1
		margin := 0.25 * (x1 - x0)
		reach := 1.5*(x1-x0) + 0.2*capH
		var in, out []hocrChar
		for _, c := range w.chars {
			letter := isLetterText(c.text)
			into := fromEnd && c.box.X1 > x0+margin || !fromEnd && c.box.X0 < x1-margin
			outside := x0 - c.box.X0
			if !fromEnd {
				outside = c.box.X1 - x1
			}
			if into && (!letter || outside <= reach) {
				in = append(in, c)
			} else {
				out = append(out, c)
			}
		}
		if len(out) == 0 || len(in) > 3 {
			return nil // the whole word is raised, or too much of it: not a marker
		}
		w.chars, w.text = out, joinChars(out)
		if fromEnd {
			w.box.X1 = min(w.box.X1, x0)
		} else {
			w.box.X0 = max(w.box.X0, x1)
		}
		// The superscript's box is the raised ink itself.
		b := run
		return &pipeline.Word{Text: joinChars(in), Box: &b, Confidence: w.conf, Superscript: true, Joined: fromEnd}
	}
	if run, ok := img.raisedRun(l, w.box, capH, true); ok && len(w.chars) > 0 {
		tail = cut(run, true)
	}
	if first {
		if run, ok := img.raisedRun(l, w.box, capH, false); ok && len(w.chars) > 0 {
			head = cut(run, false)
		}
	}
	return head, tail
}

// isLetterText reports a glyph that is a letter.
func isLetterText(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r)
	}
	return false
}

// isStrayGlyph reports one or two glyphs with no letter or digit: what OCR
// makes of a superscript it did not attach to its word.
func isStrayGlyph(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
		n++
	}
	return n > 0 && n <= 2
}

// capHeight is the height of capitals on the line, from Tesseract's row
// size less its descender depth.
func (l hocrLine) capHeight() float64 {
	if l.xSize > 0 {
		return l.xSize - l.xDescenders
	}
	return l.box.Height() * 0.75
}

func (l hocrLine) baselineAt(x float64) float64 {
	return l.box.Y1 + l.offset + l.slope*(x-l.box.X0)
}

func joinChars(cs []hocrChar) string {
	s := ""
	for _, c := range cs {
		s += c.text
	}
	return s
}

func charsBox(cs []hocrChar) pipeline.Box {
	b := cs[0].box
	for _, c := range cs[1:] {
		b.X0, b.Y0 = min(b.X0, c.box.X0), min(b.Y0, c.box.Y0)
		b.X1, b.Y1 = max(b.X1, c.box.X1), max(b.Y1, c.box.Y1)
	}
	return b
}

// QuietCLibraries stops the C libraries under Leptonica (libpng, libjpeg,
// libtiff) writing their own messages, such as "Premature end of JPEG
// file", to the process's standard error: emend reports a broken image
// itself, on one line naming the file and page. It points file descriptor
// 2 at /dev/null and gives Go's os.Stderr, and the runtime's crash output,
// a copy of the real one. For commands only: a library must not take over
// its host's standard error.
func QuietCLibraries() error {
	orig, err := syscall.Dup(2)
	if err != nil {
		return err
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		syscall.Close(orig)
		return err
	}
	defer null.Close()
	f := os.NewFile(uintptr(orig), "/dev/stderr")
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		f.Close()
		return err
	}
	if err := syscall.Dup2(int(null.Fd()), 2); err != nil {
		return err
	}
	os.Stderr = f
	return nil
}
