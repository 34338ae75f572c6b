package stages

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Geometry reads what the shape and position of words say, on pages whose
// reader saw them (OCR, PDF text layers), and writes it into the line text
// the other stages read:
//   - a short word raised above its line's baseline and smaller than its
//     neighbours is a superscript footnote marker; digits become Unicode
//     superscripts glued to the word before, and any other glyph (OCR reads
//     a superscript 1 as ' or !) is prefixed with pipeline.RaisedMark so
//     that the marker stage knows it is a marker whatever it reads as;
//   - the left margin and first-line indentation become Line.Indent;
//   - a gap above a line taller than the page's usual line spacing becomes
//     Line.Break, as a blank line would in text;
//   - words a text layer split with a gap far narrower than a space
//     ("framew ork") are rejoined;
//   - OCR lines read with little confidence and few real words (a logo, a
//     barcode, a stamp) are removed;
//   - the footnote zone, lines in smaller type at the foot of the page,
//     gets the separator rule that drawing it as a line (not text) kept
//     out of the text, so that the footnote stage finds the block even when
//     OCR misread the definitions' numbers.
//
// Lines without word boxes are left alone, so the stage costs nothing on
// text inputs.
type Geometry struct {
	// Dict, when set, lets the stage tell OCR noise from words it read
	// with little confidence.
	Dict *dictionaries.Set
}

var _ pipeline.Stage = (*Geometry)(nil)

func (*Geometry) Name() string { return "geometry" }

// Superscript thresholds, as fractions of the line's typical word height.
const (
	supRaise     = 0.18 // bottom at least this far above the baseline
	supMaxHeight = 0.85 // and no taller than this
	supMinHeight = 0.35 // but taller than an apostrophe or a quote mark
)

func (g *Geometry) Apply(doc *pipeline.Document) error {
	for pi := range doc.Pages {
		pg := &doc.Pages[pi]
		if !hasGeometry(pg) {
			continue
		}
		splitRules(pg)
		// Only OCR gives words a confidence; a text layer's have none.
		if ocrPage(pg) {
			g.dropNoise(doc, pg)
			g.ocrWords(doc, pg)
			g.superscripts(doc, pg)
		} else {
			g.superscripts(doc, pg)
			g.splitWords(doc, pg)
		}
		layoutLines(pg)
		g.footnoteZone(doc, pg)
		for li := range pg.Lines {
			ln := &pg.Lines[li]
			if len(ln.Words) > 0 {
				ln.Text = lineText(ln.Words)
			}
		}
	}
	return nil
}

func hasGeometry(pg *pipeline.Page) bool {
	for _, ln := range pg.Lines {
		for _, w := range ln.Words {
			if w.Box != nil {
				return true
			}
		}
	}
	return false
}

// baseline is a line's baseline y = a + b·x, with its typical word height.
type baseline struct{ a, b, height float64 }

func (l baseline) at(x float64) float64 { return l.a + l.b*x }

// lineMetrics fits a line's baseline and takes its typical word height,
// from words that are not superscripts. Boxes from OCR are tight to the
// ink, so the baseline is fitted to the bottoms of words with no descender
// (g, p, y, a comma), along x because scans are skewed, and the height is
// that of words with an ascender, a capital or a digit. Boxes from a text
// layer come from the font and are all alike.
func lineMetrics(ws []pipeline.Word) baseline {
	var xs, bottoms, allXs, allBottoms, heights, allHeights []float64
	var markXs, markBottoms, markHeights []float64
	for _, w := range ws {
		if w.Box == nil || w.Superscript || !hasLetterOrDigit(w.Text) {
			continue
		}
		x := (w.Box.X0 + w.Box.X1) / 2
		if markerShaped(w.Text) {
			// It may be the very marker the baseline is to find: on a
			// short line it would pull the fit up to itself.
			markXs, markBottoms = append(markXs, x), append(markBottoms, w.Box.Y1)
			markHeights = append(markHeights, w.Box.Height())
			continue
		}
		allXs, allBottoms = append(allXs, x), append(allBottoms, w.Box.Y1)
		allHeights = append(allHeights, w.Box.Height())
		if !strings.ContainsAny(w.Text, descenders) {
			xs, bottoms = append(xs, x), append(bottoms, w.Box.Y1)
		}
		if strings.ContainsAny(w.Text, ascenders) {
			heights = append(heights, w.Box.Height())
		}
	}
	if len(allBottoms) == 0 {
		allXs, allBottoms, allHeights = markXs, markBottoms, markHeights
	}
	if len(allBottoms) == 0 {
		return baseline{}
	}
	if len(bottoms) == 0 {
		xs, bottoms = allXs, allBottoms
	}
	if len(heights) == 0 {
		heights = allHeights
	}
	h := median(heights)
	a, b := fitLine(xs, bottoms)
	// Refit without the words far off the first fit (a raised marker
	// Tesseract read as a word, a descender it missed).
	var fx, fy []float64
	for i := range xs {
		if math.Abs(bottoms[i]-(a+b*xs[i])) <= 0.15*h {
			fx, fy = append(fx, xs[i]), append(fy, bottoms[i])
		}
	}
	if len(fx) >= 2 {
		a, b = fitLine(fx, fy)
	}
	return baseline{a: a, b: b, height: h}
}

// fitLine is a least-squares line through the points; one point, or points
// stacked at one x, give a flat line through their mean.
func fitLine(xs, ys []float64) (a, b float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy = sx+xs[i], sy+ys[i]
		sxx, sxy = sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	d := n*sxx - sx*sx
	if len(xs) < 2 || math.Abs(d) < 1e-9 {
		return sy / n, 0
	}
	b = (n*sxy - sx*sy) / d
	// A text line is within a few degrees of level: a steeper fit comes
	// from too few words and is worse than none.
	if math.Abs(b) > 0.1 {
		return median(slices.Clone(ys)), 0
	}
	return (sy - b*sx) / n, b
}

const (
	descenders = "gjpqy,;()[]{}QJ/|"
	ascenders  = "bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// markerShaped reports a word that may itself be a footnote marker: a
// single character, or a short run of digits and glyphs.
func markerShaped(s string) bool {
	switch n := utf8.RuneCountInString(s); {
	case n == 1:
		return true
	case n > 4:
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if isLetterRune(r) || r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

// superscripts flags raised small words. The first word of a line is left
// alone: raised there it numbers a footnote definition, not a reference.
func (g *Geometry) superscripts(doc *pipeline.Document, pg *pipeline.Page) {
	for li := range pg.Lines {
		ln := &pg.Lines[li]
		bl := lineMetrics(ln.Words)
		h := bl.height
		if h <= 0 {
			continue
		}
		from := len(doc.Log)
		for wi := range ln.Words {
			w := &ln.Words[wi]
			if wi == 0 || w.Box == nil || utf8.RuneCountInString(w.Text) > 4 {
				continue
			}
			// OCR reads a superscript as digits or a glyph, not as a
			// word: a raised "of" is a baseline misjudged on a short or
			// skewed line.
			if !w.Superscript && g.isWord(w.Text) {
				continue
			}
			if !w.Superscript {
				raised := bl.at((w.Box.X0+w.Box.X1)/2) - w.Box.Y1
				wh := w.Box.Height()
				// As fractions of h: a product of a subnormal h rounds up to h.
				r, s := raised/h, wh/h
				w.Superscript = r >= supRaise && s <= supMaxHeight && s >= supMinHeight
				if !w.Superscript {
					continue
				}
			}
			// A superscript set apart by a space ("children, ⁵") still
			// belongs to the word before it.
			w.Joined = true
			conf := 0.9
			if !isDigits(w.Text) {
				conf = 0.8
			}
			doc.Record(pipeline.Repair{
				Stage: g.Name(), Kind: pipeline.RepairMarker, Before: ln.Words[wi-1].Text + " " + w.Text,
				After:  ln.Words[wi-1].Text + superscriptText(w.Text),
				Reason: "raised small glyphs: a superscript footnote marker", Confidence: conf,
				Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, 0),
			})
		}
		if lineText(ln.Words) == ln.Text {
			// An earlier run already wrote these superscripts into the
			// text: nothing was repaired this time.
			doc.Log = doc.Log[:from]
		}
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// superscriptText is how a superscript word reads in line text.
func superscriptText(s string) string {
	if isDigits(s) {
		return pipeline.SuperscriptDigits(s)
	}
	return string(pipeline.RaisedMark) + s
}

// lineText joins words, writing superscripts in their text form.
func lineText(ws []pipeline.Word) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 && !w.Joined {
			b.WriteByte(' ')
		}
		if w.Superscript && i > 0 {
			b.WriteString(superscriptText(w.Text))
		} else {
			b.WriteString(w.Text)
		}
	}
	return b.String()
}

// splitWords joins words a text layer split with a gap far narrower than
// the line's word spaces: typesetting that positions glyphs one by one
// ("Ukrai n e") leaves such gaps, a real space never does.
//
// Text layers only: Tesseract decides word boundaries from the ink itself,
// and its tight boxes leave gaps narrower than a space between real words.
func (g *Geometry) splitWords(doc *pipeline.Document, pg *pipeline.Page) {
	// A line of two or three words has too few spaces to measure: fall
	// back on the page's.
	var pageGaps []float64
	lineGaps := make([][]float64, len(pg.Lines))
	for li, ln := range pg.Lines {
		for i := 1; i < len(ln.Words); i++ {
			a, b := ln.Words[i-1], ln.Words[i]
			if a.Box != nil && b.Box != nil && !b.Joined {
				lineGaps[li] = append(lineGaps[li], b.Box.X0-a.Box.X1)
			}
		}
		pageGaps = append(pageGaps, lineGaps[li]...)
	}
	if len(pageGaps) < 2 {
		return
	}
	pageSpace := median(pageGaps)
	for li := range pg.Lines {
		ln := &pg.Lines[li]
		if len(lineGaps[li]) == 0 {
			continue
		}
		space := pageSpace
		if len(lineGaps[li]) >= 3 {
			space = median(lineGaps[li])
		}
		h := lineMetrics(ln.Words).height
		if space <= 0 || h <= 0 {
			continue
		}
		for i := 1; i < len(ln.Words); i++ {
			a, b := &ln.Words[i-1], &ln.Words[i]
			if a.Box == nil || b.Box == nil || b.Joined || a.Superscript || b.Superscript {
				continue
			}
			gap := b.Box.X0 - a.Box.X1
			// Letters either side join across a narrow gap; anything else
			// ("A" "/RES/73/8", set in two font sizes) only across a gap
			// that is hardly there.
			letters := endsInLetter(a.Text) && startsWithLetter(b.Text)
			if gap > 0.08*h || gap > 0.3*space || !letters && gap > 0.1*space {
				continue
			}
			b.Joined = true
			doc.Record(pipeline.Repair{
				Stage: g.Name(), Kind: pipeline.RepairSplitWord, Before: a.Text + " " + b.Text, After: a.Text + b.Text,
				Reason:     "the gap between the parts is far narrower than the word spaces",
				Confidence: 0.9, Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, 0),
			})
		}
	}
}

func endsInLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isLetterRune(r)
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isLetterRune(r)
}

// layoutLines sets Indent (in average character widths from the page's
// left margin) and Break (a gap above the line well over the usual line
// spacing) from the boxes.
func layoutLines(pg *pipeline.Page) {
	type lineBox struct {
		x0, y0, y1 float64
		ok         bool
	}
	boxes := make([]lineBox, len(pg.Lines))
	var lefts, pitches, charW []float64
	for i, ln := range pg.Lines {
		lb := lineBox{x0: math.Inf(1), y0: math.Inf(1), y1: math.Inf(-1)}
		for _, w := range ln.Words {
			if w.Box == nil {
				continue
			}
			lb.ok = true
			lb.x0 = min(lb.x0, w.Box.X0)
			if !w.Superscript {
				lb.y0, lb.y1 = min(lb.y0, w.Box.Y0), max(lb.y1, w.Box.Y1)
			}
			if n := utf8.RuneCountInString(w.Text); n >= 3 && !w.Superscript {
				charW = append(charW, w.Box.Width()/float64(n))
			}
		}
		if lb.ok && lb.y1 > lb.y0 {
			boxes[i] = lb
			lefts = append(lefts, lb.x0)
			if i > 0 && boxes[i-1].ok {
				if d := lb.y1 - boxes[i-1].y1; d > 0 {
					pitches = append(pitches, d)
				}
			}
		} else {
			boxes[i].ok = false
		}
	}
	if len(lefts) == 0 || len(charW) == 0 {
		return
	}
	cw := median(charW)
	margin := leftMargin(lefts, cw)
	pitch := 0.0
	if len(pitches) > 0 {
		pitch = median(pitches)
	}
	for i := range pg.Lines {
		if !boxes[i].ok {
			continue
		}
		ln := &pg.Lines[i]
		ln.Indent = max(0, int(math.Round((boxes[i].x0-margin)/cw)))
		if i > 0 && boxes[i-1].ok && pitch > 0 {
			if d := boxes[i].y1 - boxes[i-1].y1; d > 1.45*pitch || d < -pitch {
				ln.Break = true // a gap, or a jump back up to another column
			}
		}
		// The reader's blocks (pdftotext's, Tesseract's paragraphs) are
		// what plain pdftotext and tesseract separate with a blank line.
		if i > 0 && ln.Block != 0 && ln.Block != pg.Lines[i-1].Block {
			ln.Break = true
		}
	}
}

// leftMargin is the most common left edge of the page's lines, to within a
// character: the body text's margin.
func leftMargin(lefts []float64, cw float64) float64 {
	sorted := slices.Clone(lefts)
	slices.Sort(sorted)
	best, bestN := sorted[0], 0
	for i := range sorted {
		n := 0
		for j := i; j < len(sorted) && sorted[j]-sorted[i] <= cw; j++ {
			n++
		}
		if n > bestN {
			best, bestN = sorted[i], n
		}
	}
	return best
}

// lineFontSize is the median font size of a line's words where the reader
// gave one (Tesseract's row height, a text layer's glyph box), or else its
// typical word height.
func lineFontSize(ws []pipeline.Word) float64 {
	var fs []float64
	for _, w := range ws {
		if w.FontSize > 0 && !w.Superscript {
			fs = append(fs, w.FontSize)
		}
	}
	if len(fs) == 0 {
		return lineMetrics(ws).height
	}
	return median(fs)
}

// footnoteRule is the separator line written before a footnote zone.
const footnoteRule = "__________"

// footnoteZone finds the lines at the foot of a page set in smaller type
// than the body, at least one of them opening with a number, and puts a
// separator rule before them. Short lines among them (a job number, a page
// number) do not break the zone. A zone that already has its rule is left
// alone.
func (g *Geometry) footnoteZone(doc *pipeline.Document, pg *pipeline.Page) {
	n := len(pg.Lines)
	if n < 4 {
		return
	}
	// Two measures of type size: the reader's font size (Tesseract's row
	// height, which one odd glyph can inflate) and the height of the
	// line's ascender words.
	sizes, inks := make([]float64, n), make([]float64, n)
	var allSizes, allInks []float64
	for i, ln := range pg.Lines {
		sizes[i], inks[i] = lineFontSize(ln.Words), lineMetrics(ln.Words).height
		if sizes[i] > 0 && utf8.RuneCountInString(ln.Text) >= 30 {
			allSizes, allInks = append(allSizes, sizes[i]), append(allInks, inks[i])
		}
	}
	if len(allSizes) < 3 {
		return
	}
	bodySize, bodyInk := median(allSizes), median(allInks)
	start, numbered := -1, false
	for i := n - 1; i >= 1; i-- {
		ln := pg.Lines[i]
		// Smaller by one measure clearly, or by both a little: footnotes
		// are set one or two points under the body, 10 on 12 or 9 on 10.
		small := sizes[i] > 0 && (sizes[i] < 0.88*bodySize || inks[i] > 0 && inks[i] < 0.9*bodyInk && sizes[i] < 0.93*bodySize)
		short := utf8.RuneCountInString(ln.Text) < 30
		if !small && !short {
			break
		}
		if small {
			start = i
			numbered = numbered || opensDefinition(ln)
		}
	}
	if start < 3 || !numbered {
		return
	}
	for _, ln := range pg.Lines[start-1:] {
		if isRule(ln.Text) {
			return // the zone has its rule
		}
	}
	rule := pipeline.Line{Text: footnoteRule, Origin: pg.Lines[start].Origin, Break: true}
	pg.Lines = slices.Insert(pg.Lines, start, rule)
	doc.Record(pipeline.Repair{
		Stage: g.Name(), Kind: pipeline.RepairFootnote, Before: "", After: footnoteRule,
		Reason:     "smaller type at the foot of the page: the footnote zone starts here",
		Confidence: 0.8, Pos: pipeline.LinePos(pg.Number, rule.Origin, 0, 0),
	})
}

// splitRules puts a separator rule drawn with underscores on a line of its
// own: a text layer can set it on the same line as the first footnote
// beside or under it, where the footnote stage would not see it.
func splitRules(pg *pipeline.Page) {
	var out []pipeline.Line
	changed := false
	for _, ln := range pg.Lines {
		start := 0
		for i, w := range ln.Words {
			if len(ln.Words) == 1 || !isRule(w.Text) {
				continue
			}
			changed = true
			if i > start {
				part := ln
				part.Words = ln.Words[start:i]
				out = append(out, part)
			}
			rule := ln
			rule.Words = ln.Words[i : i+1]
			rule.Break = true
			out = append(out, rule)
			start = i + 1
		}
		if start < len(ln.Words) || len(ln.Words) == 0 {
			part := ln
			part.Words = ln.Words[start:]
			if start > 0 {
				part.Words[0].Joined = false
			}
			out = append(out, part)
		}
	}
	if changed {
		pg.Lines = out
	}
}

// dropNoise removes OCR lines that are noise: Tesseract reads a logo, a
// barcode or a stamp as a line of short fragments it has little confidence
// in ("( Ns a", "ONO VY A A", "iil 210372 Please rec eee)"). A line of
// fragments goes when its mean confidence is under one half; a line with
// words only when most of them are unknown to the dictionary and its mean
// confidence is under one half, or under three quarters with one word
// under one half. A real line keeps its words, however badly one of them
// or its marker was read ("Slavery,\"" at 40%), and stays.
// OCR pages only.
func (g *Geometry) dropNoise(doc *pipeline.Document, pg *pipeline.Page) {
	kept := pg.Lines[:0]
	for _, ln := range pg.Lines {
		g.trimNoise(doc, pg.Number, &ln)
		if len(ln.Words) > 0 && !g.isNoise(ln) {
			kept = append(kept, ln)
			continue
		}
		if len(ln.Words) == 0 {
			continue // trimNoise logged what it took
		}
		doc.Record(pipeline.Repair{
			Stage: g.Name(), Kind: pipeline.RepairJunk, Before: ln.Text,
			Reason:     "OCR read this line with little confidence and few words: a logo, barcode or stamp",
			Confidence: 0.8, Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, len(ln.Text)),
		})
	}
	pg.Lines = kept
}

// trimNoise takes from an OCR line the fragments that are not text: a
// vertical bar (Tesseract reads one from a rule or the edge of a scan;
// UN text never has one), and one- or two-letter fragments it has little
// confidence in at either end of the line, where a logo or a stamp beside
// the text leaves them ("M y 31 October 2018").
func (g *Geometry) trimNoise(doc *pipeline.Document, page int, ln *pipeline.Line) {
	drop := func(w pipeline.Word) bool {
		if w.Box == nil {
			return false
		}
		if w.Text == "|" {
			return true
		}
		t := trimWord(w.Text)
		if t == "" || g.Dict == nil {
			return false // letters only: "1." or "(a)" read poorly still number a paragraph
		}
		known := g.Dict.IsWord(strings.ToLower(t))
		if utf8.RuneCountInString(t) == 1 {
			// The dictionary lists every letter; alone at a line's edge
			// only "a", "I" and the numerals of "annex V" are words.
			known = strings.Contains("aAIVX", t)
		}
		return w.Confidence < 0.5 && !w.Superscript && utf8.RuneCountInString(w.Text) <= 2 && !known
	}
	ws := ln.Words
	lo, hi := 0, len(ws)
	for lo < hi && drop(ws[lo]) {
		lo++
	}
	for hi > lo && drop(ws[hi-1]) {
		hi--
	}
	kept := make([]pipeline.Word, 0, hi-lo)
	for i := lo; i < hi; i++ {
		if ws[i].Text != "|" || ws[i].Box == nil {
			kept = append(kept, ws[i])
		}
	}
	if len(kept) == len(ws) {
		return
	}
	if len(kept) > 0 {
		kept[0].Joined = false
	}
	before := ln.Text
	ln.Words = kept
	ln.Text = pipeline.JoinWords(kept)
	doc.Record(pipeline.Repair{
		Stage: g.Name(), Kind: pipeline.RepairJunk, Before: before, After: ln.Text,
		Reason:     "OCR fragments read with little confidence at the line's edge, or a stray bar",
		Confidence: 0.7, Pos: pipeline.LinePos(page, ln.Origin, 0, len(before)),
	})
}

func (g *Geometry) isNoise(ln pipeline.Line) bool {
	if len(ln.Words) == 0 {
		return false
	}
	sum, low := 0.0, false
	words, known := 0, 0
	for _, w := range ln.Words {
		if w.Box == nil {
			return false // not from the OCR reader
		}
		sum += w.Confidence
		low = low || w.Confidence < 0.5
		if strings.Contains(w.Text, "/") && strings.ContainsAny(w.Text, "0123456789") {
			// A document symbol or resolution number ("A/HRC/Sub.1/58/25",
			// "55/25"): text, however unsure OCR was of it.
			words++
			known++
			continue
		}
		t := trimWord(w.Text)
		if utf8.RuneCountInString(t) < 3 {
			continue
		}
		words++
		if g.Dict != nil && (g.Dict.IsTerm(t) || g.Dict.IsWord(strings.ToLower(t)) && !(t == strings.ToUpper(t) && len(t) <= 4)) {
			known++ // an unknown short capital run ("DOA") is no evidence of text
		}
	}
	mean := sum / float64(len(ln.Words))
	fragments := len(ln.Words) - words
	switch {
	case fragments*2 > len(ln.Words):
		return mean < 0.5 // mostly fragments: "(", "Ns", "ONO VY A A"
	case known*2 >= words:
		return false // mostly words: text, however badly read
	}
	return mean < 0.5 || mean < 0.75 && low
}

// opensDefinition reports a line that starts like a footnote definition:
// its number, raised or not, or the glyph OCR reads for a raised number
// ("' United Nations, Treaty Series").
func opensDefinition(ln pipeline.Line) bool {
	t := ln.Text
	if t == "" {
		return false
	}
	if t[0] >= '0' && t[0] <= '9' {
		// "2 March 2022" closes a resolution; it numbers no footnote.
		rest := strings.TrimLeft(t, "0123456789 ")
		return !monthRe.MatchString(rest)
	}
	if len(ln.Words) > 0 && ln.Words[0].Superscript {
		return true
	}
	r, n := utf8.DecodeRuneInString(t)
	if !isMarkerGlyph(r) || n == len(t) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimLeft(t[n:], " "))
	return unicode.IsUpper(next)
}

// isWord reports a word of two letters or more that the dictionary knows.
func (g *Geometry) isWord(s string) bool {
	t := trimWord(s)
	return g.Dict != nil && utf8.RuneCountInString(t) >= 2 && g.Dict.IsWord(strings.ToLower(t))
}

// ocrWords repairs two ways OCR gets word boundaries wrong, on OCR lines
// only and with the dictionary's say:
//   - two words run together, the first a function word ("ofthe",
//     "tothe"): split when the whole is no word and both parts are;
//   - a document symbol split after a full stop ("A/HRC/Sub. 1/58/25"):
//     joined when the second part starts with a digit and the two make a
//     symbol.
func (g *Geometry) ocrWords(doc *pipeline.Document, pg *pipeline.Page) {
	if g.Dict == nil {
		return
	}
	for li := range pg.Lines {
		ln := &pg.Lines[li]
		for wi := range ln.Words {
			w := &ln.Words[wi]
			if w.Box == nil || w.Text == "" {
				continue
			}
			// "Ist plenary meeting": the closing line's ordinal with its 1
			// read as a letter.
			if wi+1 < len(ln.Words) && ln.Words[wi+1].Text == "plenary" && ordinalOne.MatchString(w.Text) {
				fixed := ordinalOne.ReplaceAllString(w.Text, "${1}1${2}")
				doc.Record(pipeline.Repair{
					Stage: g.Name(), Kind: pipeline.RepairSpelling, Before: w.Text, After: fixed,
					Reason: "the ordinal of a plenary meeting, its 1 read as a letter", Confidence: 0.9,
					Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, 0),
				})
				w.Text = fixed
			}
			if split, ok := g.runTogether(w.Text); ok {
				doc.Record(pipeline.Repair{
					Stage: g.Name(), Kind: pipeline.RepairSplitWord, Before: w.Text, After: split,
					Reason: "OCR ran two words together", Confidence: 0.85,
					Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, 0),
				})
				w.Text = split
			}
			if wi == 0 || w.Joined {
				continue
			}
			prev := ln.Words[wi-1].Text
			if !strings.HasSuffix(prev, ".") || !strings.Contains(prev, "/") || w.Text[0] < '0' || w.Text[0] > '9' {
				continue
			}
			// A footnote's number may be glued before it: "6A/HRC/Sub.".
			if joined := strings.TrimRight(strings.TrimLeft(prev, "0123456789")+w.Text, ".,;:"); g.Dict.IsSymbol(joined) {
				w.Joined = true
				doc.Record(pipeline.Repair{
					Stage: g.Name(), Kind: pipeline.RepairSplitWord, Before: prev + " " + w.Text, After: prev + w.Text,
					Reason: "a document symbol OCR split at a full stop", Confidence: 0.9,
					Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, 0),
				})
			}
		}
	}
}

// runTogether splits "ofthe" into "of the": a lower-case run of letters
// that is no word, made of a function word and a word.
func (g *Geometry) runTogether(text string) (string, bool) {
	core := strings.TrimRight(text, ".,;:")
	if len(core) < 4 || len(core) > 20 || !isLowerASCII(core) || g.Dict.IsWord(core) {
		return "", false
	}
	for i := 2; i <= len(core)-2; i++ {
		if g.Dict.IsFunctionWord(core[:i]) && g.Dict.IsWord(core[i:]) && (len(core)-i > 2 || g.Dict.IsFunctionWord(core[i:])) {
			return core[:i] + " " + text[i:], true
		}
	}
	return "", false
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// ordinalOne is an ordinal in "st" with a 1 that OCR read as I, l or a
// bar: "Ist" (1st), "7Ist" (71st), "I0Ist" (101st, its first 1).
var ordinalOne = regexp.MustCompile(`^(\d*)[Il|]((?:\d*1)?st)$`)

// ocrPage reports a page read by OCR: only OCR gives words a confidence;
// a text layer's words all have none.
func ocrPage(pg *pipeline.Page) bool {
	for _, ln := range pg.Lines {
		for _, w := range ln.Words {
			if w.Confidence > 0 {
				return true
			}
		}
	}
	return false
}
