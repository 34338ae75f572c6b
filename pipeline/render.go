package pipeline

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Format names an output format.
type Format string

const (
	FormatMarkdown Format = "md"
	FormatText     Format = "text"
	FormatJSON     Format = "json"
)

// ParseFormat accepts the names users type for each format.
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(s) {
	case "md", "markdown":
		return FormatMarkdown, true
	case "text", "txt", "plain":
		return FormatText, true
	case "json":
		return FormatJSON, true
	}
	return "", false
}

// Ext is the file extension for the format.
func (f Format) Ext() string {
	switch f {
	case FormatText:
		return ".txt"
	case FormatJSON:
		return ".json"
	}
	return ".md"
}

// Render writes doc in format f.
func Render(doc *Document, f Format) ([]byte, error) {
	switch f {
	case FormatText:
		return PlainText(doc), nil
	case FormatJSON:
		return JSON(doc)
	}
	return Markdown(doc), nil
}

// withRefs returns the paragraph text with each reference written by ref.
func withRefs(p Paragraph, ref func(n int) string) string {
	if len(p.Refs) == 0 {
		return p.Text
	}
	var b strings.Builder
	last := 0
	for _, r := range refsInOrder(p.Refs) {
		if r.Offset < last || r.Offset > len(p.Text) {
			continue
		}
		b.WriteString(p.Text[last:r.Offset])
		b.WriteString(ref(r.Number))
		last = r.Offset
	}
	b.WriteString(p.Text[last:])
	return b.String()
}

// refsInOrder returns refs sorted by Offset, stably. Stages keep them in
// order, so a copy to sort is made only when they are not.
func refsInOrder(refs []Ref) []Ref {
	if slices.IsSortedFunc(refs, compareRefOffsets) {
		return refs
	}
	refs = slices.Clone(refs)
	slices.SortStableFunc(refs, compareRefOffsets)
	return refs
}

func compareRefOffsets(a, b Ref) int { return cmp.Compare(a.Offset, b.Offset) }

// appendMarkdownText appends the paragraph text with each reference
// written as [^N], as withRefs would, without building the string first.
func appendMarkdownText(dst []byte, p Paragraph) []byte {
	last := 0
	for _, r := range refsInOrder(p.Refs) {
		if r.Offset < last || r.Offset > len(p.Text) {
			continue
		}
		dst = append(dst, p.Text[last:r.Offset]...)
		dst = appendMarkdownRef(dst, r.Number)
		last = r.Offset
	}
	return append(dst, p.Text[last:]...)
}

func appendMarkdownRef(dst []byte, n int) []byte {
	dst = append(dst, "[^"...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, ']')
}

// Markdown writes one paragraph per block, references as [^N] and the
// definitions, one per line, at the end.
func Markdown(doc *Document) []byte {
	// Room for the text, the separators and references of up to four
	// digits, so that the output is written in one allocation.
	size := 1
	for _, p := range doc.Paragraphs {
		size += len(p.Text) + 2 + 7*len(p.Refs)
	}
	for _, f := range doc.Footnotes {
		size += len(f.Text) + 10
	}
	b := make([]byte, 0, size)
	for i, p := range doc.Paragraphs {
		if i > 0 {
			b = append(b, "\n\n"...)
		}
		b = appendMarkdownText(b, p)
	}
	if len(doc.Footnotes) > 0 {
		if len(b) > 0 {
			b = append(b, "\n\n"...)
		}
		for i, f := range doc.Footnotes {
			if i > 0 {
				b = append(b, '\n')
			}
			b = appendMarkdownRef(b, f.Number)
			b = append(b, ": "...)
			b = append(b, f.Text...)
		}
	}
	if len(b) > 0 {
		b = append(b, '\n')
	}
	return b
}

var superDigits = []string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// Superscript writes n in Unicode superscript digits.
func Superscript(n int) string {
	if n < 0 {
		return "⁻" + SuperscriptDigits(strconv.Itoa(-n))
	}
	return SuperscriptDigits(strconv.Itoa(n))
}

// SuperscriptDigits writes a run of ASCII digits as superscripts, keeping
// any other byte as it is.
func SuperscriptDigits(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; c >= '0' && c <= '9' {
			b.WriteString(superDigits[c-'0'])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// PlainText writes paragraphs separated by blank lines, references as
// superscript digits, and the footnotes after a rule.
func PlainText(doc *Document) []byte {
	var b strings.Builder
	for i, p := range doc.Paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(withRefs(p, Superscript))
	}
	if len(doc.Footnotes) > 0 {
		b.WriteString("\n\n__________\n")
		for _, f := range doc.Footnotes {
			b.WriteString(Superscript(f.Number) + " " + f.Text + "\n")
		}
		return []byte(b.String())
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// jsonDoc is the JSON output. Offsets are byte offsets into the UTF-8 text
// of the paragraph they belong to.
type jsonDoc struct {
	Source      string             `json:"source"`
	Kind        InputKind          `json:"input_kind"`
	Meta        Metadata           `json:"metadata"`
	Paragraphs  []jsonParagraph    `json:"paragraphs"`
	Footnotes   []jsonFootnote     `json:"footnotes"`
	Repairs     []Repair           `json:"repairs"`
	Counts      map[RepairKind]int `json:"repair_counts"`
	FailedPages []PageError        `json:"failed_pages,omitempty"`
}

type jsonParagraph struct {
	Kind     ParagraphKind `json:"kind"`
	Number   string        `json:"number,omitempty"`
	Text     string        `json:"text"`
	Markdown string        `json:"markdown"`
	Refs     []jsonRef     `json:"refs,omitempty"`
	Page     int           `json:"page"`
	Line     int           `json:"line"`
}

type jsonRef struct {
	Offset int `json:"offset"`
	Number int `json:"number"`
}

type jsonFootnote struct {
	Number int            `json:"number"`
	Text   string         `json:"text"`
	Page   int            `json:"page,omitempty"`
	Refs   []jsonRefSouce `json:"refs"`
}

type jsonRefSouce struct {
	Paragraph int `json:"paragraph"`
	Offset    int `json:"offset"`
}

// JSON writes the document with its metadata, paragraphs, footnotes and
// repair log.
func JSON(doc *Document) ([]byte, error) {
	out := jsonDoc{Source: doc.Source, Kind: doc.Kind, Meta: doc.Meta, Repairs: doc.Log,
		Counts: doc.CountRepairs(), FailedPages: doc.FailedPages,
		Paragraphs: []jsonParagraph{}, Footnotes: []jsonFootnote{}}
	if out.Repairs == nil {
		out.Repairs = []Repair{}
	}
	for _, p := range doc.Paragraphs {
		jp := jsonParagraph{Kind: p.Kind, Number: p.Number, Text: p.Text, Page: p.Page, Line: p.Line,
			Markdown: withRefs(p, func(n int) string { return "[^" + strconv.Itoa(n) + "]" })}
		for _, r := range p.Refs {
			jp.Refs = append(jp.Refs, jsonRef(r))
		}
		out.Paragraphs = append(out.Paragraphs, jp)
	}
	for _, f := range doc.Footnotes {
		jf := jsonFootnote{Number: f.Number, Text: f.Text, Page: f.Page, Refs: []jsonRefSouce{}}
		for _, r := range f.Refs {
			jf.Refs = append(jf.Refs, jsonRefSouce(r))
		}
		out.Footnotes = append(out.Footnotes, jf)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
