package stages

import (
	"iter"
	"strings"
	"testing"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// checkHyphenCounts holds the counts newHyphenCounts keeps for the words
// it expects questions about to those of NewVocabulary on the same lines.
func checkHyphenCounts(t *testing.T, name string, doc *pipeline.Document) {
	t.Helper()
	var order []lineRef
	for pi := range doc.Pages {
		for li := range doc.Pages[pi].Lines {
			order = append(order, lineRef{pi, li})
		}
	}
	want := NewVocabulary(doc)
	got, ok := newHyphenCounts(doc, order).(*hyphenCounts)
	if !ok {
		t.Fatalf("%s: newHyphenCounts of a document without paragraphs is not a *hyphenCounts", name)
	}
	for w, id := range got.ids {
		wantN := want.Count(w)
		if strings.IndexByte(w, '-') > 0 {
			wantN = want.HyphenCount(w)
		}
		if got.counts[id] != wantN {
			t.Errorf("%s: count of %q = %d, NewVocabulary says %d", name, w, got.counts[id], wantN)
		}
	}
	if got.all != nil {
		t.Errorf("%s: counting the expected words built the whole vocabulary", name)
	}
	// A word it was not told to expect is counted from the same lines.
	for _, w := range []string{"the", "united", "non-governmental", "zzzz"} {
		if got.Count(w) != want.Count(w) || got.HyphenCount(w) != want.HyphenCount(w) {
			t.Errorf("%s: counts of the unexpected word %q differ from NewVocabulary's", name, w)
		}
	}
}

func TestHyphenCountsOnInputs(t *testing.T) {
	// The lines as the dehyphenator sees them.
	for p, doc := range inputsBefore(t, "dehyphenate") {
		if len(doc.Paragraphs) == 0 {
			checkHyphenCounts(t, p, doc)
		}
	}
}

// inputsBefore yields each test input (the seeds and, when it is beside
// the module, the corpus) by path, read and repaired by the stages of the
// chain before the one named stage.
func inputsBefore(t *testing.T, stage string) iter.Seq2[string, *pipeline.Document] {
	t.Helper()
	texts := testInputs(t, "../testdata/seeds/*/input.txt", "../../shared/corpus/*/*.txt")
	chain := Chain(dictionaries.Default())
	return func(yield func(string, *pipeline.Document) bool) {
		for p, text := range texts {
			doc, err := input.Read(p, []byte(text), "")
			if err != nil {
				continue // an empty input is refused, and is tested elsewhere
			}
			for _, s := range chain {
				if s.Name() == stage {
					break
				}
				if err := s.Apply(doc); err != nil {
					t.Fatal(err)
				}
			}
			if !yield(p, doc) {
				return
			}
		}
	}
}

func FuzzHyphenCounts(f *testing.F) {
	for _, s := range []string{
		"non-\ngovernmental organi-\nzations and Non-Governmental NON-GOVERNMENTAL",
		"ÉTAT é-\ntat États, état état- -état",
		"Secretary-\nGeneral Secretary-General's secretarygeneral (Secretary-General)1",
		strings.Repeat("a", 70) + "-\n" + strings.Repeat("b", 10) + " " + strings.Repeat("A", 70) + strings.Repeat("b", 10),
		"İstanbul-\nİ İi-\ni ii",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := &pipeline.Document{Pages: []pipeline.Page{{Number: 1}}}
		for ln := range strings.Lines(s) {
			doc.Pages[0].Lines = append(doc.Pages[0].Lines, pipeline.Line{Text: strings.TrimSuffix(ln, "\n")})
		}
		checkHyphenCounts(t, "fuzz", doc)
	})
}
