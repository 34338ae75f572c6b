package stages_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

// TestMarkersGolden runs the whole chain: markers are found last, once
// paragraphs and footnote definitions exist.
func TestMarkersGolden(t *testing.T) { paraGolden(t, "markers", "markers") }

// markersDoc builds a document of paragraphs and footnote definitions, as
// the stages before the marker stage leave it.
func markersDoc(paras []string, defs []int) *pipeline.Document {
	doc := paraDoc(paras)
	for _, n := range defs {
		doc.Footnotes = append(doc.Footnotes, pipeline.Footnote{Number: n, Text: "Definition of footnote " + strings.Repeat("I", n%4+1) + "."})
	}
	return doc
}

// markersRun runs the marker stage alone over doc and checks its log, its
// references and that it only took marker characters out of the text.
func markersRun(t *testing.T, name string, doc *pipeline.Document) {
	t.Helper()
	before := paraSnap(doc)
	paraRunChecked(t, name, pipeline.Pipeline{stages.NewMarkers(dictionaries.Default())}, doc)
	for _, msg := range paraDocumentProblems(doc, false) {
		t.Errorf("%s: %s", name, msg)
	}
	for _, msg := range markersRemovedOnlyMarkers(before.paras, doc.Paragraphs) {
		t.Errorf("%s: %s", name, msg)
	}
}

// markersBody renders the paragraphs of doc as Markdown, without the
// definitions.
func markersBody(doc *pipeline.Document) string {
	return string(pipeline.Markdown(&pipeline.Document{Paragraphs: doc.Paragraphs}))
}

// TestMarkersRealNumbers checks numbers and glyphs that belong to the text.
// Each row follows a paragraph with a real marker 1, and the definitions go
// up to 2, so a careless stage is tempted to make a marker 2 of the number
// in the row.
func TestMarkersRealNumbers(t *testing.T) {
	tests := []struct{ name, reason, text string }{
		{"resolution symbol", "\"2006/27\" is Economic and Social Council resolution 2006/27", "Recalling Economic and Social Council resolution 2006/27 of 27 July 2006,"},
		{"article number", "\"article 32\" cites an article", "Welcoming the progress made in accordance with article 32 of the Convention,"},
		{"decision numbers", "\"16 (LVI) and 17 (LVI)\" are Economic and Social Council decisions", "in accordance with Council decisions 16 (LVI) and 17 (LVI) of 17 May 1974,"},
		{"date", "\"on 1 August 1975\": a day of the month before its month", "Recalling the Final Act signed at Helsinki on 1 August 1975,"},
		{"document symbol", "\"A/HRC/Sub.1/58/25\" is one symbol, with \"Sub.1\" inside it", "Taking note of the report of the Working Group (A/HRC/Sub.1/58/25),"},
		{"treaty series reference", "\"vol. 2171, No. 27531\": a volume and a registration number", "as published in United Nations, Treaty Series, vol. 2171, No. 27531,"},
		{"list of paragraphs", "\"paragraphs 3, 4 and 5\": after a listed number a comma and a number continue the list", "Recalling paragraphs 3, 4 and 5 of its resolution 60/1,"},
		{"Group of 77", "\"Group of 77\" is a name", "Noting the statement of the Group of 77 and China,"},
		{"acronym with digits", "\"G77\" is a name, not a word with a marker", "Noting the position of the G77 on climate change,"},
		{"percentage", "\"2 per cent\" is a quantity", "Noting that at least 2 per cent of the budget is allocated,"},
		{"possessive plural", "\"States’ obligations\": the apostrophe of a plural possessive", "Recalling the Member States’ obligations under international law,"},
		{"quoted title", "the closing quote of a title that was opened is a quotation mark", "Recalling the report entitled “Migration in 2019” and its recommendations,"},
		{"addendum", "\"Add.1\" numbers an addendum", "Taking note of document E/CN.4/2006/62 and Add.1,"},
		{"range of days", "\"from 5 to 12 December\": the start of a range", "Welcoming the meeting held from 5 to 12 December 2019,"},
		{"years", "a year before \"and\" is a year", "Noting the reports for 2015 and 2016 and the plans for 2030,"},
		{"protocol number", "\"Protocol No. 2\" is a name", "Recalling Protocol No. 2 to the Convention,"},
		{"chapter and section", "\"section 2\" is a division of a text", "Recalling chapter II, section 2, of the report,"},
		{"age", "\"aged 15 and over\" is an age", "Noting that women aged 15 and over are affected,"},
		{"amount", "\"US$ 2 billion\" is an amount", "Welcoming pledges of US$ 2 billion to the Fund,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := "Recalling the Convention on the Rights of the Child,1"
			doc := markersDoc([]string{first, tt.text}, []int{1, 2})
			markersRun(t, tt.name, doc)
			want := "Recalling the Convention on the Rights of the Child,[^1]\n\n" + tt.text + "\n"
			if diff := cmp.Diff(want, markersBody(doc)); diff != "" {
				t.Errorf("%s\nwhy it is no marker: %s\n(-want +got):\n%s", tt.name, tt.reason, diff)
			}
		})
	}
}

// TestMarkers checks forms of markers and how they are numbered, over
// paragraphs and definitions given directly.
func TestMarkers(t *testing.T) {
	tests := []struct {
		name, reason string
		paras        []string
		defs         []int
		want         string // the paragraphs as Markdown, without definitions
	}{
		{
			name:   "a run of superscript digits is one number",
			reason: "\"¹⁰\" is footnote 10, after nine others",
			paras:  []string{"Recalling the first Protocol,¹ the second Protocol,² the third Protocol,³ the fourth Protocol,⁴ the fifth Protocol,⁵ the sixth Protocol,⁶ the seventh Protocol,⁷ the eighth Protocol,⁸ the ninth Protocol,⁹ and the tenth Protocol,¹⁰"},
			defs:   []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			want:   "Recalling the first Protocol,[^1] the second Protocol,[^2] the third Protocol,[^3] the fourth Protocol,[^4] the fifth Protocol,[^5] the sixth Protocol,[^6] the seventh Protocol,[^7] the eighth Protocol,[^8] the ninth Protocol,[^9] and the tenth Protocol,[^10]\n",
		},
		{
			name:   "spaced marker loses its space",
			reason: "\"pornography 3 and\": the reference stands right after the word",
			paras:  []string{"Recalling the Convention on the Rights of the Child,1 the Optional Protocol thereto,2 and the Optional Protocol on the sale of children, child prostitution and child pornography 3 and other instruments,"},
			defs:   []int{1, 2, 3},
			want:   "Recalling the Convention on the Rights of the Child,[^1] the Optional Protocol thereto,[^2] and the Optional Protocol on the sale of children, child prostitution and child pornography[^3] and other instruments,\n",
		},
		{
			name:   "repeat after the same name",
			reason: "the second \"Crime,1\" repeats footnote 1 after the same instrument; it is not a new footnote",
			paras: []string{
				"Recalling the United Nations Convention against Transnational Organized Crime1 and the Protocol thereto,2",
				"1. Urges States to ratify the United Nations Convention against Transnational Organized Crime,1",
			},
			defs: []int{1, 2},
			want: "Recalling the United Nations Convention against Transnational Organized Crime[^1] and the Protocol thereto,[^2]\n\n1. Urges States to ratify the United Nations Convention against Transnational Organized Crime,[^1]\n",
		},
		{
			name:   "glyph numbered by the sequence",
			reason: "an OCR glyph carries no digit: the same ® stands for 3 and 7, and \"™\" after nine references is number 10",
			paras:  []string{"Recalling the first Protocol,’ the second Protocol,? the third Protocol,® the fourth Protocol,” the fifth Protocol,* the sixth Protocol,° the seventh Protocol,® the eighth Protocol,” the ninth Protocol,* and the tenth Protocol,™"},
			defs:   []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			want:   "Recalling the first Protocol,[^1] the second Protocol,[^2] the third Protocol,[^3] the fourth Protocol,[^4] the fifth Protocol,[^5] the sixth Protocol,[^6] the seventh Protocol,[^7] the eighth Protocol,[^8] the ninth Protocol,[^9] and the tenth Protocol,[^10]\n",
		},
		{
			name:   "a paragraph number is not a marker",
			reason: "the first token of a paragraph is its number",
			paras:  []string{"Recalling the Convention,1", "2 Decides to remain seized of the matter."},
			defs:   []int{1, 2},
			want:   "Recalling the Convention,[^1]\n\n2 Decides to remain seized of the matter.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := markersDoc(tt.paras, tt.defs)
			markersRun(t, tt.name, doc)
			if diff := cmp.Diff(tt.want, markersBody(doc)); diff != "" {
				t.Errorf("%s\nwhy: %s\n(-want +got):\n%s", tt.name, tt.reason, diff)
			}
		})
	}
}

// markersGlyphs are the characters the marker stage may take out of a
// paragraph: digits, the space before a spaced marker, OCR's glyphs for
// superscripts, Unicode superscripts and the brackets of emend's [^N].
const markersGlyphs = "0123456789 ’'?®”\"™*°⁰¹²³⁴⁵⁶⁷⁸⁹[^]"

// markersRemovedOnlyMarkers checks that each paragraph's text after the
// stage is its text before with only marker characters taken out.
func markersRemovedOnlyMarkers(before, after []pipeline.Paragraph) []string {
	if len(before) != len(after) {
		return []string{"Markers changed the number of paragraphs"}
	}
	var out []string
	for i := range before {
		now := []rune(after[i].Text)
		// now must be a subsequence of was, and what is left over markers.
		j := 0
		var removed []rune
		for _, r := range before[i].Text {
			if j < len(now) && now[j] == r {
				j++
				continue
			}
			removed = append(removed, r)
		}
		if j != len(now) {
			out = append(out, "paragraph text is not the old text with characters taken out:\n"+cmp.Diff(before[i].Text, after[i].Text))
			continue
		}
		var bad []rune
		for _, r := range removed {
			if !strings.ContainsRune(markersGlyphs, r) {
				bad = append(bad, r)
			}
		}
		if len(bad) > 0 {
			out = append(out, fmt.Sprintf("the marker stage took %q out of %q", string(bad), before[i].Text))
		}
	}
	return out
}

// FuzzMarkers runs the marker stage alone over paragraphs and definitions
// made from the fuzz input, and checks that it only takes marker characters
// out, that every reference sits inside its paragraph on a character
// boundary, and that footnotes and paragraphs agree on the references.
func FuzzMarkers(f *testing.F) {
	for _, s := range paraFuzzSeeds(f) {
		f.Add(s, uint8(1), uint8(4))
	}
	f.Add([]byte("Recalling the Convention,’ the Protocol thereto,? and the Covenant®\n\nReaffirming the Convention,’"), uint8(1), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, first, count uint8) {
		text := strings.ToValidUTF8(string(data), "\uFFFD")
		var paras []string
		for _, block := range strings.Split(text, "\n\n") {
			if p := strings.Join(strings.Fields(block), " "); p != "" {
				paras = append(paras, p)
			}
		}
		var defs []int
		for n := int(first%20) + 1; len(defs) < int(count%12); n++ {
			defs = append(defs, n)
		}
		markersRun(t, "fuzz", markersDoc(paras, defs))
	})
}

// FuzzChain runs the whole chain on any input and checks what a user relies
// on: no panic and no error, valid UTF-8 in every paragraph and footnote,
// references inside their paragraph on a character boundary, a repair log
// that says where each paragraph repair was made, and that cleaning the
// Markdown output again gives the same Markdown.
func FuzzChain(f *testing.F) {
	paraAddFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		_, doc := paraFuzzThrough(t, data, kind, "markers")
		if doc == nil {
			return
		}
		if msg := paraRecleanDifference(t, pipeline.Markdown(doc)); msg != "" {
			t.Fatal(msg)
		}
	})
}

// A reference or definition numbered beyond any document's notes is left
// as it stands. Numbering markers up to 999999999 once made the search
// allocate gigabytes and crash.
func TestMarkersHugeNumber(t *testing.T) {
	in := "Recalling its resolution 60/1,[^999999999] and the Charter of the United Nations,[^1]\n\n[^999999999]: A/RES/60/1.\n\n[^1]: See the Charter.\n"
	doc, err := input.Read("huge.md", []byte(in), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := stages.Chain(dictionaries.Default()).Run(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	got := string(pipeline.Markdown(doc))
	for _, want := range []string{"60/1,[^999999999] and", "United Nations,[^1]"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
