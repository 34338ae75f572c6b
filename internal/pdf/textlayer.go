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
				if word != nil {
					word.Text = strings.TrimSpace(text.String())
					if word.Text == "" {
						line.Words = line.Words[:len(line.Words)-1]
					}
					word = nil
				}
			case "line":
				if line != nil {
					line.Text = pipeline.JoinWords(line.Words)
					if line.Text == "" {
						page.Lines = page.Lines[:len(page.Lines)-1]
					}
				}
				line = nil
			case "page":
				page = nil
			}
		}
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
