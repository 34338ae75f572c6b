// Package pdf reads PDFs through poppler's command-line tools: pdfinfo for
// the page count and encryption, pdftotext -bbox-layout for the text layer
// with word boxes, pdfimages -list for the resolution of scanned pages, and
// pdftoppm to rasterize a page for OCR.
//
// Why subprocesses rather than a Go PDF library:
//   - Fidelity: poppler is the reference reader on Linux; pdftotext is what
//     users compare emend against, and its word boxes and reading order are
//     already good. The pure-Go readers lose text on Type 3 and CID fonts and
//     cannot rasterize at all.
//   - Isolation: malformed PDFs are common in archives. A crash, a hang or
//     runaway memory in the parser kills one child process, which a context
//     deadline bounds, and never emend or the other files of a batch.
//   - Licence: poppler is GPL; running its programs keeps emend's own code
//     free of that linkage.
//   - Speed: a process start costs about a millisecond against the 1–3 s an
//     OCR'd page takes. Pages are rasterized to PGM, not PNG: PNG encoding a
//     300 dpi page costs poppler about 5 s, the raw grey map 0.25 s.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// ErrEncrypted is returned for a PDF that needs a password to open.
var ErrEncrypted = errors.New("PDF is encrypted and needs a password")

// Info is what pdfinfo says about a file.
type Info struct {
	Pages int
}

// Tools names the poppler programs; the zero value finds them on PATH.
type Tools struct {
	// Timeout bounds each program run that is not per page (pdfinfo,
	// pdfimages -list, pdftotext); it grows with the page count. Zero means
	// one minute plus two seconds a page.
	Timeout time.Duration
}

func (t Tools) timeout(pages int) time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return time.Minute + time.Duration(pages)*2*time.Second
}

// Check reports a missing poppler program, so that a caller can say so once
// instead of failing on every file.
func Check() error {
	for _, p := range []string{"pdfinfo", "pdftotext", "pdftoppm", "pdfimages"} {
		if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("%s not found: install poppler-utils (apt-get install poppler-utils)", p)
		}
	}
	return nil
}

// run runs a poppler program with a deadline and returns its standard
// output. Its standard error becomes the error message, cut to the lines
// that say what went wrong.
func run(ctx context.Context, timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("%s took longer than %s", name, timeout)
	}
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, popplerError(stderr.String(), err)
	}
	return stdout.Bytes(), nil
}

// popplerError turns poppler's stderr into one readable error.
func popplerError(stderr string, err error) error {
	if strings.Contains(stderr, "Incorrect password") || strings.Contains(stderr, "encrypted") {
		return ErrEncrypted
	}
	var msgs []string
	seen := map[string]bool{}
	for _, ln := range strings.Split(stderr, "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" || seen[ln] || strings.HasPrefix(ln, "Syntax Warning") {
			continue
		}
		seen[ln] = true
		msgs = append(msgs, strings.TrimPrefix(ln, "Syntax Error: "))
		if len(msgs) == 3 {
			break
		}
	}
	if len(msgs) == 0 {
		return fmt.Errorf("not a readable PDF (%v)", err)
	}
	return fmt.Errorf("not a readable PDF: %s", strings.Join(msgs, "; "))
}

// Stat reads the page count, refusing encrypted and broken files.
func (t Tools) Stat(ctx context.Context, path string) (Info, error) {
	out, err := run(ctx, t.timeout(0), "pdfinfo", path)
	if err != nil {
		return Info{}, err
	}
	var info Info
	for _, ln := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(ln, ":")
		if !ok {
			continue
		}
		// "Encrypted: yes" alone stops nothing: owner-password PDFs
		// (printing or copying restricted) open without a password. Only a
		// user password does, and pdfinfo fails on those.
		if k == "Pages" {
			info.Pages, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if info.Pages <= 0 {
		return Info{}, errors.New("PDF has no pages")
	}
	return info, nil
}

// PageSizes returns each page's width and height in points, from
// pdfinfo's "Page N size: W x H pts" lines, so that a page declaring
// 200 inches a side can be refused before it is rasterized.
func (t Tools) PageSizes(ctx context.Context, path string, pages int) ([][2]float64, error) {
	out, err := run(ctx, t.timeout(pages), "pdfinfo", "-f", "1", "-l", strconv.Itoa(pages), path)
	if err != nil {
		return nil, err
	}
	sizes := make([][2]float64, 0, pages)
	for _, ln := range strings.Split(string(out), "\n") {
		// "Page    1 size:  595.2 x 796.32 pts (A4)"
		f := strings.Fields(ln)
		if len(f) < 7 || f[0] != "Page" || f[2] != "size:" || f[4] != "x" {
			continue
		}
		w, err1 := strconv.ParseFloat(f[3], 64)
		h, err2 := strconv.ParseFloat(f[5], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		sizes = append(sizes, [2]float64{w, h})
	}
	return sizes, nil
}

// ImageResolutions returns, for each page that holds images, the highest
// resolution of them in dots per inch, from pdfimages -list. A scanned page
// is one image covering the page; its resolution is the scan's.
func (t Tools) ImageResolutions(ctx context.Context, path string, pages int) (map[int]float64, error) {
	out, err := run(ctx, t.timeout(pages), "pdfimages", "-list", path)
	if err != nil {
		return nil, err
	}
	res := map[int]float64{}
	for i, ln := range strings.Split(string(out), "\n") {
		f := strings.Fields(ln)
		// page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
		if i < 2 || len(f) < 14 || f[2] != "image" {
			continue
		}
		page, err1 := strconv.Atoi(f[0])
		x, err2 := strconv.ParseFloat(f[12], 64)
		y, err3 := strconv.ParseFloat(f[13], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if d := min(x, y); d > res[page] {
			res[page] = d
		}
	}
	return res, nil
}

// Rasterize renders one page (1-based) at dpi as an 8-bit grey PGM image.
func (t Tools) Rasterize(ctx context.Context, path string, page int, dpi float64, timeout time.Duration) ([]byte, error) {
	p := strconv.Itoa(page)
	out, err := run(ctx, timeout, "pdftoppm", "-r", strconv.Itoa(int(dpi+0.5)), "-gray", "-f", p, "-l", p, path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(out, []byte("P5")) {
		return nil, errors.New("pdftoppm rendered nothing")
	}
	return out, nil
}
