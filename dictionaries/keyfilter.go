package dictionaries

import "sync"

// A stage that looks for words split by spaces asks, for nearly every pair
// of neighbouring tokens, whether the two joined make a word. Most pairs do
// not ("the General", "of States"), and an exact lookup costs cache misses
// in the English list, which is megabytes. KeyHash and the filters
// let it rule most of them out first, from a hash it can work out from the
// hashes of the pieces without building the joined string, in a filter
// small enough to stay in the cache.

// KeyHashBase is the base of KeyHash.
const KeyHashBase = 0x100000001b3

// KeyHash is a polynomial hash of s with its ASCII capitals lower-cased:
// KeyHash(a+b) = KeyHash(a)·KeyHashBase^len(b) + KeyHash(b), so that the
// hash of a joined word follows from the hashes of its pieces.
func KeyHash(s string) uint64 {
	h := uint64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = h*KeyHashBase + uint64(c)
	}
	return h
}

// WordFilter is a filter of the words IsWord knows: its Has is false when
// no string of ASCII letters with KeyHash h is a word to IsWord; when it
// is true, IsWord must be asked.
func (s *Set) WordFilter() *KeyFilter {
	if f := s.keyFilters(); f != nil {
		return f.words
	}
	return nil
}

// HyphenatedFilter is a filter of the terms Hyphenated restores: its Has
// is false when Hyphenated finds no term for any string of ASCII letters
// with KeyHash h; when it is true, Hyphenated must be asked.
func (s *Set) HyphenatedFilter() *KeyFilter {
	if f := s.keyFilters(); f != nil {
		return f.hyphenated
	}
	return nil
}

// keyFilters holds a Set's filters, built on first use: a program that
// never asks pays nothing, and each Set that with makes gets its own. The
// zero Set has none, and its answers are all "may be".
type keyFilters struct {
	once       sync.Once
	words      *KeyFilter
	hyphenated *KeyFilter
}

func (s *Set) keyFilters() *keyFilters {
	f := s.filters
	if f == nil {
		return nil
	}
	f.once.Do(func() {
		// IsWord of a string of ASCII letters is a lookup of its
		// lower-case form in the English list or the term words: a
		// possessive needs an apostrophe.
		f.words = newKeyFilter(len(s.english.ends) + len(s.termWords))
		if s.english != nil {
			start := uint32(0)
			for _, end := range s.english.ends {
				f.words.add(KeyHash(s.english.blob[start:end]))
				start = end
			}
		}
		for w := range s.termWords {
			f.words.add(KeyHash(w))
		}
		// Hyphenated of ASCII letters looks up their lower-case form
		// among the keys of the hyphenated terms.
		f.hyphenated = newKeyFilter(len(s.hyphenated))
		for k := range s.hyphenated {
			f.hyphenated.add(KeyHash(k))
		}
	})
	return f
}

// KeyFilter is a Bloom filter of KeyHashes whose three bits for a hash lie
// in one 64-bit word, so that a query reads one word of memory. At 8 bits
// per member, about 4% of non-members pass. A nil KeyFilter lets every
// hash pass.
type KeyFilter struct {
	bits  []uint64
	shift uint // 64 - log2(len(bits))
}

func newKeyFilter(n int) *KeyFilter {
	words := 1
	for words*64 < 8*n {
		words <<= 1
	}
	shift := uint(64)
	for w := words; w > 1; w >>= 1 {
		shift--
	}
	return &KeyFilter{bits: make([]uint64, words), shift: shift}
}

// mask returns the word of f that h falls in and h's bits in it. The word
// is chosen by the top bits of the mixed hash and the bits by three bytes
// below them; a table of 2^20 words or fewer uses disjoint bits for each.
func (f *KeyFilter) mask(h uint64) (int, uint64) {
	x := h * 0x9e3779b97f4a7c15
	m := uint64(1)<<(x>>20&63) | uint64(1)<<(x>>26&63) | uint64(1)<<(x>>32&63)
	if f.shift == 64 {
		return 0, m
	}
	return int(x >> f.shift), m
}

func (f *KeyFilter) add(h uint64) {
	i, m := f.mask(h)
	f.bits[i] |= m
}

// Has is false when h is surely not the hash of a member.
func (f *KeyFilter) Has(h uint64) bool {
	if f == nil {
		return true
	}
	i, m := f.mask(h)
	return f.bits[i]&m == m
}
