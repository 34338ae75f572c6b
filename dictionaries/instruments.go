package dictionaries

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minTailWords is the least number of final words of an instrument's name
// that InstrumentBefore accepts without the rest of the name.
const minTailWords = 4

// instrumentIndex holds the instrument names and, for each, its words as
// they are compared: lower-cased and without punctuation. Names are indexed
// by their last word, because InstrumentBefore reads text from its end.
type instrumentIndex struct {
	names    []string
	words    [][]string
	byLast   map[string][]int // last compared word -> indexes into names
	maxWords int
}

// with returns a new index holding the names of x (which may be nil) and
// those of entries. A name that compares equal to one already held is
// dropped, so "Paris Agreement" and "Paris  agreement." count once.
func (x *instrumentIndex) with(entries []string) *instrumentIndex {
	n := &instrumentIndex{byLast: make(map[string][]int)}
	seen := make(map[string]bool)
	add := func(name string) {
		words := instrumentWords(name)
		if len(words) == 0 {
			return
		}
		k := strings.Join(words, " ")
		if seen[k] {
			return
		}
		seen[k] = true
		i := len(n.names)
		n.names = append(n.names, name)
		n.words = append(n.words, words)
		last := words[len(words)-1]
		n.byLast[last] = append(n.byLast[last], i)
		n.maxWords = max(n.maxWords, len(words))
	}
	if x != nil {
		for _, name := range x.names {
			add(name)
		}
	}
	for _, e := range entries {
		add(e)
	}
	return n
}

// instrumentWords splits name into the words InstrumentBefore compares.
func instrumentWords(name string) []string {
	var words []string
	for _, f := range strings.Fields(name) {
		if w := string(appendWordKey(nil, f)); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// appendWordKey appends the compared form of one word: lower case, without
// punctuation, so that "Women," "(Biological)" and "2015–2030" compare as
// "women", "biological" and "20152030".
func appendWordKey(dst []byte, w string) []byte {
	for _, r := range w {
		if unicode.IsPunct(r) {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// wordEqual reports whether the raw word w compares equal to key, a word as
// appendWordKey gives it, without building w's key.
func wordEqual(w, key string) bool {
	for _, r := range w {
		if unicode.IsPunct(r) {
			continue
		}
		k, n := utf8.DecodeRuneInString(key)
		if n == 0 || unicode.ToLower(r) != k {
			return false
		}
		key = key[n:]
	}
	return key == ""
}

// span is the byte range of one word of a text.
type span struct{ start, end int }

// wordsBefore fills dst with the spans of the last words of text, last word
// first, skipping words that are punctuation only ("–"). It stops when dst
// is full or text runs out and returns how many it found.
func wordsBefore(text string, dst []span) int {
	n := 0
	end := len(text)
	for n < len(dst) && end > 0 {
		// Skip white space back to the end of a word.
		for end > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:end])
			if !unicode.IsSpace(r) {
				break
			}
			end -= size
		}
		start := end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= size
		}
		if start == end {
			break
		}
		if hasWordRune(text[start:end]) {
			dst[n] = span{start, end}
			n++
		}
		end = start
	}
	return n
}

func hasWordRune(w string) bool {
	for _, r := range w {
		if !unicode.IsPunct(r) {
			return true
		}
	}
	return false
}

// trimInstrumentEnd removes the white space and closing punctuation that can
// follow a name: , ; . : ) and closing quotation marks.
func trimInstrumentEnd(text string) string {
	return strings.TrimRightFunc(text, func(r rune) bool {
		switch r {
		case ',', ';', '.', ':', ')', '”', '"', '’', '\'':
			return true
		}
		return unicode.IsSpace(r)
	})
}

// InstrumentBefore reports whether text ends with the name of an
// international instrument, and returns the name as listed. Words are
// compared ignoring case and punctuation, and white space and closing
// punctuation (, ; . : ) and quotation marks) at the end of text are
// ignored, so "... the Convention on the Rights of the Child,”" ends with
// "Convention on the Rights of the Child".
//
// text may also end with only the last words of a name, at least four of
// them, as when a line break or the start of the text cut the name: "Especially
// Women and Children" gives the Trafficking in Persons Protocol. Such a
// partial match is refused when its first word is a function word, because
// then text names something else with the same complement: "the Committee on
// the Rights of the Child" and "the Secretary-General of the United Nations"
// do not end with instruments. Where several names fit, the one that
// accounts for the most words of text wins, and a whole name beats a partial
// one of the same length.
func (s *Set) InstrumentBefore(text string) (name string, ok bool) {
	x := s.instruments
	if x == nil {
		return "", false
	}
	text = trimInstrumentEnd(text)

	var stack [64]span
	spans := stack[:]
	if x.maxWords > len(stack) {
		spans = make([]span, x.maxWords)
	}
	if wordsBefore(text, spans[:1]) == 0 {
		return "", false
	}
	var buf [keyBuf]byte
	last := text[spans[0].start:spans[0].end]
	cands := x.byLast[string(appendWordKey(buf[:0], last))]
	if len(cands) == 0 {
		return "", false
	}
	maxWords := 0
	for _, i := range cands {
		maxWords = max(maxWords, len(x.words[i]))
	}
	spans = spans[:wordsBefore(text, spans[:maxWords])]

	best, bestLen, bestWhole := -1, 0, false
	for _, i := range cands {
		words := x.words[i]
		m := 0
		for m < len(words) && m < len(spans) {
			sp := spans[m]
			if !wordEqual(text[sp.start:sp.end], words[len(words)-1-m]) {
				break
			}
			m++
		}
		whole := m == len(words)
		if !whole && (m < minTailWords || s.isFunctionKey(words[len(words)-m])) {
			continue
		}
		if m > bestLen || (m == bestLen && whole && !bestWhole) {
			best, bestLen, bestWhole = i, m, whole
		}
	}
	if best < 0 {
		return "", false
	}
	return x.names[best], true
}

// isFunctionKey reports whether a compared instrument word is a function
// word.
func (s *Set) isFunctionKey(w string) bool {
	_, ok := s.functionWords[w]
	return ok
}
