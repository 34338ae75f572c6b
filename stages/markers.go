package stages

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
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
	// nameWords caches the words of each instrument name endsWithName has
	// compared, last first: the dictionary's names, shared by concurrent
	// Apply calls.
	nameWords sync.Map // string -> []string
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
	ctx        []string // preceding words, nearest first, as far as a repeat has needed them (contextWord)
	ctxEnd     int      // where in before the next word of ctx ends, -1 when there is none
	instrument string
	nameWords  []string // the instrument's words, as endsWithName compares them
	// fullName: whether the whole instrument name precedes, not only its
	// tail. Only a repeat after the same instrument asks (hasFullName): 0
	// until then, 1 yes, -1 no.
	fullName int8
}

var (
	mdRefRe   = regexp.MustCompile(`\[\^(\d+)\]`)
	ocrGlyphs = []string{"®", "™", "°", "?", "*", "”", "\"", "’", "'"}
	// endsLikeGlyph holds the last bytes of the ocrGlyphs: a token that
	// ends with another ends with none.
	endsLikeGlyph = func() (last [256]bool) {
		for _, g := range ocrGlyphs {
			last[g[len(g)-1]] = true
		}
		return last
	}()
	monthNames = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
		"july": true, "august": true, "september": true, "october": true, "november": true, "december": true}
	// abbreviations that take a number after their full stop: "Add.1", "No.5".
	numberedAbbrev = map[string]bool{"add": true, "corr": true, "rev": true, "sub": true, "no": true, "nos": true,
		"vol": true, "para": true, "paras": true, "art": true, "p": true, "pp": true, "chap": true, "sect": true,
		"suppl": true, "amend": true, "cn": true, "conf": true, "ser": true, "op": true}
)

// maxFootnoteNumber is the largest footnote number the markers are
// numbered against; the longest UN reports have some hundreds of notes.
const maxFootnoteNumber = 5000

func (m *Markers) Apply(doc *pipeline.Document) error {
	var cands []candidate
	raised := make([]bool, len(doc.Paragraphs))
	for i, p := range doc.Paragraphs {
		cands, raised[i] = m.candidates(cands, i, p.Text)
	}
	// A reference numbered beyond any document's notes ("[^999999999]")
	// is left as it stands, like a definition so numbered below.
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return c.digit > maxFootnoteNumber })
	nums := make([]int, 0, len(doc.Footnotes))
	minDef, maxDef := 0, 0
	for _, f := range doc.Footnotes {
		if f.Number > maxFootnoteNumber {
			// No UN document runs to so many notes: the number is a
			// misreading, and numbering markers up to it would make the
			// search hold tables of that size.
			continue
		}
		nums = append(nums, f.Number)
		if minDef == 0 || f.Number < minDef {
			minDef = f.Number
		}
		if f.Number > maxDef {
			maxDef = f.Number
		}
	}
	numbers := assign(cands, newNumberSet(nums), minDef, maxDef)
	m.apply(doc, cands, numbers, raised)
	return nil
}

// Byte classes for the token scan in candidates.
const (
	byteDigit   = 1 << iota // an ASCII digit
	byteHigh                // part of a non-ASCII character
	byteBracket             // '[', which may open emend's own [^N]
	byteGlyph               // an ASCII glyph OCR reads for a superscript: ' ? * "
)

var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byteDigit
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = byteHigh
	}
	t['['] = byteBracket
	for _, c := range []byte("'?*\"") {
		t[c] = byteGlyph
	}
	return t
}()

// nextMarkerByte returns the index of the first digit, non-ASCII byte or
// ASCII glyph (' ? * ") in s at or after i, or len(s). Only a token holding
// one can be or hold a marker. It tests eight bytes at a time: such bytes
// are some dozens of bytes apart in UN text.
func nextMarkerByte(s string, i int) int {
	const (
		ones = 0x0101010101010101
		low7 = 0x7f * ones
		high = 0x80 * ones
	)
	// zero has bit 7 of each byte of v, all of them below 0x80, set when
	// the byte is 0: adding 0x7f carries into bit 7 from any other.
	zero := func(v uint64) uint64 { return ^(v + low7) & high }
	for ; i+8 <= len(s); i += 8 {
		w := load64(s[i : i+8])
		if w&high == 0 {
			// Bytes are below 0x80 now, so no sum below carries out of
			// its byte. A digit is at least '0' (x+0x50 reaches bit 7) and
			// below ':' (x+0x46 does not). Setting bit 3 makes '"' (0x22)
			// '*' (0x2a); setting bits 3 and 4 makes '\'' (0x27) '?'
			// (0x3f), and '/' and '7' too, which the bytes' classes sort
			// out below.
			digit := (w + 0x50*ones) &^ (w + 0x46*ones) & high
			if digit|zero((w|0x08*ones)^('*'*ones))|zero((w|0x18*ones)^('?'*ones)) == 0 {
				continue
			}
		}
		for j := i; j < i+8; j++ {
			if byteClass[s[j]]&(byteDigit|byteHigh|byteGlyph) != 0 {
				return j
			}
		}
	}
	for ; i < len(s); i++ {
		if byteClass[s[i]]&(byteDigit|byteHigh|byteGlyph) != 0 {
			return i
		}
	}
	return len(s)
}

// candidates appends the possible markers of one paragraph to out, and
// reports whether the paragraph holds a raised mark.
//
// It looks only at the tokens (runs of bytes other than ' ', as tokenize
// gives them) that hold a digit, a non-ASCII character or an ASCII glyph,
// found by nextMarkerByte: this runs on every paragraph, and nearly every
// token is a plain word. Nothing below applies to the others, and they
// change no quote count.
func (m *Markers) candidates(out []candidate, pi int, text string) ([]candidate, bool) {
	openQuotes := 0 // “ not yet closed, to tell a closing quote from a marker
	openSingle := 0
	hasRaised := false
	first := 0 // start of the first token
	for first < len(text) && text[first] == ' ' {
		first++
	}
	for pos := 0; ; {
		k := nextMarkerByte(text, pos)
		if k == len(text) {
			break
		}
		// The token holding byte k: text[pos] is a space or the start.
		i := pos + strings.LastIndexByte(text[pos:k], ' ') + 1
		j := tokenEnd(text, k+1)
		pos = j
		var class uint8
		for x := i; x < j; x++ {
			class |= byteClass[text[x]]
		}
		last := text[j-1]
		if class&(byteDigit|byteHigh) == 0 && class&byteGlyph != 0 && byteClass[last]&byteGlyph == 0 {
			continue // a glyph inside a word: "don't"
		}
		t := token{text[i:j], i, j}
		ascii := class&byteHigh == 0
		raisedAt := -1
		if !ascii {
			openQuotes += strings.Count(t.text, "“")
			openSingle += strings.Count(t.text, "‘")
			if raisedAt = strings.Index(t.text, raisedMark); raisedAt >= 0 {
				hasRaised = true
			}
		}
		// The token before, when this is not the first.
		prevTok, prevEnd := "", i
		if i != first {
			for text[prevEnd-1] == ' ' {
				prevEnd--
			}
			prevTok = text[strings.LastIndexByte(text[:prevEnd], ' ')+1 : prevEnd]
		}
		hasDigit := class&byteDigit != 0
		// [^N] written by emend itself. It needs a digit to match.
		if class&byteBracket == 0 || !hasDigit {
		} else if locs := mdRefRe.FindAllStringSubmatchIndex(t.text, -1); locs != nil {
			for _, l := range locs {
				n, _ := strconv.Atoi(t.text[l[2]:l[3]])
				out = append(out, m.cand(pi, text, t.start+l[0], t.start+l[1], n, "", formMarkdown, 1))
			}
			continue
		}
		// A glyph run the page's geometry shows is raised.
		if k := raisedAt; k > 0 && utf8.RuneCountInString(t.text[k:]) <= 5 {
			out = append(out, m.cand(pi, text, t.start+k, t.end, 0, t.text[k+len(raisedMark):], formRaised, 0.95))
			continue
		}
		// Unicode superscripts at the end of a token.
		if last < 0x80 || i == first && isSuperscriptRun(t.text) {
			// nothing precedes a superscript that opens the paragraph: no
			// word for it to mark
		} else if c, ok := m.superscript(pi, text, t); ok {
			out = append(out, c)
			continue
		}
		if i == first {
			continue // a paragraph's first token is its number, not a marker
		}
		if !hasDigit && !endsInGlyph(t.text) {
			continue // most tokens: a plain word
		}
		if prefix, digits, ok := gluedDigits(t.text); hasDigit && ok && (!strings.Contains(t.text, "/") || strings.HasSuffix(prefix, ",") || strings.HasSuffix(prefix, ";")) && !strings.Contains(t.text, "[^") {
			if p, form := m.gluedPrior(prefix, digits); p > 0 && digits[0] != '0' {
				s := t.start + len(prefix)
				n, _ := strconv.Atoi(digits)
				out = append(out, m.cand(pi, text, s, s+len(digits), n, "", form, p))
			}
			continue
		}
		if digits, trail, ok := spacedNumber(t.text); hasDigit && ok && digits[0] != '0' {
			if p := m.spacedPrior(prevTok, nextToken(text, j), trail); p > 0 {
				n, _ := strconv.Atoi(digits)
				// Remove the space before the number too: "pornography 3 and"
				// becomes "pornography[^3] and".
				out = append(out, m.cand(pi, text, prevEnd, t.start+len(digits), n, "", formSpaced, p))
			}
			continue
		}
		if c, ok := m.glyph(pi, text, t, nextToken(text, j), openQuotes, openSingle); ok {
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
	return out, hasRaised
}

// nextToken returns the token that starts after position end of text, ""
// at the end.
func nextToken(text string, end int) string {
	i := end
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return text[i:tokenEnd(text, i)]
}

// gluedDigits splits a token of digits glued to a word or its punctuation,
// "Slavery,4;", into the text before the digits ("Slavery,"), the digits
// ("4") and the punctuation after them. It is the regular expression
// ^(.*?[\p{L})\]”"’'.,;:])(\d{1,3})([,;:.)]*)$ written out: the
// punctuation after the digits holds no digit and the character before them
// is not one, so the digits are the last run of digits, and there is only
// one way to split.
func gluedDigits(t string) (prefix, digits string, ok bool) {
	e := len(t)
	for e > 0 && (t[e-1] == ',' || t[e-1] == ';' || t[e-1] == ':' || t[e-1] == '.' || t[e-1] == ')') {
		e--
	}
	d := e
	for d > 0 && e-d <= 3 && t[d-1] >= '0' && t[d-1] <= '9' {
		d--
	}
	if d == e || e-d > 3 || d == 0 {
		return "", "", false
	}
	r, n := utf8.DecodeLastRuneInString(t[:d])
	switch r {
	case ')', ']', '”', '"', '’', '\'', '.', ',', ';', ':':
	default:
		if !unicode.IsLetter(r) {
			return "", "", false
		}
	}
	// The regular expression's . does not match a line feed.
	if strings.IndexByte(t[:d-n], '\n') >= 0 {
		return "", "", false
	}
	return t[:d], t[d:e], true
}

// spacedNumber matches a lone number of one to three digits and the one
// , ; or : that may follow it: ^(\d{1,3})([,;:]?)$.
func spacedNumber(t string) (digits, trail string, ok bool) {
	d := 0
	for d < len(t) && d <= 3 && t[d] >= '0' && t[d] <= '9' {
		d++
	}
	if d == 0 || d > 3 {
		return "", "", false
	}
	switch rest := t[d:]; {
	case rest == "", len(rest) == 1 && (rest[0] == ',' || rest[0] == ';' || rest[0] == ':'):
		return t[:d], rest, true
	}
	return "", "", false
}

func (m *Markers) cand(pi int, text string, start, end, n int, glyph, form string, p float64) candidate {
	c := candidate{para: pi, start: start, end: end, digit: n, glyph: glyph, form: form, p: p,
		before: text[:start], ctxEnd: start}
	if name, ok := m.dict.InstrumentBefore(text[:start]); ok {
		c.instrument, c.nameWords = name, m.wordsOf(name)
		if p < 1 {
			c.p = p + (1-p)*0.5
		}
	}
	return c
}

// wordsOf returns the words of an instrument name as endsWithName
// compares them, last first, at most 64.
func (m *Markers) wordsOf(name string) []string {
	if w, ok := m.nameWords.Load(name); ok {
		return w.([]string)
	}
	var words []string
	for end := len(name); len(words) < 64; {
		w, start := lastContextWord(name, end)
		if start < 0 {
			break
		}
		words, end = append(words, w), start
	}
	m.nameWords.Store(name, words)
	return words
}

// hasFullName reports whether the whole name of c's instrument precedes
// it, not only its tail.
func (c *candidate) hasFullName() bool {
	if c.fullName == 0 {
		c.fullName = -1
		if endsWithName(c.before, c.nameWords) {
			c.fullName = 1
		}
	}
	return c.fullName > 0
}

// endsWithName reports whether text ends with every word of a name, given
// by wordsOf, compared without case and punctuation.
//
// It walks back over the words of text only as far as the name goes: this
// runs for every candidate after a name, and needs neither a list of the
// words of text nor lower-cased copies.
func endsWithName(text string, name []string) bool {
	end := len(text)
	for _, nw := range name {
		tw, start := lastContextWord(text, end)
		if start < 0 || !equalLower(tw, nw) {
			return false
		}
		end = start
	}
	return len(name) > 0
}

// lastContextWord returns the last word of s[:end] as it is compared with
// another (equalLower), and where the token holding it starts; -1 when
// s[:end] holds no word. Tokens are split at spaces, and a token with no
// letter is no word.
func lastContextWord(s string, end int) (string, int) {
	for end > 0 {
		for end > 0 && s[end-1] == ' ' {
			end--
		}
		start := strings.LastIndexByte(s[:end], ' ') + 1
		if start < end {
			if w := trimWord(s[start:end]); w != "" {
				return w, start
			}
		}
		end = start
	}
	return "", -1
}

// equalLower reports whether strings.ToLower(a) == strings.ToLower(b),
// without building either when both are ASCII.
func equalLower(a, b string) bool {
	if len(a) != len(b) {
		// Lower-casing keeps the length of ASCII text only.
		if isASCII(a) && isASCII(b) {
			return false
		}
		return equalToLower(a, b)
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x|y >= 0x80 {
			return equalToLower(a, b)
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			// Both lower-cased texts begin with the same i ASCII bytes,
			// then these two.
			return false
		}
	}
	return true
}

// contextWordLimit is how many words before a marker repeatFit compares.
const contextWordLimit = 24

// contextWord returns the k-th word before the marker, nearest first,
// stripped of punctuation (compare with equalLower); false past the
// contextWordLimit words nearest the marker or the start of the paragraph.
// The words are found on first use and kept: a comparison of two contexts
// mostly stops at the first or second word.
func (c *candidate) contextWord(k int) (string, bool) {
	for len(c.ctx) <= k {
		if len(c.ctx) == contextWordLimit || c.ctxEnd < 0 {
			return "", false
		}
		w, start := lastContextWord(c.before, c.ctxEnd)
		if start < 0 {
			c.ctxEnd = -1
			return "", false
		}
		c.ctx, c.ctxEnd = append(c.ctx, w), start
	}
	return c.ctx[k], true
}

func (m *Markers) superscript(pi int, text string, t token) (candidate, bool) {
	end := len(t.text)
	val, mul := 0, 1
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(t.text[:end])
		d, ok := supDigit(r)
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
		if lowerIn(numberedAbbrev, word) || len(word) <= 2 || isUpperCase(word) {
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
	if isUpperCase(word) && utf8.RuneCountInString(word) <= 5 {
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
	// The dictionary ignores case itself.
	nextWord := trimWord(next)
	if lowerIn(monthNames, nextWord) || m.dict.IsNumberNoun(nextWord) || equalLower(nextWord, "per") || equalLower(nextWord, "to") ||
		strings.HasPrefix(next, "(") || strings.HasPrefix(next, "%") || strings.HasPrefix(next, "-") || strings.HasPrefix(next, "–") {
		return 0
	}
	last := prev[len(prev)-1]
	switch {
	case last == ',' || last == ';' || last == ':' || last == ')' || strings.HasSuffix(prev, "”"):
		if _, _, ok := spacedNumber(strings.TrimRight(prev, ",;:")); ok {
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
		if lowerIn(numberedAbbrev, w) || len(w) <= 2 {
			return 0
		}
		return 0.4
	}
	w := lastWord(prev)
	if w == "" || len(w) != len(strings.TrimLeft(prev, "(“\"‘'[")) {
		return 0
	}
	if m.dict.IsFunctionWord(w) || m.dict.IsNumberNoun(w) || lowerIn(monthNames, w) {
		return 0
	}
	if trail == ":" {
		return 0.2
	}
	return 0.45
}

// glyph scores OCR's readings of superscript digits at the end of a token.
func (m *Markers) glyph(pi int, text string, t token, next string, openQuotes, openSingle int) (candidate, bool) {
	if !endsLikeGlyph[t.text[len(t.text)-1]] {
		return candidate{}, false
	}
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

// lowerIn reports whether strings.ToLower(w) is in set, building the
// lower-cased copy only when w is not ASCII or longer than any key.
func lowerIn(set map[string]bool, w string) bool {
	var buf [16]byte
	if len(w) > len(buf) || !isASCII(w) {
		return set[strings.ToLower(w)]
	}
	b := buf[:len(w)]
	for i := range len(w) {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return set[string(b)]
}

// isUpperCase reports whether strings.ToUpper(w) == w, building the
// upper-cased copy only when w is not ASCII.
func isUpperCase(w string) bool {
	if !isASCII(w) {
		return strings.ToUpper(w) == w
	}
	for i := range len(w) {
		if 'a' <= w[i] && w[i] <= 'z' {
			return false
		}
	}
	return true
}

// equalToLower compares the lower-cased texts. strings.EqualFold is not
// the same comparison: it takes "σ" and "ς", both lower case, as equal.
func equalToLower(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	return la == lb
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// supDigit returns the value of a Unicode superscript digit.
func supDigit(r rune) (int, bool) {
	switch r {
	case '⁰':
		return 0, true
	case '¹':
		return 1, true
	case '²':
		return 2, true
	case '³':
		return 3, true
	}
	if r >= '⁴' && r <= '⁹' {
		return int(r - '⁰'), true
	}
	return 0, false
}

// isSuperscriptRun reports a token made only of superscript digits.
func isSuperscriptRun(t string) bool {
	for _, r := range t {
		if _, ok := supDigit(r); !ok {
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

// glyphNumbers gives the numbers OCR often reads as glyph g, lo to hi,
// which glyphPrior favours: a weak prior that only breaks ties the sequence
// leaves open. lo > hi when there are none.
func glyphNumbers(g string) (lo, hi int) {
	switch g {
	case "'", "’":
		return 1, 1
	case "?":
		return 2, 2
	case "™":
		return 10, math.MaxInt
	case "®", "°":
		return 3, 9
	}
	return 1, 0
}

// glyphPrior is the prior of number n for a glyph that is often read for
// the numbers lo to hi (glyphNumbers).
func glyphPrior(lo, hi, n int) float64 {
	if lo <= n && n <= hi {
		return 0.3
	}
	return 0
}

// numberSet is a set of footnote numbers. The numbers of a document are
// nearly always a short run, held as a table.
type numberSet struct {
	len    int
	lo, hi int    // the lowest and highest number
	in     []bool // in[n-lo] reports n in the set, when the run is short
	many   map[int]bool
}

// numberTableMax is the longest run of numbers a numberSet holds as a table.
const numberTableMax = 1 << 12

func newNumberSet(nums []int) *numberSet {
	s := &numberSet{}
	if len(nums) == 0 {
		return s
	}
	s.lo, s.hi = slices.Min(nums), slices.Max(nums)
	if s.hi-s.lo >= 0 && s.hi-s.lo < numberTableMax {
		s.in = make([]bool, s.hi-s.lo+1)
		for _, n := range nums {
			if !s.in[n-s.lo] {
				s.in[n-s.lo] = true
				s.len++
			}
		}
		return s
	}
	s.many = make(map[int]bool, len(nums))
	for _, n := range nums {
		s.many[n] = true
	}
	s.len = len(s.many)
	return s
}

func (s *numberSet) has(n int) bool {
	if s.in != nil {
		return s.lo <= n && n <= s.hi && s.in[n-s.lo]
	}
	return s.many[n]
}

// beamState is one partial numbering of the candidates. Paths share their
// prefixes (a list back to the start through a pathTable), and first is
// copied only when a state adds a new number.
type beamState struct {
	score float64
	max   int
	path  int32   // the state's last choice in the pathTable, -1 before the first
	first []int32 // first[k] = index of the candidate that first took number k, -1 if none
}

// pathNode is one choice on a path: number n for a candidate (0: not a
// marker), after the choice at prev. A number that does not fit n, which
// only a [^N] or a long run of superscript digits can give, is kept in
// pathTable.big and n is -1.
type pathNode struct {
	n    int32
	prev int32
}

// pathTable holds the choices of every state the search made, up to
// beamWidth a candidate. It grows by chunks, which are neither copied as it
// grows nor scanned by the garbage collector.
type pathTable struct {
	chunks [][]pathNode
	len    int32
	room   int           // how many more choices the search can make
	big    map[int32]int // numbers beyond int32 by node
}

const pathChunk = 1024

func (t *pathTable) add(n int, prev int32) int32 {
	i := t.len
	if i%pathChunk == 0 {
		// The last chunk need only hold what is left.
		t.chunks = append(t.chunks, make([]pathNode, min(pathChunk, t.room)))
	}
	t.room--
	node := pathNode{n: int32(n), prev: prev}
	if n < 0 || n > math.MaxInt32 {
		if t.big == nil {
			t.big = map[int32]int{}
		}
		node.n, t.big[i] = -1, n
	}
	t.chunks[i/pathChunk][i%pathChunk] = node
	t.len++
	return i
}

// at returns the number and the previous choice of choice i.
func (t *pathTable) at(i int32) (n int, prev int32) {
	node := t.chunks[i/pathChunk][i%pathChunk]
	if node.n < 0 {
		return t.big[i], node.prev
	}
	return int(node.n), node.prev
}

// firstSlab hands out the first arrays of new states from larger blocks,
// each twice the last up to 16 KiB: documents with few candidates need few.
type firstSlab []int32

func (s *firstSlab) alloc(n int) []int32 {
	if n > cap(*s)-len(*s) {
		*s = make([]int32, 0, max(min(2*cap(*s), 4096), 64, n))
	}
	off := len(*s)
	*s = (*s)[:off+n]
	return (*s)[off : off+n : off+n]
}

// proposal is a state the beam search could move to: parent's choices, then
// number n. Only the best beamWidth proposals become states, so a proposal
// holds what it takes to make one and no more.
type proposal struct {
	score  float64 // the new state's score
	seq    int32   // order of making: ties keep it, as a stable sort would
	parent int32   // index of the parent state in the beam
	n      int
}

// better orders proposals as the beam keeps them: higher score first, and
// among equal scores the one made first. Scores are sums of finite terms,
// never NaN, so this is the order cmp.Compare would give.
func (a *proposal) better(b *proposal) bool {
	return a.score > b.score || a.score == b.score && a.seq < b.seq
}

// bestProposals keeps the best beamWidth proposals it is given, best
// first. A step makes a few dozen proposals, most in nearly the order of
// the beam, so a sorted array that a new proposal is inserted into costs
// less than a heap and the sort that would follow it.
type bestProposals struct {
	n    int
	list [beamWidth]proposal
}

func (b *bestProposals) add(p proposal) {
	n := b.n
	if n == beamWidth {
		if !p.better(&b.list[n-1]) {
			return
		}
		n-- // the worst makes room
	} else {
		b.n++
	}
	// The first proposal p is better than: better is a strict order.
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if p.better(&b.list[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	copy(b.list[lo+1:n+1], b.list[lo:n])
	b.list[lo] = p
}

// sorted returns the proposals kept, best first, and empties b. The list
// is valid until the next add.
func (b *bestProposals) sorted() []proposal {
	rest := b.list[:b.n]
	b.n = 0
	return rest
}

const beamWidth = 48

// assign numbers the candidates. defs holds the defined footnote numbers
// (may be empty); a document fragment whose definitions start above 1 may
// repeat numbers it never showed.
//
// Each step keeps the best beamWidth of the states the beam's states lead
// to, as sorting them all stably by score would, building only those kept.
// The beam stays in that order, so the states that do not take the
// candidate as a marker, all the beam's scores plus one constant (a sum
// that keeps the order of floating-point numbers), come already sorted;
// only the others are sorted (bestProposals) before the two lists are
// merged.
func assign(cands []candidate, defs *numberSet, minDef, maxDef int) []int {
	start := 0
	if minDef > 1 {
		start = minDef - 1
	}
	// repeatFit depends only on the two candidates: remember it. Only the
	// candidate being numbered asks, so the memo holds one value per
	// earlier candidate, valid while fitFor[fi] is that candidate's index
	// plus one.
	fitFor := make([]int32, len(cands))
	fitVal := make([]float64, len(cands))
	fit := func(ci, fi int) float64 {
		if fitFor[fi] == int32(ci+1) {
			return fitVal[fi]
		}
		v := repeatFit(&cands[ci], &cands[fi])
		fitFor[fi], fitVal[fi] = int32(ci+1), v
		return v
	}
	paths := pathTable{room: len(cands) * beamWidth}
	var firsts firstSlab
	beam := make([]beamState, 1, beamWidth)
	beam[0] = beamState{max: start, path: -1}
	next := make([]beamState, 0, beamWidth)
	var others bestProposals
	var skipSeq [beamWidth]int32 // the order in which the not-a-marker proposals were made
	for ci, c := range cands {
		skip := math.Log(1 - math.Min(c.p, 0.999))
		glyphLo, glyphHi := glyphNumbers(c.glyph)
		lp := math.Log(math.Max(c.p, 1e-6))
		// With a full beam, the not-a-marker proposals alone fill it: a
		// proposal that does not beat the worst of them cannot be kept.
		// That one was made after every proposal of the states before
		// it, and before those of its own state.
		floor, floorState := math.Inf(-1), -1
		if len(beam) == beamWidth {
			floor, floorState = beam[beamWidth-1].score+skip, beamWidth-1
		}
		add := func(score float64, seq int32, si, n int) {
			if score > floor || score == floor && si < floorState {
				others.add(proposal{score: score, seq: seq, parent: int32(si), n: n})
			}
		}
		seq := int32(0)
		for si := range beam {
			st := &beam[si]
			// Not a marker: merged in below.
			skipSeq[si] = seq
			seq++
			// A first reference: the next number in sequence.
			n := st.max + 1
			if c.digit == 0 || c.digit == n || c.form == formMarkdown {
				if c.form == formMarkdown {
					n = c.digit
				}
				s := lp + defFit(defs, minDef, n) + glyphPrior(glyphLo, glyphHi, n)
				if c.digit != 0 {
					s += 1.0 // a printed number that fits the sequence is itself evidence
				}
				add(st.score+s, seq, si, n)
				seq++
			} else if c.digit > n && c.form != formSpaced {
				// A marker the extraction lost in between: allowed, at a cost.
				s := lp + defFit(defs, minDef, c.digit) - 1.5*float64(c.digit-n)
				add(st.score+s, seq, si, c.digit)
				seq++
			}
			// A repeat of an earlier number.
			lo, hi := 1, st.max
			if c.digit != 0 {
				lo, hi = c.digit, min(c.digit, st.max)
			}
			for k := lo; k <= hi; k++ {
				var f float64
				if fi := st.firstOf(k); fi >= 0 {
					f = fit(ci, fi)
					// A glyph that shares nothing with the first reference
					// is not worth a state while a new number is possible.
					if c.digit == 0 && f < -1 && (defs.len == 0 || st.max < maxDef) {
						continue
					}
				} else if k > start {
					continue // never seen in this document: cannot be a repeat
				} else {
					f = -0.7 // a fragment: its earlier references are on pages we lack
				}
				// s - 0.7 and s + -0.7 are the same number.
				s := lp + defFit(defs, minDef, k) + glyphPrior(glyphLo, glyphHi, k)*0.5 + f
				if c.digit != 0 {
					s += 0.5
				}
				add(st.score+s, seq, si, k)
				seq++
			}
		}
		rest := others.sorted()
		next = next[:0]
		i, j := 0, 0
		for len(next) < beamWidth {
			var p proposal
			if i < len(beam) {
				p = proposal{score: beam[i].score + skip, seq: skipSeq[i], parent: int32(i)}
				if j < len(rest) && rest[j].better(&p) {
					p = rest[j]
					j++
				} else {
					i++
				}
			} else if j < len(rest) {
				p = rest[j]
				j++
			} else {
				break
			}
			next = next[:len(next)+1]
			beam[p.parent].extend(&next[len(next)-1], ci, p.n, p.score, &paths, &firsts)
		}
		beam, next = next, beam
	}
	// Definitions never referenced cost something: they mean a lost marker.
	bestState, bestScore := 0, math.Inf(-1)
	for i, st := range beam {
		s := st.score
		if maxDef > st.max {
			s -= 0.8 * float64(maxDef-st.max)
		}
		if s > bestScore {
			bestState, bestScore = i, s
		}
	}
	numbers := make([]int, len(cands))
	i := len(cands) - 1
	for p := beam[bestState].path; p >= 0; i-- {
		numbers[i], p = paths.at(p)
	}
	return numbers
}

func (st *beamState) firstOf(k int) int {
	if k < len(st.first) {
		return int(st.first[k])
	}
	return -1
}

// extend sets out to the state that follows st when candidate ci takes
// number n (0: not a marker), with the given score.
func (st *beamState) extend(out *beamState, ci, n int, score float64, paths *pathTable, firsts *firstSlab) {
	// Field by field: a composite literal is built aside and copied.
	out.score, out.max, out.first, out.path = score, st.max, st.first, paths.add(n, st.path)
	if n > 0 {
		out.max = max(out.max, n)
		if st.firstOf(n) < 0 {
			f := firsts.alloc(max(len(st.first), n+1))
			copy(f, st.first)
			for k := len(st.first); k < len(f); k++ {
				f[k] = -1
			}
			f[n] = int32(ci)
			out.first = f
		}
	}
}

// defFit scores number n against the definitions found. In a fragment
// whose definitions start above 1, lower numbers were defined on pages we
// do not have, and cost nothing.
func defFit(defs *numberSet, minDef, n int) float64 {
	if defs.len == 0 || defs.has(n) || n < minDef {
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
//
// The contexts are the contextWordLimit words before each, compared without
// case.
func repeatFit(c, f *candidate) float64 {
	if c.instrument != "" && c.instrument == f.instrument && c.hasFullName() && f.hasFullName() {
		return 2.0 + sameGlyph(c, f)
	}
	shared, apart := 0, false
	for k := 0; ; k++ {
		cw, ok := c.contextWord(k)
		if !ok {
			break
		}
		fw, ok := f.contextWord(k)
		if !ok {
			break
		}
		if !equalLower(cw, fw) {
			apart = true
			break
		}
		shared++
	}
	s := 0.15*float64(shared) - 1.2
	if apart {
		s -= 0.8 // the contexts part ways within the window
	}
	return s + sameGlyph(c, f)
}

// sameGlyph: OCR tends to read the same superscript the same way.
func sameGlyph(c, f *candidate) float64 {
	switch {
	case c.glyph == "" || f.glyph == "":
		return 0
	case c.glyph == f.glyph:
		return 0.3
	}
	return -0.3
}

// apply removes the chosen markers from the text and records references.
//
// raised[pi] reports whether paragraph pi holds a raised mark. The
// candidates come in paragraph order.
func (m *Markers) apply(doc *pipeline.Document, cands []candidate, numbers []int, raised []bool) {
	refsTo := map[int][]pipeline.RefSource{}
	var idx []int
	next := 0 // the first candidate of paragraphs not yet written
	for pi := range doc.Paragraphs {
		p := &doc.Paragraphs[pi]
		idx = idx[:0]
		for ; next < len(cands) && cands[next].para == pi; next++ {
			if numbers[next] > 0 {
				idx = append(idx, next)
			}
		}
		hasMark := raised[pi]
		if len(idx) == 0 && !hasMark {
			continue
		}
		var b strings.Builder
		b.Grow(len(p.Text)) // markers only take bytes out
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
