package stages

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// SplitWords rejoins words that extraction split with a space
// ("organi zations", "sup plementing", "Ukrai n e") and restores the UN
// spelling of compounds whose hyphen was lost ("nongovernmental",
// "seventyfourth", "post conflict", "Secretary -General").
//
// A split is only joined when the joined form is a word and the split form
// is not plausible text: when a part is no word at all, or when both parts
// are words but the document uses the joined word and never the pair
// ("per sons" in a text that says "persons" thirty times).
type SplitWords struct {
	dict *dictionaries.Set
	// scratch keeps splitDocs between documents: making and zeroing their
	// tables afresh for each document costs more than the repairs of a
	// short one.
	scratch sync.Pool
}

var _ pipeline.Stage = (*SplitWords)(nil)

func NewSplitWords(dict *dictionaries.Set) *SplitWords { return &SplitWords{dict: dict} }

func (*SplitWords) Name() string { return "splitwords" }

func (s *SplitWords) Apply(doc *pipeline.Document) error {
	if len(doc.Paragraphs) == 0 {
		return nil
	}
	d, _ := s.scratch.Get().(*splitDoc)
	if d == nil {
		d = new(splitDoc)
	}
	d.index(s.dict, doc)
	from := 0
	for i := range doc.Paragraphs {
		p := &doc.Paragraphs[i]
		// Paragraph i is still as index saw it: only its own repair
		// changes it, and that comes now.
		toks, ids := d.toks[:0], d.ids[:0]
		for id := from; id < int(d.paraEnd[i]); id++ {
			f := &d.forms[id]
			start, end := int(f.start), int(f.start+f.n)
			toks = append(toks, token{p.Text[start:end], start, end})
			ids = append(ids, int32(id))
		}
		d.toks, d.ids = toks, ids
		from = int(d.paraEnd[i])
		p.Text = s.repair(doc, d, i, p.Text, toks, ids)
	}
	d.release()
	s.scratch.Put(d)
	return nil
}

// token is a whitespace-separated piece of a paragraph with its offset.
type token struct {
	text       string
	start, end int
}

// splitDoc is what SplitWords learns of a document before repairing it:
// each token with the facts the repairs ask of it, and filters of the
// words the document writes once and twice or more.
//
// The repairs need the document's word counts (how often it writes
// "persons", say) only a few times a document, but must know for every
// pair of tokens that their joined word is not counted twice: the twice
// filter answers that, from the tokens' hashes, without counting words in
// a table; count counts a word exactly when it is asked.
type splitDoc struct {
	dict    *dictionaries.Set
	words   *dictionaries.KeyFilter // dict.WordFilter()
	terms   *dictionaries.KeyFilter // dict.HyphenatedFilter()
	vocab   Vocabulary              // the paragraphs as index saw them, for Bigram
	forms   []tokenForm             // every token of every paragraph, in order
	paraEnd []int32                 // paragraph i's tokens end at forms[paraEnd[i]]
	once    wordBits                // the words the document writes
	twice   wordBits                // the words it writes twice or more
	counts  map[string]int          // exact counts asked for so far

	// For the paragraph being repaired.
	toks []token
	ids  []int32 // toks[i] is forms[ids[i]]
	out  []byte
	key  []byte // a joined word
}

// release drops what d holds of the document, so that keeping d for the
// next one keeps no text alive.
func (d *splitDoc) release() {
	d.vocab.release()
	clear(d.toks)
	clear(d.counts)
	d.dict = nil
}

// tokenForm is what the repairs ask of a token. It holds no pointers, so
// that the garbage collector need not look into it.
type tokenForm struct {
	start, n int32 // the token is text[start:start+n] of its paragraph

	// As a piece of a split word (splitAt).
	headLen    int32  // len(text)-len(lastWord(text)) when the token may be a first piece: letters at its end, none of its own punctuation after them; else -1
	bLen       int32  // len(firstWord(text))
	ha, hb     uint64 // polyHash(lastWord), polyHash(firstWord), for joinedMayCount and pairMayJoin
	lowerStart bool   // it starts with a lower-case letter
	bShort     bool   // firstWord is a common word of 2 to 5 bytes, never a second piece
	ascii      bool   // the token is ASCII, and so are its pieces
	aWord      int8   // dict.IsWord(lastWord): 0 not asked yet, 1 yes, -1 no
	bWord      int8   // dict.IsWord(firstWord), likewise

	// As a compound that lost its hyphens: trimWord(text) is long
	// enough, has no hyphen and may be a UN term that has them.
	hyAsk bool

	// In the document's vocabulary: whether the token counts as a word
	// there, and the hash of that word.
	counted bool
	hk      uint64

	boundPrefix bool // a bound prefix such as "non" or "post", alone
	dashLead    bool // a hyphen and more: "-General"
	endDash     bool // more and a hyphen: "traf-"
}

// index tokenizes every paragraph of doc once, works out each token's
// facts, and fills the filters of the words written once and twice.
func (d *splitDoc) index(dict *dictionaries.Set, doc *pipeline.Document) {
	d.dict, d.words, d.terms = dict, dict.WordFilter(), dict.HyphenatedFilter()
	d.forms, d.paraEnd = d.forms[:0], d.paraEnd[:0]
	d.vocab.texts, d.vocab.bigram = d.vocab.texts[:0], d.vocab.bigram[:0]
	clear(d.once[:])
	clear(d.twice[:])
	for _, p := range doc.Paragraphs {
		text := p.Text
		d.vocab.texts = append(d.vocab.texts, text)
		for i := 0; i < len(text); {
			for i < len(text) && text[i] == ' ' {
				i++
			}
			if i == len(text) {
				break
			}
			i = d.addToken(text, i)
		}
		d.paraEnd = append(d.paraEnd, int32(len(d.forms)))
	}
}

// addToken works out the facts of the token that starts at byte start of
// the paragraph text, counts its word in the filters, and returns where
// the token ends.
func (d *splitDoc) addToken(text string, start int) (end int) {
	// One pass for an ASCII token, which nearly all are: it finds where
	// the token ends and what lastWord, firstWord, trimBounds, isLetters
	// and polyHash would. Most tokens are letters, perhaps with
	// punctuation after them, so the leading letters get a loop of their
	// own.
	t := text[start:]
	var hb uint64 // of firstWord
	lead := 0
	for lead < len(t) {
		lc := t[lead] | 0x20 // a letter lower-cased; other bytes fail the test
		if lc-'a' >= 26 {
			break
		}
		hb = hb*polyBase + uint64(lc)
		lead++
	}
	n := lead
	for n < len(t) && t[n] != ' ' {
		if t[n] >= utf8.RuneSelf {
			if k := strings.IndexByte(t[n:], ' '); k >= 0 {
				n += k
			} else {
				n = len(t)
			}
			d.addTokenSlow(t[:n], start)
			return start + n
		}
		n++
	}
	t = t[:n]
	// The facts are written where they are kept, not built on the stack
	// and copied there: the copy reads back the stack's fresh stores in
	// wider loads than they were written with, which stalls.
	if len(d.forms) == cap(d.forms) {
		d.forms = slices.Grow(d.forms, 1)
	}
	d.forms = d.forms[:len(d.forms)+1]
	f := &d.forms[len(d.forms)-1]
	*f = tokenForm{start: int32(start), n: int32(n), headLen: -1}
	var ha, hcore, hk uint64 // of lastWord, the core so far, the core
	firstLetter, lastOther, lastKeep := -1, -1, -1
	letters, dash := lead, false
	if lead > 0 {
		firstLetter, lastKeep, ha, hcore, hk = 0, lead-1, hb, hb, hb
	}
	for i := lead; i < len(t); i++ {
		c := t[i]
		lc := uint64(c)
		if c >= 'A' && c <= 'Z' {
			lc += 'a' - 'A'
		}
		if firstLetter >= 0 {
			hcore = hcore*polyBase + lc
		}
		if isASCIILetter(c) {
			if firstLetter < 0 {
				firstLetter, hcore = i, lc
			}
			ha = ha*polyBase + lc
			letters++
			lastKeep, hk = i, hcore
			continue
		}
		lastOther = i
		ha = 0
		if c == '-' {
			dash = true
			if firstLetter >= 0 {
				lastKeep, hk = i, hcore
			}
		}
	}
	f.ha, f.hb, f.hk, f.ascii = ha, hb, hk, true
	if lastOther+1 < len(t) && lastOther+1 == firstLetter {
		f.headLen = int32(firstLetter)
	}
	f.lowerStart = t != "" && t[0] >= 'a' && t[0] <= 'z'
	b := t[:lead]
	f.bLen = int32(lead)
	f.bShort = len(b) >= 2 && len(b) <= 5 && commonWords.start[b[0]] && commonWords.has(b)
	f.boundPrefix = len(t) <= 7 && t != "" && boundPrefixes.start[t[0]] && boundPrefixes.hasASCIIFolded(t)
	f.dashLead = len(t) >= 2 && t[0] == '-'
	f.endDash = len(t) > 1 && t[len(t)-1] == '-'
	// The core, trimWord(t), runs from the first letter to the last
	// letter, or hyphen after it; the vocabulary counts the token under
	// it (Vocabulary.idOf) unless it is empty or ends in a hyphen.
	if firstLetter < 0 {
		return start + n
	}
	coreLen := lastKeep + 1 - firstLetter
	f.counted = t[lastKeep] != '-'
	if coreLen > 5 && !dash {
		// The filter answers for ASCII letters only.
		f.hyAsk = letters != coreLen || d.terms.Has(hk)
	}
	if f.counted {
		d.countOnce(hk)
	}
	return start + n
}

// addTokenSlow is addToken for a token t, from byte start of its
// paragraph, that is not all ASCII.
func (d *splitDoc) addTokenSlow(t string, start int) {
	f := tokenForm{start: int32(start), n: int32(len(t)), headLen: -1}
	a, b := lastWord(t), firstWord(t)
	if a != "" && len(a) == len(t)-firstLetterIndex(t) {
		f.headLen = int32(len(t) - len(a))
	}
	f.lowerStart = isLower(t)
	f.ha, f.hb = polyHash(a), polyHash(b)
	f.bLen = int32(len(b))
	f.bShort = len(b) >= 2 && len(b) <= 5 && commonWords.has(b)
	start, end := trimBounds(t, -1)
	core := t[start:end]
	f.boundPrefix = len(t) <= 7 && isBoundPrefix(t)
	f.dashLead = len(t) >= 2 && t[0] == '-'
	f.endDash = len(t) > 1 && t[len(t)-1] == '-'
	f.counted = core != "" && core[len(core)-1] != '-'
	if f.counted {
		f.hk = polyHash(lower(core))
		d.countOnce(f.hk)
	}
	// The hyphenated-term filter answers for ASCII letters only.
	f.hyAsk = len(core) > 5 && strings.IndexByte(core, '-') < 0
	d.forms = append(d.forms, f)
}

// countOnce sets the filter bit of the word with hash h in twice when it
// is set in once already, and in once.
func (d *splitDoc) countOnce(h uint64) {
	if d.once.has(h) {
		d.twice.set(h)
	}
	d.once.set(h)
}

// count returns how often the document writes the word w (lower case), as
// its Vocabulary counts: a word with an inner hyphen among hyphenated
// words, any other among plain ones. Only tokens whose word has w's hash
// are looked at; the answer is kept for the next time w is asked.
func (d *splitDoc) count(w string) int {
	if n, ok := d.counts[w]; ok {
		return n
	}
	h := polyHash(w)
	n := 0
	if d.once.has(h) {
		para := 0
		for id := range d.forms {
			f := &d.forms[id]
			for int32(id) >= d.paraEnd[para] {
				para++
			}
			if !f.counted || f.hk != h {
				continue
			}
			core := trimWord(d.vocab.texts[para][f.start : f.start+f.n])
			if lower(core) != w {
				continue
			}
			n = countAgain(n, core)
		}
	}
	if d.counts == nil {
		d.counts = make(map[string]int)
	}
	d.counts[w] = n
	return n
}

// Count and HyphenCount are Vocabulary's, for keepHyphen.
func (d *splitDoc) Count(w string) int {
	if strings.IndexByte(w, '-') > 0 {
		return 0
	}
	return d.count(w)
}

func (d *splitDoc) HyphenCount(w string) int {
	if strings.IndexByte(w, '-') <= 0 {
		return 0
	}
	return d.count(w)
}

// isCommonWord is whether w lower-cased is a common word.
func isCommonWord(w string) bool { return commonWords.hasFolded(w) }

// isBoundPrefix is whether w lower-cased is a bound prefix.
func isBoundPrefix(w string) bool { return boundPrefixes.hasFolded(w) }

// aIsWord is dict.IsWord(a), a being lastWord of f's text, asked once.
func (d *splitDoc) aIsWord(f *tokenForm, a string) bool {
	if f.aWord == 0 {
		f.aWord = d.isWord(a)
	}
	return f.aWord == 1
}

// bIsWord is dict.IsWord(b), b being firstWord of f's text, asked once;
// for a token that is all letters, b is a and the answer is aIsWord's.
func (d *splitDoc) bIsWord(f *tokenForm, b string) bool {
	if f.headLen == 0 && f.bLen == f.n {
		return d.aIsWord(f, b)
	}
	if f.bWord == 0 {
		f.bWord = d.isWord(b)
	}
	return f.bWord == 1
}

// isWord is dict.IsWord(w) as 1 or -1.
func (d *splitDoc) isWord(w string) int8 {
	if d.dict.IsWord(w) {
		return 1
	}
	return -1
}

// lostHyphens returns the token t with the hyphens of the UN term it
// spells without them, and the reason to log; or "" when it is no such
// term.
func (d *splitDoc) lostHyphens(t string) (fixed, why string) {
	core := trimWord(t)
	hy, ok := d.dict.Hyphenated(core)
	if !ok || strings.EqualFold(hy, core) {
		return "", ""
	}
	hy = matchCase(core, hy)
	return strings.Replace(t, core, hy, 1), "UN spelling of a compound: " + hy
}

// repair returns text, whose tokens are toks, with its split words joined
// and its compounds spelt as the UN does, and the spaces between tokens
// made single.
func (s *SplitWords) repair(doc *pipeline.Document, d *splitDoc, pi int, text string, toks []token, ids []int32) string {
	out, started := d.out[:0], false
	size := 0
	for i := 0; i < len(toks); i++ {
		size += len(toks[i].text)
		j, r := -1, ""
		if d.mayRepair(toks, ids, i) {
			j, r = s.repairAt(doc, d, pi, text, toks, ids, i)
		}
		if j < i {
			if started {
				out = append(out, ' ')
				out = append(out, toks[i].text...)
			}
			continue
		}
		// Most paragraphs need no repair: the text is written out only
		// from the first one, beginning with the tokens before it.
		if !started {
			for _, t := range toks[:i] {
				out = append(out, t.text...)
				out = append(out, ' ')
			}
			started = true
		} else {
			out = append(out, ' ')
		}
		out = append(out, r...)
		for _, t := range toks[i+1 : j+1] {
			size += len(t.text)
		}
		i = j
	}
	d.out = out
	switch {
	case started:
		return string(out)
	case len(toks) > 0 && len(text) == size+len(toks)-1:
		return text // no repair, and single spaces between the tokens already
	}
	return strings.Join(tokenTexts(toks), " ")
}

func tokenTexts(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}

// mayRepair is false where repairAt surely finds no repair at toks[i],
// which it tells from the forms of the token and the next alone for most
// tokens: a call of repairAt costs more than these tests. It follows
// repairAt and splitAt, and must change with them.
func (d *splitDoc) mayRepair(toks []token, ids []int32, i int) bool {
	f := &d.forms[ids[i]]
	if f.hyAsk {
		return true // lostHyphens
	}
	if i+1 == len(toks) {
		return false
	}
	next := &d.forms[ids[i+1]]
	if next.dashLead || f.endDash || f.boundPrefix || f.n == 1 && next.n == 1 {
		return true // spacedHyphens, a line-end hyphen, a bound prefix, letterSpaced
	}
	if !next.lowerStart || f.headLen < 0 || next.bLen == 0 || next.bShort {
		return false // splitAt returns at once
	}
	ab := int(f.n-f.headLen) + int(next.bLen)
	if ab > maxJoined {
		return false
	}
	if next.n == 1 && toks[i+1].text != "a" {
		return true // a split over three pieces: "Ukrai n e"
	}
	if f.ascii && next.ascii && !d.pairMayJoin(f, next) {
		return false
	}
	// splitAt goes on when both pieces are words, as most are, and the
	// document has the joined word at least twice.
	nextWord := next.bWord
	if next.headLen == 0 && next.bLen == next.n {
		nextWord = next.aWord
	}
	return f.aWord != 1 || nextWord != 1 || ab >= 6 && d.joinedMayCount(f, next)
}

// joinedMayCount is false when the vocabulary surely counts the joined
// word of a split at forms a and b fewer than twice: a Bloom filter of the
// words counted twice or more, by the polynomial hash of the bytes that
// splitAt looks up, which each form holds for its pieces.
func (d *splitDoc) joinedMayCount(a, b *tokenForm) bool {
	return d.twice.has(pairHash(a, b))
}

// pairMayJoin is false when splitAt surely joins no split at the ASCII
// forms a and b over two tokens: whether the pieces are words or not, a
// join needs the joined word in the dictionary or counted twice in the
// document, and the filters of both rule most pairs out without a lookup.
func (d *splitDoc) pairMayJoin(a, b *tokenForm) bool {
	h := pairHash(a, b)
	return d.twice.has(h) || d.words.Has(h)
}

// polyHash is the polynomial hash of bytesLower(s): a word's hash follows
// from the hashes of its pieces, h(ab) = h(a)·polyPow[len(b)] + h(b). It
// is the dictionary's KeyHash, so that the dictionary's filters answer it.
func polyHash(s string) uint64 { return dictionaries.KeyHash(s) }

const polyBase = dictionaries.KeyHashBase

// polyPow holds the powers of polyBase, up to maxJoined.
var polyPow = func() (p [maxJoined + 1]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * polyBase
	}
	return p
}()

// filterBits is the size of a wordBits in bits.
const filterBits = 1 << 16

func filterBit(h uint64) uint64 { return h * 0x9e3779b97f4a7c15 >> (64 - 16) }

// wordBits is a filter of words by polyHash, one bit a hash.
type wordBits [filterBits / 64]uint64

func (b *wordBits) has(h uint64) bool {
	bit := filterBit(h)
	return b[bit>>6]&(1<<(bit&63)) != 0
}

func (b *wordBits) set(h uint64) {
	bit := filterBit(h)
	b[bit>>6] |= 1 << (bit & 63)
}

// pairHash is the polyHash of the word a split at forms a and b would
// join: lastWord of a and firstWord of b.
func pairHash(a, b *tokenForm) uint64 { return a.ha*polyPow[b.bLen] + b.hb }

// repairAt makes the first repair that applies at toks[i], logs it, and
// returns the index of the last token it covers and the text that takes
// the place of toks[i] to toks[j]; j is -1 when none applies. The tests on
// the tokens' forms come first, so that most tokens cost a few loads.
func (s *SplitWords) repairAt(doc *pipeline.Document, d *splitDoc, pi int, text string, toks []token, ids []int32, i int) (j int, r string) {
	t := toks[i]
	f := &d.forms[ids[i]]
	var next *tokenForm
	if i+1 < len(toks) {
		next = &d.forms[ids[i+1]]
	}
	// "Secretary -General", "Under -Secretary -General": hyphens set
	// off from the first half of a compound.
	if next != nil && next.dashLead {
		if j := s.spacedHyphens(toks, i); j > i {
			joined := t.text
			for k := i + 1; k <= j; k++ {
				joined += toks[k].text
			}
			s.log(doc, pi, t.start, toks[j].end, text[t.start:toks[j].end], joined, pipeline.RepairSplitWord, "hyphen of a compound set off by a space", 0.9)
			return j, joined
		}
	}
	// "Secretary- General", "traf- ficking": a line-end hyphen that
	// flattening left before a space.
	if next != nil && f.endDash {
		if a, w := lastWord(t.text[:len(t.text)-1]), firstWord(toks[i+1].text); a != "" && w != "" && len(a) == len(t.text)-1-strings.IndexFunc(t.text, isLetterRune) {
			keep, why := keepHyphen(s.dict, d, a, w)
			joined := t.text + toks[i+1].text
			if !keep {
				joined = t.text[:len(t.text)-1] + toks[i+1].text
			}
			s.log(doc, pi, t.start, toks[i+1].end, text[t.start:toks[i+1].end], joined, pipeline.RepairSplitWord, "line-end hyphen left before a space: "+why, 0.85)
			return i + 1, joined
		}
	}
	// "R e c a l l i n g": a word set letter by letter.
	if f.n == 1 {
		if j, word := s.letterSpaced(toks, i); j > i {
			s.log(doc, pi, t.start, toks[j].end, text[t.start:toks[j].end], word, pipeline.RepairSplitWord, "letter-spaced word", 0.85)
			return j, word
		}
	}
	if next != nil && next.lowerStart && f.headLen >= 0 {
		if n, joined, why, conf := s.splitAt(d, toks, ids, i); n > 1 {
			s.log(doc, pi, t.start, toks[i+n-1].end, text[t.start:toks[i+n-1].end], joined, pipeline.RepairSplitWord, why, conf)
			return i + n - 1, joined
		}
	}
	// Lost hyphens: "nongovernmental" -> "non-governmental".
	if f.hyAsk {
		if fixed, why := d.lostHyphens(t.text); fixed != "" {
			s.log(doc, pi, t.start, t.end, t.text, fixed, pipeline.RepairSpelling, why, 0.9)
			return i, fixed
		}
	}
	// "post conflict" -> "post-conflict", only after bound prefixes: a
	// free word pair such as "long term" is often right as it is.
	if next != nil && f.boundPrefix {
		next := toks[i+1].text
		w := firstWord(next)
		if w != "" && s.dict.IsHyphenatedTerm(t.text+"-"+w) {
			joined := t.text + "-" + next
			s.log(doc, pi, t.start, toks[i+1].end, text[t.start:toks[i+1].end], joined, pipeline.RepairSpelling, "UN spelling of a compound: "+t.text+"-"+w, 0.85)
			return i + 1, joined
		}
	}
	return -1, ""
}

// spacedHyphens returns the index of the last token of a compound whose
// hyphens stand apart from the words before them ("Under -Secretary
// -General"), or i when there is none.
func (s *SplitWords) spacedHyphens(toks []token, i int) int {
	t := toks[i].text
	if i+1 >= len(toks) || len(toks[i+1].text) < 2 || toks[i+1].text[0] != '-' || !isLetters(t) || !s.dict.IsWord(t) {
		return i
	}
	j := i
	for j+1 < len(toks) && len(toks[j+1].text) > 1 && toks[j+1].text[0] == '-' {
		w := firstWord(toks[j+1].text[1:])
		if w == "" || !s.dict.IsWord(w) {
			break
		}
		j++
		if w != toks[j].text[1:] {
			break // punctuation follows: the compound ends here
		}
	}
	return j
}

// letterSpaced joins a run of three or more single letters ("R e c a l l
// i n g") when they spell a word, and returns the last token of the run.
func (s *SplitWords) letterSpaced(toks []token, i int) (int, string) {
	if len(toks[i].text) != 1 || !isLetters(toks[i].text) {
		return i, ""
	}
	j := i
	for j+1 < len(toks) && len(toks[j+1].text) == 1 && isLetters(toks[j+1].text) {
		j++
	}
	// The last letter may carry punctuation: "c a l l i n g,".
	var b strings.Builder
	for k := i; k <= j; k++ {
		b.WriteString(toks[k].text)
	}
	if j+1 < len(toks) {
		if w := firstWord(toks[j+1].text); len(w) == 1 && len(toks[j+1].text) > 1 {
			j++
			b.WriteString(toks[j].text)
		}
	}
	if j-i < 2 {
		return i, ""
	}
	word := b.String()
	if !s.dict.IsWord(trimWord(word)) {
		return i, ""
	}
	return j, word
}

// matchCase spells hy with the letters' case from orig, letter by letter
// (hy is orig with hyphens added), keeping capitals the term itself has:
// "Nongovernmental" becomes "Non-governmental", "InterAgency"
// "Inter-Agency", "secretarygeneral" "Secretary-General".
func matchCase(orig, hy string) string {
	o := []rune(orig)
	var b strings.Builder
	i := 0
	for _, r := range hy {
		if r == '-' || i >= len(o) {
			b.WriteRune(r)
			continue
		}
		if unicode.IsUpper(o[i]) {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

// splitAt looks for a word split by spaces starting at toks[i], over two or
// three tokens. It returns how many tokens to join and the joined text, or
// n = 0. It runs for every pair of tokens in the document, so the cheap
// tests come first, and what depends on one token alone is read from its
// form.
func (s *SplitWords) splitAt(d *splitDoc, toks []token, ids []int32, i int) (n int, joined, why string, conf float64) {
	if i+1 >= len(toks) || !d.forms[ids[i+1]].lowerStart {
		return 0, "", "", 0 // the second piece of a split word is lower case
	}
	// The first piece may carry opening punctuation ("(organi zations"),
	// but no closing punctuation: that would end the word.
	fa := &d.forms[ids[i]]
	if fa.headLen < 0 {
		return 0, "", "", 0
	}
	first := toks[i].text
	head, a := first[:fa.headLen], first[fa.headLen:]
	for k := 2; k <= 3 && i+k-1 < len(toks); k++ {
		last := toks[i+k-1].text
		fb := &d.forms[ids[i+k-1]]
		if fb.bLen == 0 || !fb.lowerStart || k == 2 && fb.bShort {
			// The second piece of a split word is never a common word on
			// its own ("of the", "with in"): skip half of all pairs early.
			return 0, "", "", 0
		}
		b := last[:fb.bLen]
		mid := ""
		if k == 3 {
			// Middle pieces must be bare letters ("Ukrai n e").
			mid = toks[i+1].text
			// Only a single stray letter sits between the halves
			// ("Ukrai n e"); "a" and "I" are words in their own right.
			if len(mid) != 1 || !isLetters(mid) || mid == "a" || mid == "I" {
				return 0, "", "", 0
			}
		}
		if len(a)+len(mid)+len(b) > maxJoined {
			return 0, "", "", 0
		}
		if k == 2 && fa.ascii && fb.ascii && !d.pairMayJoin(fa, fb) {
			continue
		}
		// Over three pieces, the middle one is a single letter, which
		// never counts as a word here.
		if k == 2 && d.aIsWord(fa, a) && d.bIsWord(fb, b) {
			// Both parts are words: join only on the document's own
			// evidence, checked first because it is the cheap lookup.
			if len(a)+len(b) < 6 || !d.joinedMayCount(fa, fb) {
				continue
			}
			d.key = bytesLower(append(append(d.key[:0], a...), b...))
			if d.count(string(d.key)) < 2 {
				continue
			}
			// The joined word is lower case, as it was looked up.
			word := string(d.key)
			// A common short word next to another word is a real pair far
			// more often than a split: "in human beings", "a broad range",
			// "every one of them".
			if isCommonWord(a) || isCommonWord(b) || d.vocab.Bigram(strings.ToLower(strings.TrimSpace(a+"  "+b))) > 1 {
				return 0, "", "", 0
			}
			return k, head + word + last[len(b):], "the document writes " + word + " elsewhere, and not " + pairText(a, mid, b), 0.75
		}
		d.key = append(append(append(d.key[:0], a...), mid...), b...)
		if !s.dict.IsWord(string(d.key)) && d.count(lower(string(d.key))) < 2 {
			continue
		}
		word := string(d.key)
		return k, head + word + last[len(b):], word + " is a word and " + pairText(a, mid, b) + " is not", 0.9
	}
	return 0, "", "", 0
}

// maxJoined is the longest join splitAt tries, in bytes.
const maxJoined = 96

// commonWords never take part in a split judged on document evidence alone.
var commonWords = newShortWords("a", "an", "the", "in", "on", "at",
	"of", "to", "by", "for", "and", "or", "as", "is",
	"be", "no", "so", "up", "every", "any", "some", "one",
	"all", "with", "from", "into", "out", "its", "it",
	"this", "that", "not", "are", "was", "his", "her")

func pairText(a, mid, b string) string {
	if mid == "" {
		return a + " " + b
	}
	return a + " " + mid + " " + b
}

// bytesLower lower-cases ASCII letters of b in place.
func bytesLower(b []byte) []byte {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// firstLetterIndex is strings.IndexFunc(s, isLetterRune), byte by byte:
// a byte from 0x80 up starts a rune that isLetterRune accepts, valid or
// not.
func firstLetterIndex(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || isASCIILetter(c) {
			return i
		}
	}
	return -1
}

func isLetterRune(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f }

func (s *SplitWords) log(doc *pipeline.Document, pi, start, end int, before, after string, kind pipeline.RepairKind, why string, conf float64) {
	doc.Record(pipeline.Repair{
		Stage: s.Name(), Kind: kind, Before: before, After: after, Reason: why, Confidence: conf,
		Pos: doc.ParaPos(pi, start, end),
	})
}
