package pipeline

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// refDoc has references at offset 0, in the middle, after multi-byte text
// and at the very end, given out of order, and three footnotes.
func refDoc() *Document {
	title := "Comité contre la torture"
	return &Document{
		Source: "A-RES-61-180.txt",
		Kind:   KindPDFText,
		Meta:   Metadata{Symbol: "A/RES/61/180", JobNumber: "06-50523"},
		Paragraphs: []Paragraph{
			{Kind: ParaBody, Text: "Ibid.", Refs: []Ref{{Offset: 0, Number: 1}}, Page: 1, Line: 1},
			{Kind: ParaPreambular, Text: "Recalling the Convention and the " + title + ",",
				Refs: []Ref{{Offset: len("Recalling the Convention and the " + title + ","), Number: 3}, {Offset: len("Recalling the Convention"), Number: 2}},
				Page: 1, Line: 3},
			{Kind: ParaOperative, Number: "1", Text: "1. Urges Member States;", Page: 2, Line: 1},
		},
		Footnotes: []Footnote{
			{Number: 1, Text: "United Nations, Treaty Series, vol. 2225.", Page: 1, Refs: []RefSource{{Paragraph: 0, Offset: 0}}},
			{Number: 2, Text: "Ibid., vol. 2237.", Refs: []RefSource{{Paragraph: 1, Offset: 24}}},
			{Number: 10, Text: "A/61/444."},
		},
		Log: []Repair{{Stage: "markers", Kind: RepairMarker, Before: "Convention2", After: "Convention[^2]", Reason: "digit glued to an instrument name", Confidence: 0.9, Pos: Position{Page: 1, Line: 3, Paragraph: 1, Start: 14, End: 25}}},
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name, reason string
		doc          *Document
		want         string
	}{
		{"references", "at offset 0, sorted by offset, after multi-byte text and at the end",
			refDoc(),
			"[^1]Ibid.\n\n" +
				"Recalling the Convention[^2] and the Comité contre la torture,[^3]\n\n" +
				"1. Urges Member States;\n\n" +
				"[^1]: United Nations, Treaty Series, vol. 2225.\n[^2]: Ibid., vol. 2237.\n[^10]: A/61/444.\n"},
		{"empty", "a document with nothing left renders as nothing", &Document{}, ""},
		{"no footnotes", "paragraphs only, one newline at the end",
			&Document{Paragraphs: []Paragraph{{Text: "a"}, {Text: "b"}}}, "a\n\nb\n"},
		{"footnotes only", "definitions without a body",
			&Document{Footnotes: []Footnote{{Number: 1, Text: "x"}}}, "[^1]: x\n"},
		{"two refs at one offset", "two markers after the same word keep their order",
			&Document{Paragraphs: []Paragraph{{Text: "Crime,", Refs: []Ref{{Offset: 6, Number: 1}, {Offset: 6, Number: 2}}}}}, "Crime,[^1][^2]\n"},
		{"ref past the end", "an offset beyond the text is dropped rather than panicking",
			&Document{Paragraphs: []Paragraph{{Text: "abc", Refs: []Ref{{Offset: 4, Number: 1}}}}}, "abc\n"},
	}
	for _, tt := range tests {
		got := string(Markdown(tt.doc))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Markdown (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
		if b, _ := Render(tt.doc, FormatMarkdown); string(b) != got {
			t.Errorf("%s: Render(md) differs from Markdown", tt.name)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, reason string
		doc          *Document
		want         string
	}{
		{"references", "superscript digits where Markdown has [^N]; definitions after a rule",
			refDoc(),
			"¹Ibid.\n\n" +
				"Recalling the Convention² and the Comité contre la torture,³\n\n" +
				"1. Urges Member States;\n\n" +
				"__________\n¹ United Nations, Treaty Series, vol. 2225.\n² Ibid., vol. 2237.\n¹⁰ A/61/444.\n"},
		{"empty", "nothing to write", &Document{}, ""},
		{"no footnotes", "no rule without footnotes",
			&Document{Paragraphs: []Paragraph{{Text: "a"}, {Text: "b"}}}, "a\n\nb\n"},
	}
	for _, tt := range tests {
		got := string(PlainText(tt.doc))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: PlainText (%s) (-want +got):\n%s", tt.name, tt.reason, diff)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: invalid UTF-8", tt.name)
		}
	}
}

func TestSuperscript(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "⁰"}, {1, "¹"}, {2, "²"}, {3, "³"}, {4, "⁴"}, {9, "⁹"}, {10, "¹⁰"}, {123, "¹²³"}, {4567890, "⁴⁵⁶⁷⁸⁹⁰"},
	}
	for _, tt := range tests {
		if got := Superscript(tt.n); got != tt.want {
			t.Errorf("Superscript(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestJSON(t *testing.T) {
	b, err := JSON(refDoc())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), "}\n") {
		t.Error("JSON output does not end with a newline")
	}
	var got struct {
		Source     string
		Kind       string `json:"input_kind"`
		Metadata   Metadata
		Paragraphs []struct {
			Kind, Number, Text, Markdown string
			Refs                         []struct{ Offset, Number int }
			Page, Line                   int
		}
		Footnotes []struct {
			Number int
			Text   string
			Page   int
			Refs   []struct{ Paragraph, Offset int }
		}
		Repairs []Repair
		Counts  map[string]int `json:"repair_counts"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if got.Source != "A-RES-61-180.txt" || got.Kind != "pdftext" || got.Metadata.Symbol != "A/RES/61/180" || got.Metadata.JobNumber != "06-50523" {
		t.Errorf("source, kind or metadata lost: %+v", got)
	}
	if len(got.Paragraphs) != 3 || got.Paragraphs[2].Kind != "operative" || got.Paragraphs[2].Number != "1" || got.Paragraphs[1].Page != 1 || got.Paragraphs[1].Line != 3 {
		t.Fatalf("paragraphs: %+v", got.Paragraphs)
	}
	p := got.Paragraphs[1]
	if p.Markdown != "Recalling the Convention[^2] and the Comité contre la torture,[^3]" {
		t.Errorf("markdown field %q", p.Markdown)
	}
	// Offsets are byte offsets into the UTF-8 text: the last reference
	// stands after the multi-byte "é", at the end of the text.
	if len(p.Refs) != 2 || p.Refs[0].Offset != len(p.Text) || p.Refs[0].Number != 3 || p.Text[:p.Refs[1].Offset] != "Recalling the Convention" {
		t.Errorf("refs %+v of %q", p.Refs, p.Text)
	}
	if r := got.Paragraphs[0].Refs; len(r) != 1 || r[0].Offset != 0 {
		t.Errorf("ref at offset 0: %+v", r)
	}
	if len(got.Footnotes) != 3 || got.Footnotes[1].Refs[0].Paragraph != 1 || got.Footnotes[1].Refs[0].Offset != 24 || got.Footnotes[0].Page != 1 {
		t.Errorf("footnotes: %+v", got.Footnotes)
	}
	if got.Footnotes[2].Refs == nil {
		t.Error("a footnote without references must have refs: [], not null")
	}
	if len(got.Repairs) != 1 || got.Repairs[0].Pos.Paragraph != 1 || got.Counts["marker"] != 1 {
		t.Errorf("repairs %+v counts %v", got.Repairs, got.Counts)
	}

	empty, err := JSON(&Document{})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"paragraphs": []`, `"footnotes": []`, `"repairs": []`} {
		if !strings.Contains(string(empty), key) {
			t.Errorf("empty document: want %s, not null:\n%s", key, empty)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
		ext  string
	}{
		{"md", FormatMarkdown, true, ".md"},
		{"Markdown", FormatMarkdown, true, ".md"},
		{"text", FormatText, true, ".txt"},
		{"txt", FormatText, true, ".txt"},
		{"plain", FormatText, true, ".txt"},
		{"JSON", FormatJSON, true, ".json"},
		{"docx", "", false, ""},
		{"", "", false, ""},
	}
	for _, tt := range tests {
		got, ok := ParseFormat(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && got.Ext() != tt.ext {
			t.Errorf("%q.Ext() = %q, want %q", got, got.Ext(), tt.ext)
		}
	}
}
