package stages

import (
	"strings"
	"testing"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// checkSplitCounts holds what splitDoc counts and filters to the
// Vocabulary of the same paragraphs: the count of every word it has, and
// the twice filter passing every word it counts twice or more.
func checkSplitCounts(t *testing.T, name string, doc *pipeline.Document) {
	t.Helper()
	want := NewVocabulary(doc)
	d := new(splitDoc)
	d.index(dictionaries.Default(), doc)
	for _, table := range []struct {
		ids    *stringIDs
		counts []int
		count  func(string) int
	}{
		{&want.words, want.wordCounts, d.Count},
		{&want.hyphenated, want.hyCounts, d.HyphenCount},
	} {
		start := int32(0)
		for id, end := range table.ids.ends {
			w := string(table.ids.text[start:end])
			start = end
			if got := table.count(w); got != table.counts[id] {
				t.Errorf("%s: count of %q = %d, Vocabulary says %d", name, w, got, table.counts[id])
			}
			if table.counts[id] >= 2 && !d.twice.has(polyHash(w)) {
				t.Errorf("%s: %q is counted %d times but not in the twice filter", name, w, table.counts[id])
			}
		}
	}
	for _, w := range []string{"", "zzzzq", "non-governmental", "the"} {
		if d.Count(w) != want.Count(w) || d.HyphenCount(w) != want.HyphenCount(w) {
			t.Errorf("%s: counts of %q differ from Vocabulary's", name, w)
		}
	}
}

func TestSplitCountsOnInputs(t *testing.T) {
	// The paragraphs as SplitWords sees them.
	for p, doc := range inputsBefore(t, "splitwords") {
		checkSplitCounts(t, p, doc)
	}
}

func FuzzSplitCounts(f *testing.F) {
	for _, s := range []string{
		"Non-governmental organizations and non-governmental ones; NON-GOVERNMENTAL (non-governmental)1",
		"ÉTAT état États, état- -état ÉTAT ÉTAT",
		"\u212Aey key KEY keys' key's",
		strings.Repeat("a", 70) + " " + strings.Repeat("A", 70) + " " + strings.Repeat("a", 70) + ".",
		"İstanbul İSTANBUL istanbul  two  spaces",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := &pipeline.Document{}
		for p := range strings.SplitSeq(s, "\n") {
			doc.Paragraphs = append(doc.Paragraphs, pipeline.Paragraph{Text: p})
		}
		checkSplitCounts(t, "fuzz", doc)
	})
}
