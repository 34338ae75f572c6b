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
	// slots is an open-addressing hash table, sized to a power of two at
	// least twice the word count. A slot holds where its word lies in
	// blob, its length and 16 more bits of its hash (slotOf), and 0 when
	// empty: a lookup reads the word's bytes only when length and
	// fingerprint agree, which is about once per lookup. Documents are
	// looked up a few thousand distinct words at a time, between other
	// work that evicts the set from the caches, so a lookup costs its
	// cache misses: one in slots and one in blob, where an index into
	// ends would add a third.
	slots []uint64
}

// fnv1a hashes a key; keys are short, so a byte loop is as fast as anything.
func fnv1a[T string | []byte](k T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return h
}

// Slot layout: blob offset in the low 32 bits, then the length (16 bits,
// and no word in a list is near that long) and the hash's top 16 bits.
const (
	slotLenShift = 32
	slotFPShift  = 48
	maxWordLen   = 1<<16 - 1
)

func slotOf(start, n int, h uint64) uint64 {
	return uint64(start) | uint64(n)<<slotLenShift | h>>slotFPShift<<slotFPShift
}

// slotKey is what a slot must hold, besides the offset, for a key of
// length n and hash h.
func slotKey(n int, h uint64) uint64 {
	return uint64(n)<<slotLenShift | h>>slotFPShift<<slotFPShift
}

const slotKeyMask = 1<<64 - 1<<slotLenShift

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
	ws.slots = make([]uint64, n)
	mask := uint64(n - 1)
	start := 0
	for _, end := range ws.ends {
		w := ws.blob[start:end]
		if len(w) <= maxWordLen {
			h := fnv1a(w)
			i := h & mask
			for ws.slots[i] != 0 {
				i = (i + 1) & mask
			}
			ws.slots[i] = slotOf(start, len(w), h)
		}
		start = int(end)
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
	if ws == nil || k == "" || len(k) > maxWordLen {
		return false
	}
	h := fnv1a(k)
	want, mask := slotKey(len(k), h), uint64(len(ws.slots)-1)
	for i := h & mask; ws.slots[i] != 0; i = (i + 1) & mask {
		if sl := ws.slots[i]; sl&slotKeyMask == want {
			if start := uint32(sl); ws.blob[start:start+uint32(len(k))] == k {
				return true
			}
		}
	}
	return false
}

// hasBytes is has for a key in a byte slice. Go compares string(k) with a
// string without copying k, so this does not allocate.
func (ws *wordSet) hasBytes(k []byte) bool {
	if ws == nil || len(k) == 0 || len(k) > maxWordLen {
		return false
	}
	h := fnv1a(k)
	want, mask := slotKey(len(k), h), uint64(len(ws.slots)-1)
	for i := h & mask; ws.slots[i] != 0; i = (i + 1) & mask {
		if sl := ws.slots[i]; sl&slotKeyMask == want {
			if start := uint32(sl); ws.blob[start:start+uint32(len(k))] == string(k) {
				return true
			}
		}
	}
	return false
}
