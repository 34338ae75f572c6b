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
	// runs[p] is the index of the first word whose two-byte prefix is p or
	// greater, so the words with prefix p are runs[p] to runs[p+1].
	runs []uint32
}

// prefix returns the index of w's run: its first two bytes, or its one byte
// and 0 for a word of one byte. Byte order of words is order of prefixes.
func prefix(w string) int {
	switch len(w) {
	case 0:
		return 0
	case 1:
		return int(w[0]) << 8
	}
	return int(w[0])<<8 | int(w[1])
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
	ws := &wordSet{
		ends: make([]uint32, 0, len(keys)),
		runs: make([]uint32, 1<<16+1),
	}
	prev := ""
	for _, k := range keys {
		if k == "" || k == prev {
			continue
		}
		prev = k
		blob = append(blob, k...)
		ws.ends = append(ws.ends, uint32(len(blob)))
		ws.runs[prefix(k)+1]++
	}
	for p := 1; p < len(ws.runs); p++ {
		ws.runs[p] += ws.runs[p-1]
	}
	ws.blob = string(blob)
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
	p := prefix(k)
	lo, hi := ws.runs[p], ws.runs[p+1]
	for lo < hi {
		mid := lo + (hi-lo)/2
		w := ws.word(mid)
		switch {
		case w == k:
			return true
		case w < k:
			lo = mid + 1
		default:
			hi = mid
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
	p := int(k[0]) << 8
	if len(k) > 1 {
		p |= int(k[1])
	}
	lo, hi := ws.runs[p], ws.runs[p+1]
	for lo < hi {
		mid := lo + (hi-lo)/2
		w := ws.word(mid)
		switch {
		case w == string(k):
			return true
		case w < string(k):
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false
}
