package report

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/pipeline"
)

// This file finds where each repair shows: in the input as read (the left
// column and the page image) and in the cleaned text (the right column).
// Repairs record the page and line they came from and byte offsets in the
// text as it was when the stage ran; later stages move text, so offsets are
// checked against the text and, where they no longer fit, the repair's
// before or after text is looked for near them instead.

// oline is one line of the input as read.
type oline struct {
	page   int // page number
	origin int // line number in its page as read
	text   string
	words  []pipeline.Word
	// wordAt[k] is the byte offset of words[k] in text, -1 when the word
	// is not found there.
	wordAt []int
}

// token is a word of a text, folded for matching: letters and digits,
// lower case.
type token struct {
	norm       string
	line       int // index into the line list, or -1 for a paragraph
	start, end int // byte offsets in the line or paragraph text
}

// tokenize folds text into tokens; line is recorded in each.
func tokenize(text string, line int) []token {
	var out []token
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, token{norm: strings.ToLower(text[start:i]), line: line, start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{norm: strings.ToLower(text[start:]), line: line, start: start, end: len(text)})
	}
	return out
}

// loc is a place in the input: a line and a byte offset in it.
type loc struct{ line, off int }

func (a loc) before(b loc) bool { return a.line < b.line || a.line == b.line && a.off < b.off }

// source is the input as read, indexed for placing paragraphs and repairs.
type source struct {
	lines  []oline
	byPos  map[[2]int]int // (page, origin) → index into lines
	tokens []token
	// firstToken[i] is the index of the first token on line i or after it.
	firstToken []int
}

func newSource(pages []pipeline.Page) *source {
	s := &source{byPos: map[[2]int]int{}}
	for _, p := range pages {
		for _, ln := range p.Lines {
			ol := oline{page: p.Number, origin: ln.Origin, text: ln.Text, words: ln.Words}
			ol.wordAt = wordOffsets(ln.Text, ln.Words)
			s.byPos[[2]int{p.Number, ln.Origin}] = len(s.lines)
			s.lines = append(s.lines, ol)
		}
	}
	s.firstToken = make([]int, len(s.lines)+1)
	for i, ol := range s.lines {
		s.firstToken[i] = len(s.tokens)
		s.tokens = append(s.tokens, tokenize(ol.text, i)...)
	}
	s.firstToken[len(s.lines)] = len(s.tokens)
	return s
}

// wordOffsets finds each word in the line's text, in order.
func wordOffsets(text string, words []pipeline.Word) []int {
	if len(words) == 0 {
		return nil
	}
	at := make([]int, len(words))
	from := 0
	for k, w := range words {
		at[k] = -1
		if w.Text == "" {
			continue
		}
		if i := strings.Index(text[from:], w.Text); i >= 0 {
			at[k] = from + i
			from += i + len(w.Text)
		}
	}
	return at
}

// line returns the index of the line at page and origin, or -1.
func (s *source) line(page, origin int) int {
	if i, ok := s.byPos[[2]int{page, origin}]; ok {
		return i
	}
	return -1
}

// tokenLoc is where token k starts; past the end, the end of the input.
func (s *source) tokenLoc(k int) loc {
	if k >= len(s.tokens) {
		if len(s.lines) == 0 {
			return loc{}
		}
		return loc{len(s.lines) - 1, len(s.lines[len(s.lines)-1].text)}
	}
	t := s.tokens[k]
	if k == s.firstToken[t.line] {
		return loc{t.line, 0} // a paragraph opening a line owns the line's indent and "(a)"
	}
	return loc{t.line, t.start}
}

// searchWindow bounds how far ahead a paragraph's opening words are looked
// for, so that placing every paragraph stays linear in the input's size.
const searchWindow = 20000

// find returns the index of the first token at or after from (and before
// limit) where the text's tokens, from its s-th, appear three in a row,
// trying s = 0, 1, … 7 so that a changed first word (a joined split word,
// a moved operative number) does not lose the paragraph. It then walks
// back over earlier tokens that also agree. -1 when nothing matches.
func (s *source) find(want []token, from, limit int) int {
	limit = min(limit, len(s.tokens))
	n := min(3, len(want))
	if n == 0 {
		return -1
	}
	for skip := 0; skip+n <= len(want) && skip < 8; skip++ {
		head := want[skip : skip+n]
		for k := from; k+n <= limit; k++ {
			if s.tokens[k].norm != head[0].norm || !tokensEqual(s.tokens[k:k+n], head) {
				continue
			}
			return s.walkBack(want[:skip], k, from)
		}
	}
	return -1
}

// walkBack extends a match that starts at token k over the paragraph's
// skipped opening words, where the input has them just before: one word
// for one, or a word the input split in two or three ("Organi zations").
func (s *source) walkBack(skipped []token, k, from int) int {
	for j := len(skipped); j > 0 && k > from; j-- {
		w := skipped[j-1].norm
		n := 0
		for parts, joined := 1, ""; parts <= 3 && k-parts >= from; parts++ {
			joined = s.tokens[k-parts].norm + joined
			if joined == w {
				n = parts
				break
			}
			if !strings.HasSuffix(w, joined) {
				break
			}
		}
		if n == 0 {
			break
		}
		k -= n
	}
	return k
}

func tokensEqual(a, b []token) bool {
	for i := range b {
		if a[i].norm != b[i].norm {
			return false
		}
	}
	return true
}

// anchorParagraphs finds where each paragraph starts in the input: from
// the line the paragraph stage recorded, or, in flattened text where many
// paragraphs share one line, by their opening words. Starts never go
// backwards; a paragraph not found starts where the one before it did.
func (s *source) anchorParagraphs(paras []pipeline.Paragraph) []int {
	at := make([]int, len(paras))
	cur := 0
	for i, p := range paras {
		want := tokenize(p.Text, -1)
		from := cur
		if l := s.line(p.Page, p.Line); l >= 0 && s.firstToken[l] > cur {
			from = s.firstToken[l]
		}
		k := s.find(want, from, from+searchWindow)
		if k < 0 && from > cur {
			k = s.find(want, cur, cur+searchWindow)
		}
		if k < 0 {
			k = cur
			if i > 0 {
				k = at[i-1]
			}
		}
		at[i] = k
		if k > cur {
			cur = k
		}
	}
	return at
}

// anchorFootnote finds a footnote definition in the input: its opening
// words, looked for from the top of the page it was printed on, and its
// closing words after them. ok is false when it is not found.
func (s *source) anchorFootnote(f pipeline.Footnote) (start, end int, ok bool) {
	want := tokenize(f.Text, -1)
	from := 0
	if f.Page > 0 {
		for i, ol := range s.lines {
			if ol.page >= f.Page {
				from = s.firstToken[i]
				break
			}
		}
	}
	start = s.find(want, from, len(s.tokens))
	if start < 0 {
		return 0, 0, false
	}
	// Footnote numbers precede their text: "1 Resolution 55/25" or "1/".
	if start > 0 && isDigits(s.tokens[start-1].norm) && s.tokens[start-1].line == s.tokens[start].line {
		start--
	}
	end = s.findEnd(want, start)
	if end < 0 {
		end = start + len(want)
	}
	return start, min(end, len(s.tokens)), true
}

// findEnd returns the index just past the last place, from token start
// on and not much further than the text's length, where the text's last
// three words appear; -1 when they do not.
func (s *source) findEnd(want []token, start int) int {
	end := -1
	if len(want) >= 3 {
		tail := want[len(want)-3:]
		for k := start; k+3 <= min(len(s.tokens), start+2*len(want)+10); k++ {
			if tokensEqual(s.tokens[k:k+3], tail) {
				end = k + 3
			}
		}
	}
	return end
}

// endLoc is where a text whose last token is k-1 ends in the input: the
// end of that token's line when nothing follows it there, else the end
// of the token (a flattened line holds more than one text).
func (s *source) endLoc(k int) loc {
	last := s.tokens[k-1]
	if k == len(s.tokens) || s.tokens[k].line != last.line {
		return loc{last.line, len(s.lines[last.line].text)}
	}
	return loc{last.line, last.end}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// spot is a repair's place in one text: a byte range, empty for a point
// (a deletion in the cleaned text).
type spot struct {
	repair     int // index into the repair log
	start, end int
}

// core strips the decorations repairs put around their texts: the
// ellipsis of a shortened context and the pilcrow of a paragraph join
// (which stands for a line break in the input, a space in the result).
func core(s string) string {
	s = strings.TrimPrefix(s, "…")
	s = strings.TrimSuffix(s, "…")
	s = strings.ReplaceAll(s, " ¶ ", " ")
	return strings.TrimSpace(s)
}

// nearest returns the occurrence of needle in text whose start is closest
// to hint, or -1.
func nearest(text, needle string, hint int) int {
	if needle == "" {
		return -1
	}
	best, from := -1, 0
	for {
		i := strings.Index(text[from:], needle)
		if i < 0 {
			return best
		}
		i += from
		if best < 0 || abs(i-hint) < abs(best-hint) {
			best = i
		}
		if i > hint {
			return best
		}
		from = i + 1
		// Step to the next rune boundary so that the slice stays valid.
		for from < len(text) && !utf8.RuneStart(text[from]) {
			from++
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// placeInLine finds where repair r shows in input line l: at its recorded
// offsets when the text there is what it says it changed, else at the
// nearest occurrence of that text, else (for lines removed whole) the
// whole line.
func placeInLine(ol oline, r pipeline.Repair, idx int) (spot, bool) {
	text := ol.text
	if strings.TrimSpace(r.Before) == "" {
		return spot{}, false // an insertion: nothing of the input to show
	}
	ctx, glyph := splitMarker(r)
	if r.Pos.Start >= 0 && r.Pos.End <= len(text) && r.Pos.Start < r.Pos.End && text[r.Pos.Start:r.Pos.End] == glyph {
		if r.Kind == pipeline.RepairMarker || removesLine(r) {
			return spot{idx, r.Pos.Start, r.Pos.End}, true
		}
		a, b := changed(glyph, r.After)
		return spot{idx, r.Pos.Start + a, r.Pos.Start + b}, true
	}
	if c := core(ctx + glyph); c != "" {
		// As logged, then without the spaces a reader put between a word
		// and the raised glyph printed against it.
		for _, needle := range []string{c, strings.ReplaceAll(c, " ", "")} {
			if i := nearest(text, needle, r.Pos.Start); i >= 0 {
				end := i + len(needle)
				if r.Kind == pipeline.RepairMarker {
					return spot{idx, end - len(markerGlyph(r, needle)), end}, true
				}
				if removesLine(r) {
					return spot{idx, i, end}, true
				}
				a, b := changed(needle, r.After)
				return spot{idx, i + a, i + b}, true
			}
		}
		// A join across lines: the part of the text on this line.
		if head, _, ok := strings.Cut(r.Before, " ¶ "); ok {
			if h := core(head); h != "" {
				if i := nearest(text, h, len(text)); i >= 0 {
					return spot{idx, i, i + len(h)}, true
				}
			}
		}
	}
	if removesLine(r) && strings.TrimSpace(text) != "" {
		return spot{idx, 0, len(text)}, true
	}
	return spot{}, false
}

// changed narrows a repair that logs a long text (a whole line, a
// paragraph's opening) to the part of before that differs from after:
// byte offsets in before, on rune boundaries. A repair that changed
// nothing visible, or removed everything, keeps the whole of before.
func changed(before, after string) (start, end int) {
	if after == "" || before == after {
		return 0, len(before)
	}
	p := 0
	for p < len(before) && p < len(after) && before[p] == after[p] {
		p++
	}
	for p > 0 && p < len(before) && !utf8.RuneStart(before[p]) {
		p--
	}
	q := 0
	for q < len(before)-p && q < len(after)-p && before[len(before)-1-q] == after[len(after)-1-q] {
		q++
	}
	for q > 0 && !utf8.RuneStart(before[len(before)-q]) {
		q--
	}
	end = len(before) - q
	if p >= end {
		// Only an insertion: show the characters either side of it.
		_, l := utf8.DecodeLastRuneInString(before[:p])
		_, r := utf8.DecodeRuneInString(before[p:])
		p, end = p-l, p+r
	}
	for p < end && before[p] == ' ' {
		p++
	}
	for end > p && before[end-1] == ' ' {
		end--
	}
	return widenToWords(before, p, end)
}

// widenToWords widens [p, end) of s to whole words where it cuts into
// one: a one-letter highlight is hard to see, and the word is what a
// reviewer reads.
func widenToWords(s string, p, end int) (int, int) {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if first, _ := utf8.DecodeRuneInString(s[p:]); isWord(first) {
		for p > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:p])
			if !isWord(r) {
				break
			}
			p -= n
		}
	}
	if last, _ := utf8.DecodeLastRuneInString(s[:end]); isWord(last) {
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !isWord(r) {
				break
			}
			end += n
		}
	}
	return p, end
}

// splitMarker splits a marker repair's before text into the context the
// log quotes and the glyphs it took as the marker (the span Start:End);
// other repairs are all glyph. The private raised-glyph sign is dropped:
// the input never had it.
func splitMarker(r pipeline.Repair) (ctx, glyph string) {
	before := r.Before
	n := r.Pos.End - r.Pos.Start
	if r.Kind != pipeline.RepairMarker || n <= 0 || n > len(before) {
		return "", strings.ReplaceAll(before, string(pipeline.RaisedMark), "")
	}
	strip := func(s string) string { return strings.ReplaceAll(s, string(pipeline.RaisedMark), "") }
	return strip(before[:len(before)-n]), strip(before[len(before)-n:])
}

// markerGlyph is the marker's own text at the end of a match of its
// logged text: the glyph span, or, for a reader's repair that logs a word
// and its raised glyph ("Court !"), the last word.
func markerGlyph(r pipeline.Repair, match string) string {
	if _, glyph := splitMarker(r); glyph != "" && glyph != strings.ReplaceAll(r.Before, string(pipeline.RaisedMark), "") && strings.HasSuffix(match, glyph) {
		return glyph
	}
	fields := strings.Fields(core(r.Before))
	if len(fields) > 1 && strings.HasSuffix(match, fields[len(fields)-1]) {
		return fields[len(fields)-1]
	}
	return match
}

// removesLine reports a repair that takes whole lines out.
func removesLine(r pipeline.Repair) bool {
	switch r.Kind {
	case pipeline.RepairFurniture, pipeline.RepairFootnote, pipeline.RepairTag, pipeline.RepairJunk:
		return r.After == "" || r.Kind == pipeline.RepairFootnote
	}
	return false
}

// box is the union of the boxes of the words of line l that overlap
// [start, end); ok is false when they have none.
func (ol oline) box(start, end int) (pipeline.Box, bool) {
	var b pipeline.Box
	ok := false
	for k, w := range ol.words {
		at := ol.wordAt[k]
		if w.Box == nil || at < 0 || at >= end || at+len(w.Text) <= start {
			continue
		}
		if !ok {
			b, ok = *w.Box, true
			continue
		}
		b = pipeline.Box{X0: min(b.X0, w.Box.X0), Y0: min(b.Y0, w.Box.Y0), X1: max(b.X1, w.Box.X1), Y1: max(b.Y1, w.Box.Y1)}
	}
	return b, ok
}

// sortSpots orders spots by start and drops those that overlap another:
// a text can only be highlighted once. The narrower spot wins, so that a
// repair logging a whole line does not hide the word another repair
// changed in it; among equals, the one logged first. A point (a deletion)
// gives way to any highlight it starts or stands in. The dropped repairs are still
// listed.
func sortSpots(spots []spot) []spot {
	byWidth := slices.Clone(spots)
	sort.SliceStable(byWidth, func(i, j int) bool {
		wi, wj := byWidth[i].end-byWidth[i].start, byWidth[j].end-byWidth[j].start
		if (wi == 0) != (wj == 0) {
			return wj == 0
		}
		return wi < wj
	})
	kept := spots[:0]
	for _, s := range byWidth {
		if !slices.ContainsFunc(kept, func(k spot) bool { return overlaps(k, s) }) {
			kept = append(kept, s)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].start != kept[j].start {
			return kept[i].start < kept[j].start
		}
		return kept[i].end > kept[j].end
	})
	return kept
}

// overlaps reports spots that cannot both be highlighted: spans sharing
// text, a point inside a span, two points at one place.
func overlaps(a, b spot) bool {
	switch {
	case a.start == a.end && b.start == b.end:
		return a.start == b.start
	case a.start == a.end:
		return b.start <= a.start && a.start < b.end
	case b.start == b.end:
		return a.start <= b.start && b.start < a.end
	}
	return a.start < b.end && b.start < a.end
}
