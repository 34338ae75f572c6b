package stages

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// footnotesSpec: footnote blocks are found once the furniture around and
// inside them (job numbers, page numbers, ODS trailers) is gone.
var footnotesSpec = lineStageSpec{
	before: func(d *dictionaries.Set) []pipeline.Stage {
		return []pipeline.Stage{&Normalizer{}, &ODSTags{}, NewFurniture(d)}
	},
	stage: func(d *dictionaries.Set) pipeline.Stage { return NewFootnotes(d) },
	kinds: []pipeline.RepairKind{pipeline.RepairFootnote},
}

func TestFootnotesGolden(t *testing.T) { runTxtarCases(t, "footnotes", footnotesSpec) }

func TestFootnotesKeepsContent(t *testing.T) { checkContentSurvives(t, footnotesSpec) }

// TestFootnoteBlocks checks block shapes one at a time: each row is the foot
// of page 2 of a three-page document, under one line of body text.
func TestFootnoteBlocks(t *testing.T) {
	tests := []struct {
		name, reason string
		block        []string
		want         []string // "N: text"
	}{
		{"spaced numbers", "the plain shape: a number, a space, the text",
			[]string{"__________________", "1 Resolution 70/1.", "2 A/72/361."},
			[]string{"1: Resolution 70/1.", "2: A/72/361."}},
		{"dash rule", "some documents rule the block off with em dashes",
			[]string{"———", "1 Resolution 70/1."},
			[]string{"1: Resolution 70/1."}},
		{"number glued to an opening quote", "a definition may open with a quoted title",
			[]string{"__________________", "3“Trafficking in persons: global patterns”, United Nations Office on Drugs and Crime, 2006."},
			[]string{"3: “Trafficking in persons: global patterns”, United Nations Office on Drugs and Crime, 2006."}},
		{"number glued to a symbol", "\"4A/73/334.\": the label runs into the symbol's series letter",
			[]string{"__________________", "4A/73/334.", "5S/2018/462."},
			[]string{"4: A/73/334.", "5: S/2018/462."}},
		{"labels alone before texts", "pdftotext sets superscript numbers on lines of their own",
			[]string{"__________________", "7", "See E/CN.6/2018/3.", "8", "Ibid., para. 12."},
			[]string{"7: See E/CN.6/2018/3.", "8: Ibid., para. 12."}},
		{"labels alone after texts", "the numbers may all come after the texts",
			[]string{"__________________", "See E/CN.6/2018/3.", "Ibid., para. 12.", "7", "8"},
			[]string{"7: See E/CN.6/2018/3.", "8: Ibid., para. 12."}},
		{"text missing its number between two numbered ones", "the gap between 1 and 3 is 2",
			[]string{"__________________", "1 Resolution 55/25, annex I.", "Ibid., annex II.", "3 Ibid., annex III."},
			[]string{"1: Resolution 55/25, annex I.", "2: Ibid., annex II.", "3: Ibid., annex III."}},
		{"definition over two lines", "the text runs on until its full stop",
			[]string{"__________________", "1 Official Records of the General Assembly, Seventy-third Session, Supplement",
				"No. 10 (A/73/10), chap. IV.", "2 Resolution 70/1."},
			[]string{"1: Official Records of the General Assembly, Seventy-third Session, Supplement No. 10 (A/73/10), chap. IV.", "2: Resolution 70/1."}},
		{"page number after the block", "older resolutions print the page number under the block; it is furniture, not a label",
			[]string{"__________________", "1 Resolution 70/1.", "2 A/72/361.", "2"},
			[]string{"1: Resolution 70/1.", "2: A/72/361."}},
	}
	dict := dictionaries.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "Recalling its resolutions,1 and the report of the Secretary-General,2"
			text := "The General Assembly,\n\f" + body + "\n" + strings.Join(tt.block, "\n") + "\n\f1. Decides to remain seized of the matter.\n"
			doc, err := input.Read("t.txt", []byte(text), pipeline.KindPDFText)
			if err != nil {
				t.Fatal(err)
			}
			before, stage := footnotesSpec.build(dict)
			if err := append(before, stage).Run(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range doc.Footnotes {
				got = append(got, strconv.Itoa(f.Number)+": "+f.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			wantLines := "--- page 1 ---\nThe General Assembly,\n--- page 2 ---\n" + body + "\n--- page 3 ---\n1. Decides to remain seized of the matter.\n"
			if diff := cmp.Diff(wantLines, renderLines(doc)); diff != "" {
				t.Errorf("lines left (-want +got):\n%s", diff)
			}
			for _, f := range doc.Footnotes {
				if f.Page != 2 {
					t.Errorf("footnote %d: Page = %d, want 2", f.Number, f.Page)
				}
			}
		})
	}
}

func FuzzFootnotes(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzLineStage(t, footnotesSpec, data, kind)
	})
}
