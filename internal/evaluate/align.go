package evaluate

// A step is one move of the backtrace through the word edit-distance table.
type step uint8

const (
	// pair aligns gold word i-1 with output word j-1, equal or substituted.
	pair step = iota
	// dropGold leaves gold word i-1 without a partner (a deletion).
	dropGold
	// skipOut leaves output word j-1 without a partner (an insertion).
	skipOut
)

// alignWords computes the word edit distance between gold and out and
// returns, for each gold word, the index of the output word paired with it
// on one optimal alignment (equal or substituted), or -1 when the gold word
// was deleted.
//
// Many alignments are optimal, and markers and paragraph starts are read off
// the one chosen, so the choice is part of the metric: it is the scorer's.
// The scorer fills the whole table and walks back from the corner. At each
// cell its walk depends only on that cell, its upper and diagonal
// neighbours and the two words, so the move it would make can be decided
// while the table is filled. That keeps one byte per cell instead of the
// scorer's four, with two rows of distances: 9 MB for 3000×3000 words.
func alignWords(gold, out []string) (at []int, dist int) {
	g, o := intern(gold, out)
	n, m := len(g), len(o)

	// prev and cur are rows i-1 and i of the table D, where D[i][j] is the
	// distance between the first i gold words and the first j output words.
	prev := make([]int32, m+1)
	cur := make([]int32, m+1)
	for j := range prev {
		prev[j] = int32(j)
	}
	// moves[(i-1)*m+(j-1)] is the backtrace's move at cell (i, j), i, j ≥ 1.
	// Cells on row 0 or column 0 end the walk and need none.
	moves := make([]step, n*m)
	for i := 1; i <= n; i++ {
		cur[0] = int32(i)
		row := moves[(i-1)*m : i*m]
		for j := 1; j <= m; j++ {
			sub := prev[j-1]
			if g[i-1] != o[j-1] {
				sub++
			}
			d := min(sub, prev[j]+1, cur[j-1]+1)
			cur[j] = d
			switch {
			// Pairing first: a gold word that can stand opposite an output
			// word at no extra cost does, even when the words differ. Its
			// marker or paragraph start then counts if the output word
			// carries it, so "Crime,[^2]" read as "Crime.[^2]" still
			// scores the marker.
			case d == sub:
				row[j-1] = pair
			// Then deleting the gold word rather than inserting the output
			// word. Walking back from the end, this leaves output word j-1
			// free for an earlier gold word, so among equal choices an
			// output word pairs with an earlier gold word rather than a
			// later one.
			case d == prev[j]+1:
				row[j-1] = dropGold
			default:
				row[j-1] = skipOut
			}
		}
		prev, cur = cur, prev
	}
	dist = int(prev[m])

	at = make([]int, n)
	for i := range at {
		at[i] = -1
	}
	for i, j := n, m; i > 0 && j > 0; {
		switch moves[(i-1)*m+(j-1)] {
		case pair:
			at[i-1] = j - 1
			i, j = i-1, j-1
		case dropGold:
			i--
		default:
			j--
		}
	}
	return at, dist
}

// intern numbers the distinct words of both sequences so that the inner
// loop compares integers instead of strings. Equal numbers mean equal
// strings, byte for byte.
func intern(gold, out []string) (g, o []int32) {
	ids := make(map[string]int32, len(gold))
	number := func(words []string) []int32 {
		s := make([]int32, len(words))
		for i, w := range words {
			id, ok := ids[w]
			if !ok {
				id = int32(len(ids))
				ids[w] = id
			}
			s[i] = id
		}
		return s
	}
	return number(gold), number(out)
}
