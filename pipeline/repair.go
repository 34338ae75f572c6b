package pipeline

import "fmt"

// RepairKind groups repairs for the log, the report and the metrics.
type RepairKind string

const (
	RepairNormalize  RepairKind = "normalize"   // characters: NFC, ligatures, odd spaces
	RepairTag        RepairKind = "tag"         // ODS tags and marks removed
	RepairFurniture  RepairKind = "furniture"   // masthead, running head, job number, page number removed
	RepairFootnote   RepairKind = "footnote"    // footnote definition taken out of the body
	RepairHyphen     RepairKind = "hyphenation" // line-end hyphen removed or kept
	RepairSplitWord  RepairKind = "split-word"  // "organi zations" joined
	RepairSpelling   RepairKind = "spelling"    // UN spelling restored ("non-governmental")
	RepairParagraph  RepairKind = "paragraph"   // paragraph joined or split
	RepairNumbering  RepairKind = "numbering"   // displaced operative number moved back
	RepairMarker     RepairKind = "marker"      // footnote reference recognized
	RepairJunk       RepairKind = "junk"        // viewer junk and stray characters removed
	RepairPageFailed RepairKind = "page-failed" // a page could not be read
)

// Repair is one logged change: what a stage changed, why, how sure it is,
// and where.
type Repair struct {
	Stage      string     `json:"stage"`
	Kind       RepairKind `json:"kind"`
	Before     string     `json:"before"`
	After      string     `json:"after"`
	Reason     string     `json:"reason"`
	Confidence float64    `json:"confidence"`
	Pos        Position   `json:"position"`
}

// Position locates a repair. Page and Line refer to the input (1-based,
// 0 when unknown). Paragraph is the index into Document.Paragraphs for
// repairs made after paragraphs exist, -1 before. Start and End are byte
// offsets in the line or paragraph text at the time of the repair.
type Position struct {
	Page      int `json:"page"`
	Line      int `json:"line"`
	Paragraph int `json:"paragraph"`
	Start     int `json:"start"`
	End       int `json:"end"`
}

func (p Position) String() string {
	if p.Paragraph >= 0 {
		return fmt.Sprintf("page %d line %d paragraph %d [%d:%d]", p.Page, p.Line, p.Paragraph+1, p.Start, p.End)
	}
	return fmt.Sprintf("page %d line %d [%d:%d]", p.Page, p.Line, p.Start, p.End)
}

// LinePos is the position of a span in a line of a page.
func LinePos(page, line, start, end int) Position {
	return Position{Page: page, Line: line, Paragraph: -1, Start: start, End: end}
}

// Record appends a repair to the document's log.
func (d *Document) Record(r Repair) { d.Log = append(d.Log, r) }

// ParaPos is the position of a span in paragraph i.
func (d *Document) ParaPos(i, start, end int) Position {
	p := d.Paragraphs[i]
	return Position{Page: p.Page, Line: p.Line, Paragraph: i, Start: start, End: end}
}

// CountRepairs returns the number of logged repairs of each kind.
func (d *Document) CountRepairs() map[RepairKind]int {
	n := map[RepairKind]int{}
	for _, r := range d.Log {
		n[r.Kind]++
	}
	return n
}
