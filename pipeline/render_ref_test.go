package pipeline

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// markdownRef is Markdown as first written, building each paragraph's
// text and sorting a copy of its references every time.
func markdownRef(doc *Document) []byte {
	withRefs := func(p Paragraph, ref func(n int) string) string {
		if len(p.Refs) == 0 {
			return p.Text
		}
		refs := append([]Ref(nil), p.Refs...)
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].Offset < refs[j].Offset })
		var b strings.Builder
		last := 0
		for _, r := range refs {
			if r.Offset < last || r.Offset > len(p.Text) {
				continue
			}
			b.WriteString(p.Text[last:r.Offset])
			b.WriteString(ref(r.Number))
			last = r.Offset
		}
		b.WriteString(p.Text[last:])
		return b.String()
	}
	var b strings.Builder
	for i, p := range doc.Paragraphs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(withRefs(p, func(n int) string { return "[^" + strconv.Itoa(n) + "]" }))
	}
	if len(doc.Footnotes) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		for i, f := range doc.Footnotes {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString("[^" + strconv.Itoa(f.Number) + "]: " + f.Text)
		}
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// TestMarkdownAsBefore holds Markdown to markdownRef on random documents:
// empty texts, references in and out of order, at equal offsets, beyond
// the text, and numbers of any size and sign.
func TestMarkdownAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "a", "Recalling the Convention,", "Comité contre la torture", "1. Urges;"}
	for range 20000 {
		doc := &Document{}
		for range rng.IntN(4) {
			p := Paragraph{Text: texts[rng.IntN(len(texts))] + texts[rng.IntN(len(texts))]}
			for range rng.IntN(5) {
				p.Refs = append(p.Refs, Ref{Offset: rng.IntN(len(p.Text)+3) - 1, Number: rng.IntN(20000) - 10})
			}
			doc.Paragraphs = append(doc.Paragraphs, p)
		}
		for range rng.IntN(3) {
			doc.Footnotes = append(doc.Footnotes, Footnote{Number: rng.IntN(200) - 1, Text: texts[rng.IntN(len(texts))]})
		}
		want, got := markdownRef(doc), Markdown(doc)
		if string(got) != string(want) {
			t.Fatalf("Markdown(%+v) = %q, want %q", doc, got, want)
		}
		if got == nil {
			t.Fatalf("Markdown(%+v) = nil, want an empty slice", doc)
		}
	}
}
