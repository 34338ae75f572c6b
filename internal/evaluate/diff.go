package evaluate

// Op says how a word of the gold and a word of the output relate in a
// Diff.
type Op uint8

// The ops of a Diff.
const (
	Same    Op = iota // the words are equal, and so are their markers
	Changed           // the words stand opposite each other but differ
	Missing           // a gold word the output lacks
	Extra             // an output word the gold lacks
)

// DiffWord is one step of a Diff. Marks are footnote numbers ("" for
// none); ParaStart is set on a gold word that opens a paragraph, or on an
// output word that does where the gold has none (Extra).
type DiffWord struct {
	Op                Op
	Gold, Out         string
	GoldMark, OutMark string
	ParaStart         bool // the gold opens a paragraph here
	OutParaStart      bool // the output opens a paragraph here
}

// Diff aligns the body words of out with those of gold on the alignment
// Compare scores, so that what it shows are the errors CER, WER and the
// marker and paragraph figures count.
func Diff(gold, out []byte) []DiffWord {
	g, o := parse(string(gold)), parse(string(out))
	at, _ := alignWords(g.Words, o.Words)
	goldStart := make([]bool, len(g.Words)+1)
	for _, i := range g.Starts {
		goldStart[i] = true
	}
	outStart := make([]bool, len(o.Words)+1)
	for _, j := range o.Starts {
		outStart[j] = true
	}
	var d []DiffWord
	extra := func(from, to int) {
		for ; from < to; from++ {
			d = append(d, DiffWord{Op: Extra, Out: o.Words[from], OutMark: o.Marks[from], OutParaStart: outStart[from]})
		}
	}
	j := 0
	for i, w := range g.Words {
		k := at[i]
		if k < 0 {
			d = append(d, DiffWord{Op: Missing, Gold: w, GoldMark: g.Marks[i], ParaStart: goldStart[i]})
			continue
		}
		extra(j, k)
		op := Same
		if w != o.Words[k] || g.Marks[i] != o.Marks[k] {
			op = Changed
		}
		d = append(d, DiffWord{Op: op, Gold: w, Out: o.Words[k], GoldMark: g.Marks[i], OutMark: o.Marks[k],
			ParaStart: goldStart[i], OutParaStart: outStart[k]})
		j = k + 1
	}
	extra(j, len(o.Words))
	return d
}
