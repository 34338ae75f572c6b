package stages

// refAssign is assign as it was before its proposals were kept in a sorted
// array: a heap, then a heapsort. Tests compare the two.

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// refBeamState is one partial numbering of the candidates. Paths share their
// prefixes (a list back to the start through a refPathTable), and first is
// copied only when a state adds a new number.
type refBeamState struct {
	score float64
	max   int
	path  int32   // the state's last choice in the refPathTable, -1 before the first
	first []int32 // first[k] = index of the candidate that first took number k, -1 if none
}

// refPathNode is one choice on a path: number n for a candidate (0: not a
// marker), after the choice at prev. A number that does not fit n, which
// only a [^N] or a long run of superscript digits can give, is kept in
// refPathTable.big and n is -1.
type refPathNode struct {
	n    int32
	prev int32
}

// refPathTable holds the choices of every state the search made, up to
// refBeamWidth a candidate. It grows by chunks, which are neither copied as it
// grows nor scanned by the garbage collector.
type refPathTable struct {
	chunks [][]refPathNode
	len    int32
	room   int           // how many more choices the search can make
	big    map[int32]int // numbers beyond int32 by node
}

const refPathChunk = 1024

func (t *refPathTable) add(n int, prev int32) int32 {
	i := t.len
	if i%refPathChunk == 0 {
		// The last chunk need only hold what is left.
		t.chunks = append(t.chunks, make([]refPathNode, min(refPathChunk, t.room)))
	}
	t.room--
	node := refPathNode{n: int32(n), prev: prev}
	if n < 0 || n > math.MaxInt32 {
		if t.big == nil {
			t.big = map[int32]int{}
		}
		node.n, t.big[i] = -1, n
	}
	t.chunks[i/refPathChunk][i%refPathChunk] = node
	t.len++
	return i
}

// at returns the number and the previous choice of choice i.
func (t *refPathTable) at(i int32) (n int, prev int32) {
	node := t.chunks[i/refPathChunk][i%refPathChunk]
	if node.n < 0 {
		return t.big[i], node.prev
	}
	return int(node.n), node.prev
}

// refFirstSlab hands out the first arrays of new states from larger blocks,
// each twice the last up to 16 KiB: documents with few candidates need few.
type refFirstSlab []int32

func (s *refFirstSlab) alloc(n int) []int32 {
	if n > cap(*s)-len(*s) {
		*s = make([]int32, 0, max(min(2*cap(*s), 4096), 64, n))
	}
	off := len(*s)
	*s = (*s)[:off+n]
	return (*s)[off : off+n : off+n]
}

// refProposal is a state the beam search could move to: parent's choices, then
// number n. Only the best refBeamWidth proposals become states, so a refProposal
// holds what it takes to make one and no more.
type refProposal struct {
	score  float64 // the new state's score
	seq    int32   // order of making: ties keep it, as a stable sort would
	parent int32   // index of the parent state in the beam
	n      int
}

// better orders proposals as the beam keeps them: higher score first, and
// among equal scores the one made first. Scores are sums of finite terms,
// never NaN, so this is the order cmp.Compare would give.
func (a *refProposal) better(b *refProposal) bool {
	return a.score > b.score || a.score == b.score && a.seq < b.seq
}

// refBestProposals keeps the best refBeamWidth proposals it is given, in a heap
// whose root is the worst of them: most proposals lose to the root at once.
type refBestProposals struct {
	heap []refProposal
}

func (b *refBestProposals) add(p refProposal) {
	h := b.heap
	if len(h) < refBeamWidth {
		h = append(h, p)
		for i := len(h) - 1; i > 0; {
			up := (i - 1) / 2
			if !h[up].better(&h[i]) {
				break
			}
			h[up], h[i] = h[i], h[up]
			i = up
		}
		b.heap = h
		return
	}
	if !p.better(&h[0]) {
		return
	}
	h[0] = p
	refSiftDown(h)
}

// refSiftDown restores the heap order of h after its root changed.
func refSiftDown(h []refProposal) {
	for i := 0; ; {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[worst].better(&h[l]) {
			worst = l
		}
		if r < len(h) && h[worst].better(&h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// sorted returns the proposals kept, best first, and empties b. It
// finishes a heapsort: the worst, at the root, goes to the end in turn.
func (b *refBestProposals) sorted() []refProposal {
	h := b.heap
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		refSiftDown(h[:end])
	}
	b.heap = h[:0]
	return h
}

const refBeamWidth = 48

// refAssign numbers the candidates. defs holds the defined footnote numbers
// (may be empty); a document fragment whose definitions start above 1 may
// repeat numbers it never showed.
//
// Each step keeps the best refBeamWidth of the states the beam's states lead
// to, as sorting them all stably by score would, building only those kept.
// The beam stays in that order, so the states that do not take the
// candidate as a marker, all the beam's scores plus one constant (a sum
// that keeps the order of floating-point numbers), come already sorted;
// only the others go through a heap before the two sorted lists are merged.
func refAssign(cands []candidate, defs map[int]bool, minDef, maxDef int) []int {
	start := 0
	if minDef > 1 {
		start = minDef - 1
	}
	// repeatFit depends only on the two candidates: remember it. Only the
	// candidate being numbered asks, so the memo holds one value per
	// earlier candidate, valid while fitFor[fi] is that candidate's index
	// plus one.
	fitFor := make([]int32, len(cands))
	fitVal := make([]float64, len(cands))
	fit := func(ci, fi int) float64 {
		if fitFor[fi] == int32(ci+1) {
			return fitVal[fi]
		}
		v := repeatFit(&cands[ci], &cands[fi])
		fitFor[fi], fitVal[fi] = int32(ci+1), v
		return v
	}
	paths := refPathTable{room: len(cands) * refBeamWidth}
	var firsts refFirstSlab
	beam := make([]refBeamState, 1, refBeamWidth)
	beam[0] = refBeamState{max: start, path: -1}
	next := make([]refBeamState, 0, refBeamWidth)
	var others refBestProposals
	var skipSeq [refBeamWidth]int32 // the order in which the not-a-marker proposals were made
	for ci, c := range cands {
		skip := math.Log(1 - math.Min(c.p, 0.999))
		lp := math.Log(math.Max(c.p, 1e-6))
		// With a full beam, the not-a-marker proposals alone fill it: a
		// refProposal that does not beat the worst of them cannot be kept.
		// That one was made after every refProposal of the states before
		// it, and before those of its own state.
		floor, floorState := math.Inf(-1), -1
		if len(beam) == refBeamWidth {
			floor, floorState = beam[refBeamWidth-1].score+skip, refBeamWidth-1
		}
		add := func(score float64, seq int32, si, n int) {
			if score > floor || score == floor && si < floorState {
				others.add(refProposal{score: score, seq: seq, parent: int32(si), n: n})
			}
		}
		seq := int32(0)
		for si := range beam {
			st := &beam[si]
			// Not a marker: merged in below.
			skipSeq[si] = seq
			seq++
			// A first reference: the next number in sequence.
			n := st.max + 1
			if c.digit == 0 || c.digit == n || c.form == formMarkdown {
				if c.form == formMarkdown {
					n = c.digit
				}
				s := lp + refDefFit(defs, minDef, n) + refGlyphNumber(c.glyph, n)
				if c.digit != 0 {
					s += 1.0 // a printed number that fits the sequence is itself evidence
				}
				add(st.score+s, seq, si, n)
				seq++
			} else if c.digit > n && c.form != formSpaced {
				// A marker the extraction lost in between: allowed, at a cost.
				s := lp + refDefFit(defs, minDef, c.digit) - 1.5*float64(c.digit-n)
				add(st.score+s, seq, si, c.digit)
				seq++
			}
			// A repeat of an earlier number.
			lo, hi := 1, st.max
			if c.digit != 0 {
				lo, hi = c.digit, min(c.digit, st.max)
			}
			for k := lo; k <= hi; k++ {
				s := lp + refDefFit(defs, minDef, k) + refGlyphNumber(c.glyph, k)*0.5
				if fi := st.firstOf(k); fi >= 0 {
					f := fit(ci, fi)
					// A glyph that shares nothing with the first reference
					// is not worth a state while a new number is possible.
					if c.digit == 0 && f < -1 && (len(defs) == 0 || st.max < maxDef) {
						continue
					}
					s += f
				} else if k > start {
					continue // never seen in this document: cannot be a repeat
				} else {
					s -= 0.7 // a fragment: its earlier references are on pages we lack
				}
				if c.digit != 0 {
					s += 0.5
				}
				add(st.score+s, seq, si, k)
				seq++
			}
		}
		rest := others.sorted()
		next = next[:0]
		i, j := 0, 0
		for len(next) < refBeamWidth {
			var p refProposal
			if i < len(beam) {
				p = refProposal{score: beam[i].score + skip, seq: skipSeq[i], parent: int32(i)}
				if j < len(rest) && rest[j].better(&p) {
					p = rest[j]
					j++
				} else {
					i++
				}
			} else if j < len(rest) {
				p = rest[j]
				j++
			} else {
				break
			}
			next = next[:len(next)+1]
			beam[p.parent].extend(&next[len(next)-1], ci, p.n, p.score, &paths, &firsts)
		}
		beam, next = next, beam
	}
	// Definitions never referenced cost something: they mean a lost marker.
	bestState, bestScore := 0, math.Inf(-1)
	for i, st := range beam {
		s := st.score
		if maxDef > st.max {
			s -= 0.8 * float64(maxDef-st.max)
		}
		if s > bestScore {
			bestState, bestScore = i, s
		}
	}
	numbers := make([]int, len(cands))
	i := len(cands) - 1
	for p := beam[bestState].path; p >= 0; i-- {
		numbers[i], p = paths.at(p)
	}
	return numbers
}

func (st *refBeamState) firstOf(k int) int {
	if k < len(st.first) {
		return int(st.first[k])
	}
	return -1
}

// extend sets out to the state that follows st when candidate ci takes
// number n (0: not a marker), with the given score.
func (st *refBeamState) extend(out *refBeamState, ci, n int, score float64, paths *refPathTable, firsts *refFirstSlab) {
	*out = refBeamState{score: score, max: st.max, first: st.first, path: paths.add(n, st.path)}
	if n > 0 {
		out.max = max(out.max, n)
		if st.firstOf(n) < 0 {
			f := firsts.alloc(max(len(st.first), n+1))
			copy(f, st.first)
			for k := len(st.first); k < len(f); k++ {
				f[k] = -1
			}
			f[n] = int32(ci)
			out.first = f
		}
	}
}

// refDefFit scores number n against the definitions found. In a fragment
// whose definitions start above 1, lower numbers were defined on pages we
// do not have, and cost nothing.
func refDefFit(defs map[int]bool, minDef, n int) float64 {
	if len(defs) == 0 || defs[n] || n < minDef {
		return 0
	}
	return -3
}

// randomCandidates makes candidates of every form, with contexts drawn from
// a few words so that repeats share some of theirs, and footnote
// definitions for them.
func randomCandidates(r *rand.Rand) ([]candidate, map[int]bool, int, int) {
	forms := []string{formMarkdown, formSuperscript, formGlued, formGluedPunct, formSpaced, formGlyph, formRaised}
	words := []string{"the", "Convention", "Protocol", "rights", "of", "Child,", "Crime", "“Women”", "and", "2000"}
	names := []string{"", "", "Convention on the Rights of the Child", "Paris Agreement"}
	cands := make([]candidate, 1+r.IntN(80))
	top := 1 + r.IntN(40)
	for i := range cands {
		c := &cands[i]
		c.form = forms[r.IntN(len(forms))]
		switch c.form {
		case formGlyph, formRaised:
			c.glyph = ocrGlyphs[r.IntN(len(ocrGlyphs))]
		case formMarkdown:
			c.digit = 1 + r.IntN(top+20)
		default:
			c.digit = 1 + r.IntN(top)
		}
		c.p = []float64{0.05, 0.1, 0.15, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 1}[r.IntN(16)]
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		c.before = b.String()
		c.ctxEnd = len(c.before)
		c.instrument = names[r.IntN(len(names))]
		if c.instrument != "" {
			m := NewMarkers(nil)
			c.nameWords = m.wordsOf(c.instrument)
			if r.IntN(2) == 0 {
				c.before += c.instrument + ","
				c.ctxEnd = len(c.before)
			}
		}
	}
	defs := map[int]bool{}
	minDef, maxDef := 0, 0
	if r.IntN(4) > 0 {
		lo := 1 + r.IntN(3)*r.IntN(10)
		for n := lo; n < lo+r.IntN(top+5); n++ {
			if r.IntN(10) > 0 {
				defs[n] = true
				if minDef == 0 {
					minDef = n
				}
				maxDef = n
			}
		}
	}
	return cands, defs, minDef, maxDef
}

// TestAssignSameAsReference compares assign with refAssign on random
// candidates.
func TestAssignSameAsReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		cands, defs, minDef, maxDef := randomCandidates(r)
		want := refAssign(slices.Clone(cands), defs, minDef, maxDef)
		got := assign(slices.Clone(cands), newNumberSet(slices.Collect(maps.Keys(defs))), minDef, maxDef)
		if !slices.Equal(got, want) {
			t.Fatalf("assign gives %v, the reference %v\ndefs %v", got, want, defs)
		}
	}
}

// TestNumberSet compares a numberSet with a map of the same numbers, on
// short and long runs, negative numbers and repeats.
func TestNumberSet(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		want := map[int]bool{}
		var nums []int
		spread := []int{3, 50, numberTableMax - 1, numberTableMax, numberTableMax + 1, 1 << 40}[r.IntN(6)]
		base := r.IntN(5) - 2
		for range r.IntN(12) {
			n := base + r.IntN(spread)
			if r.IntN(8) == 0 && len(nums) > 0 {
				n = nums[0] // a number defined twice
			}
			nums = append(nums, n)
			want[n] = true
		}
		set := newNumberSet(nums)
		if set.len != len(want) {
			t.Fatalf("newNumberSet(%v).len = %d, want %d", nums, set.len, len(want))
		}
		probes := append(slices.Clone(nums), base-1, base+spread, math.MinInt, math.MaxInt, 0)
		for _, n := range nums {
			probes = append(probes, n-1, n+1)
		}
		for _, n := range probes {
			if set.has(n) != want[n] {
				t.Fatalf("newNumberSet(%v).has(%d) = %v, want %v", nums, n, set.has(n), want[n])
			}
		}
	}
}

// refGlyphNumber is how often OCR reads digit n as glyph g.
func refGlyphNumber(g string, n int) float64 {
	switch {
	case (g == "'" || g == "’") && n == 1, g == "?" && n == 2, g == "™" && n >= 10, (g == "®" || g == "°") && n >= 3 && n <= 9:
		return 0.3
	}
	return 0
}
