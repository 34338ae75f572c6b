package stages

import (
	"math/bits"
	"math/rand/v2"
	"slices"
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
	words      stringIDs    // plain words
	hyphenated stringIDs    // words with inner hyphens, as written
	wordCounts []int        // by id in words
	hyCounts   []int        // by id in hyphenated
	texts      []string     // what was counted, for Bigram
	bigram     []bigramText // what Bigram knows of texts, as far as it has looked
}

// NewVocabulary counts the words of doc's paragraphs once they exist, and
// of its lines before.
func NewVocabulary(doc *pipeline.Document) *Vocabulary {
	v := &Vocabulary{}
	size := 0
	if len(doc.Paragraphs) > 0 {
		for _, p := range doc.Paragraphs {
			size += len(p.Text)
		}
		v.reset(size/20 + 16) // about one new word in four tokens
		for _, p := range doc.Paragraphs {
			v.Add(p.Text)
		}
		return v
	}
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			size += len(ln.Text)
		}
	}
	v.reset(size/20 + 16)
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			v.Add(ln.Text)
		}
	}
	return v
}

// reset empties v for a document of about n distinct words.
func (v *Vocabulary) reset(n int) {
	v.words.reset(n)
	v.hyphenated.reset(n / 16)
	v.wordCounts = slices.Grow(v.wordCounts[:0], n)
	v.hyCounts = v.hyCounts[:0]
	v.texts, v.bigram = v.texts[:0], v.bigram[:0]
}

// release drops the texts v holds.
func (v *Vocabulary) release() {
	clear(v.texts)
	clear(v.bigram)
}

// Count returns how often the plain word w (lower case) occurs.
func (v *Vocabulary) Count(w string) int {
	if id := v.words.find(w); id >= 0 {
		return v.wordCounts[id]
	}
	return 0
}

// HyphenCount returns how often the hyphenated word w (lower case) occurs.
func (v *Vocabulary) HyphenCount(w string) int {
	if id := v.hyphenated.find(w); id >= 0 {
		return v.hyCounts[id]
	}
	return 0
}

// tokenEnd returns the index of the first space in s at or after i, or
// len(s). Tokens are a few bytes long: a loop finds their end sooner than
// strings.IndexByte, whose call and set-up cost more than the bytes it
// skips.
func tokenEnd(s string, i int) int {
	for i < len(s) && s[i] != ' ' {
		i++
	}
	return i
}

// Add counts the words of s. Words cut at a line end are counted too; the
// cost of that is small against the benefit of seeing every full word.
//
// A word is found by lower-casing its ASCII letters in a buffer. When that
// does not give its key (a capital outside ASCII, as in "ÉTAT", or a word
// of more than 64 bytes), its count is set to 1 rather than raised. The
// counts, and so the repairs, have always been so; keep it unless the
// golden outputs are meant to change.
func (v *Vocabulary) Add(s string) {
	v.texts = append(v.texts, s)
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		j := tokenEnd(s, i)
		w := trimWord(s[i:j])
		i = j
		if id, hyphen, reset := v.idOf(w, isASCII(w)); id < 0 {
			continue
		} else if hyphen {
			v.hyCounts[id]++
		} else if reset {
			v.wordCounts[id] = 1
		} else {
			v.wordCounts[id]++
		}
	}
}

// idOf returns the id under which a token whose trimWord is w is counted,
// or -1 when it is not; whether it is a hyphenated word; and whether
// counting it sets the count to 1 rather than adding 1 (see Add). ascii
// is isASCII(w).
func (v *Vocabulary) idOf(w string, ascii bool) (id int32, hyphen, reset bool) {
	if w == "" || w[len(w)-1] == '-' {
		return -1, false, false
	}
	hyphen = strings.IndexByte(w, '-') > 0
	ids, counts := &v.words, &v.wordCounts
	if hyphen {
		ids, counts = &v.hyphenated, &v.hyCounts
	}
	var buf [64]byte
	var added bool
	switch {
	case ascii && len(w) <= len(buf) && !hasASCIICapital(w):
		id, added = ids.add(w)
	case ascii && len(w) <= len(buf):
		// Lower-case into a stack buffer: the table copies the key only
		// when the word is new, and most are not.
		id, added = ids.addBytes(bytesLower(append(buf[:0], w...)))
	default:
		key := lower(w)
		id, added = ids.add(key)
		// A plain word is looked up by its ASCII letters lower-cased,
		// in the buffer; a word that is not found so starts again at 1.
		reset = !hyphen && (len(w) > len(buf) || string(bytesLower(append(buf[:0], w...))) != key)
	}
	if added {
		*counts = append(*counts, 0)
	}
	return id, hyphen, reset
}

// countAgain is the count n of a word after Vocabulary.Add meets it once
// more as w, a trimmed token: n+1, except that idOf sets the count of a
// plain word whose key its byte buffer does not give to 1. Counts kept
// outside a Vocabulary follow it through this.
func countAgain(n int, w string) int {
	if strings.IndexByte(w, '-') <= 0 && (len(w) > 64 || !isASCII(w) && string(bytesLower([]byte(w))) != lower(w)) {
		return 1
	}
	return n + 1
}

func hasASCIICapital(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// stringIDs numbers distinct strings in the order they are first added. It
// does the work of a map[string]int32 for the tables SplitWords fills for
// each document and looks up for every token, in less time: adding is one
// probe rather than a lookup and then an insert; the strings are copied
// end to end into one buffer, so that comparing one reads memory near the
// others rather than a paragraph far away; and each slot holds half of
// the hash, so that most probes compare no bytes.
type stringIDs struct {
	seed  uint64   // of hashKey, drawn for each table
	slots []uint64 // open addressing: 0 is empty, else the hash's high half | id+1
	text  []byte   // the strings end to end
	ends  []int32  // string id ends at text[ends[id]]
}

// reset empties t and makes room for about n strings.
func (t *stringIDs) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if len(t.slots) < size || len(t.slots) > 8*size {
		t.slots = make([]uint64, size)
	} else {
		clear(t.slots)
	}
	t.seed = rand.Uint64()
	t.text, t.ends = slices.Grow(t.text[:0], 8*n), slices.Grow(t.ends[:0], n)
}

// find returns the id of s, or -1.
func (t *stringIDs) find(s string) int32 { return findID(t, s) }

// add returns the id of s, adding s if it is new, and whether it was.
func (t *stringIDs) add(s string) (int32, bool) { return addID(t, s) }

func (t *stringIDs) addBytes(b []byte) (int32, bool) { return addID(t, b) }

func findID[K string | []byte](t *stringIDs, k K) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	h := hashKey(t.seed, k)
	mask := len(t.slots) - 1
	for i := int(h) & mask; t.slots[i] != 0; i = (i + 1) & mask {
		if s := t.slots[i]; (s^h)>>32 == 0 {
			if id := int32(uint32(s)) - 1; string(t.text[t.start(id):t.ends[id]]) == string(k) {
				return id
			}
		}
	}
	return -1
}

func addID[K string | []byte](t *stringIDs, k K) (int32, bool) {
	if len(t.slots) == 0 {
		t.reset(16)
	}
	h := hashKey(t.seed, k)
	mask := len(t.slots) - 1
	i := int(h) & mask
	for ; t.slots[i] != 0; i = (i + 1) & mask {
		if s := t.slots[i]; (s^h)>>32 == 0 {
			if id := int32(uint32(s)) - 1; string(t.text[t.start(id):t.ends[id]]) == string(k) {
				return id, false
			}
		}
	}
	id := int32(len(t.ends))
	t.text = append(t.text, k...)
	t.ends = append(t.ends, int32(len(t.text)))
	t.slots[i] = h&^0xffffffff | uint64(id+1)
	if 2*len(t.ends) > len(t.slots) {
		t.grow()
	}
	return id, true
}

// start returns where string id starts in text.
func (t *stringIDs) start(id int32) int32 {
	if id == 0 {
		return 0
	}
	return t.ends[id-1]
}

// grow doubles the slots, keeping the table at most half full.
func (t *stringIDs) grow() {
	t.slots = make([]uint64, 2*len(t.slots))
	mask := len(t.slots) - 1
	start := int32(0)
	for id, end := range t.ends {
		h := hashKey(t.seed, t.text[start:end])
		i := int(h) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = h&^0xffffffff | uint64(id+1)
		start = end
	}
}

// hashKey hashes k for stringIDs with wyhash's mixing, as the Go runtime
// hashes map keys where it has no AES instructions, under a seed drawn for
// each table so that no document can be written to make its words
// collide. For keys of a few bytes it costs a fraction of hash/maphash,
// which goes through several calls.
func hashKey[K string | []byte](seed uint64, k K) uint64 {
	const m1, m2, m5 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x1d8e4e27c47d124f
	var a, b uint64
	seed ^= m1
	switch n := len(k); {
	case n == 0:
		return seed
	case n < 4:
		a = uint64(k[0]) | uint64(k[n>>1])<<8 | uint64(k[n-1])<<16
	case n <= 8:
		a, b = read4(k, 0), read4(k, n-4)
	case n <= 16:
		a, b = read8(k, 0), read8(k, n-8)
	default:
		i := 0
		for ; n-i > 16; i += 16 {
			seed = mix(read8(k, i)^m2, read8(k, i+8)^seed)
		}
		a, b = read8(k, n-16), read8(k, n-8)
	}
	return mix(m5^uint64(len(k)), mix(a^m2, b^seed))
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// read4 and read8 read little-endian words of k at i; the compiler makes
// each one load.
func read4[K string | []byte](k K, i int) uint64 {
	_ = k[i+3]
	return uint64(k[i]) | uint64(k[i+1])<<8 | uint64(k[i+2])<<16 | uint64(k[i+3])<<24
}

func read8[K string | []byte](k K, i int) uint64 {
	_ = k[i+7]
	return uint64(k[i]) | uint64(k[i+1])<<8 | uint64(k[i+2])<<16 | uint64(k[i+3])<<24 |
		uint64(k[i+4])<<32 | uint64(k[i+5])<<40 | uint64(k[i+6])<<48 | uint64(k[i+7])<<56
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
	start, end := trimBounds(f, -1)
	return f[start:end]
}

// trimBounds returns where trimWord(f) starts and ends in f. start, when
// not -1, is where it starts, found already.
func trimBounds(f string, start int) (int, int) {
	if start < 0 {
		start = 0
		for start < len(f) {
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
	}
	end := len(f)
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
	return start, end
}

// Bigram counts the occurrences of the lower-case word pair "a b" (a
// single space between) in the counted text. Few decisions need it, so it
// is counted on demand rather than kept for every pair.
//
// Lower-casing turns spaces into spaces and nothing else into one, so a
// text holds pair only if it has a run of spaces as long as the longest in
// pair. Texts without such a run are passed over; the others are
// lower-cased once, when a call first needs them.
func (v *Vocabulary) Bigram(pair string) int {
	for len(v.bigram) < len(v.texts) {
		t := v.texts[len(v.bigram)]
		v.bigram = append(v.bigram, bigramText{spaces: longestSpaceRun(t)})
	}
	need := longestSpaceRun(pair)
	n := 0
	for i, t := range v.texts {
		bt := &v.bigram[i]
		if len(t) < len(pair) || bt.spaces < need {
			continue
		}
		if !bt.done {
			bt.lower, bt.done = strings.ToLower(t), true
		}
		n += strings.Count(bt.lower, pair)
	}
	return n
}

// bigramText is what Bigram keeps of a counted text.
type bigramText struct {
	spaces int    // the longest run of spaces, or 1 when it is no longer than that
	lower  string // the text lower-cased, once done
	done   bool
}

// longestSpaceRun returns the length of the longest run of spaces in s, or
// 1 for any s without two spaces together, with or without one space.
func longestSpaceRun(s string) int {
	if !strings.Contains(s, "  ") {
		return 1
	}
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			run = 0
			continue
		}
		run++
		best = max(best, run)
	}
	return best
}

// isLetters reports whether s is non-empty and all letters.
func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if !unicode.IsLetter(r) {
					return false
				}
			}
			return true
		}
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return true
}

// isASCIILetter is unicode.IsLetter for a byte below utf8.RuneSelf.
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// lastWord returns the run of letters at the end of s ("organi" in "the
// organi").
func lastWord(s string) string {
	i := len(s)
	for i > 0 {
		if c := s[i-1]; c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				break
			}
			i--
			continue
		}
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
		if c := s[i]; c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	return s[:i]
}

func isUpper(s string) bool {
	if s != "" && s[0] < utf8.RuneSelf {
		return s[0] >= 'A' && s[0] <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isLower(s string) bool {
	if s != "" && s[0] < utf8.RuneSelf {
		return s[0] >= 'a' && s[0] <= 'z'
	}
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
var boundPrefixes = newShortWords(
	"non", "anti", "co", "post", "pre", "self",
	"ex", "cross", "counter", "multi", "quasi",
	"semi", "socio", "all", "well", "half",
)

// shortWords is a small set of short words, looked up for nearly every
// token: an open-addressing table probed at a slot picked from the word's
// length and end bytes, which costs less than hashing it for a map. A word
// that starts with an ASCII byte no member starts with, in either case, is
// ruled out by that byte alone.
type shortWords struct {
	slots [256]string
	start [utf8.RuneSelf]bool
}

func newShortWords(words ...string) *shortWords {
	t := &shortWords{}
	if len(words) > len(t.slots)/2 {
		panic("shortWords: too many words")
	}
	for _, w := range words {
		if t.has(w) {
			continue
		}
		i := shortSlot(w)
		for t.slots[i] != "" {
			i = (i + 1) % len(t.slots)
		}
		t.slots[i] = w
		if c := w[0]; c < utf8.RuneSelf {
			t.start[c] = true
			t.start[unicode.ToUpper(rune(c))] = true
		}
	}
	return t
}

func shortSlot(w string) int { return shortSlotOf(len(w), w[0], w[len(w)-1]) }

func shortSlotOf(n int, first, last byte) int {
	return (n*151 + int(first)*31 + int(last)) % 256
}

// hasASCIIFolded is hasFolded for an ASCII w: the members are lower case,
// and w is compared with them ignoring the case of its letters, without a
// lower-case copy.
func (t *shortWords) hasASCIIFolded(w string) bool {
	if w == "" {
		return false
	}
	for i := shortSlotOf(len(w), asciiLower(w[0]), asciiLower(w[len(w)-1])); t.slots[i] != ""; i = (i + 1) % len(t.slots) {
		if m := t.slots[i]; len(m) == len(w) && equalASCIIFold(m, w) {
			return true
		}
	}
	return false
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalASCIIFold reports whether the lower-case m and w, of the same
// length, are equal once w's ASCII letters are lower-cased.
func equalASCIIFold(m, w string) bool {
	for i := 0; i < len(m); i++ {
		if m[i] != asciiLower(w[i]) {
			return false
		}
	}
	return true
}

// has reports whether w is a member, as written.
func (t *shortWords) has(w string) bool {
	if w == "" {
		return false
	}
	for i := shortSlot(w); t.slots[i] != ""; i = (i + 1) % len(t.slots) {
		if t.slots[i] == w {
			return true
		}
	}
	return false
}

// hasFolded reports whether w lower-cased is a member, without making the
// lower-case string when w is ASCII.
func (t *shortWords) hasFolded(w string) bool {
	if w == "" || w[0] < utf8.RuneSelf && !t.start[w[0]] {
		return false
	}
	if !isASCII(w) {
		return t.has(lower(w))
	}
	var buf [16]byte
	return len(w) <= len(buf) && t.has(string(bytesLower(append(buf[:0], w...))))
}
