// Package input turns the bytes of a file into a pipeline.Document: it
// decodes the text, detects what kind of extraction produced it, and splits
// it into pages and lines.
package input

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
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
	return controlBytes(b)*20 > len(b) // more than 5% control bytes
}

// controlBytes counts the bytes of b below 0x20 other than the white space
// \t \n \v \f \r (0x09 to 0x0D). It takes eight bytes at a time: the test
// runs on up to 8 KiB of every input, as much as a short document has.
func controlBytes(b []byte) int {
	n, i := 0, 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if below := bytesBelow(x, 0x20); below != 0 {
			// Those below 0x20, less those in 0x09..0x0D.
			n += bits.OnesCount64(below) - bits.OnesCount64(bytesBelow(x, 0x0E)) + bits.OnesCount64(bytesBelow(x, 0x09))
		}
	}
	for _, c := range b[i:] {
		if c < 0x20 && (c < 0x09 || c > 0x0D) {
			n++
		}
	}
	return n
}

// bytesBelow returns the high bit of each byte of x that is less than k
// (1 <= k <= 0x80), and no other bit. Adding 0x80-k to the low seven bits
// of a byte sets its high bit exactly when they are k or more, without a
// carry into the next byte; a byte with its own high bit set is k or more.
func bytesBelow(x uint64, k byte) uint64 {
	const low7, high = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	return ^((x&low7 + uint64(0x80-k)*0x0101010101010101) | x) & high
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
		if hasFourSpaces(t) {
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
	// The comma patterns, ",? " ",” " ",’ " ",' " ",* ", are counted in one
	// pass over the commas. No two of them can stand at the same comma, nor
	// can one overlap another, so the sum is what counting each would give.
	for rest := text; ; {
		i := strings.IndexByte(rest, ',')
		if i < 0 {
			return n
		}
		rest = rest[i+1:]
		switch {
		case len(rest) >= 2 && (rest[0] == '?' || rest[0] == '\'' || rest[0] == '*') && rest[1] == ' ',
			strings.HasPrefix(rest, "” "), strings.HasPrefix(rest, "’ "):
			n++
		}
	}
}

// hasFourSpaces is strings.Contains(t, "    "), probing every fourth
// byte: in text, where every word ends with a space, strings.Contains
// stops at each of them. Any run of four spaces covers a probe.
func hasFourSpaces(t string) bool {
	for i := 3; i < len(t); i += 4 {
		if t[i] != ' ' {
			continue
		}
		a, b := i, i
		for a > i-3 && t[a-1] == ' ' {
			a--
		}
		for b-a < 3 && b+1 < len(t) && t[b+1] == ' ' {
			b++
		}
		if b-a >= 3 {
			return true
		}
	}
	return false
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
	// The stages log a repair every 100 to 600 bytes of UN text; a log
	// sized for one in 256 is grown once at most, where growing it from
	// nothing copies it six or seven times.
	doc := &pipeline.Document{Source: source, Kind: kind,
		Log: make([]pipeline.Repair, 0, len(text)/256+8)}
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
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	raw := strings.Split(text, "\f")
	// A trailing form feed ends the last page rather than starting a new one.
	if len(raw) > 1 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	pages := make([]pipeline.Page, len(raw))
	// The lines of all pages share one array, as long as the count of
	// line feeds allows: growing each page's lines line by line cost more
	// than splitting them. Each page's slice is capped at its own lines,
	// so that appending to one page never writes into the next.
	lines := make([]pipeline.Line, 0, strings.Count(text, "\n")+len(raw))
	for i, p := range raw {
		start := len(lines)
		blank := false
		for j := 1; ; j++ {
			ln, rest, more := strings.Cut(p, "\n")
			p = rest
			ln = trimRightSpaceTabVT(ln)
			if isBlankLine(ln) {
				blank = true
			} else {
				indent, k := 0, 0
				for ; k < len(ln); k++ {
					if c := ln[k]; c == ' ' {
						indent++
					} else if c == '\t' {
						indent += 8 - indent%8
					} else {
						break
					}
				}
				lines = append(lines, pipeline.Line{
					Text:   ln[k:],
					Indent: indent,
					Break:  blank && len(lines) > start,
					Origin: j,
				})
				blank = false
			}
			if !more {
				break
			}
		}
		pages[i].Number = i + 1
		if len(lines) > start {
			pages[i].Lines = lines[start:len(lines):len(lines)]
		}
	}
	return pages
}

// trimRightSpaceTabVT is strings.TrimRight(s, " \t\v").
func trimRightSpaceTabVT(s string) string {
	i := len(s)
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\v') {
		i--
	}
	return s[:i]
}

// isBlankLine is strings.TrimSpace(ln) == "" for a line trimmed on the
// right of spaces, tabs and vertical tabs: such a line that ends in an
// ASCII byte ends in one TrimSpace keeps (it holds no line feed, form
// feed or carriage return), so only a line ending in a multi-byte rune
// (U+00A0, U+3000…) needs the full test.
func isBlankLine(ln string) bool {
	if ln == "" {
		return true
	}
	if ln[len(ln)-1] < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(ln) == ""
}
