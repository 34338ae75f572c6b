package ocr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/emend/emend/pipeline"
)

// hocrLine is one text line of Tesseract's hOCR with its baseline.
type hocrLine struct {
	box    pipeline.Box
	slope  float64 // baseline: y = y1 + offset + slope*(x - x0)
	offset float64
	para   int
	words  []hocrWord
	// xSize is the row height, ascenders to descenders; xDescenders the
	// descenders' depth.
	xSize, xDescenders float64
}

type hocrWord struct {
	text  string
	box   pipeline.Box
	conf  float64 // 0..1
	chars []hocrChar
}

type hocrChar struct {
	text string
	box  pipeline.Box
}

// parseHOCR reads the lines, words and glyph boxes of one hOCR page. It
// wants hocr_char_boxes=1, which puts each glyph in an ocrx_cinfo span.
func parseHOCR(data []byte) (lines []hocrLine, width, height float64, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	para := 0
	var word *hocrWord
	var char *hocrChar
	var text strings.Builder
	// depth of the open ocrx_word span, to know which </span> closes it
	depth, wordDepth, charDepth := 0, -1, -1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, 0, fmt.Errorf("reading Tesseract's hOCR: %w", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			class, title := attr(el, "class"), attr(el, "title")
			switch class {
			case "ocr_page":
				b := titleBox(title)
				width, height = b.X1, b.Y1
			case "ocr_par":
				para++
			case "ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat":
				l := hocrLine{box: titleBox(title), para: para}
				if f := titleField(title, "baseline"); len(f) == 2 {
					l.slope, _ = strconv.ParseFloat(f[0], 64)
					l.offset, _ = strconv.ParseFloat(f[1], 64)
				}
				if f := titleField(title, "x_size"); len(f) == 1 {
					l.xSize, _ = strconv.ParseFloat(f[0], 64)
				}
				if f := titleField(title, "x_descenders"); len(f) == 1 {
					l.xDescenders, _ = strconv.ParseFloat(f[0], 64)
				}
				lines = append(lines, l)
			case "ocrx_word":
				if len(lines) > 0 {
					l := &lines[len(lines)-1]
					w := hocrWord{box: titleBox(title)}
					if f := titleField(title, "x_wconf"); len(f) == 1 {
						c, _ := strconv.ParseFloat(f[0], 64)
						w.conf = c / 100
					}
					l.words = append(l.words, w)
					word, wordDepth = &l.words[len(l.words)-1], depth
					text.Reset()
				}
			case "ocrx_cinfo":
				if word != nil {
					word.chars = append(word.chars, hocrChar{box: titleField2Box(title, "x_bboxes")})
					char, charDepth = &word.chars[len(word.chars)-1], depth
				}
			}
		case xml.CharData:
			if char != nil {
				char.text += string(el)
			} else if word != nil {
				text.Write(el)
			}
		case xml.EndElement:
			switch depth {
			case charDepth:
				char, charDepth = nil, -1
			case wordDepth:
				if word.text = strings.TrimSpace(text.String()); len(word.chars) > 0 {
					var b strings.Builder
					for _, c := range word.chars {
						b.WriteString(c.text)
					}
					word.text = b.String()
				}
				word, wordDepth = nil, -1
			}
			depth--
		}
	}
	// Drop empty words and lines (Tesseract emits them for noise).
	out := lines[:0]
	for _, l := range lines {
		ws := l.words[:0]
		for _, w := range l.words {
			if strings.TrimSpace(w.text) != "" {
				ws = append(ws, w)
			}
		}
		if l.words = ws; len(ws) > 0 {
			out = append(out, l)
		}
	}
	return out, width, height, nil
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// titleField returns the values of one property of an hOCR title
// ("bbox 1 2 3 4; x_wconf 96").
func titleField(title, name string) []string {
	for _, part := range strings.Split(title, ";") {
		f := strings.Fields(part)
		if len(f) > 0 && f[0] == name {
			return f[1:]
		}
	}
	return nil
}

func titleBox(title string) pipeline.Box { return titleField2Box(title, "bbox") }

func titleField2Box(title, name string) pipeline.Box {
	f := titleField(title, name)
	if len(f) < 4 {
		return pipeline.Box{}
	}
	var v [4]float64
	for i := range v {
		v[i], _ = strconv.ParseFloat(f[i], 64)
	}
	return pipeline.Box{X0: v[0], Y0: v[1], X1: v[2], Y1: v[3]}
}
