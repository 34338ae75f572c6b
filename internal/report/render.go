package report

import (
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
)

// renderer writes the highlighted texts. Each repair's first highlight in
// the input gets the id o-N and its first in the result c-N (N its index
// in the log), which the repair list links to.
type renderer struct {
	m   *model
	ids map[string]bool
	// refCount counts the references written to each footnote, for their
	// ids fnref-N-K.
	refCount map[int]int
}

// orig writes a stretch of the input, line by line, with the repairs
// made there highlighted and a page label where a page begins.
func (r *renderer) orig(sp span) template.HTML {
	var b strings.Builder
	s := r.m.src
	for l := sp.from.line; l <= sp.to.line && l < len(s.lines); l++ {
		a, e := s.pieceOf(l, sp)
		ol := s.lines[l]
		if a == 0 && (l == 0 || s.lines[l-1].page != ol.page) {
			b.WriteString(`<span class="pg">page ` + strconv.Itoa(ol.page) + `</span>`)
		}
		if a >= e && !(a == 0 && e == 0 && ol.text == "") {
			continue
		}
		var spots []spot
		for _, p := range r.m.left[l] {
			if p.end > a && p.start < e || p.start == p.end && p.start >= a && p.start <= e {
				spots = append(spots, spot{p.repair, max(p.start, a) - a, min(p.end, e) - a})
			}
		}
		b.WriteString(`<span class="ln" title="page ` + strconv.Itoa(ol.page) + `, line ` + strconv.Itoa(ol.origin) + `">`)
		b.WriteString(r.marked(ol.text[a:e], spots, nil, "o-"))
		b.WriteString("</span>")
	}
	return template.HTML(b.String())
}

// paragraph writes paragraph i of the result with its repairs and its
// footnote references, recording the references' ids by footnote number.
func (r *renderer) paragraph(i int, refIDs map[int][]string) template.HTML {
	p := r.m.doc.Paragraphs[i]
	if r.refCount == nil {
		r.refCount = map[int]int{}
	}
	refs := make([]refAt, len(p.Refs))
	for k, ref := range p.Refs {
		r.refCount[ref.Number]++
		id := "fnref-" + strconv.Itoa(ref.Number) + "-" + strconv.Itoa(r.refCount[ref.Number])
		refIDs[ref.Number] = append(refIDs[ref.Number], id)
		rep, ok := r.m.refRepair[[2]int{i, k}]
		if !ok {
			rep = -1
		}
		refs[k] = refAt{offset: ref.Offset, number: ref.Number, id: id, repair: rep}
	}
	return template.HTML(r.marked(p.Text, r.m.right[i], refs, "c-"))
}

// text writes a footnote definition with its repairs.
func (r *renderer) text(s string, spots []spot, refs []refAt) template.HTML {
	return template.HTML(r.marked(s, spots, refs, "c-"))
}

// refAt is a footnote reference to write after byte offset in a text.
type refAt struct {
	offset, number int
	id             string
	repair         int // the marker repair that found it, or -1
}

// marked escapes text and wraps each spot in a highlight, inserting the
// references at their offsets. Spots are sorted and do not overlap.
func (r *renderer) marked(text string, spots []spot, refs []refAt, prefix string) string {
	var b strings.Builder
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].offset < refs[j].offset })
	at, k := 0, 0
	// upto copies text to offset to, writing the references on the way.
	upto := func(to int) {
		for k < len(refs) && refs[k].offset <= to {
			o := min(max(refs[k].offset, at), len(text))
			b.WriteString(html.EscapeString(text[at:o]))
			at = o
			b.WriteString(r.ref(refs[k]))
			k++
		}
		to = min(max(to, at), len(text))
		b.WriteString(html.EscapeString(text[at:to]))
		at = to
	}
	for _, s := range spots {
		if s.start < at || s.start > len(text) {
			continue
		}
		upto(s.start)
		rep := r.m.doc.Log[s.repair]
		class := "repair k-" + string(rep.Kind)
		if low(rep) {
			class += " low"
		}
		if s.start == s.end {
			class += " gap"
		}
		b.WriteString(`<mark class="` + class + `"` + r.id(prefix, s.repair) + ` data-repair="` + strconv.Itoa(s.repair) + `" tabindex="0" ` + string(repairAttrs(rep)) + `>`)
		if s.start == s.end {
			b.WriteString("<span class=\"gap-sign\" aria-label=\"removed\">⌫</span>")
		} else {
			upto(min(s.end, len(text)))
		}
		b.WriteString("</mark>")
	}
	upto(len(text))
	for ; k < len(refs); k++ {
		b.WriteString(r.ref(refs[k]))
	}
	return b.String()
}

// id is the attribute naming a repair's first highlight with the prefix.
func (r *renderer) id(prefix string, repair int) string {
	id := prefix + strconv.Itoa(repair)
	if r.ids[id] {
		return ""
	}
	r.ids[id] = true
	return ` id="` + id + `"`
}

// ref writes a footnote reference: a link to its definition, highlighted
// as the marker repair that found it when there is one.
func (r *renderer) ref(f refAt) string {
	n := strconv.Itoa(f.number)
	if f.repair < 0 {
		return `<sup class="ref"><a class="fnref" id="` + f.id + `" href="#fn-` + n + `">` + n + `</a></sup>`
	}
	rep := r.m.doc.Log[f.repair]
	class := "fnref repair k-" + string(rep.Kind)
	if low(rep) {
		class += " low"
	}
	// The link keeps the fnref id its back link needs; the repair's c-N
	// id goes on the sup around it.
	supID := ""
	if id := "c-" + strconv.Itoa(f.repair); !r.ids[id] {
		r.ids[id] = true
		supID = ` id="` + id + `"`
	}
	return `<sup class="ref"` + supID + `><a class="` + class + `" id="` + f.id + `" href="#fn-` + n + `" data-repair="` + strconv.Itoa(f.repair) + `" ` + string(repairAttrs(rep)) + `>` + n + `</a></sup>`
}
