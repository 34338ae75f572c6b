package stages

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/pipeline"
)

// Vocabulary counts the words a document itself uses, lower-cased. It is
// the strongest evidence for spelling decisions: if a document writes
// "non-governmental" elsewhere, a broken "non-/governmental" keeps its
// hyphen; if it writes "persons" thirty times, "per sons" is one word.
type Vocabulary struct {
	Words      map[string]int // plain words
	Hyphenated map[string]int // words with inner hyphens, as written
	Bigrams    map[string]int // "per sons": two words in a row
}

// NewVocabulary counts the words of doc's paragraphs once they exist, and
// of its lines before.
func NewVocabulary(doc *pipeline.Document) *Vocabulary {
	v := &Vocabulary{Words: map[string]int{}, Hyphenated: map[string]int{}, Bigrams: map[string]int{}}
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

// Add counts the words of s. Words cut at a line end are counted too; the
// cost of that is small against the benefit of seeing every full word.
func (v *Vocabulary) Add(s string) {
	prev := ""
	for _, f := range strings.Fields(s) {
		w := strings.ToLower(trimWord(f))
		if w == "" {
			prev = ""
			continue
		}
		if strings.Contains(strings.Trim(w, "-"), "-") {
			v.Hyphenated[w]++
			prev = ""
			continue
		}
		if strings.HasSuffix(w, "-") {
			prev = ""
			continue
		}
		v.Words[w]++
		if prev != "" {
			v.Bigrams[prev+" "+w]++
		}
		prev = w
	}
}

// trimWord strips punctuation and glued footnote digits from the ends of a
// token, keeping inner hyphens and apostrophes.
func trimWord(f string) string {
	start, end := 0, len(f)
	for start < end {
		r, n := utf8.DecodeRuneInString(f[start:])
		if unicode.IsLetter(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(f[start:end])
		if unicode.IsLetter(r) || (r == '-' && end-n > start) {
			if r == '-' {
				// keep a trailing hyphen: it marks a line-end break
				break
			}
			break
		}
		end -= n
	}
	return f[start:end]
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
