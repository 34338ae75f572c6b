package stages

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Paragraphs rebuilds paragraphs from the lines that survive furniture and
// footnote removal, rejoining paragraphs that a page break or footnote block
// split. Flattened text is split at the places a UN document starts a
// paragraph: the title block, preambular openers ("Recalling",
// "Welcoming also"), operative numbers and openers ("1. Recognizes"), and the
// closing lines ("82nd plenary meeting").
type Paragraphs struct {
	dict *dictionaries.Set
	// openerBytes holds the first byte of every opener, so that flattened
	// text, cut at every word, looks up only words that may be one.
	openerBytes [256]bool
}

var _ pipeline.Stage = (*Paragraphs)(nil)

func NewParagraphs(dict *dictionaries.Set) *Paragraphs {
	p := &Paragraphs{dict: dict}
	for _, o := range slices.Concat(dict.Preambular(), dict.Operative()) {
		if o == "" {
			for c := range p.openerBytes {
				p.openerBytes[c] = true // the empty opener starts anything
			}
			break
		}
		p.openerBytes[o[0]] = true
	}
	return p
}

func (*Paragraphs) Name() string { return "paragraphs" }

var (
	operativeNumber = regexp.MustCompile(`^\d{1,3}\.(?:\s|$)`)
	bareOperative   = regexp.MustCompile(`^(?:\d{1,3}\.|\([a-z]{1,4}\)|(?:[A-Z]+-)?\d+/\d+\.)$`)
	subParagraph    = regexp.MustCompile(`^\([a-z]{1,4}\)\s`)
	plenary         = regexp.MustCompile(`^\d+(?:st|nd|rd|th) (?:plenary )?meeting$`)
	// decisionOpener starts the text of a General Assembly decision.
	decisionOpener = regexp.MustCompile(`^At its \d+(?:st|nd|rd|th) (?:plenary )?meeting\b`)
	// misreadOperative is an operative number OCR misread as a letter.
	misreadOperative = regexp.MustCompile(`^[lIS|]\.\s+`)
	adoptedBy        = regexp.MustCompile(`^(?:Resolution|Decision)s? adopted by (?:the )?([A-Z][A-Za-z ]+?)(?: on (.+))?$`)
	organLine        = regexp.MustCompile(`^The (?:General Assembly|Security Council|Economic and Social Council|Human Rights Council|Trusteeship Council|Commission on [A-Z][a-z ]+|Conference of the Parties|Council),$`)
	numberedTitle    = regexp.MustCompile(`^(?:[A-Z]+-)?\d+/\d+\.`)
	sectionNumber    = regexp.MustCompile(`^(?:[IVXL]+|[A-H])\.\s+[A-Z]`)
	closeDate        = regexp.MustCompile(`^\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$`)
)

func (p *Paragraphs) Apply(doc *pipeline.Document) error {
	if len(doc.Paragraphs) > 0 {
		return nil // already built (Markdown input)
	}
	switch doc.Kind {
	case pipeline.KindFlat:
		p.flat(doc)
	case pipeline.KindODS:
		for _, pg := range doc.Pages {
			for _, ln := range pg.Lines {
				doc.Paragraphs = append(doc.Paragraphs, pipeline.Paragraph{Text: cleanSpaces(ln.Text), Page: pg.Number, Line: ln.Origin})
			}
		}
	default:
		p.lines(doc)
	}
	return nil
}

// cleanSpaces trims s and folds runs of white space to one space.
func cleanSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !hasFoldableSpace(s) {
		return s
	}
	return joinFields(s)
}

// hasFoldableSpace reports whether s holds the white space that
// cleanSpaces folds: two spaces in a row, a tab or a newline. Other runs
// (a lone no-break space) stay as they are.
func hasFoldableSpace[T string | []byte](s T) bool {
	return hasDoubleSpace(s) || indexByte(s, '\t') >= 0 || indexByte(s, '\n') >= 0
}

// hasDoubleSpace is strings.Contains(s, "  "), eight bytes at a time. On a
// paragraph, which has a space every few bytes, Contains takes its slow
// path of one byte search per space.
func hasDoubleSpace[T string | []byte](s T) bool {
	const low7, spaces = 0x7F7F7F7F7F7F7F7F, 0x2020202020202020
	var prev uint64 // the spaces of the eight bytes before
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s[i:i+8]) ^ spaces // a zero byte for each space
		// The top bit of each byte of z says whether that byte of x is
		// zero. Unlike the usual (x - 0x0101...) & ^x, no borrow runs
		// from one byte into the next, so neighbours can be compared.
		z := ^((x&low7 + low7) | x | low7)
		if z&(z>>8|prev>>56) != 0 {
			return true
		}
		prev = z
	}
	for i = max(i, 1); i < len(s); i++ {
		if s[i] == ' ' && s[i-1] == ' ' {
			return true
		}
	}
	return false
}

// load64 reads eight bytes of b, the first the lowest; the compiler makes
// it one load.
func load64[T string | []byte](b T) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// indexByte is strings.IndexByte or bytes.IndexByte.
func indexByte[T string | []byte](s T, c byte) int {
	switch s := any(s).(type) {
	case string:
		return strings.IndexByte(s, c)
	case []byte:
		return bytes.IndexByte(s, c)
	}
	return -1
}

// cleanJoin is cleanSpaces(strings.Join(parts, " ")). It joins the parts
// in buf, which it returns for the next call, and folds there, so that a
// paragraph of several lines costs one allocation, its text.
func cleanJoin(parts []string, buf []byte) (string, []byte) {
	if len(parts) == 1 {
		return cleanSpaces(parts[0]), buf
	}
	buf = buf[:0]
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, p...)
	}
	t := bytes.TrimSpace(buf)
	if !hasFoldableSpace(t) {
		return string(t), buf
	}
	// Folding keeps the words and puts one space between them; no word
	// spans two lines, so the words can be taken line by line, from the
	// parts into buf, which holds the joined text no longer needed.
	w := 0
	for _, p := range parts {
		w = appendWords(buf, w, p)
	}
	return string(buf[:w]), buf
}

// appendWords writes the words of s into dst from w on, each after a space
// unless it is the first in dst, and returns where they end. dst has room
// for s and a space.
func appendWords(dst []byte, w int, s string) int {
	if s != "" && s[0] != ' ' && s[len(s)-1] != ' ' && isPrintableASCII(s) && !hasDoubleSpace(s) {
		// Most lines are their words with one space between each.
		if w > 0 {
			dst[w] = ' '
			w++
		}
		return w + copy(dst[w:], s)
	}
	space := true // at the start, or after white space
	for i := 0; i < len(s); {
		c, n := s[i], 1
		// Bytes above the space and below 0xC2, the first byte of the
		// white space beyond ASCII, are most of the text.
		if c <= ' ' || c >= 0xC2 {
			isSpace := false
			if c < utf8.RuneSelf {
				isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
			} else {
				var r rune
				r, n = utf8.DecodeRuneInString(s[i:])
				isSpace = unicode.IsSpace(r)
			}
			if isSpace {
				space = true
				i += n
				continue
			}
		}
		if space && w > 0 {
			dst[w] = ' '
			w++
		}
		space = false
		if n == 1 {
			dst[w] = c
		} else {
			copy(dst[w:], s[i:i+n])
		}
		w += n
		i += n
	}
	return w
}

// isPrintableASCII reports whether s holds only bytes from the space to
// 0x7F, eight at a time.
func isPrintableASCII(s string) bool {
	const high, spaces = 0x8080808080808080, 0x2020202020202020
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s[i : i+8])
		// A byte below the space borrows in x-spaces and sets its top bit;
		// the lowest such byte does so whatever the bytes above it, which
		// is all "any" needs.
		if (x|(x-spaces))&high != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// joinFields is strings.Join(strings.Fields(s), " ") in one pass, without
// the slice of fields: paragraphs of layout text fold many runs.
func joinFields(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // at the start, or after white space
	for i := 0; i < len(s); {
		c := s[i]
		isSpace, n := false, 1
		if c < utf8.RuneSelf {
			isSpace = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			isSpace = unicode.IsSpace(r)
		}
		if isSpace {
			space = true
		} else {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// endsClause reports whether t ends a clause or sentence, looking through a
// footnote marker glued or spaced after the punctuation ("slavery,4").
func endsClause(t string) bool {
	for t != "" && t[len(t)-1] == ' ' {
		t = t[:len(t)-1]
	}
	if t == "" {
		return true
	}
	// Most lines, and most words of flattened text, end in a letter: that
	// ends no clause and is no marker, unless a raised mark before it makes
	// the letter part of a marker glyph run.
	if c := t[len(t)-1] | 0x20; c >= 'a' && c <= 'z' && strings.IndexByte(t[max(0, len(t)-12):], paraRaisedMark[0]) < 0 {
		return false
	}
	t = stripTrailingMarker(t)
	switch t[len(t)-1] {
	case ',', ';', ':', '.', ']':
		return true
	}
	return strings.HasSuffix(t, ".”") || strings.HasSuffix(t, ".\"") || strings.HasSuffix(t, ".)")
}

// stripTrailingMarker removes a footnote marker standing after closing
// punctuation at the end of t: up to three digits, optionally after a
// space, or a run of OCR marker glyphs.
func stripTrailingMarker(t string) string {
	// Only the last 12 bytes can hold it: searching the whole text made
	// this quadratic on flattened documents, whose lines are paragraphs.
	tail := max(0, len(t)-12)
	if i := lastRaisedMark(t[tail:]); i >= 0 && tail+i > 0 {
		t = t[:tail+i] // a glyph run the page shows raised
	}
	s := t
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if !isMarkerGlyph(r) {
			break
		}
		s = s[:len(s)-n]
	}
	if s == t {
		i := len(s)
		for i > 0 && len(s)-i < 3 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		s = strings.TrimSuffix(s[:i], " ")
	}
	if s != t && s != "" && strings.IndexByte(",;.:", s[len(s)-1]) >= 0 {
		return s
	}
	return t
}

// paraRaisedMark is pipeline.RaisedMark in UTF-8. Its first byte is in no
// other part of it.
const paraRaisedMark = string(pipeline.RaisedMark)

// lastRaisedMark is strings.LastIndex(s, paraRaisedMark), found by its first
// byte: most text has none of it, which one byte search tells.
func lastRaisedMark(s string) int {
	for {
		i := strings.LastIndexByte(s, paraRaisedMark[0])
		if i < 0 || strings.HasPrefix(s[i:], paraRaisedMark) {
			return i
		}
		s = s[:i]
	}
}

func isMarkerGlyph(r rune) bool {
	switch r {
	case '’', '\'', '?', '®', '”', '™', '*', '°', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰', pipeline.RaisedMark:
		return true
	}
	return false
}

// opens reports whether t begins a paragraph by its form. The first byte
// picks the few patterns that can apply: this runs on every line.
func (p *Paragraphs) opens(t string) bool {
	if t == "" {
		return false
	}
	c0 := t[0]
	switch c := t[0]; {
	case c >= '0' && c <= '9':
		return hasOperativeNumber(t) || isBareOperative(t) || isPlenary(t) || paraBodyStart(t)
	case c == '(':
		return hasSubParagraph(t) || isBareOperative(t)
	case c == '[':
		return paraBodyStart(t)
	case c == 'l' || c == '|':
		return p.misreadOpens(t)
	case c < 'A' || c > 'Z':
		return false
	}
	if (c0 == 'I' || c0 == 'S') && p.misreadOpens(t) || c0 == 'A' && isDecisionOpener(t) {
		return true
	}
	if mayStartTitle(t) && (paraBodyStart(t) || isOrganLine(t) || isBareOperative(t)) {
		return true
	}
	if _, ok := p.dict.PreambularOpener(t); ok {
		return true
	}
	_, ok := p.dict.OperativeOpener(t)
	return ok
}

// misreadOpens reports an operative paragraph whose number OCR read as a
// letter ("l. Decides"); the numbering stage puts the digit back.
func (p *Paragraphs) misreadOpens(t string) bool {
	n := misreadOperativeLen(t)
	if n == 0 {
		return false
	}
	_, ok := p.dict.OperativeOpener(t[n:])
	return ok
}

// mayStartTitle is a cheap test for the capitalized title-block lines:
// "Resolution adopted", "Decision adopted", "The General Assembly,", and
// numbered titles with a letter prefix such as "ES-11/1.".
func mayStartTitle(t string) bool {
	return strings.HasPrefix(t, "Resolution") || strings.HasPrefix(t, "Decision") || strings.HasPrefix(t, "The ") || strings.HasPrefix(t, "Adopted ") ||
		strings.IndexByte(t[:min(len(t), 16)], '/') > 0
}

// titleLike reports lines that close a paragraph of the title block on
// their own.
func titleLike(t string) bool {
	if t == "" || len(t) > 120 {
		return false
	}
	switch c := t[0]; {
	case c == '[':
		return strings.HasSuffix(t, "]")
	case c >= '0' && c <= '9':
		return isPlenary(t) || isCloseDate(t)
	case c == 'T':
		return isOrganLine(t)
	}
	return false
}

// lines reflows line-broken text.
func (p *Paragraphs) lines(doc *pipeline.Document) {
	var cur pipeline.Paragraph // the paragraph being built, if open
	open := false
	var parts []string // its lines
	var buf []byte
	flush := func() {
		if open {
			cur.Text, buf = cleanJoin(parts, buf)
			if cur.Text != "" {
				doc.Paragraphs = append(doc.Paragraphs, cur)
			}
		}
		open, parts = false, parts[:0]
	}
	var prev *pipeline.Line // the line before, on this page or an earlier one
	prevPage, prevTypical := 0, 0
	var scratch []int
	for _, pg := range doc.Pages {
		var margin, typical int
		margin, typical, scratch = pageShape(pg.Lines, scratch)
		for i := range pg.Lines {
			ln := &pg.Lines[i]
			start := prev == nil
			reason := ""
			if prev != nil {
				start, reason = p.startsParagraph(doc.Kind, ln.Words != nil, prev.Text, ln.Text, ln.Break, ln.Indent, margin, prevTypical, len(parts) == 1)
				if !start && i == 0 && !ln.Break && prevPage != pg.Number {
					reason = "rejoined across a page break"
				}
				if !start && reason != "" {
					doc.Record(pipeline.Repair{
						Stage: p.Name(), Kind: pipeline.RepairParagraph, Before: lastN(prev.Text, 40) + " ¶ " + firstN(ln.Text, 40),
						After: lastN(prev.Text, 40) + " " + firstN(ln.Text, 40), Reason: reason, Confidence: 0.85,
						Pos: pipeline.LinePos(pg.Number, ln.Origin, 0, len(ln.Text)),
					})
				}
			}
			if start {
				flush()
				cur, open = pipeline.Paragraph{Page: pg.Number, Line: ln.Origin}, true
			}
			parts = append(parts, ln.Text)
			prev, prevPage, prevTypical = ln, pg.Number, typical
		}
	}
	flush()
}

// startsParagraph decides whether line t, following line prev, opens a new
// paragraph. When it does not, reason says why a visible break was ignored.
// geometry says the line's indentation was measured from word boxes.
func (p *Paragraphs) startsParagraph(kind pipeline.InputKind, geometry bool, prev, t string, brk bool, indent, margin, typical int, prevOpened bool) (bool, string) {
	prevEnds := endsClause(prev)
	opener := p.opens(t)
	switch {
	case prevOpened && isBareOperative(prev):
		return false, "" // "1." or "73/8." alone: its text follows on the next line
	case titleLike(prev) || isAdoptedBy(prev) && !isLower(t):
		return true, ""
	case opener && (prevEnds || titleLike(t) || paraBodyStart(t) && !isNumberedTitle(t)):
		return true, ""
	case isDecisionOpener(t) && isNumberedTitle(prev):
		return true, "" // a decision's title, then its text
	case p.isHeading(prev, typical) && !isLower(t) && (brk || isSectionNumber(prev)):
		return true, "" // a heading stands alone
	case isPlenary(prev):
		return true, ""
	}
	if brk {
		if prevEnds && !isLower(t) {
			return true, ""
		}
		return false, "blank line inside a sentence (page break, footnote block or running head removed)"
	}
	if (kind == pipeline.KindLayout || geometry) && indent >= margin+3 && prevEnds && !isLower(t) {
		return true, ""
	}
	// A short line that ends a sentence closes its paragraph.
	if typical > 0 && len(prev) < typical*2/3 && prevEnds && !strings.HasSuffix(prev, ",") && isUpper(t) {
		return true, ""
	}
	return false, ""
}

// isHeading reports a line that reads as a heading: short, with no
// closing punctuation, starting with a capital or a section number, and not
// ending on a word that leaves a sentence open ("of the").
func (p *Paragraphs) isHeading(t string, typical int) bool {
	if t == "" || len(t) > 90 || typical > 0 && len(t) > typical*6/10 || !isUpper(t) && !isSectionNumber(t) {
		return false
	}
	switch t[len(t)-1] {
	case ',', ';', ':', '.', '-':
		return false
	}
	last := t[strings.LastIndexByte(t, ' ')+1:]
	return !p.dict.IsFunctionWord(last)
}

// pageShape returns the usual left margin of a page's lines (for layout
// text), the smallest of the commonest indents, and its typical full line
// length, the 80th percentile. It sorts in scratch, which it returns for
// the next page, only when the page's values are too large to count.
func pageShape(lines []pipeline.Line, scratch []int) (margin, typical int, _ []int) {
	if len(lines) == 0 {
		return 0, 0, scratch
	}
	var counts shapeCounts
	margin = lines[0].Indent
	for _, ln := range lines {
		if ln.Indent == margin {
			continue
		}
		// Only layout text indents its lines differently.
		if counts.count(lines, func(ln *pipeline.Line) int { return ln.Indent }) {
			margin = counts.commonest()
		} else {
			margin, scratch = commonestIndent(lines, scratch)
		}
		break
	}
	k := len(lines) * 8 / 10
	if counts.count(lines, func(ln *pipeline.Line) int { return len(ln.Text) }) {
		return margin, counts.nth(k), scratch
	}
	scratch = scratch[:0]
	for _, ln := range lines {
		scratch = append(scratch, len(ln.Text))
	}
	slices.Sort(scratch)
	return margin, scratch[k], scratch
}

// shapeCounts counts how many lines of a page have each value of a
// measure below 256 (indents, lengths), which most pages' values are:
// counting them is cheaper than sorting them.
type shapeCounts struct {
	n   [256]int32
	max int // the largest value counted
}

// count counts value over lines, and reports whether every value was
// in range.
func (c *shapeCounts) count(lines []pipeline.Line, value func(*pipeline.Line) int) bool {
	*c = shapeCounts{}
	for i := range lines {
		v := value(&lines[i])
		if v < 0 || v >= len(c.n) {
			return false
		}
		c.n[v]++
		c.max = max(c.max, v)
	}
	return true
}

// commonest returns the commonest value, the smallest of those tied.
func (c *shapeCounts) commonest() int {
	best := 0
	for v, n := range c.n[:c.max+1] {
		if n > c.n[best] {
			best = v
		}
	}
	return best
}

// nth returns the k-th smallest value counted, from 0.
func (c *shapeCounts) nth(k int) int {
	for v, n := range c.n[:c.max+1] {
		if k -= int(n); k < 0 {
			return v
		}
	}
	return c.max // not reached: k is below the number counted
}

// commonestIndent returns the indent most of lines have, the smallest of
// those tied. It sorts in scratch, which it returns.
func commonestIndent(lines []pipeline.Line, scratch []int) (int, []int) {
	scratch = scratch[:0]
	for _, ln := range lines {
		scratch = append(scratch, ln.Indent)
	}
	slices.Sort(scratch)
	indent, most := scratch[0], 0
	for i := 0; i < len(scratch); {
		run := i + 1
		for run < len(scratch) && scratch[run] == scratch[i] {
			run++
		}
		if run-i > most {
			indent, most = scratch[i], run-i
		}
		i = run
	}
	return indent, scratch
}

func lastN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && s[i]&0xC0 == 0x80 {
		i++
	}
	return "…" + s[i:]
}

func firstN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

// flat splits flattened text into paragraphs. All lines are read as one
// stream, since a page's line may end mid-paragraph.
func (p *Paragraphs) flat(doc *pipeline.Document) {
	type span struct {
		text       string
		page, line int
	}
	var pieces []span
	var texts []string
	for _, pg := range doc.Pages {
		for _, ln := range pg.Lines {
			texts = p.splitFlat(ln.Text, texts[:0])
			for _, s := range texts {
				pieces = append(pieces, span{s, pg.Number, ln.Origin})
			}
		}
	}
	// Each piece is a paragraph, unless it continues the one before.
	doc.Paragraphs = slices.Grow(doc.Paragraphs, len(pieces))
	for i, s := range pieces {
		if i > 0 && len(doc.Paragraphs) > 0 {
			last := &doc.Paragraphs[len(doc.Paragraphs)-1]
			if !endsClause(last.Text) && !p.opens(s.text) && !titleLike(last.Text) && !titleLike(s.text) {
				last.Text = last.Text + " " + s.text
				continue
			}
		}
		doc.Paragraphs = append(doc.Paragraphs, pipeline.Paragraph{Text: s.text, Page: s.page, Line: s.line})
	}
	doc.Log = slices.Grow(doc.Log, max(0, len(doc.Paragraphs)-1))
	for i := range doc.Paragraphs {
		if i > 0 {
			doc.Record(pipeline.Repair{
				Stage: p.Name(), Kind: pipeline.RepairParagraph, Before: "", After: firstN(doc.Paragraphs[i].Text, 40),
				Reason: "paragraph split out of flattened text", Confidence: 0.85, Pos: doc.ParaPos(i, 0, 0),
			})
		}
	}
}

var (
	flatTitle  = regexp.MustCompile(`^(?:(?:Resolution|Decision)s? adopted by |Adopted by the |Resolution \d+ \(\d{4}\) |\[(?:on the report|without reference) |(?:[A-Z]+-)?\d+/\d+\. [A-Z]|The (?:General Assembly|Security Council|Economic and Social Council|Human Rights Council),|\d+(?:st|nd|rd|th) (?:plenary )?meeting|At its \d+(?:st|nd|rd|th) (?:plenary )?meeting)`)
	flatNumber = regexp.MustCompile(`^\d{1,3}\. [A-Z]`)
	flatSub    = regexp.MustCompile(`^\([a-z]{1,4}\) [A-Za-z]`)
	// trailingNumber is an operative number or sub-paragraph letter that
	// ends the text before a split point.
	trailingNumber = regexp.MustCompile(`(?:^|\s)(?:\d{1,3}\.|\([a-z]{1,4}\))$`)
)

// splitFlat cuts one flattened line at paragraph starts, and appends the
// pieces to out.
func (p *Paragraphs) splitFlat(text string, out []string) []string {
	text = cleanSpaces(text)
	last := 0
	// A paragraph can start after each space.
	for i := strings.IndexByte(text, ' ') + 1; 0 < i && i < len(text); {
		if p.flatStart(text[:i], text[i:]) {
			if piece := strings.TrimSpace(text[last:i]); piece != "" {
				out = append(out, piece)
			}
			last = i
		}
		if i = tokenEnd(text, i); i == len(text) {
			break
		}
		i++
	}
	if piece := strings.TrimSpace(text[last:]); piece != "" {
		out = append(out, piece)
	}
	return out
}

// flatStart decides whether a paragraph starts at rest, given the text
// before it.
func (p *Paragraphs) flatStart(before, rest string) bool {
	// Most words start with a lower-case letter. Every pattern below wants
	// a capital, a digit or a bracket there, or (closeDate, through
	// firstWords) white space before one, except the openers: a word no
	// opener starts as opens nothing.
	if c := rest[0]; c >= 'a' && c <= 'z' && !p.openerBytes[c] {
		return false
	}
	before = strings.TrimRight(before, " ")
	head := rest[:min(len(rest), 64)] // every pattern here is short and anchored
	if mayBeFlatTitle(head) && isFlatTitle(head) {
		// "resolution 72/179. It describes": a resolution number inside a
		// sentence is no title.
		if !isNumberedTitle(head) || endsClause(before) {
			return true
		}
	}
	if strings.HasSuffix(before, "plenary meeting") && isCloseDate(firstWords(head, 3)) {
		return true
	}
	if !endsClause(before) || endsWithNumber(before[max(0, len(before)-8):]) {
		return false // "3. Urges": the number already opened this paragraph
	}
	if isFlatNumber(head) || isFlatSub(head) {
		return true
	}
	if _, ok := p.dict.PreambularOpener(rest); ok {
		return true
	}
	if _, ok := p.dict.OperativeOpener(rest); ok {
		return true
	}
	return false
}

// mayBeFlatTitle checks the opening bytes a flatTitle match has: most
// heads start with a clause opener ("Recalling", "Takes note"), on which
// the expression would fail only after trying every branch. It looks for
// the hyphen of a lettered title number in the first 8 bytes only, so a
// prefix of more than six letters is not read as a title: the output
// depends on that, so it stays.
func mayBeFlatTitle(head string) bool {
	switch c := head[0]; {
	case c >= '0' && c <= '9', c == '[':
		return true
	case c >= 'A' && c <= 'Z' && strings.IndexByte(head[:min(len(head), 8)], '-') > 0:
		return true // "S-11/1. Title"
	case c == 'R':
		return strings.HasPrefix(head, "Resolution")
	case c == 'D':
		return strings.HasPrefix(head, "Decision")
	case c == 'A':
		return strings.HasPrefix(head, "Adopted by the ") || strings.HasPrefix(head, "At its ")
	case c == 'T':
		return strings.HasPrefix(head, "The ")
	}
	return false
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// The matchers below are written out by hand from the regexps above, which
// remain the definition: they ran on every line, and on every word of
// flattened text, and most of their time went to backtracking out of lines
// that open as no pattern does. paragraphs_scan_test.go holds each matcher
// to its regexp over the seeds, the test inputs and random text. Like the
// regexps, they read \d as [0-9], \s as [\t\n\f\r ] and \b as a boundary
// of [0-9A-Za-z_].

// paraDigits returns the length of the run of ASCII digits s begins with.
func paraDigits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// paraLowers returns the length of the run of [a-z] s begins with.
func paraLowers(s string) int {
	i := 0
	for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
	}
	return i
}

// paraUppers returns the length of the run of [A-Z] s begins with.
func paraUppers(s string) int {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	return i
}

// paraSpaces returns the length of the run of \s s begins with.
func paraSpaces(s string) int {
	i := 0
	for i < len(s) && paraIsSpace(s[i]) {
		i++
	}
	return i
}

// paraIsSpace is \s.
func paraIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// paraWordByte is \w, the bytes \b tells from the others.
func paraWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
}

func paraIsUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// paraNumberDot matches `\d{1,3}\.` at the start of s and returns the
// length of the match, or 0.
func paraNumberDot(s string) int {
	d := paraDigits(s)
	if d == 0 || d > 3 || d == len(s) || s[d] != '.' {
		return 0
	}
	return d + 1
}

// paraLetterParen matches `\([a-z]{1,4}\)` at the start of s and returns
// the length of the match, or 0.
func paraLetterParen(s string) int {
	if s == "" || s[0] != '(' {
		return 0
	}
	n := paraLowers(s[1:])
	if n == 0 || n > 4 || 1+n == len(s) || s[1+n] != ')' {
		return 0
	}
	return n + 2
}

// paraNumberedTitle matches `(?:[A-Z]+-)?\d+/\d+\.` at the start of s and
// returns the length of the match, or 0.
func paraNumberedTitle(s string) int {
	i := paraUppers(s)
	if i > 0 {
		if i == len(s) || s[i] != '-' {
			return 0
		}
		i++
	}
	for sep := byte('/'); ; sep = '.' {
		d := paraDigits(s[i:])
		if d == 0 || i+d == len(s) || s[i+d] != sep {
			return 0
		}
		i += d + 1
		if sep == '.' {
			return i
		}
	}
}

// paraOrdinalMeeting matches `\d+(?:st|nd|rd|th) (?:plenary )?meeting` at
// the start of s and returns the length of the match, or 0.
func paraOrdinalMeeting(s string) int {
	d := paraDigits(s)
	if d == 0 || len(s) < d+2 {
		return 0
	}
	switch s[d : d+2] {
	case "st", "nd", "rd", "th":
	default:
		return 0
	}
	rest := s[d+2:]
	for _, m := range [...]string{" plenary meeting", " meeting"} {
		if strings.HasPrefix(rest, m) {
			return d + 2 + len(m)
		}
	}
	return 0
}

// paraAdoptedBy matches `(?:Resolution|Decision)s? adopted by` at the start
// of s and returns the length of the match, or 0.
func paraAdoptedBy(s string) int {
	var i int
	switch {
	case strings.HasPrefix(s, "Resolution"):
		i = len("Resolution")
	case strings.HasPrefix(s, "Decision"):
		i = len("Decision")
	default:
		return 0
	}
	if i < len(s) && s[i] == 's' {
		i++
	}
	if !strings.HasPrefix(s[i:], " adopted by") {
		return 0
	}
	return i + len(" adopted by")
}

// paraResolutionYear matches `Resolution \d+ \(\d{4}\)` at the start of s
// and returns the length of the match, or 0.
func paraResolutionYear(s string) int {
	rest, ok := strings.CutPrefix(s, "Resolution ")
	if !ok {
		return 0
	}
	d := paraDigits(rest)
	if d == 0 {
		return 0
	}
	year := rest[d:]
	if len(year) < 7 || year[0] != ' ' || year[1] != '(' || paraDigits(year[2:6]) != 4 || year[6] != ')' {
		return 0
	}
	return len("Resolution ") + d + 7
}

// isBareOperative is bareOperative.MatchString: "1.", "(a)" or "73/8." alone.
func isBareOperative(s string) bool {
	n := len(s)
	return n > 0 && (paraNumberDot(s) == n || paraLetterParen(s) == n || paraNumberedTitle(s) == n)
}

// hasOperativeNumber is operativeNumber.MatchString: "1. Decides", "1.".
func hasOperativeNumber(s string) bool {
	n := paraNumberDot(s)
	return n > 0 && (n == len(s) || paraIsSpace(s[n]))
}

// hasSubParagraph is subParagraph.MatchString: "(a) text".
func hasSubParagraph(s string) bool {
	n := paraLetterParen(s)
	return n > 0 && n < len(s) && paraIsSpace(s[n])
}

// isNumberedTitle is numberedTitle.MatchString: "73/8." or "S-11/1." first.
func isNumberedTitle(s string) bool { return paraNumberedTitle(s) > 0 }

// isPlenary is plenary.MatchString: "82nd plenary meeting".
func isPlenary(s string) bool {
	n := paraOrdinalMeeting(s)
	return n > 0 && n == len(s)
}

// isDecisionOpener is decisionOpener.MatchString: "At its 82nd plenary
// meeting, the General Assembly".
func isDecisionOpener(s string) bool {
	rest, ok := strings.CutPrefix(s, "At its ")
	if !ok {
		return false
	}
	n := paraOrdinalMeeting(rest)
	return n > 0 && (n == len(rest) || !paraWordByte(rest[n]))
}

// misreadOperativeLen is len(misreadOperative.FindString(s)): "l. " in
// "l. Decides".
func misreadOperativeLen(s string) int {
	if len(s) < 3 || strings.IndexByte("lIS|", s[0]) < 0 || s[1] != '.' {
		return 0
	}
	if n := paraSpaces(s[2:]); n > 0 {
		return 2 + n
	}
	return 0
}

// isSectionNumber is sectionNumber.MatchString: "IV. Title", "B. Title".
func isSectionNumber(s string) bool {
	i := 0
	for i < len(s) && strings.IndexByte("IVXL", s[i]) >= 0 {
		i++
	}
	if i == 0 {
		if s == "" || s[0] < 'A' || s[0] > 'H' {
			return false
		}
		i = 1
	}
	if i == len(s) || s[i] != '.' {
		return false
	}
	i++
	n := paraSpaces(s[i:])
	return n > 0 && i+n < len(s) && paraIsUpper(s[i+n])
}

// adoptedByMatch is adoptedBy.FindStringSubmatch: the adopting body and
// the date, if the title line gives one. The body is the shortest that
// leaves " on " and a date, or nothing, after it, as the lazy group takes.
func adoptedByMatch(s string) (body, date string, ok bool) {
	n := paraAdoptedBy(s)
	if n == 0 || n == len(s) || s[n] != ' ' {
		return "", "", false
	}
	// "the " is optional, but a body cannot start with its lower-case t.
	r := strings.TrimPrefix(s[n+1:], "the ")
	if len(r) < 2 || !paraIsUpper(r[0]) {
		return "", "", false
	}
	for k := 2; k <= len(r) && paraLetterOrSpace(r[k-1]); k++ {
		tail := r[k:]
		if d, found := strings.CutPrefix(tail, " on "); found && d != "" && strings.IndexByte(d, '\n') < 0 {
			return r[:k], d, true
		}
		if tail == "" {
			return r, "", true
		}
	}
	return "", "", false
}

// paraLetterOrSpace is [A-Za-z ].
func paraLetterOrSpace(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' '
}

// isAdoptedBy is adoptedBy.MatchString: "Resolution adopted by the General
// Assembly on 20 December 2006".
func isAdoptedBy(s string) bool {
	_, _, ok := adoptedByMatch(s)
	return ok
}

// paraOrgans are the names organLine takes as they are.
var paraOrgans = [...]string{
	"General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council",
	"Trusteeship Council", "Conference of the Parties", "Council",
}

// isOrganLine is organLine.MatchString: "The General Assembly,".
func isOrganLine(s string) bool {
	if len(s) < 6 || !strings.HasPrefix(s, "The ") || s[len(s)-1] != ',' {
		return false
	}
	name := s[4 : len(s)-1]
	for _, o := range paraOrgans {
		if name == o {
			return true
		}
	}
	topic, ok := strings.CutPrefix(name, "Commission on ")
	if !ok || len(topic) < 2 || !paraIsUpper(topic[0]) {
		return false
	}
	for i := 1; i < len(topic); i++ {
		if c := topic[i]; (c < 'a' || c > 'z') && c != ' ' {
			return false
		}
	}
	return true
}

// paraMonths are the month names closeDate takes.
var paraMonths = [...]string{
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
}

// isCloseDate is closeDate.MatchString: "20 December 2006".
func isCloseDate(s string) bool {
	d := paraDigits(s)
	if d == 0 || d > 2 || d == len(s) || s[d] != ' ' {
		return false
	}
	rest := s[d+1:]
	for _, m := range paraMonths {
		if year, ok := strings.CutPrefix(rest, m); ok {
			return len(year) == 5 && year[0] == ' ' && paraDigits(year[1:]) == 4
		}
	}
	return false
}

// paraBodyStart is bodyStart.MatchString (the expression is the furniture
// stage's): the title block's first line.
func paraBodyStart(s string) bool {
	if paraAdoptedBy(s) > 0 || paraNumberedTitle(s) > 0 {
		return true
	}
	if n := paraResolutionYear(s); n > 0 && n == len(s) {
		return true
	}
	for _, p := range [...]string{"Adopted by the ", "[on the report", "[without reference"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	name, ok := strings.CutPrefix(s, "The ")
	if !ok {
		return false
	}
	for _, o := range [...]string{"General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council", "Commission", "Conference", "Council"} {
		if strings.HasPrefix(name, o) && (len(name) == len(o) || !paraWordByte(name[len(o)])) {
			return true
		}
	}
	return false
}

// isFlatTitle is flatTitle.MatchString.
func isFlatTitle(s string) bool {
	if n := paraAdoptedBy(s); n > 0 && n < len(s) && s[n] == ' ' {
		return true
	}
	if n := paraResolutionYear(s); n > 0 && n < len(s) && s[n] == ' ' {
		return true
	}
	if n := paraNumberedTitle(s); n > 0 && n+1 < len(s) && s[n] == ' ' && paraIsUpper(s[n+1]) {
		return true
	}
	if paraOrdinalMeeting(s) > 0 {
		return true
	}
	if rest, ok := strings.CutPrefix(s, "At its "); ok && paraOrdinalMeeting(rest) > 0 {
		return true
	}
	for _, p := range [...]string{"Adopted by the ", "[on the report ", "[without reference "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	name, ok := strings.CutPrefix(s, "The ")
	if !ok {
		return false
	}
	for _, o := range [...]string{"General Assembly,", "Security Council,", "Economic and Social Council,", "Human Rights Council,"} {
		if strings.HasPrefix(name, o) {
			return true
		}
	}
	return false
}

// isFlatNumber is flatNumber.MatchString: "3. Urges".
func isFlatNumber(s string) bool {
	n := paraNumberDot(s)
	return n > 0 && n+1 < len(s) && s[n] == ' ' && paraIsUpper(s[n+1])
}

// isFlatSub is flatSub.MatchString: "(a) To".
func isFlatSub(s string) bool {
	n := paraLetterParen(s)
	if n == 0 || n+1 >= len(s) || s[n] != ' ' {
		return false
	}
	c := s[n+1]
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// endsWithNumber is trailingNumber.MatchString: s ends in an operative
// number or a sub-paragraph letter that stands at its start or after white
// space ("... concern. 3.", "(b)").
func endsWithNumber(s string) bool {
	if s == "" {
		return false
	}
	start := len(s) - 1
	switch s[start] {
	case '.':
		for start > 0 && s[start-1] >= '0' && s[start-1] <= '9' {
			start--
		}
		if n := len(s) - 1 - start; n == 0 || n > 3 {
			return false
		}
	case ')':
		for start > 0 && s[start-1] >= 'a' && s[start-1] <= 'z' {
			start--
		}
		if n := len(s) - 1 - start; n == 0 || n > 4 || start == 0 || s[start-1] != '(' {
			return false
		}
		start--
	default:
		return false
	}
	return start == 0 || paraIsSpace(s[start-1])
}
