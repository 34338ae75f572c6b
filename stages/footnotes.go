package stages

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Footnotes finds footnote blocks, parses their definitions into
// doc.Footnotes and takes them out of the body, so that a paragraph split by
// a block reads on as one.
//
// A block starts at a separator rule, or, where the extraction lost the
// rule, at a run of lines at the foot of a page that number consecutively
// ("1Resolution 55/25, annex I.", "2Ibid., annex II."). Extractors scramble
// blocks: numbers stand on their own lines before their text, or all
// together after it; flattened text puts every number first ("5 6 2
// E/CN.4/2006/62 and Add.1–3. A/HRC/Sub.1/58/25.", where 2 is the page
// number). Definitions are numbered from labels where a label stands next to
// its text, then from the gaps between numbered definitions, then from the
// pool of loose numbers.
type Footnotes struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*Footnotes)(nil)

func NewFootnotes(dict *dictionaries.Set) *Footnotes { return &Footnotes{dict: dict} }

func (*Footnotes) Name() string { return "footnotes" }

var (
	ruleInline = regexp.MustCompile(`\s*_{5,}\s*`)
	// glyphLine is a definition whose superscript label OCR read as a
	// glyph ("' Resolution 55/25, annex I.", "® United Nations, ...").
	glyphLine = regexp.MustCompile(`^(?:[’'?®”™*°>¹²³⁴⁵⁶⁷⁸⁹]{1,2}) ?([A-Z“"(]\S*.*)$`)
	// labelIbid is "Ibid." at the start of a footnote line, after the
	// definition's number or the letter OCR read it as, with the I
	// possibly misread.
	labelIbid  = regexp.MustCompile(`^([A-Za-z0-9]?|\d{1,3} )[lIT1|]bid\.`)
	digitRange = regexp.MustCompile(`(\d)[-—](\d)`)
	monthRe    = regexp.MustCompile(`^(?:January|February|March|April|May|June|July|August|September|October|November|December)\b`)
)

// The footnote patterns are tried on every line of a page. Each opens with
// a byte from a small set, or needs a few bytes, and a test of those turns
// away nearly every line before the regexp runs (which costs a hundred
// nanoseconds or more even when it fails at once).

// defLineMatch returns the parts of a line that opens a definition, its
// number glued to or spaced from the text, as FindStringSubmatch would for
// ^(\d{1,3})(?:\s+|([A-Z“"(\[]))(\S.*)$: the line, its number, the
// opening character the number is glued to (or ""), and the text from that
// character or after the space. A number followed by "." is an operative
// paragraph, not a footnote. It is written out because rulelessStart tries
// it on every line that starts with a number, and the regexp steps through
// the rest of the line a rune at a time.
func defLineMatch(t string) []string {
	n := 0
	for n < len(t) && isDigit(t[n]) {
		n++
	}
	// Fewer digits than there are leave a digit next, which neither the
	// space nor the glued opener can match.
	if n == 0 || n > 3 || n == len(t) {
		return nil
	}
	glued, j := "", n
	if isRESpace(t[n]) {
		j = skipRESpace(t, n)
	} else {
		r, size := utf8.DecodeRuneInString(t[n:])
		if !(r >= 'A' && r <= 'Z' || r == '“' || r == '"' || r == '(' || r == '[') {
			return nil
		}
		glued, j = t[n:n+size], n+size
	}
	// The text starts with a byte \S matches and runs to the end without
	// a line feed, which . does not match.
	if j == len(t) || isRESpace(t[j]) || strings.IndexByte(t[j:], '\n') >= 0 {
		return nil
	}
	return []string{t, t[:n], glued, t[j:]}
}

func isDefLine(t string) bool { return defLineMatch(t) != nil }

// isBareNum reports a number on its own, ^\d{1,3}$: a label.
func isBareNum(t string) bool { return isLoneNumber(t) }

// isGlyphLine is glyphLine.MatchString(t). Its glyphs are ASCII "'?*>" or
// start with the byte 0xC2 (®°¹²³) or 0xE2 (’”™⁴-⁹).
func isGlyphLine(t string) bool {
	return t != "" && strings.IndexByte("'?*>\xc2\xe2", t[0]) >= 0 && glyphLine.MatchString(t)
}

func isMonth(t string) bool {
	if t == "" || strings.IndexByte("JFMASOND", t[0]) < 0 {
		return false
	}
	// monthRe written out: a month's name, then the end or a byte \w does
	// not match (\b).
	for _, m := range footnoteMonths {
		if strings.HasPrefix(t, m) && (len(t) == len(m) || !isWordByte(t[len(m)])) {
			return true
		}
	}
	return false
}

var footnoteMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// sentenceEnds reports whether t ends with ".", ")" or "]", which
// definitions and sentences end with.
func sentenceEnds(t string) bool {
	return t != "" && strings.IndexByte(".)]", t[len(t)-1]) >= 0
}

// fnItem is one piece of a parsed block: a definition text with the number
// printed beside it (0 when none), or a loose number.
type fnItem struct {
	num   int
	text  string
	label bool // a number standing alone
	line  int  // input line, for the log
}

func (f *Footnotes) Apply(doc *pipeline.Document) error {
	if doc.Kind == pipeline.KindMarkdown {
		return nil
	}
	multiPage := len(doc.Pages) > 1
	for pi := range doc.Pages {
		page := &doc.Pages[pi]
		if doc.Kind == pipeline.KindFlat {
			f.inlineBlocks(doc, page)
			continue
		}
		// Kept lines move down in place: take reads only lines at and
		// after i, and kept has been written only below i.
		lines := page.Lines
		kept := lines[:0]
		for i := 0; i < len(lines); i++ {
			ln := lines[i]
			if isRule(ln.Text) {
				end := blockEnd(lines, i+1, multiPage)
				f.take(doc, page.Number, lines[i+1:end], ln)
				i = end - 1
				continue
			}
			if start := rulelessStart(lines, i); start == i {
				f.take(doc, page.Number, lines[i:], pipeline.Line{})
				break
			}
			// A line that stays where it is need not be copied.
			if len(kept) < i {
				lines[len(kept)] = ln
			}
			kept = kept[:len(kept)+1]
		}
		if len(kept) == 0 {
			kept = nil // as when the page had no line to keep
		}
		page.Lines = kept
	}
	sort.SliceStable(doc.Footnotes, func(i, j int) bool { return doc.Footnotes[i].Number < doc.Footnotes[j].Number })
	return nil
}

// isRule reports a footnote separator rule.
func isRule(t string) bool {
	// separatorRule written out: five underscores or more, or three dashes
	// or more, each an em or en dash, and nothing else.
	if t == "" {
		return false
	}
	if t[0] == '_' {
		return len(t) >= 5 && strings.Trim(t, "_") == ""
	}
	n := 0
	for rest := t; rest != ""; n++ {
		var ok bool
		if rest, ok = strings.CutPrefix(rest, "—"); !ok {
			if rest, ok = strings.CutPrefix(rest, "–"); !ok {
				return false
			}
		}
	}
	return n >= 3
}

// blockEnd returns the index just past the block that starts at lines[from].
// On a real page the block runs to the foot of the page. In text without
// page breaks, the body resumes at the first line that neither opens a
// definition nor continues an unfinished one.
func blockEnd(lines []pipeline.Line, from int, multiPage bool) int {
	if multiPage || tailIsBlock(lines[from:]) {
		return len(lines)
	}
	open := false // the last definition has not reached its full stop
	last := 0     // the last definition number seen
	for j := from; j < len(lines); j++ {
		t := lines[j].Text
		if isGlyphLine(t) {
			open = !definitionEnds(t)
			continue
		}
		if m := defLineMatch(t); m != nil || isBareNum(t) {
			n := 0
			if m != nil {
				n, _ = strconv.Atoi(m[1])
			} else {
				n, _ = strconv.Atoi(t)
			}
			// "16 (LVI) and 17 (LVI) of ..." after footnote 4 is the body
			// resuming, not footnote 16.
			if last > 0 && n != last+1 && !open {
				return j
			}
			if last == 0 || n == last+1 {
				last = n
			}
			open = !definitionEnds(t)
			continue
		}
		if !open || isRule(t) {
			return j
		}
		open = !definitionEnds(t)
	}
	return len(lines)
}

// tailIsBlock reports whether the lines after a rule, up to the end of a
// one-page text, can all be a scrambled footnote block: a few lines, each a
// number, a numbered or glyph-labelled definition, or a text ending with a
// full stop, with at least one number among them. An extract of one page
// ends with its footnotes however pdftotext ordered them.
func tailIsBlock(lines []pipeline.Line) bool {
	if len(lines) == 0 || len(lines) > 15 {
		return false
	}
	numbers := 0
	for _, ln := range lines {
		t := ln.Text
		switch {
		case isBareNum(t) || isDefLine(t):
			numbers++
		case isGlyphLine(t) || sentenceEnds(t):
		default:
			return false
		}
	}
	return numbers > 0
}

// definitionEnds reports whether a definition's text is complete: it ends
// with a full stop (or closing bracket) that does not belong to an
// abbreviation such as "No." or "vol.", which the next line continues.
func definitionEnds(t string) bool {
	if !sentenceEnds(t) {
		return false
	}
	last := t[strings.LastIndexByte(t, ' ')+1:]
	return !footnoteAbbrev[last]
}

// rulelessStart returns i if lines[i:] is a footnote block that lost its
// rule: consecutive numbered definitions down to the foot of the page, with
// continuation lines only after an unfinished definition. A block of one
// definition needs the number glued to its text, which pdftotext does with
// superscript labels and which body text never does at a line start.
func rulelessStart(lines []pipeline.Line, i int) int {
	if t := lines[i].Text; t == "" || t[0] < '0' || t[0] > '9' {
		return -1
	}
	m := defLineMatch(lines[i].Text)
	if m == nil || isMonth(m[3]) {
		return -1
	}
	want, _ := strconv.Atoi(m[1])
	if want == 0 {
		return -1
	}
	glued := m[2] != ""
	numbered := 0
	open := false
	for _, ln := range lines[i:] {
		if dm := defLineMatch(ln.Text); dm != nil && !isMonth(dm[3]) {
			n, _ := strconv.Atoi(dm[1])
			if n != want {
				return -1
			}
			want++
			numbered++
			open = !sentenceEnds(ln.Text)
			continue
		}
		if !open {
			return -1
		}
		open = !sentenceEnds(ln.Text)
	}
	if numbered >= 2 || glued {
		return i
	}
	return -1
}

// take parses the block lines into definitions and records them.
func (f *Footnotes) take(doc *pipeline.Document, pageNo int, block []pipeline.Line, rule pipeline.Line) {
	if rule.Text != "" {
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairFootnote, Before: rule.Text,
			Reason: "removed footnote separator rule", Confidence: 1,
			Pos: pipeline.LinePos(pageNo, rule.Origin, 0, len(rule.Text)),
		})
	}
	var items []fnItem
	ocr := doc.Kind == pipeline.KindOCR
	for _, ln := range block {
		t := ln.Text
		if ocr {
			t = f.ocrLabel(t)
		}
		m := defLineMatch(t)
		switch {
		case isBareNum(t):
			n, _ := strconv.Atoi(t)
			items = append(items, fnItem{num: n, label: true, line: ln.Origin})
		case m != nil && !isMonth(m[3]) && (!continues(items) || nextInSequence(items, m)):
			n, _ := strconv.Atoi(m[1])
			items = append(items, fnItem{num: n, text: m[2] + m[3], line: ln.Origin})
		case isGlyphLine(t) && !continues(items):
			items = append(items, fnItem{text: glyphLine.FindStringSubmatch(t)[1], line: ln.Origin})
		default:
			if continues(items) {
				last := &items[len(items)-1]
				last.text = joinLines(f.dict, last.text, t)
				continue
			}
			items = append(items, fnItem{text: t, line: ln.Origin})
		}
	}
	f.record(doc, pageNo, number(items, false, maxFootnote(doc)))
}

// continues reports whether the last item is a definition whose text has
// not ended, so that the next line carries it on.
func continues(items []fnItem) bool {
	if len(items) == 0 {
		return false
	}
	last := items[len(items)-1]
	return !last.label && last.text != "" && !definitionEnds(last.text)
}

// nextInSequence reports whether a line that opens a definition (m is
// its defLine match) opens the one numbered one after the last definition:
// then it starts a new one even when the last lacks its full stop ("3
// Available from https://undocs.org/A/72/361").
func nextInSequence(items []fnItem, m []string) bool {
	if m == nil || len(items) == 0 {
		return false
	}
	n, _ := strconv.Atoi(m[1])
	last := items[len(items)-1]
	return last.num > 0 && n == last.num+1
}

// joinLines joins two lines of a definition, undoing a line-end hyphen.
func joinLines(dict *dictionaries.Set, a, b string) string {
	if strings.HasSuffix(a, "-") && len(a) > 1 {
		frag := lastWord(strings.TrimSuffix(a, "-"))
		next := firstWord(b)
		if frag != "" && next != "" {
			if keep, _ := keepHyphen(dict, nil, frag, next); keep {
				return a + b
			}
			return strings.TrimSuffix(a, "-") + b
		}
	}
	return a + " " + b
}

// number turns parsed items into numbered definitions. Labels that stand
// right before an unnumbered text belong to it (unless flat, where all
// labels come first); unnumbered texts then take the numbers missing between
// their numbered neighbours, or numbers from the pool of loose labels.
func number(items []fnItem, flat bool, prev int) []fnItem {
	var defs []fnItem
	var pool, printed []int
	lineOf := map[int]int{} // input line of each loose number, for the log
	for i := 0; i < len(items); i++ {
		it := items[i]
		if it.label {
			if !flat && i+1 < len(items) && !items[i+1].label && items[i+1].num == 0 {
				items[i+1].num = it.num
				continue
			}
			pool = append(pool, it.num)
			printed = append(printed, it.num)
			lineOf[it.num] = it.line
			continue
		}
		defs = append(defs, it)
	}
	sort.Ints(pool)
	// Gaps between numbered neighbours that exactly fit the unnumbered run.
	for i := 0; i < len(defs); {
		if defs[i].num != 0 {
			i++
			continue
		}
		j := i
		for j < len(defs) && defs[j].num == 0 {
			j++
		}
		lo, hi := 0, 0
		if i > 0 {
			lo = defs[i-1].num
		}
		if j < len(defs) {
			hi = defs[j].num
		}
		run := j - i
		switch {
		case lo > 0 && hi > 0 && hi-lo-1 == run:
			for k := i; k < j; k++ {
				defs[k].num = lo + 1 + (k - i)
				pool = removeInt(pool, defs[k].num)
			}
		default:
			nums := pickPrinted(printed, pool, run, lo, hi)
			if nums == nil {
				nums = pickRun(pool, run, lo, hi)
			}
			if nums == nil && lo > 0 && (hi == 0 || hi-lo-1 >= run) {
				nums = make([]int, run)
				for k := range nums {
					nums[k] = lo + 1 + k
				}
			} else if nums == nil && lo == 0 && hi == 0 && len(pool) == 0 {
				// No number printed anywhere in the block (OCR read every
				// label as a glyph): footnotes continue from the last page's.
				nums = make([]int, run)
				for k := range nums {
					nums[k] = prev + 1 + k
				}
			} else if nums == nil && lo == 0 && hi > run {
				nums = make([]int, run)
				for k := range nums {
					nums[k] = hi - run + k
				}
			}
			for k := i; k < j && nums != nil; k++ {
				defs[k].num = nums[k-i]
				pool = removeInt(pool, nums[k-i])
			}
		}
		i = j
	}
	for _, n := range pool {
		defs = append(defs, fnItem{num: n, label: true, line: lineOf[n]})
	}
	return defs
}

// maxFootnote is the highest footnote number defined so far.
func maxFootnote(doc *pipeline.Document) int {
	n := 0
	for _, f := range doc.Footnotes {
		n = max(n, f.Number)
	}
	return n
}

// pickPrinted chooses run numbers that stand consecutively, in the order
// they were printed, among the loose numbers, and are still in the pool:
// in "3 4 5 2" the labels are 3, 4, 5 and the 2 after them is the page
// number.
func pickPrinted(printed, pool []int, run, lo, hi int) []int {
	for s := 0; s+run <= len(printed); s++ {
		cand := printed[s : s+run]
		ok := cand[0] > lo && (hi == 0 || cand[run-1] < hi)
		for k := 0; k < run && ok; k++ {
			ok = (k == 0 || cand[k] == cand[k-1]+1) && slices.Contains(pool, cand[k])
		}
		if ok {
			return append([]int(nil), cand...)
		}
	}
	return nil
}

// pickRun chooses run consecutive numbers from the sorted pool that fit
// strictly between lo and hi (0 = unbounded), preferring the run that starts
// closest after lo. Leftover pool numbers are page numbers.
func pickRun(pool []int, run, lo, hi int) []int {
	if run == 0 || len(pool) < run {
		return nil
	}
	var best []int
	for s := 0; s+run <= len(pool); s++ {
		cand := pool[s : s+run]
		ok := cand[0] > lo && (hi == 0 || cand[run-1] < hi)
		for k := 1; k < run && ok; k++ {
			ok = cand[k] == cand[k-1]+1
		}
		if ok && (best == nil || cand[0]-lo < best[0]-lo) {
			best = append([]int(nil), cand...)
		}
	}
	return best
}

func removeInt(xs []int, x int) []int {
	for i, v := range xs {
		if v == x {
			return append(xs[:i:i], xs[i+1:]...)
		}
	}
	return xs
}

func (f *Footnotes) record(doc *pipeline.Document, pageNo int, defs []fnItem) {
	for _, d := range defs {
		if d.label {
			// A loose number no definition took: the page number, printed
			// among the footnotes by the extraction.
			doc.Record(pipeline.Repair{
				Stage: f.Name(), Kind: pipeline.RepairFootnote, Before: strconv.Itoa(d.num),
				Reason: "removed a number in the footnote block that labels no definition (page number)", Confidence: 0.7,
				Pos: pipeline.LinePos(pageNo, d.line, 0, len(strconv.Itoa(d.num))),
			})
			continue
		}
		text := squeezeSpace(d.text)
		if text == "" {
			continue
		}
		if doc.Kind == pipeline.KindOCR {
			// A range in a citation ("Add.1–3", "Nos. 970–973") takes an
			// en dash, which OCR reads as a hyphen or an em dash.
			text = enDashRanges(text)
		}
		conf := 0.95
		reason := "footnote definition taken out of the body"
		if d.num == 0 {
			conf, reason = 0.3, "footnote definition whose number could not be recovered"
		}
		dup := false
		for _, have := range doc.Footnotes {
			if have.Number == d.num && d.num != 0 {
				dup = true
			}
		}
		if dup {
			reason += " (number already defined; kept the first)"
			conf = 0.3
		} else if d.num != 0 {
			doc.Footnotes = append(doc.Footnotes, pipeline.Footnote{Number: d.num, Text: text, Page: pageNo})
		}
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairFootnote, Before: d.text,
			After: "[^" + strconv.Itoa(d.num) + "]: " + text, Reason: reason, Confidence: conf,
			Pos: pipeline.LinePos(pageNo, d.line, 0, len(d.text)),
		})
	}
}

// squeezeSpace is strings.Join(strings.Fields(s), " "), which returns s
// itself (not a copy) when s already has single spaces only.
func squeezeSpace(s string) string {
	space := true // a space here would lead or repeat
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' && !space:
				space = true
			case c == ' ', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
				return strings.Join(strings.Fields(s), " ")
			default:
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		space = false
		i += size
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// inlineBlocks handles flattened pages, where the block follows the rule on
// the same line and runs to the end of it.
func (f *Footnotes) inlineBlocks(doc *pipeline.Document, page *pipeline.Page) {
	for li := range page.Lines {
		ln := &page.Lines[li]
		loc := ruleInlineIndex(ln.Text)
		if loc == nil {
			continue
		}
		block := ln.Text[loc[1]:]
		ln.Text = strings.TrimSpace(ln.Text[:loc[0]])
		doc.Record(pipeline.Repair{
			Stage: f.Name(), Kind: pipeline.RepairFootnote, Before: strings.TrimSpace(ln.Text[:0] + "_______________ " + block),
			Reason: "footnote block taken out of flattened text", Confidence: 0.9,
			Pos: pipeline.LinePos(page.Number, ln.Origin, loc[0], loc[0]+len(block)),
		})
		items := splitFlatBlock(block)
		for i := range items {
			items[i].line = ln.Origin
		}
		f.record(doc, page.Number, number(items, true, maxFootnote(doc)))
	}
	kept := page.Lines[:0]
	for _, ln := range page.Lines {
		if ln.Text != "" {
			kept = append(kept, ln)
		}
	}
	page.Lines = kept
}

// ruleInlineIndex is ruleInline.FindStringIndex(t), without running the
// regexp from every byte of a flattened page: the leftmost match takes the
// white space before the first five underscores, the whole run of
// underscores and the white space after it.
func ruleInlineIndex(t string) []int {
	i := strings.Index(t, "_____")
	if i < 0 {
		return nil
	}
	start, end := i, i
	for start > 0 && isRESpace(t[start-1]) {
		start--
	}
	for end < len(t) && t[end] == '_' {
		end++
	}
	for end < len(t) && isRESpace(t[end]) {
		end++
	}
	return []int{start, end}
}

// isRESpace reports the bytes that \s matches in a regexp.
func isRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// footnoteAbbrev are abbreviations that end in a full stop inside
// definitions ("vol. 2171, No. 27531"), where a definition cannot end.
var footnoteAbbrev = map[string]bool{
	"vol.": true, "vols.": true, "No.": true, "Nos.": true, "no.": true, "p.": true, "pp.": true,
	"para.": true, "paras.": true, "art.": true, "arts.": true, "chap.": true, "sect.": true,
	"Add.": true, "Corr.": true, "Rev.": true, "Suppl.": true, "Amend.": true, "e.g.": true,
	"i.e.": true, "etc.": true, "Ser.": true, "ed.": true, "eds.": true, "Sales": true, "Inc.": true,
	"Mr.": true, "Ms.": true, "Dr.": true, "St.": true, "Co.": true, "Ltd.": true, "Part.": true,
}

// splitFlatBlock splits the text of a flattened footnote block into loose
// numbers and definitions. Definitions end at a full stop that does not
// close an abbreviation and is followed by a capital or a number.
func splitFlatBlock(block string) []fnItem {
	toks := strings.Fields(block)
	var items []fnItem
	var cur []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if len(cur) == 0 && isBareNum(t) {
			n, _ := strconv.Atoi(t)
			// A number followed by text starts a numbered definition; one
			// followed by another number, or by nothing, is a loose label.
			if i+1 < len(toks) && !isBareNum(toks[i+1]) && startsDefinition(toks[i+1]) && !pendingLabels(items) {
				items = append(items, fnItem{num: n})
				cur = []string{}
				continue
			}
			items = append(items, fnItem{num: n, label: true})
			continue
		}
		if cur == nil {
			cur = []string{}
		}
		cur = append(cur, t)
		if strings.HasSuffix(t, ".") && !footnoteAbbrev[t] && i+1 < len(toks) && startsDefinition(toks[i+1]) {
			flushNumbered(&items, &cur)
		}
	}
	flushNumbered(&items, &cur)
	return items
}

// pendingLabels reports whether the block opened with loose numbers that no
// text has taken yet: then the next number belongs to that run.
func pendingLabels(items []fnItem) bool {
	for _, it := range items {
		if !it.label {
			return false
		}
	}
	return len(items) > 0
}

func flushNumbered(items *[]fnItem, cur *[]string) {
	if *cur == nil {
		return
	}
	text := strings.Join(*cur, " ")
	*cur = nil
	if n := len(*items); n > 0 && !(*items)[n-1].label && (*items)[n-1].text == "" && (*items)[n-1].num > 0 {
		(*items)[n-1].text = text
		return
	}
	if text != "" {
		*items = append(*items, fnItem{text: text})
	}
}

func startsDefinition(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strings.HasPrefix(t, "“") || c == '"' || c == '('
}

// ocrLabel repairs the start of an OCR'd footnote line: "lbid." and
// "Tbid." are "Ibid.", and a definition number OCR read as a letter glued
// to the text ("Albid." for 4 Ibid., "SE/CN.4/2006/62" for 5 E/CN.4)
// becomes a glyph label, which the numbering fills from the sequence. A
// letter is taken for a label only when what follows it is "Ibid." or a
// document symbol and the whole is neither.
func (f *Footnotes) ocrLabel(t string) string {
	if m := labelIbidIndex(t); m != nil {
		label, rest := t[m[2]:m[3]], "Ibid."+t[m[1]:]
		switch {
		case label == "":
			return rest
		case label[0] >= '0' && label[0] <= '9':
			return strings.TrimSpace(label) + " " + rest
		}
		return "' " + rest
	}
	fields := strings.Fields(t)
	if len(fields) == 0 || isDefLine(t) || isGlyphLine(t) {
		return t
	}
	whole := strings.TrimRight(fields[0], ".,;")
	if len(whole) < 3 || !isLetterByte(whole[0]) || whole[1] < 'A' || whole[1] > 'Z' {
		return t
	}
	if f.dict.IsSymbol(whole[1:]) && !f.dict.IsSymbol(whole) {
		return "' " + t[1:]
	}
	return t
}

// labelIbidIndex is labelIbid.FindStringSubmatchIndex(t), whose match
// ends with "bid." within the first nine bytes.
func labelIbidIndex(t string) []int {
	if !strings.Contains(t[:min(len(t), 9)], "bid.") {
		return nil
	}
	return labelIbid.FindStringSubmatchIndex(t)
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// enDashRanges gives the ranges of a footnote's text their en dash, but
// not a hyphen inside a URL, an ISBN or any chain of several hyphenated
// numbers, which is no range.
func enDashRanges(text string) string {
	fields := strings.Split(text, " ")
	for i, f := range fields {
		if strings.Contains(f, "://") || strings.HasPrefix(f, "www.") ||
			i > 0 && strings.HasPrefix(fields[i-1], "ISBN") || len(digitRange.FindAllStringIndex(f, -1)) > 1 {
			continue
		}
		fields[i] = digitRange.ReplaceAllString(f, "$1–$2")
	}
	return strings.Join(fields, " ")
}
