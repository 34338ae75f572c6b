package stages

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// dehyphenateSpec: line-end hyphens are undone last among the line stages,
// once furniture and footnote blocks are out from between the two halves of
// a word. The stage carries the rest of a word up to the line with the
// hyphen and logs the join there.
var dehyphenateSpec = lineStageSpec{
	before: func(d *dictionaries.Set) []pipeline.Stage {
		return []pipeline.Stage{&Normalizer{}, &ODSTags{}, NewFurniture(d), NewFootnotes(d)}
	},
	stage:     func(d *dictionaries.Set) pipeline.Stage { return NewDehyphenator(d) },
	kinds:     []pipeline.RepairKind{pipeline.RepairHyphen},
	carriesUp: true,
}

func TestDehyphenatorGolden(t *testing.T) { runTxtarCases(t, "dehyphenate", dehyphenateSpec) }

func TestDehyphenatorKeepsContent(t *testing.T) { checkContentSurvives(t, dehyphenateSpec) }

// TestDehyphenatorLineEnd checks the decision for one word broken at a
// line end, in a document that does not write the word anywhere else, so
// the dictionaries and the shape of the parts decide.
func TestDehyphenatorLineEnd(t *testing.T) {
	tests := []struct {
		name, reason string
		upper, lower string // the two lines as the reader gets them
		want         string // the upper line after the stage
		wantLower    string // what is left of the lower line, "" if it went
	}{
		// Typesetting hyphens: the word was only split.
		{"organizations", "a plain word split by the typesetter",
			"relevant intergovernmental and regional organi-", "zations, and invites them",
			"relevant intergovernmental and regional organizations,", "and invites them"},
		{"month", "month names split like any word",
			"at its meeting held on 14 Decem-", "ber 2018,",
			"at its meeting held on 14 December", "2018,"},
		{"trafficking", "\"traffick\" and \"ing\" are not words of their own",
			"to prevent and combat traffick-", "ing in persons",
			"to prevent and combat trafficking", "in persons"},
		{"country name", "names of States are split too",
			"the Government of Mozam-", "bique for its cooperation",
			"the Government of Mozambique", "for its cooperation"},
		{"cooperation", "the UN writes \"cooperation\" although \"co-\" is a prefix it hyphenates elsewhere",
			"international co-", "operation in criminal matters",
			"international cooperation", "in criminal matters"},
		{"word alone on the lower line", "the lower line is emptied and goes",
			"the Working Group on Contemporary Forms of Slav-", "ery,",
			"the Working Group on Contemporary Forms of Slavery,", ""},
		{"marker glued to the carried word", "a footnote number glued to the rest of the word goes up with it",
			"the Optional Protocol on the sale of children, child pornog-", "raphy,3 the Convention",
			"the Optional Protocol on the sale of children, child pornography,3", "the Convention"},

		// Compounds: the hyphen is part of the word.
		{"non-governmental", "UN spelling keeps the hyphen after \"non\"",
			"intergovernmental and non-", "governmental organizations",
			"intergovernmental and non-governmental", "organizations"},
		{"Secretary-General", "a title the UN always hyphenates",
			"Requests the Secretary-", "General to submit a report",
			"Requests the Secretary-General", "to submit a report"},
		{"ordinal number", "compound numbers keep their hyphen",
			"at its seventy-", "fourth session",
			"at its seventy-fourth", "session"},
		{"capacity-building", "a UN compound from the term list",
			"technical assistance and capacity-", "building for States",
			"technical assistance and capacity-building", "for States"},
		{"layout space before the hyphen", "pdftotext -layout leaves \"post -\" at the line end",
			"in conflict and post -", "conflict societies",
			"in conflict and post-conflict", "societies"},
		{"two words that do not join", "\"drought\" and \"prone\" are words and \"droughtprone\" is not",
			"in arid and drought-", "prone areas",
			"in arid and drought-prone", "areas"},
		{"prefix before a month", "\"mid-December\": a prefix before a capitalized word",
			"to be held in mid-", "December 2019",
			"to be held in mid-December", "2019"},
		{"compound of capitalized words", "\"South-South\" cooperation",
			"North-South, South-", "South and triangular cooperation",
			"North-South, South-South", "and triangular cooperation"},

		// Not line-end hyphens.
		{"em dash", "a dash at the line end is punctuation, not a break in a word",
			"the situation—", "which remains grave—",
			"the situation—", "which remains grave—"},
		{"double hyphen", "\"--\" stands for a dash in plain text",
			"the situation --", "which remains grave",
			"the situation --", "which remains grave"},
	}
	dict := dictionaries.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "The General Assembly,\n" + tt.upper + "\n" + tt.lower + "\nDecides to remain seized of the matter.\n"
			doc, err := input.Read("t.txt", []byte(text), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			if err := NewDehyphenator(dict).Apply(doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ln := range doc.Pages[0].Lines {
				got = append(got, ln.Text)
			}
			want := []string{"The General Assembly,", tt.want}
			if tt.wantLower != "" {
				want = append(want, tt.wantLower)
			}
			want = append(want, "Decides to remain seized of the matter.")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%q / %q: %s\n(-want +got):\n%s", tt.upper, tt.lower, tt.reason, diff)
			}
			if tt.want == tt.upper {
				if len(doc.Log) != 0 {
					t.Errorf("logged a join where none was made:\n%s", renderRepairs(doc.Log))
				}
				return
			}
			if len(doc.Log) != 1 {
				t.Fatalf("logged %d repairs, want 1:\n%s", len(doc.Log), renderRepairs(doc.Log))
			}
			r := doc.Log[0]
			if r.Pos.Page != 1 || r.Pos.Line != 2 {
				t.Errorf("repair at page %d line %d, want page 1 line 2 (the line with the hyphen)", r.Pos.Page, r.Pos.Line)
			}
			if frag := lastWord(strings.TrimRight(strings.TrimSuffix(tt.upper, "-"), " ")); r.Pos.Start < 0 || !strings.HasPrefix(tt.upper[r.Pos.Start:], frag) {
				t.Errorf("repair Start %d does not point at %q in %q", r.Pos.Start, frag, tt.upper)
			}
			if r.Reason == "" || r.Confidence <= 0 || r.Confidence > 1 {
				t.Errorf("repair %+v: want a reason and 0 < confidence <= 1", r)
			}
			if !strings.HasSuffix(tt.want, r.After) && !strings.Contains(tt.want, r.After) {
				t.Errorf("repair After %q is not in the joined line %q", r.After, tt.want)
			}
		})
	}
}

// TestDehyphenatorOnlyRemovesHyphensAndBreaks checks the stage's invariant
// on the golden cases: apart from hyphens and white space, the text is the
// same before and after.
func TestDehyphenatorOnlyRemovesHyphensAndBreaks(t *testing.T) {
	dict := dictionaries.Default()
	for _, seed := range lineStageFuzzSeeds(t) {
		doc, err := input.Read("seed.txt", seed, "")
		if err != nil {
			continue
		}
		before, stage := dehyphenateSpec.build(dict)
		if err := before.Run(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		was := textWithoutHyphensAndSpace(doc)
		if err := stage.Apply(doc); err != nil {
			t.Fatal(err)
		}
		if now := textWithoutHyphensAndSpace(doc); now != was {
			t.Errorf("dehyphenation changed more than hyphens and line breaks:\n%s", cmp.Diff(was, now))
		}
	}
}

// textWithoutHyphensAndSpace is every line of doc run together, with
// hyphens and white space taken out.
func textWithoutHyphensAndSpace(doc *pipeline.Document) string {
	var b strings.Builder
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			for _, r := range ln.Text {
				if r != '-' && !unicode.IsSpace(r) {
					b.WriteRune(r)
				}
			}
		}
	}
	return b.String()
}

func FuzzDehyphenator(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Add([]byte("organi-\nzations and non-\ngovernmental post -\nconflict Secretary-\nGeneral,2 traffick-\n\fA/RES/1/1\ning\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		before, after := fuzzLineStage(t, dehyphenateSpec, data, kind)
		if before == nil {
			return
		}
		if was, now := textWithoutHyphensAndSpace(before), textWithoutHyphensAndSpace(after); was != now {
			t.Fatalf("dehyphenation changed more than hyphens and line breaks:\n%s", cmp.Diff(was, now))
		}
	})
}
