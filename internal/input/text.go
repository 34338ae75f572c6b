// Package input turns the bytes of a file into a pipeline.Document: it
// decodes the text, detects what kind of extraction produced it, and splits
// it into pages and lines.
package input

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/emend/emend/pipeline"
)

// ErrEmpty, ErrBinary and ErrUndecodable classify bad input so that callers
// can word their messages and tests can check the class.
var (
	ErrEmpty       = errors.New("file is empty")
	ErrBinary      = errors.New("file is binary, not text (give a PDF or image to the matching reader)")
	ErrUndecodable = errors.New("text cannot be decoded as UTF-8, UTF-16 or Windows-1252")
)

// Decode returns the text of b as UTF-8. A UTF-16 byte-order mark selects
// UTF-16; valid UTF-8 (with or without BOM) is kept; anything else is read
// as Windows-1252, the encoding of old ODS exports.
func Decode(b []byte) (string, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmpty
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, b)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrUndecodable, err)
		}
		s := string(out)
		if strings.TrimSpace(s) == "" {
			return "", ErrEmpty
		}
		if looksBinary(s) {
			// The BOM said text: a run of replacement characters means
			// broken UTF-16 (unpaired surrogates), not a binary file.
			if strings.Count(s, string(utf8.RuneError))*20 > utf8.RuneCountInString(s) {
				return "", ErrUndecodable
			}
			return "", ErrBinary
		}
		return s, nil
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmpty
	}
	if looksBinaryBytes(b) {
		return "", ErrBinary
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUndecodable, err)
	}
	s := string(out)
	if looksBinary(s) {
		return "", ErrUndecodable
	}
	return s, nil
}

// looksBinaryBytes reports NUL bytes or a high share of control bytes in the
// first 8 KiB, the same test file(1) and git use.
func looksBinaryBytes(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' {
			ctl++
		}
	}
	return ctl*20 > len(b) // more than 5% control bytes
}

func looksBinary(s string) bool {
	n, ctl := 0, 0
	for _, r := range s {
		n++
		if n > 8192 {
			break
		}
		if r == 0 || r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v') {
			ctl++
		}
	}
	return ctl*20 > n
}

var (
	odsTag     = regexp.MustCompile(`<<ODS [A-Z ]+[0-9]*>>|^\[DU\d+\]`)
	mdFootnote = regexp.MustCompile(`(?m)^\[\^\d+\]: `)
	mdRef      = regexp.MustCompile(`\[\^\d+\]`)
)

// Detect guesses the input kind from the text. The rules are ordered from
// the most specific sign to the least.
func Detect(text string) pipeline.InputKind {
	head := text
	if len(head) > 1<<16 {
		head = head[:1<<16]
	}
	// The regexps below only confirm what a plain substring search found:
	// scanning a whole document with them would cost more than cleaning it.
	if strings.Contains(head, "<<ODS ") && odsTag.MatchString(head) || strings.HasPrefix(head, "[DU") && odsTag.MatchString(head[:min(len(head), 16)]) {
		return pipeline.KindODS
	}
	// emend's own Markdown: [^N] references (two or more, or definitions),
	// which no extraction produces.
	if strings.Contains(head, "[^") && len(mdRef.FindAllStringIndex(head, 3)) >= 2 &&
		(mdFootnote.MatchString(text) || strings.Contains(text, "\n\n")) {
		return pipeline.KindMarkdown
	}
	nonEmpty, long, indented, columns, totalLen := 0, 0, 0, 0, 0
	// Line by line without splitting: a slice of every line costs more
	// than the counting. A "\r" before "\n" is white space to TrimSpace.
	for rest := text; rest != ""; {
		ln, after, _ := strings.Cut(rest, "\n")
		rest = after
		ln = strings.TrimSuffix(ln, "\r")
		t := strings.TrimSpace(ln)
		if t == "" {
			continue
		}
		nonEmpty++
		totalLen += len(t)
		if len(t) > 600 {
			long++
		}
		if strings.HasPrefix(strings.TrimLeft(ln, "\f"), "     ") {
			indented++
		}
		if strings.Contains(t, "    ") {
			columns++ // a run of spaces inside the line: columns set side by side
		}
	}
	if nonEmpty == 0 {
		return pipeline.KindPDFText
	}
	// Flattened text: the body sits on a handful of very long lines.
	if long > 0 && totalLen/nonEmpty > 400 {
		return pipeline.KindFlat
	}
	// pdftotext -layout indents body text and pads columns with runs of spaces.
	if indented*3 > nonEmpty || columns*10 > nonEmpty {
		return pipeline.KindLayout
	}
	if strings.Contains(text, "\f") {
		return pipeline.KindPDFText
	}
	if ocrGlyphScore(head) >= 2 {
		return pipeline.KindOCR
	}
	return pipeline.KindPDFText
}

// ocrGlyphScore counts signs of Tesseract output: glyphs it reads for
// superscript digits, glued to a word ("Summit®", "Women™"), or set after
// a comma and before a space ("Crime,? the"). Typeset text rarely has them.
func ocrGlyphScore(text string) int {
	n := strings.Count(text, "®") + strings.Count(text, "™")
	for _, g := range []string{",? ", ",” ", ",’ ", ",' ", ",* "} {
		n += strings.Count(text, g)
	}
	return n
}

// Read decodes b and builds a Document of pages and lines. kind may be
// empty to detect it.
func Read(source string, b []byte, kind pipeline.InputKind) (*pipeline.Document, error) {
	text, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if kind == "" {
		kind = Detect(text)
	}
	doc := &pipeline.Document{Source: source, Kind: kind}
	if kind == pipeline.KindMarkdown {
		ReadMarkdown(doc, text)
		return doc, nil
	}
	doc.Pages = SplitPages(text)
	return doc, nil
}

// SplitPages splits text at form feeds into pages and pages into lines,
// recording each line's indentation and whether blank lines preceded it.
func SplitPages(text string) []pipeline.Page {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\f")
	// A trailing form feed ends the last page rather than starting a new one.
	if len(raw) > 1 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	pages := make([]pipeline.Page, 0, len(raw))
	for i, p := range raw {
		page := pipeline.Page{Number: i + 1}
		blank := false
		for j, ln := range strings.Split(p, "\n") {
			ln = strings.TrimRight(ln, " \t\v")
			if strings.TrimSpace(ln) == "" {
				blank = true
				continue
			}
			indent := 0
			for _, r := range ln {
				if r == ' ' {
					indent++
				} else if r == '\t' {
					indent += 8 - indent%8
				} else {
					break
				}
			}
			page.Lines = append(page.Lines, pipeline.Line{
				Text:   strings.TrimLeft(ln, " \t"),
				Indent: indent,
				Break:  blank && len(page.Lines) > 0,
				Origin: j + 1,
			})
			blank = false
		}
		pages = append(pages, page)
	}
	return pages
}
