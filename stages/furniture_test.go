package stages

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// furnitureSpec: furniture is found on normalized text with the ODS markup
// gone, so that an ODS export's trailer is already out of the way.
var furnitureSpec = lineStageSpec{
	before: func(*dictionaries.Set) []pipeline.Stage {
		return []pipeline.Stage{&Normalizer{}, &ODSTags{}}
	},
	stage: func(d *dictionaries.Set) pipeline.Stage { return NewFurniture(d) },
	kinds: []pipeline.RepairKind{pipeline.RepairFurniture, pipeline.RepairJunk, pipeline.RepairSpelling},
}

func TestFurnitureGolden(t *testing.T) { runTxtarCases(t, "furniture", furnitureSpec) }

func TestFurnitureKeepsContent(t *testing.T) { checkContentSurvives(t, furnitureSpec) }

// TestFurnitureLine checks single lines set at the foot of page 2 of a
// three-page pdftotext document, under a line of body text: furniture goes,
// content stays.
func TestFurnitureLine(t *testing.T) {
	tests := []struct {
		name, reason string
		line         string
		removed      bool
	}{
		{"page of pages", "reports number pages \"2/14\"", "2/14", true},
		{"bare page number", "resolutions print the page number alone", "2", true},
		{"job number with language and date code", "pdftotext -layout keeps the print date beside the job number",
			"16-22345 (E)    261216", true},
		{"job number alone", "later pages carry the bare job number", "16-22345", true},
		{"barcode", "the job number as a barcode, between asterisks", "*1622345*", true},
		{"please recycle", "printed under the barcode on page 1 and sometimes on the last page", "Please recycle", true},
		{"print date code alone", "the date code may stand on its own line", "261216", true},
		{"viewer junk", "PDF viewers leave their prompts in copied text", "Select target paragraph3", true},
		{"barcode beside Please recycle", "pdftotext -layout sets the two side by side at the foot of the page",
			"*1622345*                                  Please recycle", true},
		{"symbol beside job number", "layout footers carry the symbol on one side and the job number on the other",
			"A/RES/71/199                                16-22345", true},
		{"number out of range", "a lone 40 at the foot of page 2 is not its page number", "40", false},
		{"closing date", "the date under the plenary meeting line is text", "20 December 2006", false},
		{"operative number", "a paragraph number alone is text", "4.", false},
		{"symbol with full stop", "a footnote citing a document ends with a full stop", "A/73/334.", false},
		{"sentence", "body text ending the page", "and decides to remain seized of the matter.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "A/RES/71/199\nThe General Assembly,\n\f" +
				"A/RES/71/199\nRecalling its resolutions on the subject,\n" + tt.line + "\n\f" +
				"A/RES/71/199\n1. Decides to remain seized of the matter.\n"
			doc, err := input.Read("t.txt", []byte(text), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			if err := furnitureSpec.stage(dictionaries.Default()).Apply(doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ln := range doc.Pages[1].Lines {
				got = append(got, ln.Text)
			}
			want := []string{"Recalling its resolutions on the subject,"}
			if !tt.removed {
				want = append(want, tt.line)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("page 2 with %q at its foot: %s\n(-want +got):\n%s", tt.line, tt.reason, diff)
			}
			if tt.removed {
				found := false
				for _, r := range doc.Log {
					if r.Pos.Page == 2 && r.Pos.Line == 3 && r.Before == tt.line && r.Kind != "" {
						found = true
					}
				}
				if !found {
					t.Errorf("no repair logged at page 2 line 3 for %q:\n%s", tt.line, renderRepairs(doc.Log))
				}
			}
		})
	}
}

// TestFurnitureMastheadNeedsTwoLines checks that a document that starts
// with its text is not taken for a masthead because one line looks like one.
func TestFurnitureMastheadNeedsTwoLines(t *testing.T) {
	tests := []struct {
		name, reason string
		text         string
	}{
		{"date before the adoption line", "a letter may open with its date; one masthead-like line is not a masthead",
			"3 May 2018\nThe Security Council,\nRecalling its resolutions,\n"},
		{"body name alone", "\"General Assembly\" alone at the top can be a heading of the text",
			"General Assembly\nThe General Assembly,\nRecalling its resolutions,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte(tt.text), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			want := renderLines(doc)
			if err := (pipeline.Pipeline{NewFurniture(dictionaries.Default())}).Run(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, renderLines(doc)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func FuzzFurniture(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Add([]byte("United Nations\nA/RES/1/1\nDistr.: General\n1 May 2000\nThe General Assembly,\n2\n\fA/RES/1/1\ntext\n2/3\n00-12345 (E)    010100\n*0012345*\nPlease recycle\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzLineStage(t, furnitureSpec, data, kind)
	})
}
