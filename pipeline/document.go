// Package pipeline holds emend's document model and the loop that runs
// repair stages over it.
//
// A Document starts as pages of raw lines, as a reader produced them. Line
// stages (normalization, ODS tags, page furniture, footnote blocks,
// line-end hyphens) edit and remove lines; the paragraph stage then turns the
// surviving lines into Paragraphs, and paragraph stages (split words,
// numbering, footnote markers) work on those. Every change is recorded in
// the repair log with the page and line it came from.
package pipeline

// InputKind names the form a document arrived in. Stages use it to weigh
// evidence: a blank line means a paragraph break in OCR text but can be a
// page artefact in pdftotext output.
type InputKind string

const (
	KindPDFText  InputKind = "pdftext"  // pdftotext output: line breaks, form feeds
	KindLayout   InputKind = "layout"   // pdftotext -layout: columns and indentation
	KindFlat     InputKind = "flat"     // text flattened onto one or a few long lines
	KindOCR      InputKind = "ocr"      // raw Tesseract text
	KindODS      InputKind = "ods"      // legacy ODS export with [DU1] and <<ODS ...>> tags
	KindMarkdown InputKind = "markdown" // emend's own Markdown, read back in
	KindScan     InputKind = "scan"     // page images or image-only PDF pages, OCR'd here
	KindPDF      InputKind = "pdf"      // born-digital PDF text layer with geometry
)

// Kinds lists the input kinds a user may name with --input-kind.
var Kinds = []InputKind{KindPDFText, KindLayout, KindFlat, KindOCR, KindODS, KindMarkdown}

// Document is one UN document on its way through the stages.
type Document struct {
	Source string    // file name as the user gave it, for messages
	Kind   InputKind // detected or forced input kind
	Pages  []Page    // working lines; emptied of furniture and footnotes by line stages

	Meta       Metadata
	Paragraphs []Paragraph
	Footnotes  []Footnote
	Log        []Repair

	// FailedPages records pages that could not be read (OCR time-outs,
	// broken PDF pages). The rest of the document is still cleaned.
	FailedPages []PageError

	// Original is a copy of Pages as the reader produced them, before any
	// stage ran. Only review reports need it, so it is kept only when the
	// caller asks (clean.Options.KeepOriginal); stages never read it.
	Original []Page
}

// ClonePages copies pages deeply enough that stages editing the copy's
// lines and words leave the original alone.
func ClonePages(pages []Page) []Page {
	out := make([]Page, len(pages))
	for i, p := range pages {
		out[i] = p
		out[i].Lines = make([]Line, len(p.Lines))
		for j, ln := range p.Lines {
			out[i].Lines[j] = ln
			if ln.Words != nil {
				words := make([]Word, len(ln.Words))
				for k, w := range ln.Words {
					words[k] = w
					if w.Box != nil {
						b := *w.Box
						words[k].Box = &b
					}
				}
				out[i].Lines[j].Words = words
			}
		}
	}
	return out
}

// Page is one physical page, numbered from 1. Text inputs without form feeds
// are one page.
type Page struct {
	Number int
	Lines  []Line
	// Width and Height are the page's size in the unit of its word boxes
	// (pixels for OCR, points for PDF text layers); zero for text inputs.
	Width, Height float64
}

// Line is one line of text as the input laid it out.
type Line struct {
	Text string
	// Indent is the count of leading spaces the input had before the text,
	// kept because first-line indentation marks paragraph starts in
	// pdftotext -layout output.
	Indent int
	// Words carries geometry where the reader had it (OCR, PDF text layers).
	// Text inputs leave it nil; stages must not depend on it being present.
	Words []Word
	// Break is set when a blank line (or more) preceded this line.
	Break bool
	// Origin is the line's number in its page as read (1-based), kept
	// through removals so that repairs point at the input.
	Origin int
	// Block is the text block (pdftotext) or paragraph (Tesseract) the
	// reader put the line in, numbered through the document; 0 when unknown.
	Block int
}

// Word is a word with the optional geometry of its glyphs.
type Word struct {
	Text       string
	Box        *Box    // in page pixels or PDF points; nil when unknown
	FontSize   float64 // 0 when unknown
	Confidence float64 // 0..1; 0 when unknown
	// Superscript is set by readers that can see a raised, small glyph run.
	Superscript bool
	// Joined means no space separates this word from the one before: a
	// superscript split off the word it was printed against.
	Joined bool
}

// Box is an axis-aligned rectangle, origin top left.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Height is the box's height.
func (b Box) Height() float64 { return b.Y1 - b.Y0 }

// Width is the box's width.
func (b Box) Width() float64 { return b.X1 - b.X0 }

// RaisedMark is written into line text before a glyph run that the page's
// geometry shows is a superscript, but which does not read as digits (OCR
// reads a superscript 1 as ' or !). It tells the marker stage "this is a
// footnote marker, number unknown"; the marker stage removes every
// RaisedMark, so none reaches the output. It is a private-use code point
// from the last plane, which no font or text input uses.
const RaisedMark = '􏿽'

// JoinWords is a line's text as its words spell it, one space between.
func JoinWords(words []Word) string {
	n := 0
	for _, w := range words {
		n += len(w.Text) + 1
	}
	b := make([]byte, 0, n)
	for i, w := range words {
		if i > 0 && !w.Joined {
			b = append(b, ' ')
		}
		b = append(b, w.Text...)
	}
	return string(b)
}

// ParagraphKind is the role a paragraph plays in a UN document.
type ParagraphKind string

const (
	ParaTitle        ParagraphKind = "title"        // adoption line, committee line, resolution title, "The General Assembly,"
	ParaPreambular   ParagraphKind = "preambular"   // "Recalling ...,"
	ParaOperative    ParagraphKind = "operative"    // "1. Decides ...;"
	ParaSubparagraph ParagraphKind = "subparagraph" // "(a) ..."
	ParaClosing      ParagraphKind = "closing"      // "82nd plenary meeting", date
	ParaBody         ParagraphKind = "body"         // anything else
)

// Paragraph is one block of the cleaned text.
type Paragraph struct {
	Kind ParagraphKind
	// Number is the operative number ("1") or sub-paragraph letter ("a"),
	// empty for other kinds. Text still begins with it as printed.
	Number string
	Text   string
	// Refs are footnote references in Text, in order of Offset. Offset is the
	// byte offset in Text right after which the marker stands.
	Refs []Ref
	// Page and Line locate the paragraph's first line in the input.
	Page, Line int
}

// Ref is one footnote reference.
type Ref struct {
	Offset int
	Number int
}

// Footnote is a footnote definition and where it is referenced.
type Footnote struct {
	Number int
	Text   string
	Page   int         // page the definition was printed on, 0 if unknown
	Refs   []RefSource // filled by the marker stage
}

// RefSource points at one reference to a footnote.
type RefSource struct {
	Paragraph int // index into Document.Paragraphs
	Offset    int // byte offset in that paragraph's Text
}

// Metadata is what page furniture and tags say about the document.
type Metadata struct {
	Symbol       string   `json:"symbol,omitempty"`       // A/RES/61/180
	Symbols      []string `json:"symbols,omitempty"`      // every symbol the masthead carried
	JobNumber    string   `json:"job_number,omitempty"`   // 06-50523
	Body         string   `json:"body,omitempty"`         // General Assembly
	Distribution string   `json:"distribution,omitempty"` // General, Limited, Restricted
	Date         string   `json:"date,omitempty"`         // date of issue from the masthead
	Session      string   `json:"session,omitempty"`      // Sixty-first session
	AgendaItem   string   `json:"agenda_item,omitempty"`  // 98, or "5 and 6"
	AgendaTitle  string   `json:"agenda_title,omitempty"` // the item's title, where printed
	Adopted      string   `json:"adopted,omitempty"`      // adoption date from "Resolution adopted by ... on"
	Title        string   `json:"title,omitempty"`        // "Improving the coordination ..."
	Language     string   `json:"language,omitempty"`     // E for (E) in job numbers
}

// PageError records a page that could not be read.
type PageError struct {
	Page int    `json:"page"`
	Err  string `json:"error"`
}
