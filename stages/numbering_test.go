package stages_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

func TestNumberingGolden(t *testing.T) { paraGolden(t, "numbering", "numbering") }

// TestNumbering runs the stage alone over paragraphs given directly: each
// row is one decision about a paragraph's number or kind.
func TestNumbering(t *testing.T) {
	tests := []struct {
		name, reason string
		paras        []string
		want         []string // texts after the stage
		kinds        []string // as paraRenderKinds writes them
		adopted      string
		title        string
	}{
		{
			name:   "first paragraph without its full stop",
			reason: "\"1 Decides\" at the start of the first operative paragraph is number 1 with its full stop lost",
			paras:  []string{"The General Assembly,", "1 Decides to establish a working group;", "2. Requests the Secretary-General to report;"},
			want:   []string{"The General Assembly,", "1. Decides to establish a working group;", "2. Requests the Secretary-General to report;"},
			kinds:  []string{"title", "operative 1", "operative 2"},
		},
		{
			name:   "capital I read for the digit 1",
			reason: "\"I. Decides\" where the sequence expects 1 is the digit misread; an operative verb follows",
			paras:  []string{"I. Decides to establish a working group;", "2. Requests the Secretary-General to report;"},
			want:   []string{"1. Decides to establish a working group;", "2. Requests the Secretary-General to report;"},
			kinds:  []string{"operative 1", "operative 2"},
		},
		{
			name:   "a chapter heading is not a misread number",
			reason: "\"I. Introduction\" opens a report chapter; no operative verb follows the numeral",
			paras:  []string{"I. Introduction", "1. The present report is submitted pursuant to resolution 72/179."},
			want:   []string{"I. Introduction", "1. The present report is submitted pursuant to resolution 72/179."},
			kinds:  []string{"body", "operative 1"},
		},
		{
			name:   "a number the sequence does not expect is left as printed",
			reason: "after paragraph 1, \"7 Welcomes\" may be 2 misread or 7 with 2 to 6 lost: nothing says which, so the text stays",
			paras:  []string{"1. Decides to establish a working group;", "7 Welcomes the contributions of Member States;"},
			want:   []string{"1. Decides to establish a working group;", "7 Welcomes the contributions of Member States;"},
			kinds:  []string{"operative 1", "body"},
		},
		{
			name:   "displaced number that is not the next one",
			reason: "a number inside the paragraph moves to its start only when it is the one the sequence expects",
			paras:  []string{"1. Decides to establish a working group;", "Requests the Secretary-General to submit 5. annual reports;"},
			want:   []string{"1. Decides to establish a working group;", "Requests the Secretary-General to submit 5. annual reports;"},
			kinds:  []string{"operative 1", "operative"},
		},
		{
			name:   "displaced number moved back",
			reason: "\"Requests ... include 2. in his next report\": flattening moved number 2 to the end of the paragraph's first line",
			paras:  []string{"1. Decides to establish a working group;", "Requests the Secretary-General to include 2. in his next report a section on the question;"},
			want:   []string{"1. Decides to establish a working group;", "2. Requests the Secretary-General to include in his next report a section on the question;"},
			kinds:  []string{"operative 1", "operative 2"},
		},
		{
			name:   "operative paragraph that lost its number",
			reason: "an operative verb at the start still makes an operative paragraph when no number can be found for it",
			paras:  []string{"Decides to remain seized of the matter."},
			want:   []string{"Decides to remain seized of the matter."},
			kinds:  []string{"operative"},
		},
		{
			name:   "openers are capitalized",
			reason: "\"recalling\" in lower case continues a sentence; it is not a preambular paragraph",
			paras:  []string{"Recalling its resolution 72/179,", "recalling also its earlier resolutions,"},
			want:   []string{"Recalling its resolution 72/179,", "recalling also its earlier resolutions,"},
			kinds:  []string{"preambular", "body"},
		},
		{
			name:   "a date closes only after the plenary meeting line",
			reason: "the date under \"82nd plenary meeting\" is part of the closing; a date elsewhere is body text",
			paras:  []string{"20 December 2006", "3. Decides to remain seized of the matter.", "82nd plenary meeting", "20 December 2006"},
			want:   []string{"20 December 2006", "3. Decides to remain seized of the matter.", "82nd plenary meeting", "20 December 2006"},
			kinds:  []string{"body", "operative 3", "closing", "closing"},
		},
		{
			name:    "metadata from the title block",
			reason:  "the adoption date comes from the adoption line and the title from the numbered title, without its number",
			paras:   []string{"Resolution adopted by the General Assembly on 20 December 2006", "[on the report of the Third Committee (A/61/444)]", "61/180. Improving the coordination of efforts against trafficking in persons", "The General Assembly,"},
			want:    []string{"Resolution adopted by the General Assembly on 20 December 2006", "[on the report of the Third Committee (A/61/444)]", "61/180. Improving the coordination of efforts against trafficking in persons", "The General Assembly,"},
			kinds:   []string{"title", "title", "title", "title"},
			adopted: "20 December 2006",
			title:   "Improving the coordination of efforts against trafficking in persons",
		},
		{
			name:    "emergency special session numbering",
			reason:  "resolutions of emergency special sessions are numbered \"ES-11/1.\"; the title after the number is the title",
			paras:   []string{"Resolution adopted by the General Assembly on 2 March 2022", "ES-11/1. Aggression against Ukraine", "The General Assembly,"},
			want:    []string{"Resolution adopted by the General Assembly on 2 March 2022", "ES-11/1. Aggression against Ukraine", "The General Assembly,"},
			kinds:   []string{"title", "title", "title"},
			adopted: "2 March 2022",
			title:   "Aggression against Ukraine",
		},
	}
	dict := dictionaries.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := paraDoc(tt.paras)
			before := slices.Clone(doc.Paragraphs)
			paraRunChecked(t, tt.name, pipeline.Pipeline{stages.NewNumbering(dict)}, doc)
			if diff := cmp.Diff(tt.want, paraTexts(doc)); diff != "" {
				t.Errorf("%s\nwhy: %s\nparagraphs mismatch (-want +got):\n%s", tt.name, tt.reason, diff)
			}
			gotKinds := strings.Split(strings.TrimSuffix(paraRenderKinds(doc), "\n"), "\n")
			if diff := cmp.Diff(tt.kinds, gotKinds); diff != "" {
				t.Errorf("%s\nwhy: %s\nkinds mismatch (-want +got):\n%s", tt.name, tt.reason, diff)
			}
			if doc.Meta.Adopted != tt.adopted || doc.Meta.Title != tt.title {
				t.Errorf("%s: metadata adopted %q, title %q; want %q, %q", tt.name, doc.Meta.Adopted, doc.Meta.Title, tt.adopted, tt.title)
			}
			for _, msg := range numberingProblems(before, doc.Paragraphs) {
				t.Error(msg)
			}
			if msg := paraSecondRunDifference(doc, "numbering"); msg != "" {
				t.Error(msg)
			}
		})
	}
}

var (
	numberingLeadingNumber = regexp.MustCompile(`^(\d+)\.`)
	numberingLeadingLetter = regexp.MustCompile(`^\(([a-z]+)\)`)
)

// numberingProblems checks the stage's contract on each paragraph: it
// keeps the number of paragraphs; it changes a paragraph's text only to put
// its number in front ("N. "), taking out one token, the number as it was
// misread or displaced, and nothing else; and a paragraph's Number is the
// number its text begins with.
func numberingProblems(before, after []pipeline.Paragraph) []string {
	if len(before) != len(after) {
		return []string{"Numbering changed the number of paragraphs"}
	}
	var out []string
	for i := range after {
		p := after[i]
		if p.Text != before[i].Text {
			was, now := strings.Fields(before[i].Text), strings.Fields(p.Text)
			if len(now) == 0 || !numberingLeadingNumber.MatchString(now[0]) || len(was) != len(now) || !numberingOneTokenOut(was, now[1:]) {
				out = append(out, "paragraph "+strconv.Itoa(i)+" changed beyond its number:\n"+cmp.Diff(before[i].Text, p.Text))
			}
		}
		switch p.Kind {
		case pipeline.ParaOperative:
			if p.Number == "" {
				continue
			}
			m := numberingLeadingNumber.FindStringSubmatch(p.Text)
			n, _ := strconv.Atoi(p.Number)
			if m == nil {
				out = append(out, "operative paragraph "+strconv.Itoa(i)+" has Number "+p.Number+" but its text does not begin with a number: "+p.Text)
			} else if k, _ := strconv.Atoi(m[1]); k != n {
				out = append(out, "operative paragraph "+strconv.Itoa(i)+" has Number "+p.Number+" but its text begins with "+m[0])
			}
		case pipeline.ParaSubparagraph:
			if m := numberingLeadingLetter.FindStringSubmatch(p.Text); m == nil || m[1] != p.Number {
				out = append(out, "sub-paragraph "+strconv.Itoa(i)+" has Number "+p.Number+" but begins "+p.Text)
			}
		default:
			if p.Number != "" {
				out = append(out, "paragraph "+strconv.Itoa(i)+" of kind "+string(p.Kind)+" has Number "+p.Number)
			}
		}
	}
	return out
}

// numberingOneTokenOut reports whether rest is was with one token taken out.
func numberingOneTokenOut(was, rest []string) bool {
	if len(was) != len(rest)+1 {
		return false
	}
	for k := range was {
		if slices.Equal(was[:k], rest[:k]) && slices.Equal(was[k+1:], rest[k:]) {
			return true
		}
	}
	return false
}

// FuzzNumbering checks, on any input, that the stage gives every paragraph
// a kind, keeps numbers and texts in agreement, and changes a text only by
// putting its number back in front.
func FuzzNumbering(f *testing.F) {
	paraAddFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		before, after := paraFuzzThrough(t, data, kind, "numbering")
		if after == nil {
			return
		}
		for _, msg := range numberingProblems(before.Paragraphs, after.Paragraphs) {
			t.Error(msg)
		}
		if msg := paraSecondRunDifference(after, "numbering"); msg != "" {
			t.Error(msg)
		}
	})
}
