// Package report turns a cleaned document and its repair log into one
// self-contained HTML page for review: the input beside the result,
// paragraph by paragraph; every repair highlighted by kind, with its
// before, after, reason and confidence; page images with the repaired
// words boxed; and, given a gold text, the differences that remain.
//
// The page needs no network: styles, script and page images are inline,
// so it opens offline and can be mailed.
package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/emend/emend/internal/evaluate"
	"github.com/emend/emend/pipeline"
)

// Options are what a report shows beside the document itself.
type Options struct {
	// Images are the pages of a scan or PDF (see Images); nil for text.
	Images []Image
	// Gold is the reference Markdown; when set, the report adds the
	// evaluation view.
	Gold []byte
}

// LowConfidence is the confidence under which a repair is marked for
// attention and listed first.
const LowConfidence = 0.8

//go:embed report.css
var css string

//go:embed report.js
var js string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(pageTemplate))

// Write renders doc as an HTML report. The document should have been
// cleaned with clean.Options.KeepOriginal, so that the input can be shown
// beside the result; without it the input column is empty.
func Write(w io.Writer, doc *pipeline.Document, opts Options) error {
	v := view(doc, opts)
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// pageData is what the template shows.
type pageData struct {
	Title, Source, Kind, Version string
	CSS                          template.CSS
	JS                           template.JS
	Meta                         [][2]string
	Pages                        int
	Failed                       []pipeline.PageError
	Counts                       []kindCount
	Total, Low                   int
	KeptOriginal                 bool
	Lead, Trail                  template.HTML
	Rows                         []rowView
	Notes                        []noteView
	Repairs                      []repairView
	Figures                      []figureView
	ImagesCut                    bool
	Eval                         *evalView
}

type kindCount struct {
	Kind     pipeline.RepairKind
	N, Low   int
	Unplaced int
}

type rowView struct {
	ID               string
	Kind, Number     string
	Page             int
	Orig, Clean      template.HTML
	OrigEmptyMessage string
}

type noteView struct {
	Number int
	Orig   template.HTML
	Text   template.HTML
	Backs  []string // ids of the references
	Unused bool
	// Missing marks a number the text refers to without a definition in
	// the input (a page not scanned, a footnote block OCR lost).
	Missing bool
}

type repairView struct {
	Index                 int
	Kind                  pipeline.RepairKind
	Stage                 string
	Before, After, Reason string
	Conf                  string
	Low, Shown            bool
	Where                 string
	Target                string // id of the highlight to scroll to
}

type figureView struct {
	Page          int
	Width, Height int
	Src           template.URL
	Boxes         []boxView
	Failed        string
	ImageErr      string // the page image could not be rendered
}

type boxView struct {
	Repair                   int
	Kind                     pipeline.RepairKind
	Low                      bool
	Left, Top, Width, Height string
	Attrs                    template.HTMLAttr
}

func view(doc *pipeline.Document, opts Options) *pageData {
	m := build(doc)
	v := &pageData{
		Title:        doc.Source,
		Source:       doc.Source,
		Kind:         string(doc.Kind),
		Version:      pipeline.Version,
		CSS:          template.CSS(css),
		JS:           template.JS(js),
		Pages:        len(doc.Pages),
		Failed:       doc.FailedPages,
		Total:        len(doc.Log),
		KeptOriginal: doc.Original != nil,
	}
	if doc.Meta.Symbol != "" {
		v.Title = doc.Meta.Symbol + " — " + doc.Source
	}
	v.Meta = metaPairs(doc.Meta)

	// Counts by kind, in the log's order of first appearance.
	byKind := map[pipeline.RepairKind]*kindCount{}
	for i, r := range doc.Log {
		c := byKind[r.Kind]
		if c == nil {
			c = &kindCount{Kind: r.Kind}
			byKind[r.Kind] = c
		}
		c.N++
		if low(r) {
			c.Low++
			v.Low++
		}
		if !m.shown[i] {
			c.Unplaced++
		}
	}
	for _, c := range byKind {
		v.Counts = append(v.Counts, *c)
	}
	sort.Slice(v.Counts, func(i, j int) bool {
		if v.Counts[i].N != v.Counts[j].N {
			return v.Counts[i].N > v.Counts[j].N
		}
		return v.Counts[i].Kind < v.Counts[j].Kind
	})

	// Which element shows each repair: the cleaned text first.
	target := make([]string, len(doc.Log))
	setTarget := func(i int, id string) {
		if target[i] == "" || strings.HasPrefix(target[i], "o-") {
			target[i] = id
		}
	}
	for _, spots := range m.right {
		for _, s := range spots {
			setTarget(s.repair, "c-"+strconv.Itoa(s.repair))
		}
	}
	for _, spots := range m.note {
		for _, s := range spots {
			setTarget(s.repair, "c-"+strconv.Itoa(s.repair))
		}
	}
	for _, i := range m.refRepair {
		setTarget(i, "c-"+strconv.Itoa(i))
	}
	for _, spots := range m.left {
		for _, s := range spots {
			if target[s.repair] == "" {
				target[s.repair] = "o-" + strconv.Itoa(s.repair)
			}
		}
	}

	r := renderer{m: m, ids: map[string]bool{}}
	if doc.Original != nil && m.lead.from.before(m.lead.to) {
		v.Lead = r.orig(m.lead)
	}
	if doc.Original != nil && m.trail.from.before(m.trail.to) {
		v.Trail = r.orig(m.trail)
	}
	refIDs := map[int][]string{}
	for i, p := range doc.Paragraphs {
		rv := rowView{ID: "p-" + strconv.Itoa(i+1), Kind: string(p.Kind), Number: p.Number, Page: p.Page}
		if doc.Original != nil && i < len(m.rows) {
			rv.Orig = r.orig(m.rows[i])
		}
		rv.Clean = r.paragraph(i, refIDs)
		v.Rows = append(v.Rows, rv)
	}
	for i, f := range doc.Footnotes {
		nv := noteView{Number: f.Number, Backs: refIDs[f.Number], Unused: len(refIDs[f.Number]) == 0}
		if doc.Original != nil && m.notes[i].ok {
			nv.Orig = r.orig(m.notes[i].span)
		}
		nv.Text = r.text(f.Text, m.note[i], nil)
		v.Notes = append(v.Notes, nv)
	}
	defined := map[int]bool{}
	for _, f := range doc.Footnotes {
		defined[f.Number] = true
	}
	var missing []int
	for n := range refIDs {
		if !defined[n] {
			missing = append(missing, n)
		}
	}
	sort.Ints(missing)
	for _, n := range missing {
		v.Notes = append(v.Notes, noteView{Number: n, Backs: refIDs[n], Missing: true})
	}

	// The list: low confidence first, then in the order of the log.
	for i, rep := range doc.Log {
		v.Repairs = append(v.Repairs, repairView{
			Index: i, Kind: rep.Kind, Stage: rep.Stage,
			Before: visible(rep.Before), After: visible(rep.After), Reason: rep.Reason,
			Conf: confText(rep.Confidence), Low: low(rep), Shown: m.shown[i],
			Where: where(rep.Pos), Target: target[i],
		})
	}
	sort.SliceStable(v.Repairs, func(i, j int) bool { return v.Repairs[i].Low && !v.Repairs[j].Low })

	v.Figures, v.ImagesCut = figures(doc, m, opts.Images)
	if opts.Gold != nil {
		v.Eval = evaluation(opts.Gold, pipeline.Markdown(doc))
	}
	return v
}

// low reports a repair to check first.
func low(r pipeline.Repair) bool {
	return r.Kind != pipeline.RepairPageFailed && r.Confidence > 0 && r.Confidence < LowConfidence || r.Kind == pipeline.RepairPageFailed
}

func confText(c float64) string {
	if c == 0 {
		return "–"
	}
	return strconv.Itoa(int(c*100+0.5)) + "%"
}

// visible shows the characters a reviewer could not otherwise see.
func visible(s string) string { return invisibles.Replace(s) }

var invisibles = strings.NewReplacer(string(pipeline.RaisedMark), "⌃", "\u00ad", "\\u00ad", "\u00a0", "⍽", "\t", "⇥")

func where(p pipeline.Position) string {
	var b strings.Builder
	if p.Page > 0 {
		fmt.Fprintf(&b, "page %d", p.Page)
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, ", line %d", p.Line)
	}
	if p.Paragraph >= 0 {
		fmt.Fprintf(&b, ", paragraph %d", p.Paragraph+1)
	}
	return strings.TrimPrefix(b.String(), ", ")
}

func metaPairs(md pipeline.Metadata) [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add("Symbol", md.Symbol)
	if len(md.Symbols) > 1 {
		add("Symbols", strings.Join(md.Symbols, ", "))
	}
	add("Job number", md.JobNumber)
	add("Body", md.Body)
	add("Distribution", md.Distribution)
	add("Date", md.Date)
	add("Session", md.Session)
	add("Agenda item", md.AgendaItem)
	add("Adopted", md.Adopted)
	add("Title", md.Title)
	return out
}

// figures lays out the page images with the repaired words' boxes, as
// percentages of the page so that the image's resolution does not matter.
func figures(doc *pipeline.Document, m *model, images []Image) ([]figureView, bool) {
	if len(images) == 0 {
		return nil, false
	}
	size := map[int]pipeline.Page{}
	for _, p := range doc.Original {
		size[p.Number] = p
	}
	failed := map[int]string{}
	for _, f := range doc.FailedPages {
		failed[f.Page] = f.Err
	}
	var out []figureView
	for _, img := range images {
		f := figureView{Page: img.Page, Width: img.Width, Height: img.Height, Failed: failed[img.Page], ImageErr: img.Err}
		if img.Err != "" {
			out = append(out, f)
			continue
		}
		f.Src = template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(img.JPEG))
		p := size[img.Page]
		if p.Width > 0 && p.Height > 0 {
			for _, pb := range m.boxes[img.Page] {
				r := doc.Log[pb.repair]
				pct := func(v, of float64) string { return strconv.FormatFloat(100*v/of, 'f', 2, 64) + "%" }
				// Pad the box a little so that it frames the glyphs.
				pad := 0.004 * p.Width
				b := pipeline.Box{X0: pb.box.X0 - pad, Y0: pb.box.Y0 - pad, X1: pb.box.X1 + pad, Y1: pb.box.Y1 + pad}
				f.Boxes = append(f.Boxes, boxView{Repair: pb.repair, Kind: r.Kind, Low: low(r),
					Left: pct(b.X0, p.Width), Top: pct(b.Y0, p.Height), Width: pct(b.Width(), p.Width), Height: pct(b.Height(), p.Height),
					Attrs: repairAttrs(r)})
			}
		}
		out = append(out, f)
	}
	return out, len(doc.Pages) > len(images)
}

// repairAttrs are the data attributes the tooltip reads.
func repairAttrs(r pipeline.Repair) template.HTMLAttr {
	return template.HTMLAttr(fmt.Sprintf(`data-kind="%s" data-before="%s" data-after="%s" data-reason="%s" data-conf="%s" data-where="%s"`,
		html.EscapeString(string(r.Kind)), html.EscapeString(visible(r.Before)), html.EscapeString(visible(r.After)),
		html.EscapeString(r.Reason), confText(r.Confidence), html.EscapeString(where(r.Pos))))
}

// evalView is the comparison with a gold text.
type evalView struct {
	CER, WER, MarkP, MarkR, ParaF1 string
	NoteHit, NoteGold              int
	Errors                         int
	Diff                           template.HTML
	Misses                         []evaluate.Miss
}

func evaluation(gold, out []byte) *evalView {
	// The page is UTF-8; a gold in another encoding shows its bad bytes
	// as replacement characters rather than break the page.
	gold = bytes.ToValidUTF8(gold, []byte("\uFFFD"))
	res := evaluate.Compare(gold, out)
	pct := func(f float64) string { return strconv.FormatFloat(100*f, 'f', 2, 64) + "%" }
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
	ev := &evalView{CER: pct(res.CER()), WER: pct(res.WER()), MarkP: num(res.MarkP()), MarkR: num(res.MarkR()),
		ParaF1: num(res.ParaF1()), NoteHit: res.NoteHit, NoteGold: res.NoteGold, Misses: res.Misses}
	var b strings.Builder
	b.WriteString("<p>")
	mark := func(m string) string {
		if m == "" {
			return ""
		}
		return "<sup>" + html.EscapeString(m) + "</sup>"
	}
	for i, w := range evaluate.Diff(gold, out) {
		if w.ParaStart && i > 0 {
			b.WriteString("</p>\n<p>")
		} else if w.OutParaStart != w.ParaStart && i > 0 {
			b.WriteString(`<span class="para-diff" title="the output starts a paragraph here and the gold does not">¶</span> `)
		}
		switch w.Op {
		case evaluate.Same:
			b.WriteString(html.EscapeString(w.Gold) + mark(w.GoldMark) + " ")
		case evaluate.Changed:
			ev.Errors++
			if w.Gold == w.Out {
				// Only the marker differs.
				fmt.Fprintf(&b, `%s<del class="mark">%s</del><ins class="mark">%s</ins> `, html.EscapeString(w.Gold), mark(w.GoldMark), mark(w.OutMark))
				continue
			}
			fmt.Fprintf(&b, `<del>%s%s</del><ins>%s%s</ins> `, html.EscapeString(w.Gold), mark(w.GoldMark), html.EscapeString(w.Out), mark(w.OutMark))
		case evaluate.Missing:
			ev.Errors++
			fmt.Fprintf(&b, `<del>%s%s</del> `, html.EscapeString(w.Gold), mark(w.GoldMark))
		case evaluate.Extra:
			ev.Errors++
			fmt.Fprintf(&b, `<ins>%s%s</ins> `, html.EscapeString(w.Out), mark(w.OutMark))
		}
	}
	b.WriteString("</p>")
	ev.Diff = template.HTML(b.String())
	return ev
}
