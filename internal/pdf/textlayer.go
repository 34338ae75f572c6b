package pdf

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/emend/emend/pipeline"
)

// TextLayer reads the text layer of every page with word boxes, in
// poppler's reading order (flows, blocks, lines). Pages come back in order,
// numbered from 1; a page without text has no lines. Boxes are in PDF
// points, origin top left.
func (t Tools) TextLayer(ctx context.Context, path string, pages int) ([]pipeline.Page, error) {
	out, err := run(ctx, t.timeout(pages), "pdftotext", "-bbox-layout", "-enc", "UTF-8", path, "-")
	if err != nil {
		return nil, err
	}
	return ParseBBoxLayout(out)
}

// ParseBBoxLayout parses pdftotext -bbox-layout XHTML.
func ParseBBoxLayout(data []byte) ([]pipeline.Page, error) {
	// pdftotext copies control characters from fonts without a proper
	// Unicode map straight into its XHTML, where XML forbids them; one
	// would make the whole page unreadable. They carry no text: drop them.
	data = bytes.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, data)
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var (
		pages  []pipeline.Page
		page   *pipeline.Page
		line   *pipeline.Line
		word   *pipeline.Word
		text   strings.Builder
		blockN int
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading pdftotext output: %w", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "page":
				pages = append(pages, pipeline.Page{Number: len(pages) + 1,
					Width: attrFloat(el, "width"), Height: attrFloat(el, "height")})
				page = &pages[len(pages)-1]
			case "block":
				blockN++
			case "line":
				if page != nil {
					page.Lines = append(page.Lines, pipeline.Line{Origin: len(page.Lines) + 1, Block: blockN})
					line = &page.Lines[len(page.Lines)-1]
				}
			case "word":
				if line != nil {
					b := &pipeline.Box{X0: attrFloat(el, "xMin"), Y0: attrFloat(el, "yMin"),
						X1: attrFloat(el, "xMax"), Y1: attrFloat(el, "yMax")}
					// poppler's word box spans the font's ascent to its
					// descent: its height is the font size.
					line.Words = append(line.Words, pipeline.Word{Box: b, FontSize: b.Height()})
					word = &line.Words[len(line.Words)-1]
					text.Reset()
				}
			}
		case xml.CharData:
			if word != nil {
				text.Write(el)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "word":
				if word != nil && line != nil && len(line.Words) > 0 && word == &line.Words[len(line.Words)-1] {
					word.Text = strings.TrimSpace(text.String())
					if word.Text == "" {
						line.Words = line.Words[:len(line.Words)-1]
					}
				}
				word = nil
			case "line":
				if line != nil && page != nil && len(page.Lines) > 0 && line == &page.Lines[len(page.Lines)-1] {
					line.Text = pipeline.JoinWords(line.Words)
					if line.Text == "" {
						page.Lines = page.Lines[:len(page.Lines)-1]
					}
				}
				line, word = nil, nil
			case "page":
				page, line, word = nil, nil, nil
			}
		}
	}
	// Malformed nesting can leave lines whose end tag never came: keep
	// only lines with text, as for well-formed ones.
	for i := range pages {
		lines := pages[i].Lines[:0]
		for _, ln := range pages[i].Lines {
			words := ln.Words[:0]
			for _, w := range ln.Words {
				if w.Text != "" {
					words = append(words, w)
				}
			}
			ln.Words = words
			if ln.Text = pipeline.JoinWords(words); ln.Text != "" {
				lines = append(lines, ln)
			}
		}
		pages[i].Lines = lines
	}
	return pages, nil
}

func attrFloat(el xml.StartElement, name string) float64 {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			f, _ := strconv.ParseFloat(a.Value, 64)
			return f
		}
	}
	return 0
}
