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
// they are compared: lower-cased and without punctuation.
//
// The names also form a trie read from their ends, because InstrumentBefore
// reads text from its end: node 0 is the empty tail, and the node one word
// deeper than another adds the word before. Walking back over the words of a
// text then reads each word once, and no further than some name goes.
type instrumentIndex struct {
	names []string
	words [][]string
	nodes []instrumentNode
}

// instrumentNode is one tail of names: the last words of at least one.
type instrumentNode struct {
	key   string  // the first word of the tail, as compared
	kids  []int32 // the tails one word longer
	whole int32   // the name that is the whole tail, -1 if none
	names []int32 // the names that end with the tail, ascending
	// byKey indexes kids by key when there are more than a few; most
	// tails have one.
	byKey map[string]int32
}

// maxScannedKids is how many kids a node compares one by one.
const maxScannedKids = 4

// kid returns the node of the tail one word longer by key, false if no
// name has it.
func kid[K string | []byte](x *instrumentIndex, node int32, key K) (int32, bool) {
	n := &x.nodes[node]
	if n.byKey != nil {
		k, ok := n.byKey[string(key)]
		return k, ok
	}
	for _, k := range n.kids {
		if x.nodes[k].key == string(key) {
			return k, true
		}
	}
	return 0, false
}

// with returns a new index holding the names of x (which may be nil) and
// those of entries. A name that compares equal to one already held is
// dropped, so "Paris Agreement" and "Paris  agreement." count once.
func (x *instrumentIndex) with(entries []string) *instrumentIndex {
	n := &instrumentIndex{nodes: []instrumentNode{{whole: -1}}}
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
		i := int32(len(n.names))
		n.names = append(n.names, name)
		n.words = append(n.words, words)
		node := int32(0)
		for d := len(words) - 1; d >= 0; d-- {
			w := words[d]
			child, ok := kid(n, node, w)
			if !ok {
				child = int32(len(n.nodes))
				n.nodes = append(n.nodes, instrumentNode{key: w, whole: -1})
				parent := &n.nodes[node]
				parent.kids = append(parent.kids, child)
				switch {
				case parent.byKey != nil:
					parent.byKey[w] = child
				case len(parent.kids) > maxScannedKids:
					parent.byKey = make(map[string]int32)
					for _, k := range parent.kids {
						parent.byKey[n.nodes[k].key] = k
					}
				}
			}
			node = child
			n.nodes[node].names = append(n.nodes[node].names, i)
		}
		n.nodes[node].whole = i
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

// asciiSpace is unicode.IsSpace for the ASCII characters, which are nearly
// all the bytes of UN text; asciiKey is what appendWordKey makes of one: 0
// for punctuation (unicode.IsPunct), else the lower-case letter.
var asciiSpace, asciiKey = func() (space [utf8.RuneSelf]bool, key [utf8.RuneSelf]byte) {
	for c := range rune(utf8.RuneSelf) {
		space[c] = unicode.IsSpace(c)
		if !unicode.IsPunct(c) {
			key[c] = byte(unicode.ToLower(c))
		}
	}
	return space, key
}()

// appendWordKey appends the compared form of one word: lower case, without
// punctuation, so that "Women," "(Biological)" and "2015–2030" compare as
// "women", "biological" and "20152030".
func appendWordKey(dst []byte, w string) []byte {
	// ASCII bytes go straight into dst's room while there is some.
	n, room := len(dst), dst[:cap(dst)]
	i := 0
	for ; i < len(w) && n < len(room); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			break
		}
		if k := asciiKey[c]; k != 0 || c == 0 {
			room[n] = k
			n++
		}
	}
	dst = room[:n]
	for i < len(w) {
		if c := w[i]; c < utf8.RuneSelf {
			if k := asciiKey[c]; k != 0 || c == 0 {
				dst = append(dst, k)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if !unicode.IsPunct(r) {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// wordBefore returns the start of the last word of text[:end], as
// InstrumentBefore reads words: runs of characters other than white space,
// skipping those that are punctuation only ("–"), and the word's compared
// form appended to dst. The start is -1 when text[:end] holds no word.
func wordBefore(text string, end int, dst []byte) (int, []byte) {
	for end > 0 {
		for end > 0 {
			if c := text[end-1]; c < utf8.RuneSelf {
				if !asciiSpace[c] {
					break
				}
				end--
			} else if r, size := utf8.DecodeLastRuneInString(text[:end]); unicode.IsSpace(r) {
				end -= size
			} else {
				break
			}
		}
		start := end
		for start > 0 {
			if c := text[start-1]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				start--
			} else if r, size := utf8.DecodeLastRuneInString(text[:start]); !unicode.IsSpace(r) {
				start -= size
			} else {
				break
			}
		}
		if start == end {
			break
		}
		if key := appendWordKey(dst, text[start:end]); len(key) > len(dst) {
			return start, key
		}
		end = start
	}
	return -1, dst
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
// one of the same length; among equals, the one listed first.
func (s *Set) InstrumentBefore(text string) (name string, ok bool) {
	x := s.instruments
	if x == nil {
		return "", false
	}
	text = trimInstrumentEnd(text)

	// path[d-1] is the node of the text's last d words.
	var stack [64]int32
	path := stack[:0]
	var buf [keyBuf]byte
	for node, end := int32(0), len(text); len(x.nodes[node].kids) > 0; {
		start, key := wordBefore(text, end, buf[:0])
		if start < 0 {
			break
		}
		child, ok := kid(x, node, key)
		if !ok {
			break
		}
		path = append(path, child)
		node, end = child, start
	}

	// The names that account for d words of text are those with the
	// tail of path[d-1] but not that of path[d]. Try the longest first.
	for d := len(path); d > 0; d-- {
		node := &x.nodes[path[d-1]]
		if node.whole >= 0 {
			return x.names[node.whole], true
		}
		if d < minTailWords || s.isFunctionKey(node.key) {
			continue
		}
		for _, i := range node.names {
			if words := x.words[i]; d < len(path) && len(words) > d && words[len(words)-1-d] == x.nodes[path[d]].key {
				continue // it accounts for more words, and was refused
			}
			return x.names[i], true
		}
	}
	return "", false
}

// isFunctionKey reports whether a compared instrument word is a function
// word.
func (s *Set) isFunctionKey(w string) bool {
	_, ok := s.functionWords[w]
	return ok
}
