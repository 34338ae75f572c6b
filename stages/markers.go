package stages

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Markers finds footnote references in every form extraction leaves them:
// digits glued to a word or its punctuation ("Crime1", "Slavery,4"), a lone
// number after a space ("pornography 3"), the glyphs OCR reads for
// superscript digits (' ’ ? ® ” ™ * °), Unicode superscripts, and emend's own
// [^N]. It then numbers them under the constraints UN documents obey:
// first references run 1, 2, 3… in reading order; a repeat reuses a number
// already seen, normally after the same instrument name as before; numbers
// agree with the footnote definitions. Real numbers ("resolution 2006/27",
// "article 32", "on 1 August 1975") are never candidates.
//
// Each candidate gets a probability from its form and context; a beam
// search then picks the most likely numbering of all candidates at once.
// The marker glyphs are removed from the text and recorded as Refs.
type Markers struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*Markers)(nil)

func NewMarkers(dict *dictionaries.Set) *Markers { return &Markers{dict: dict} }

func (*Markers) Name() string { return "markers" }

// Candidate forms, strongest first.
const (
	formMarkdown    = "markdown reference"
	formSuperscript = "Unicode superscript"
	formGlued       = "digits glued to the word"
	formGluedPunct  = "digits glued to punctuation"
	formSpaced      = "lone number after a space"
	formGlyph       = "OCR glyph for a superscript"
	formRaised      = "raised glyph on the page"
)

// raisedMark is pipeline.RaisedMark as a string.
var raisedMark = string(pipeline.RaisedMark)

type candidate struct {
	para       int
	start, end int // span removed from the paragraph text
	digit      int // printed number, 0 for glyphs
	glyph      string
	form       string
	p          float64  // probability of being a marker, from form and context
	before     string   // the paragraph text before the marker
	ctx        []string // preceding words, lower-cased, nearest last; filled when a repeat is weighed
	instrument string
	fullName   bool // the whole instrument name precedes, not only its tail
}

var (
	mdRefRe    = regexp.MustCompile(`\[\^(\d+)\]`)
	gluedRe    = regexp.MustCompile(`^(.*?[\p{L})\]”"’'.,;:])(\d{1,3})([,;:.)]*)$`)
	spacedRe   = regexp.MustCompile(`^(\d{1,3})([,;:]?)$`)
	supDigits  = map[rune]int{'⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9}
	ocrGlyphs  = []string{"®", "™", "°", "?", "*", "”", "\"", "’", "'"}
	monthNames = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
		"july": true, "august": true, "september": true, "october": true, "november": true, "december": true}
	// abbreviations that take a number after their full stop: "Add.1", "No.5".
	numberedAbbrev = map[string]bool{"add": true, "corr": true, "rev": true, "sub": true, "no": true, "nos": true,
		"vol": true, "para": true, "paras": true, "art": true, "p": true, "pp": true, "chap": true, "sect": true,
		"suppl": true, "amend": true, "cn": true, "conf": true, "ser": true, "op": true}
)

func (m *Markers) Apply(doc *pipeline.Document) error {
	var cands []candidate
	for i, p := range doc.Paragraphs {
		cands = append(cands, m.candidates(i, p.Text)...)
	}
	defs := map[int]bool{}
	minDef, maxDef := 0, 0
	for _, f := range doc.Footnotes {
		defs[f.Number] = true
		if minDef == 0 || f.Number < minDef {
			minDef = f.Number
		}
		if f.Number > maxDef {
			maxDef = f.Number
		}
	}
	numbers := assign(cands, defs, minDef, maxDef)
	m.apply(doc, cands, numbers)
	return nil
}

// candidates lists the possible markers of one paragraph.
func (m *Markers) candidates(pi int, text string) []candidate {
	var out []candidate
	toks := tokenize(text)
	openQuotes := 0 // “ not yet closed, to tell a closing quote from a marker
	openSingle := 0
	for ti, t := range toks {
		ascii := isASCII(t.text)
		if !ascii {
			openQuotes += strings.Count(t.text, "“")
			openSingle += strings.Count(t.text, "‘")
		}
		prevTok, nextTok := "", ""
		if ti > 0 {
			prevTok = toks[ti-1].text
		}
		if ti+1 < len(toks) {
			nextTok = toks[ti+1].text
		}
		// [^N] written by emend itself.
		if strings.IndexByte(t.text, '[') < 0 {
		} else if locs := mdRefRe.FindAllStringSubmatchIndex(t.text, -1); locs != nil {
			for _, l := range locs {
				n, _ := strconv.Atoi(t.text[l[2]:l[3]])
				out = append(out, m.cand(pi, text, t.start+l[0], t.start+l[1], n, "", formMarkdown, 1))
			}
			continue
		}
		// A glyph run the page's geometry shows is raised.
		if i := strings.Index(t.text, raisedMark); i > 0 && utf8.RuneCountInString(t.text[i:]) <= 5 {
			out = append(out, m.cand(pi, text, t.start+i, t.end, 0, t.text[i+len(raisedMark):], formRaised, 0.95))
			continue
		}
		// Unicode superscripts at the end of a token.
		if t.text[len(t.text)-1] < 0x80 || ti == 0 && isSuperscriptRun(t.text) {
			// nothing precedes a superscript that opens the paragraph: no
			// word for it to mark
		} else if c, ok := m.superscript(pi, text, t); ok {
			out = append(out, c)
			continue
		}
		if ti == 0 {
			continue // a paragraph's first token is its number, not a marker
		}
		hasDigit := containsDigit(t.text)
		if !hasDigit && !endsInGlyph(t.text) {
			continue // most tokens: a plain word
		}
		if g := gluedRe.FindStringSubmatch(t.text); hasDigit && g != nil && (!strings.Contains(t.text, "/") || strings.HasSuffix(g[1], ",") || strings.HasSuffix(g[1], ";")) && !strings.Contains(t.text, "[^") {
			prefix, digits := g[1], g[2]
			if p, form := m.gluedPrior(prefix, digits); p > 0 && digits[0] != '0' {
				s := t.start + len(prefix)
				n, _ := strconv.Atoi(digits)
				out = append(out, m.cand(pi, text, s, s+len(digits), n, "", form, p))
			}
			continue
		}
		if sm := spacedRe.FindStringSubmatch(t.text); hasDigit && sm != nil && sm[1][0] != '0' {
			if p := m.spacedPrior(prevTok, nextTok, sm[2]); p > 0 {
				n, _ := strconv.Atoi(sm[1])
				// Remove the space before the number too: "pornography 3 and"
				// becomes "pornography[^3] and".
				out = append(out, m.cand(pi, text, toks[ti-1].end, t.start+len(sm[1]), n, "", formSpaced, p))
			}
			continue
		}
		if c, ok := m.glyph(pi, text, t, nextTok, openQuotes, openSingle); ok {
			out = append(out, c)
		}
		if !ascii {
			openQuotes -= strings.Count(t.text, "”")
			openSingle -= strings.Count(t.text, "’")
		}
		if openQuotes < 0 {
			openQuotes = 0
		}
		if openSingle < 0 {
			openSingle = 0
		}
	}
	return out
}

func (m *Markers) cand(pi int, text string, start, end, n int, glyph, form string, p float64) candidate {
	c := candidate{para: pi, start: start, end: end, digit: n, glyph: glyph, form: form, p: p,
		before: text[:start]}
	if name, ok := m.dict.InstrumentBefore(text[:start]); ok {
		c.instrument = name
		c.fullName = endsWithName(text[:start], name)
		if p < 1 {
			c.p = p + (1-p)*0.5
		}
	}
	return c
}

// endsWithName reports whether text ends with every word of name,
// compared without case and punctuation.
func endsWithName(text, name string) bool {
	tw, nw := contextWordsN(text, 64), contextWordsN(name, 64)
	if len(nw) == 0 || len(tw) < len(nw) {
		return false
	}
	tail := tw[len(tw)-len(nw):]
	for i := range nw {
		if tail[i] != nw[i] {
			return false
		}
	}
	return true
}

// contextWords returns up to 24 words before a marker, lower-cased and
// stripped of punctuation, nearest last.
func contextWords(before string) []string { return contextWordsN(before, 24) }

func contextWordsN(before string, n int) []string {
	// Walk back from the end: the text before a marker can be a whole
	// paragraph, and only its last words matter.
	out := make([]string, 0, n)
	end := len(before)
	for end > 0 && len(out) < n {
		for end > 0 && before[end-1] == ' ' {
			end--
		}
		start := strings.LastIndexByte(before[:end], ' ') + 1
		if start < end {
			if w := strings.ToLower(trimWord(before[start:end])); w != "" {
				out = append(out, w)
			}
		}
		end = start
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func (m *Markers) superscript(pi int, text string, t token) (candidate, bool) {
	end := len(t.text)
	val, mul := 0, 1
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(t.text[:end])
		d, ok := supDigits[r]
		if !ok {
			break
		}
		val += d * mul
		mul *= 10
		end -= n
	}
	if end == len(t.text) || val == 0 {
		return candidate{}, false
	}
	return m.cand(pi, text, t.start+end, t.end, val, "", formSuperscript, 0.98), true
}

// gluedPrior scores digits glued to a token: "Crime1" and "Slavery,4" are
// markers; "Add.1", "G77" and "CO2" are not.
func (m *Markers) gluedPrior(prefix, digits string) (float64, string) {
	last := prefix[len(prefix)-1]
	word := lastWord(strings.TrimRight(prefix, ".,;:)]”\"’'"))
	if containsDigit(prefix) {
		// "1949,1", "Agenda 21,2", "(No. 182),3", "resolution 72/4;4": a
		// marker after a number and its punctuation. A thousands separator
		// ("1,500") is the one look-alike, and it always has three digits
		// after the comma.
		if last == ',' && len(prefix) >= 5 && isYear(prefix[len(prefix)-5:len(prefix)-1]) {
			return 0.6, formGluedPunct
		}
		if (last == ',' || last == ';') && len(digits) < 3 {
			return 0.5, formGluedPunct
		}
		return 0, ""
	}
	if strings.HasSuffix(prefix, "”") {
		return 0.9, formGluedPunct
	}
	switch last {
	case '.':
		if numberedAbbrev[strings.ToLower(word)] || len(word) <= 2 || strings.ToUpper(word) == word {
			return 0, ""
		}
		return 0.8, formGluedPunct
	case ',', ';', ':', ')', ']', '"', '\'':
		return 0.9, formGluedPunct
	}
	if strings.HasSuffix(prefix, "’") {
		return 0.9, formGluedPunct
	}
	// An acronym with a number is a name: G77, CO2, MDG8.
	if word == strings.ToUpper(word) && utf8.RuneCountInString(word) <= 5 {
		return 0.05, formGlued
	}
	if !m.dict.IsWord(word) && !isUpper(word) {
		return 0.5, formGlued
	}
	return 0.9, formGlued
}

// spacedPrior scores a lone number after a space. A number after a function
// word, a noun that takes numbers ("article 32") or another list number, or
// before a month or unit, is a real number.
func (m *Markers) spacedPrior(prev, next, trail string) float64 {
	if prev == "" {
		return 0
	}
	nextWord := strings.ToLower(trimWord(next))
	if monthNames[nextWord] || m.dict.IsNumberNoun(nextWord) || nextWord == "per" || nextWord == "to" ||
		strings.HasPrefix(next, "(") || strings.HasPrefix(next, "%") || strings.HasPrefix(next, "-") || strings.HasPrefix(next, "–") {
		return 0
	}
	last := prev[len(prev)-1]
	switch {
	case last == ',' || last == ';' || last == ':' || last == ')' || strings.HasSuffix(prev, "”"):
		if spacedRe.MatchString(strings.TrimRight(prev, ",;:")) {
			return 0 // "paragraphs 3, 4 and 5"
		}
		return 0.6
	case last >= '0' && last <= '9':
		if len(prev) == 4 { // a year: "12 February 2013 9 in which"
			return 0.35
		}
		return 0
	case last == '.':
		w := lastWord(strings.TrimSuffix(prev, "."))
		if numberedAbbrev[strings.ToLower(w)] || len(w) <= 2 {
			return 0
		}
		return 0.4
	}
	w := lastWord(prev)
	if w == "" || len(w) != len(strings.TrimLeft(prev, "(“\"‘'[")) {
		return 0
	}
	lw := strings.ToLower(w)
	if m.dict.IsFunctionWord(lw) || m.dict.IsNumberNoun(lw) || monthNames[lw] {
		return 0
	}
	if trail == ":" {
		return 0.2
	}
	return 0.45
}

// glyph scores OCR's readings of superscript digits at the end of a token.
func (m *Markers) glyph(pi int, text string, t token, next string, openQuotes, openSingle int) (candidate, bool) {
	for _, g := range ocrGlyphs {
		if !strings.HasSuffix(t.text, g) || len(t.text) == len(g) {
			continue
		}
		stem := strings.TrimSuffix(t.text, g)
		lastR, _ := utf8.DecodeLastRuneInString(stem)
		punct := strings.ContainsRune(",;.)", lastR)
		letter := isLetterRune(lastR) && lastR != '’'
		if !punct && !letter {
			return candidate{}, false
		}
		nextLower := next == "" || isLower(next)
		p := 0.0
		switch g {
		case "®", "™", "°":
			p = 0.9
		case "?":
			switch {
			case punct:
				p = 0.9
			case nextLower && next != "":
				p = 0.75
			default:
				p = 0.1
			}
		case "*":
			p = 0.8
		case "”", "\"":
			if openQuotes > 0 {
				return candidate{}, false // closes a quotation
			}
			if punct {
				p = 0.85
			} else {
				p = 0.7
			}
		case "’", "'":
			if openSingle > 0 {
				return candidate{}, false
			}
			switch {
			case punct:
				p = 0.85
			case lastR == 's' || lastR == 'S':
				p = 0.15 // possessive plural: "States’ obligations"
			default:
				p = 0.7
			}
		}
		s := t.start + len(stem)
		return m.cand(pi, text, s, t.end, 0, g, formGlyph, p), true
	}
	return candidate{}, false
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// isSuperscriptRun reports a token made only of superscript digits.
func isSuperscriptRun(t string) bool {
	for _, r := range t {
		if _, ok := supDigits[r]; !ok {
			return false
		}
	}
	return t != ""
}

func isYear(s string) bool {
	return len(s) == 4 && (s[0] == '1' || s[0] == '2') && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'
}

func containsDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// endsInGlyph reports a token ending in an OCR marker glyph or a Unicode
// superscript digit.
func endsInGlyph(t string) bool {
	r, _ := utf8.DecodeLastRuneInString(t)
	return isMarkerGlyph(r) || r == '"'
}

// glyphNumber is how often OCR reads digit n as glyph g: a weak prior that
// only breaks ties the sequence leaves open.
func glyphNumber(g string, n int) float64 {
	switch {
	case (g == "'" || g == "’") && n == 1, g == "?" && n == 2, g == "™" && n >= 10, (g == "®" || g == "°") && n >= 3 && n <= 9:
		return 0.3
	}
	return 0
}

// beamState is one partial numbering of the candidates. Paths share their
// prefixes (a linked list back to the start), and first is copied only when
// a state adds a new number, so extending a state costs one small
// allocation.
type beamState struct {
	score float64
	max   int
	path  *pathNode
	first []int32 // first[k] = index of the candidate that first took number k, -1 if none
}

type pathNode struct {
	n    int
	prev *pathNode
}

const beamWidth = 48

// assign numbers the candidates. defs holds the defined footnote numbers
// (may be empty); a document fragment whose definitions start above 1 may
// repeat numbers it never showed.
func assign(cands []candidate, defs map[int]bool, minDef, maxDef int) []int {
	start := 0
	if minDef > 1 {
		start = minDef - 1
	}
	// repeatFit depends only on the two candidates: remember it.
	fits := map[[2]int]float64{}
	fit := func(ci, fi int) float64 {
		k := [2]int{ci, fi}
		v, ok := fits[k]
		if !ok {
			// Context words are only needed here, for few candidates:
			// build them on first use.
			for _, x := range []int{ci, fi} {
				if cands[x].ctx == nil {
					cands[x].ctx = contextWords(cands[x].before)
				}
			}
			v = repeatFit(cands[ci], cands[fi])
			fits[k] = v
		}
		return v
	}
	beam := []beamState{{max: start}}
	var next []beamState
	for ci, c := range cands {
		next = next[:0]
		skip := math.Log(1 - math.Min(c.p, 0.999))
		lp := math.Log(math.Max(c.p, 1e-6))
		for _, st := range beam {
			// Not a marker.
			next = append(next, st.extend(ci, 0, skip))
			// A first reference: the next number in sequence.
			n := st.max + 1
			if c.digit == 0 || c.digit == n || c.form == formMarkdown {
				if c.form == formMarkdown {
					n = c.digit
				}
				s := lp + defFit(defs, minDef, n) + glyphNumber(c.glyph, n)
				if c.digit != 0 {
					s += 1.0 // a printed number that fits the sequence is itself evidence
				}
				next = append(next, st.extend(ci, n, s))
			} else if c.digit > n && c.form != formSpaced {
				// A marker the extraction lost in between: allowed, at a cost.
				s := lp + defFit(defs, minDef, c.digit) - 1.5*float64(c.digit-n)
				next = append(next, st.extend(ci, c.digit, s))
			}
			// A repeat of an earlier number.
			lo, hi := 1, st.max
			if c.digit != 0 {
				lo, hi = c.digit, min(c.digit, st.max)
			}
			for k := lo; k <= hi; k++ {
				s := lp + defFit(defs, minDef, k) + glyphNumber(c.glyph, k)*0.5
				if fi := st.firstOf(k); fi >= 0 {
					f := fit(ci, fi)
					// A glyph that shares nothing with the first reference
					// is not worth a state while a new number is possible.
					if c.digit == 0 && f < -1 && (len(defs) == 0 || st.max < maxDef) {
						continue
					}
					s += f
				} else if k > start {
					continue // never seen in this document: cannot be a repeat
				} else {
					s -= 0.7 // a fragment: its earlier references are on pages we lack
				}
				if c.digit != 0 {
					s += 0.5
				}
				next = append(next, st.extend(ci, k, s))
			}
		}
		slices.SortStableFunc(next, func(a, b beamState) int { return cmp.Compare(b.score, a.score) })
		beam = append(beam[:0], next[:min(len(next), beamWidth)]...)
	}
	// Definitions never referenced cost something: they mean a lost marker.
	best, bestScore := 0, math.Inf(-1)
	for i, st := range beam {
		s := st.score
		if maxDef > st.max {
			s -= 0.8 * float64(maxDef-st.max)
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	numbers := make([]int, len(cands))
	i := len(cands) - 1
	for p := beam[best].path; p != nil; p = p.prev {
		numbers[i] = p.n
		i--
	}
	return numbers
}

func (st beamState) firstOf(k int) int {
	if k < len(st.first) {
		return int(st.first[k])
	}
	return -1
}

func (st beamState) extend(ci, n int, delta float64) beamState {
	out := beamState{score: st.score + delta, max: st.max, first: st.first,
		path: &pathNode{n: n, prev: st.path}}
	if n > 0 {
		out.max = max(out.max, n)
		if st.firstOf(n) < 0 {
			f := make([]int32, max(len(st.first), n+1))
			copy(f, st.first)
			for k := len(st.first); k < len(f); k++ {
				f[k] = -1
			}
			f[n] = int32(ci)
			out.first = f
		}
	}
	return out
}

// defFit scores number n against the definitions found. In a fragment
// whose definitions start above 1, lower numbers were defined on pages we
// do not have, and cost nothing.
func defFit(defs map[int]bool, minDef, n int) float64 {
	if len(defs) == 0 || defs[n] || n < minDef {
		return 0
	}
	return -3
}

// repeatFit scores a repeat reference c against the first reference f to
// the same footnote: repeats follow the same name ("... Organized Crime'"
// twice), so the longer their shared run of preceding words, the likelier.
//
// The full name of the same instrument before both is the strongest sign.
// Short of that, a long shared run counts for, and a run that diverges
// inside the window counts against: "the Special Rapporteur on the sale of
// children, child prostitution and child pornography" shares ten words with
// the Optional Protocol of the same name, and is a different footnote.
func repeatFit(c, f candidate) float64 {
	if c.instrument != "" && c.fullName && f.fullName && c.instrument == f.instrument {
		return 2.0 + sameGlyph(c, f)
	}
	shared := 0
	i, j := len(c.ctx)-1, len(f.ctx)-1
	for ; i >= 0 && j >= 0 && c.ctx[i] == f.ctx[j]; i, j = i-1, j-1 {
		shared++
	}
	s := 0.15*float64(shared) - 1.2
	if i >= 0 && j >= 0 {
		s -= 0.8 // the contexts part ways within the window
	}
	return s + sameGlyph(c, f)
}

// sameGlyph: OCR tends to read the same superscript the same way.
func sameGlyph(c, f candidate) float64 {
	switch {
	case c.glyph == "" || f.glyph == "":
		return 0
	case c.glyph == f.glyph:
		return 0.3
	}
	return -0.3
}

// apply removes the chosen markers from the text and records references.
func (m *Markers) apply(doc *pipeline.Document, cands []candidate, numbers []int) {
	byPara := map[int][]int{}
	for ci, n := range numbers {
		if n > 0 {
			byPara[cands[ci].para] = append(byPara[cands[ci].para], ci)
		}
	}
	refsTo := map[int][]pipeline.RefSource{}
	for pi := range doc.Paragraphs {
		p := &doc.Paragraphs[pi]
		idx := byPara[pi]
		hasMark := strings.Contains(p.Text, raisedMark)
		if len(idx) == 0 && !hasMark {
			continue
		}
		var b strings.Builder
		// write copies text, dropping the raised marks of glyphs that were
		// not taken as markers: the glyph stays, the mark must not.
		write := func(s string) {
			if hasMark {
				s = strings.ReplaceAll(s, raisedMark, "")
			}
			b.WriteString(s)
		}
		last := 0
		for _, ci := range idx {
			c := cands[ci]
			if c.start < last {
				continue // overlapping candidates: the first one won
			}
			write(p.Text[last:c.start])
			off := b.Len()
			last = c.end
			n := numbers[ci]
			p.Refs = append(p.Refs, pipeline.Ref{Offset: off, Number: n})
			refsTo[n] = append(refsTo[n], pipeline.RefSource{Paragraph: pi, Offset: off})
			if c.form == formMarkdown {
				continue // read back from emend's own output: nothing changed
			}
			why := c.form
			if c.instrument != "" {
				why += ", after the name of an instrument (" + c.instrument + ")"
			}
			if c.digit == 0 && (c.form == formGlyph || c.form == formRaised) {
				why += "; number " + strconv.Itoa(n) + " from the footnote sequence"
			}
			from := runeStart(p.Text, max(0, c.start-20))
			doc.Record(pipeline.Repair{
				Stage: m.Name(), Kind: pipeline.RepairMarker, Before: p.Text[from:c.end],
				After:  p.Text[from:c.start] + "[^" + strconv.Itoa(n) + "]",
				Reason: why, Confidence: math.Round(c.p*100) / 100, Pos: doc.ParaPos(pi, c.start, c.end),
			})
		}
		write(p.Text[last:])
		p.Text = b.String()
	}
	for i := range doc.Footnotes {
		doc.Footnotes[i].Text = strings.ReplaceAll(doc.Footnotes[i].Text, raisedMark, "")
		doc.Footnotes[i].Refs = refsTo[doc.Footnotes[i].Number]
	}
}
