package dictionaries

import "slices"

// wordSet is a read-only set of strings built for the English list: about
// 135,000 words that must load in a few milliseconds and be looked up for
// every token of a document.
//
// A map[string]struct{} of that size takes tens of milliseconds to build,
// mostly in cache misses, and leaves the garbage collector a pointer per word
// to scan. wordSet keeps the words sorted and end to end in one string, with
// an index from the first two bytes of a word to the run of words that
// start with them; a lookup is a binary search within that run, which is a
// few hundred words at most and lies together in memory. The English list
// is stored sorted, so building the set is one pass.
type wordSet struct {
	blob string   // the words in byte order, end to end
	ends []uint32 // word i is blob[ends[i-1]:ends[i]], with ends[-1] = 0
	// slots is an open-addressing hash table of word indexes plus one (0 =
	// empty), sized to a power of two at least twice the word count. A
	// lookup hashes the key once and compares about one word: several
	// times faster than a binary search, for 4 bytes a slot.
	slots []uint32
}

// fnv1a hashes a key; keys are short, so a byte loop is as fast as anything.
func fnv1a[T string | []byte](k T) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(k); i++ {
		h ^= uint32(k[i])
		h *= 16777619
	}
	return h
}

// newWordSet builds a set of keys, which must be lookup keys (foldKey). keys
// in byte order, as the English list is, are taken as they are; others are
// sorted first. Duplicates and empty keys are dropped.
func newWordSet(keys []string) *wordSet {
	if !slices.IsSorted(keys) {
		keys = slices.Clone(keys)
		slices.Sort(keys)
	}
	size := 0
	for _, k := range keys {
		size += len(k)
	}
	blob := make([]byte, 0, size)
	ws := &wordSet{ends: make([]uint32, 0, len(keys))}
	prev := ""
	for _, k := range keys {
		if k == "" || k == prev {
			continue
		}
		prev = k
		blob = append(blob, k...)
		ws.ends = append(ws.ends, uint32(len(blob)))
	}
	ws.blob = string(blob)
	n := 16
	for n < 2*len(ws.ends) {
		n <<= 1
	}
	ws.slots = make([]uint32, n)
	mask := uint32(n - 1)
	for i := range ws.ends {
		h := fnv1a(ws.word(uint32(i))) & mask
		for ws.slots[h] != 0 {
			h = (h + 1) & mask
		}
		ws.slots[h] = uint32(i) + 1
	}
	return ws
}

// word returns word i.
func (ws *wordSet) word(i uint32) string {
	start := uint32(0)
	if i > 0 {
		start = ws.ends[i-1]
	}
	return ws.blob[start:ws.ends[i]]
}

// words returns the members in byte order.
func (ws *wordSet) words() []string {
	if ws == nil {
		return nil
	}
	out := make([]string, len(ws.ends))
	for i := range out {
		out[i] = ws.word(uint32(i))
	}
	return out
}

// with returns a set of the members of ws (which may be nil) and keys.
func (ws *wordSet) with(keys []string) *wordSet {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	old := ws.words()
	merged := make([]string, 0, len(old)+len(keys))
	for len(old) > 0 && len(keys) > 0 {
		if old[0] <= keys[0] {
			merged, old = append(merged, old[0]), old[1:]
		} else {
			merged, keys = append(merged, keys[0]), keys[1:]
		}
	}
	merged = append(merged, old...)
	merged = append(merged, keys...)
	return newWordSet(merged)
}

// has reports whether the key k is in the set. A nil set is empty.
func (ws *wordSet) has(k string) bool {
	if ws == nil || k == "" {
		return false
	}
	mask := uint32(len(ws.slots) - 1)
	for h := fnv1a(k) & mask; ws.slots[h] != 0; h = (h + 1) & mask {
		if ws.word(ws.slots[h]-1) == k {
			return true
		}
	}
	return false
}

// hasBytes is has for a key in a byte slice. Go compares string(k) with a
// string without copying k, so this does not allocate.
func (ws *wordSet) hasBytes(k []byte) bool {
	if ws == nil || len(k) == 0 {
		return false
	}
	mask := uint32(len(ws.slots) - 1)
	for h := fnv1a(k) & mask; ws.slots[h] != 0; h = (h + 1) & mask {
		if ws.word(ws.slots[h]-1) == string(k) {
			return true
		}
	}
	return false
}
