package input

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/pipeline"
)

func TestReadMarkdown(t *testing.T) {
	type P = pipeline.Paragraph
	type F = pipeline.Footnote
	tests := []struct {
		name, reason string
		in           string
		paras        []P
		notes        []F
	}{
		{"emend output", "paragraphs between blank lines, definitions at the end; references stay in the text for the marker stage",
			markdownSnippet,
			[]P{
				{Text: "Recalling further the United Nations Convention against Transnational Organized Crime[^1] and the Protocol to Prevent, Suppress and Punish Trafficking in Persons,[^2]", Page: 1, Line: 1},
				{Text: "1. Urges Member States to ratify the Convention.", Page: 1, Line: 3},
			},
			[]F{{Number: 1, Text: "United Nations, Treaty Series, vol. 2225, No. 39574."}, {Number: 2, Text: "Ibid., vol. 2237, No. 39574."}}},
		{"wrapped paragraph", "a hand-edited file may wrap lines; they join with one space",
			"Recalling its resolution\n  61/180 of 20 December 2006,\n\nAlso recalling\n",
			[]P{{Text: "Recalling its resolution 61/180 of 20 December 2006,", Page: 1, Line: 1}, {Text: "Also recalling", Page: 1, Line: 4}},
			nil},
		{"blank line with spaces", "a line of spaces and tabs separates paragraphs too",
			"one\n \t\ntwo\n",
			[]P{{Text: "one", Page: 1, Line: 1}, {Text: "two", Page: 1, Line: 3}},
			nil},
		{"several blank lines", "Line counts every blank line",
			"one\n\n\n\ntwo\n",
			[]P{{Text: "one", Page: 1, Line: 1}, {Text: "two", Page: 1, Line: 5}},
			nil},
		{"CRLF", "Markdown saved on Windows",
			"one\r\n\r\ntwo\r\n\r\n[^1]: A note.\r\n",
			[]P{{Text: "one", Page: 1, Line: 1}, {Text: "two", Page: 1, Line: 3}},
			[]F{{Number: 1, Text: "A note."}}},
		{"definition inside a block", "a definition line is taken out of the paragraph it stands in",
			"Recalling the Convention[^3]\n[^3]: United Nations, Treaty Series.\n",
			[]P{{Text: "Recalling the Convention[^3]", Page: 1, Line: 1}},
			[]F{{Number: 3, Text: "United Nations, Treaty Series."}}},
		{"definition spacing", "runs of spaces in a definition collapse; the number may have several digits",
			"[^12]:   Ibid.,\t vol.  2237.\n",
			nil,
			[]F{{Number: 12, Text: "Ibid., vol. 2237."}}},
		{"no space after colon", "[^1]:text is still a definition",
			"[^1]:text\n",
			nil,
			[]F{{Number: 1, Text: "text"}}},
		{"reference that is no definition", "[^1] at the start of a line without a colon is body text",
			"[^1] opens this line\n",
			[]P{{Text: "[^1] opens this line", Page: 1, Line: 1}},
			nil},
		{"empty definition", "a definition with no text is kept with empty text",
			"body\n\n[^4]:\n",
			[]P{{Text: "body", Page: 1, Line: 1}},
			[]F{{Number: 4, Text: ""}}},
	}
	for _, tt := range tests {
		doc := &pipeline.Document{Kind: pipeline.KindMarkdown}
		ReadMarkdown(doc, tt.in)
		if diff := cmp.Diff(tt.paras, doc.Paragraphs); diff != "" {
			t.Errorf("%s: paragraphs (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
		if diff := cmp.Diff(tt.notes, doc.Footnotes); diff != "" {
			t.Errorf("%s: footnotes (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
		if doc.Pages != nil {
			t.Errorf("%s: Markdown makes no pages, got %d", tt.name, len(doc.Pages))
		}
	}
}

// TestMarkdownRoundTrip renders a document and reads it back: the same
// paragraphs (with references written in) and footnotes.
func TestMarkdownRoundTrip(t *testing.T) {
	doc := &pipeline.Document{
		Paragraphs: []pipeline.Paragraph{
			{Text: "Recalling the Convention and the Protocol,", Refs: []pipeline.Ref{{Offset: 24, Number: 1}, {Offset: 42, Number: 2}}},
			{Text: "1. Urges Member States to ratify the Comité’s texts;"},
		},
		Footnotes: []pipeline.Footnote{{Number: 1, Text: "United Nations, Treaty Series, vol. 2225."}, {Number: 2, Text: "Ibid., vol. 2237."}},
	}
	md := pipeline.Markdown(doc)
	back := &pipeline.Document{}
	ReadMarkdown(back, string(md))
	want := []string{"Recalling the Convention[^1] and the Protocol,[^2]", "1. Urges Member States to ratify the Comité’s texts;"}
	var got []string
	for _, p := range back.Paragraphs {
		got = append(got, p.Text)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paragraphs read back (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(doc.Footnotes, back.Footnotes); diff != "" {
		t.Errorf("footnotes read back (-want +got):\n%s", diff)
	}
	if Detect(string(md)) != pipeline.KindMarkdown {
		t.Errorf("rendered Markdown detected as %q:\n%s", Detect(string(md)), md)
	}
}
