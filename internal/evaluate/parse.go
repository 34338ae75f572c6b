package evaluate

import (
	"regexp"
	"strings"
)

// The expressions are the shared scorer's, character for character: what
// counts as a paragraph break, a footnote reference and a footnote
// definition is part of the metric, and any drift would make emend eval and
// ../shared/bin/score disagree.
var (
	// blockBreak separates paragraphs: a blank line, which may hold spaces
	// or tabs but nothing else.
	blockBreak = regexp.MustCompile(`\n[ \t]*\n`)
	// definition is a footnote definition line "[^N]: text", recognized only
	// after the line is trimmed, wherever it stands in the document.
	definition = regexp.MustCompile(`^\[\^([0-9]+)\]:\s*(.*)$`)
	// reference is a footnote marker "[^N]" in body text.
	reference = regexp.MustCompile(`\[\^([0-9]+)\]`)
)

// typography folds the characters that PDF layers and OCR render in several
// ways into one spelling each, so that they cost nothing in CER and WER.
// It is a byte-level strings.Replacer, as in the scorer, rather than a
// rune mapper: a rune mapper would turn every invalid byte into U+FFFD and
// make words equal that the scorer holds different.
var typography = strings.NewReplacer(
	"“", "\"", "”", "\"", "‘", "'", "’", "'",
	"–", "-", "—", "-",
	"\u00a0", " ", "\t", " ",
)

// markOpen and markClose bracket a footnote number while the body is split
// into words. Brackets that cannot be spaces keep "word[^1]" a single field
// for strings.Fields.
const (
	markOpen  = "\x01"
	markClose = "\x02"
)

// parsed is one Markdown document as the metrics see it.
type parsed struct {
	// Words are the body words in reading order, typography folded and
	// footnote markers removed.
	Words []string
	// Marks[i] is the number of the footnote marker attached to Words[i],
	// or "" when it has none.
	Marks []string
	// Starts are the indexes in Words where a paragraph begins, ascending
	// and without repeats. A paragraph that contributes no word (only a
	// marker, which attaches to the word before it) shares its index with
	// the next paragraph, or stands at len(Words) when it is the last.
	Starts []int
	// Notes maps a footnote number to its definition text, folded and with
	// whitespace collapsed. A later definition of the same number wins.
	Notes map[string]string
	// Text is the body words joined by single spaces: the string CER is
	// measured on.
	Text string
}

// parse reads a document the way the scorer does. Every step below mirrors
// one in ../shared/score/score.go, including its accidents; they are noted
// where a reader would not expect them.
func parse(src string) parsed {
	d := parsed{Notes: map[string]string{}}
	var paras []string
	for _, block := range blockBreak.Split(strings.ReplaceAll(src, "\r", ""), -1) {
		var body []string
		for _, line := range strings.Split(block, "\n") {
			if m := definition.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				d.Notes[m[1]] = strings.Join(strings.Fields(typography.Replace(m[2])), " ")
				continue
			}
			body = append(body, line)
		}
		// Lines of one block join into one paragraph. strings.TrimSpace
		// also trims Unicode spaces such as NBSP, before folding.
		if p := strings.TrimSpace(strings.Join(body, " ")); p != "" {
			paras = append(paras, p)
		}
	}
	for _, p := range paras {
		if n := len(d.Words); len(d.Starts) == 0 || d.Starts[len(d.Starts)-1] != n {
			d.Starts = append(d.Starts, n)
		}
		p = reference.ReplaceAllString(typography.Replace(p), markOpen+"$1"+markClose)
		for _, f := range strings.Fields(p) {
			word, mark, ok := splitMark(f)
			if ok && word == "" {
				// A marker standing alone after a space ("word [^1]")
				// belongs to the word before it, replacing any marker that
				// word had. Before the first word it is dropped.
				if len(d.Words) > 0 {
					d.Marks[len(d.Marks)-1] = mark
				}
				continue
			}
			if ok {
				// Only the first marker of a field is kept. Removing it
				// can leave a new "[^N]" behind ("[^[^2]1]" becomes
				// "[^1]"), which is deleted, and the open brackets of any
				// further markers are dropped, leaving their numbers and
				// close brackets glued to the word.
				word = strings.ReplaceAll(reference.ReplaceAllString(word, ""), markOpen, "")
			}
			if word == "" {
				// The marker is lost with its word.
				continue
			}
			d.Words = append(d.Words, word)
			d.Marks = append(d.Marks, mark)
		}
	}
	// Join and split again rather than only join: cutting a marker out of
	// a field can join the bytes on either side into a new rune, and that
	// rune can be a space.
	d.Text = strings.Join(strings.Fields(strings.Join(d.Words, " ")), " ")
	return d
}

// splitMark cuts the first bracketed marker out of a field. ok reports
// whether the field held one; a field without markOpen is returned as is.
//
// The brackets can also come from the document itself, which may hold the
// control bytes \x01 and \x02. A markClose standing before the first
// markOpen makes the scorer panic; here such a field is plain text, cleaned
// as a field with a marker would be, and carries no marker.
func splitMark(f string) (word, mark string, ok bool) {
	i := strings.Index(f, markOpen)
	if i < 0 {
		return f, "", false
	}
	j := strings.Index(f, markClose)
	if j < i {
		return strings.ReplaceAll(reference.ReplaceAllString(f, ""), markOpen, ""), "", false
	}
	return f[:i] + f[j+1:], f[i+1 : j], true
}
