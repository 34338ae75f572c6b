package report

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/emend/emend/pipeline"
)

// model is a document laid out for the report: rows pairing a stretch of
// the input with the paragraph cleaned from it, and every repair's places.
type model struct {
	doc *pipeline.Document
	src *source

	// rows[i] is paragraph i's stretch of the input; lead is what comes
	// before the first paragraph (the masthead, mostly).
	rows []span
	lead span
	// trail is what follows the last paragraph's last words.
	trail span
	// notes[i] is footnote i's stretch of the input; ok false when the
	// definition was not found there.
	notes []noteSpan

	left  map[int][]spot // input line → repairs shown in it
	right map[int][]spot // paragraph → repairs shown in its cleaned text
	note  map[int][]spot // footnote → repairs shown in its definition
	// refRepair maps (paragraph, index into Refs) to the marker repair
	// that found that reference.
	refRepair map[[2]int]int
	boxes     map[int][]pageBox // page number → repaired words' boxes
	// shown[i] says whether repair i is highlighted anywhere.
	shown []bool
}

// span is a stretch of the input, from one place to another.
type span struct{ from, to loc }

type noteSpan struct {
	span
	ok bool
}

// pageBox is a repaired word's box on a page image.
type pageBox struct {
	repair int
	box    pipeline.Box
}

// markerAfter reads the footnote number from a marker repair's text.
var markerAfter = regexp.MustCompile(`\[\^([0-9]+)\]$`)

func build(doc *pipeline.Document) *model {
	m := &model{
		doc:       doc,
		src:       newSource(doc.Original),
		left:      map[int][]spot{},
		right:     map[int][]spot{},
		note:      map[int][]spot{},
		refRepair: map[[2]int]int{},
		boxes:     map[int][]pageBox{},
		shown:     make([]bool, len(doc.Log)),
	}
	m.layRows()
	m.placeRepairs()
	return m
}

// layRows pairs each paragraph and footnote with its stretch of input.
func (m *model) layRows() {
	s := m.src
	end := s.tokenLoc(len(s.tokens))
	if len(s.lines) > 0 {
		end = loc{len(s.lines) - 1, len(s.lines[len(s.lines)-1].text)}
	}
	anchors := s.anchorParagraphs(m.doc.Paragraphs)
	m.rows = make([]span, len(anchors))
	for i, k := range anchors {
		to := end
		if i+1 < len(anchors) {
			to = s.tokenLoc(anchors[i+1])
		}
		m.rows[i] = span{s.tokenLoc(k), to}
	}
	m.lead = span{loc{}, end}
	if n := len(m.rows); n > 0 {
		m.lead.to = m.rows[0].from
		// The last paragraph ends where its last words are; what follows
		// (footnotes, furniture an export dumped at the end) is the trail.
		want := tokenize(m.doc.Paragraphs[n-1].Text, -1)
		if k := s.findEnd(want, anchors[n-1]); k > 0 {
			if to := s.endLoc(k); to.before(end) {
				m.rows[n-1].to = to
				m.trail = span{to, end}
			}
		}
	}
	m.notes = make([]noteSpan, len(m.doc.Footnotes))
	for i, f := range m.doc.Footnotes {
		if a, b, ok := s.anchorFootnote(f); ok {
			to := s.tokenLoc(b)
			if b > 0 && b <= len(s.tokens) {
				to = s.endLoc(b)
			}
			m.notes[i] = noteSpan{span{s.tokenLoc(a), to}, true}
		}
	}
}

// rowOf is the paragraph whose stretch of input holds line l, or -1.
func (m *model) rowOf(l int) int {
	i := sort.Search(len(m.rows), func(i int) bool { return m.rows[i].from.line > l })
	return i - 1
}

// placeRepairs finds each repair in the input and in the result.
func (m *model) placeRepairs() {
	markerSeen := map[[2]int]int{} // (paragraph, number) → marker repairs seen
	noteIndex := map[int]int{}
	for i, f := range m.doc.Footnotes {
		noteIndex[f.Number] = i
	}
	for idx, r := range m.doc.Log {
		if r.Kind == pipeline.RepairPageFailed {
			continue
		}
		if r.Pos.Paragraph < 0 {
			m.placeLineRepair(idx, r, noteIndex)
			continue
		}
		p := r.Pos.Paragraph
		if p >= len(m.doc.Paragraphs) {
			continue
		}
		text := m.doc.Paragraphs[p].Text
		if r.Kind == pipeline.RepairMarker {
			if sm := markerAfter.FindStringSubmatch(r.After); sm != nil {
				n, _ := strconv.Atoi(sm[1])
				key := [2]int{p, n}
				seen := markerSeen[key]
				markerSeen[key]++
				for k, ref := range m.doc.Paragraphs[p].Refs {
					if ref.Number != n {
						continue
					}
					if seen == 0 {
						if _, taken := m.refRepair[[2]int{p, k}]; !taken {
							m.refRepair[[2]int{p, k}] = idx
						}
						break
					}
					seen--
				}
			}
		} else if after := core(r.After); after != "" {
			if at := nearest(text, after, r.Pos.Start); at >= 0 {
				a, b := changed(after, core(r.Before))
				m.right[p] = append(m.right[p], spot{idx, at + a, at + b})
			}
		} else if r.After == "" {
			m.right[p] = append(m.right[p], spot{idx, min(r.Pos.Start, len(text)), min(r.Pos.Start, len(text))})
		}
		if p < len(m.rows) {
			m.placeInRow(idx, r, m.rows[p])
		}
	}
	// A text is highlighted once: overlapping spots are dropped, and a
	// repair counts as shown only where one of its spots survived.
	clear(m.shown)
	for _, spots := range []map[int][]spot{m.left, m.right, m.note} {
		for k, v := range spots {
			spots[k] = sortSpots(v)
			for _, sp := range spots[k] {
				m.shown[sp.repair] = true
			}
		}
	}
	for _, idx := range m.refRepair {
		m.shown[idx] = true
	}
	for l, spots := range m.left {
		ol := m.src.lines[l]
		for _, sp := range spots {
			if b, ok := ol.box(sp.start, sp.end); ok {
				m.boxes[ol.page] = append(m.boxes[ol.page], pageBox{sp.repair, b})
			}
		}
	}
}

// placeLineRepair places a repair a line stage made: in its input line,
// and, when it changed rather than removed text, in the paragraph or
// footnote the line went into.
func (m *model) placeLineRepair(idx int, r pipeline.Repair, noteIndex map[int]int) {
	l := m.src.line(r.Pos.Page, r.Pos.Line)
	if l < 0 {
		return
	}
	if sp, ok := placeInLine(m.src.lines[l], r, idx); ok {
		m.left[l] = append(m.left[l], sp)
	}
	if r.Kind == pipeline.RepairFootnote {
		if sm := footnoteAfter.FindStringSubmatch(r.After); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			if i, ok := noteIndex[n]; ok {
				m.note[i] = append(m.note[i], spot{idx, 0, len(m.doc.Footnotes[i].Text)})
			}
		}
		return
	}
	after := core(r.After)
	if after == "" || strings.ContainsRune(r.After, pipeline.RaisedMark) {
		return // removed, or a raised glyph the marker stage reports itself
	}
	if p := m.rowOf(l); p >= 0 {
		text := m.doc.Paragraphs[p].Text
		if at := nearest(text, after, 0); at >= 0 {
			a, b := changed(after, core(r.Before))
			m.right[p] = append(m.right[p], spot{idx, at + a, at + b})
		}
	}
}

// footnoteAfter reads the number of a footnote definition taken out.
var footnoteAfter = regexp.MustCompile(`^\[\^([0-9]+)\]:`)

// placeInRow finds a paragraph repair's text in the paragraph's stretch of
// input, whose lines are joined by spaces as the paragraph's were.
func (m *model) placeInRow(idx int, r pipeline.Repair, row span) {
	ctx, glyph := splitMarker(r)
	before := core(ctx + glyph)
	if before == "" {
		return
	}
	var joined strings.Builder
	type piece struct{ at, line, off int }
	var pieces []piece
	for l := row.from.line; l <= row.to.line && l < len(m.src.lines); l++ {
		a, b := m.src.pieceOf(l, row)
		if a >= b {
			continue
		}
		if joined.Len() > 0 {
			joined.WriteByte(' ')
		}
		pieces = append(pieces, piece{joined.Len(), l, a})
		joined.WriteString(strings.TrimRight(m.src.lines[l].text[a:b], " "))
	}
	text := joined.String()
	at := nearest(text, before, r.Pos.Start)
	if at < 0 {
		return
	}
	start, end := at, at+len(before)
	if r.Kind == pipeline.RepairMarker && glyph != "" && strings.HasSuffix(before, glyph) {
		start = end - len(glyph) // the glyphs, not their context
	} else if r.Kind != pipeline.RepairMarker {
		a, b := changed(before, core(r.After))
		start, end = at+a, at+b
	}
	// The line holding start; the highlight stops at its end.
	k := sort.Search(len(pieces), func(k int) bool { return pieces[k].at > start }) - 1
	if k < 0 {
		return
	}
	pc := pieces[k]
	lineEnd := len(text)
	if k+1 < len(pieces) {
		lineEnd = pieces[k+1].at - 1
	}
	end = min(end, lineEnd)
	m.left[pc.line] = append(m.left[pc.line], spot{idx, pc.off + start - pc.at, pc.off + end - pc.at})
}

// pieceOf is the part of line l inside a stretch of input, as byte offsets.
func (s *source) pieceOf(l int, sp span) (a, b int) {
	a, b = 0, len(s.lines[l].text)
	if l == sp.from.line {
		a = sp.from.off
	}
	if l == sp.to.line {
		b = sp.to.off
	}
	if l > sp.to.line || l < sp.from.line {
		return 0, 0
	}
	return a, b
}
