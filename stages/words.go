package stages

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Vocabulary counts the words a document itself uses, lower-cased. It is
// the strongest evidence for spelling decisions: if a document writes
// "non-governmental" elsewhere, a broken "non-/governmental" keeps its
// hyphen; if it writes "persons" thirty times, "per sons" is one word.
type Vocabulary struct {
	words      map[string]*int // plain words; pointers so that counting a known word needs no key string
	hyphenated map[string]int  // words with inner hyphens, as written
	texts      []string        // what was counted, for Bigram
}

// NewVocabulary counts the words of doc's paragraphs once they exist, and
// of its lines before.
func NewVocabulary(doc *pipeline.Document) *Vocabulary {
	v := &Vocabulary{}
	if len(doc.Paragraphs) > 0 {
		for _, p := range doc.Paragraphs {
			v.Add(p.Text)
		}
		return v
	}
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			v.Add(ln.Text)
		}
	}
	return v
}

// Count returns how often the plain word w (lower case) occurs.
func (v *Vocabulary) Count(w string) int {
	if p := v.words[w]; p != nil {
		return *p
	}
	return 0
}

// countBytes is Count for a word in a byte buffer, without a conversion
// that allocates.
func (v *Vocabulary) countBytes(w []byte) int {
	if p := v.words[string(w)]; p != nil {
		return *p
	}
	return 0
}

// HyphenCount returns how often the hyphenated word w (lower case) occurs.
func (v *Vocabulary) HyphenCount(w string) int { return v.hyphenated[w] }

// Add counts the words of s. Words cut at a line end are counted too; the
// cost of that is small against the benefit of seeing every full word.
func (v *Vocabulary) Add(s string) {
	if v.words == nil {
		v.words, v.hyphenated = make(map[string]*int, 256), map[string]int{}
	}
	v.texts = append(v.texts, s)
	var buf [64]byte
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		w := trimWord(s[i:j])
		i = j
		if w == "" || w[len(w)-1] == '-' {
			continue
		}
		if strings.IndexByte(w, '-') > 0 {
			v.hyphenated[lower(w)]++
			continue
		}
		if len(w) <= len(buf) {
			// Lower-case into a stack buffer: the map copies the key only
			// when the word is new, and most are not.
			k := bytesLower(append(buf[:0], w...))
			if p := v.words[string(k)]; p != nil {
				*p++
				continue
			}
		}
		n := 1
		v.words[lower(w)] = &n
	}
}

// lower is strings.ToLower without the allocation for words that are
// already lower case, which most are.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(w)
		}
	}
	return w
}

// trimWord strips punctuation and glued footnote digits from the ends of a
// token, keeping inner hyphens and apostrophes, and a trailing hyphen, which
// marks a line-end break.
func trimWord(f string) string {
	start, end := 0, len(f)
	for start < end {
		if c := f[start]; c < 0x80 {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				break
			}
			start++
			continue
		}
		r, n := utf8.DecodeRuneInString(f[start:])
		if unicode.IsLetter(r) {
			break
		}
		start += n
	}
	for end > start {
		if c := f[end-1]; c < 0x80 {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' && end-1 > start {
				break
			}
			end--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(f[start:end])
		if unicode.IsLetter(r) {
			break
		}
		end -= n
	}
	return f[start:end]
}

// Bigram counts the occurrences of the lower-case word pair "a b" (a
// single space between) in the counted text. Few decisions need it, so it
// is counted on demand rather than kept for every pair.
func (v *Vocabulary) Bigram(pair string) int {
	n := 0
	for _, t := range v.texts {
		if len(t) >= len(pair) {
			n += strings.Count(strings.ToLower(t), pair)
		}
	}
	return n
}

// isLetters reports whether s is non-empty and all letters.
func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// lastWord returns the run of letters at the end of s ("organi" in "the
// organi").
func lastWord(s string) string {
	i := len(s)
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= n
	}
	return s[i:]
}

// firstWord returns the run of letters at the start of s ("zations" in
// "zations, and").
func firstWord(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	return s[:i]
}

func isUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// numberWords are the tens that form hyphenated compounds with units
// ("seventy-fourth"), which are always written with the hyphen.
var numberWords = map[string]bool{
	"twenty": true, "thirty": true, "forty": true, "fifty": true, "sixty": true,
	"seventy": true, "eighty": true, "ninety": true,
}

// boundPrefixes are prefixes that the UN writes with a hyphen before a word
// when they form a compound ("non-State", "anti-trafficking", "co-sponsor",
// "post-conflict", "self-determination").
var boundPrefixes = map[string]bool{
	"non": true, "anti": true, "co": true, "post": true, "pre": true, "self": true,
	"ex": true, "cross": true, "counter": true, "multi": true, "quasi": true,
	"semi": true, "socio": true, "all": true, "well": true, "half": true,
}

// wordMemo remembers dictionary answers for one document: a document uses
// a few thousand distinct words many times over, and a small map answers
// faster than the full lexicon.
type wordMemo struct {
	dict  *dictionaries.Set
	words map[string]bool
	hy    map[string]string
	toks  []int8 // per token of the current paragraph: 0 unknown, 1 word, -1 not
}

// startTokens resets the per-token cache for a paragraph of n tokens.
func (m *wordMemo) startTokens(n int) {
	if cap(m.toks) < n {
		m.toks = make([]int8, n)
	}
	m.toks = m.toks[:n]
	clear(m.toks)
}

// tokenWord is isWord(w) where w is the letters of token i; when w is the
// whole token, the answer is kept by position, which is cheaper than
// hashing the word again for the next pair.
func (m *wordMemo) tokenWord(toks []token, i int, w string) bool {
	if i >= len(m.toks) || len(w) != len(toks[i].text) {
		return m.isWord(w)
	}
	if m.toks[i] == 0 {
		m.toks[i] = -1
		if m.isWord(w) {
			m.toks[i] = 1
		}
	}
	return m.toks[i] == 1
}

func newWordMemo(dict *dictionaries.Set) *wordMemo {
	return &wordMemo{dict: dict, words: make(map[string]bool, 256), hy: make(map[string]string, 64)}
}

func (m *wordMemo) isWord(w string) bool {
	if ok, seen := m.words[w]; seen {
		return ok
	}
	ok := m.dict.IsWord(w)
	m.words[w] = ok
	return ok
}

// hyphenated memoizes dict.Hyphenated; "" records a miss.
func (m *wordMemo) hyphenated(w string) (string, bool) {
	if hy, seen := m.hy[w]; seen {
		return hy, hy != ""
	}
	hy, ok := m.dict.Hyphenated(w)
	if !ok {
		hy = ""
	}
	m.hy[w] = hy
	return hy, ok
}
