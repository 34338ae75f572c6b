package stages

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

// odsSpec: ODS tags are read after the characters are normalized.
var odsSpec = lineStageSpec{
	before: func(*dictionaries.Set) []pipeline.Stage { return []pipeline.Stage{&Normalizer{}} },
	stage:  func(*dictionaries.Set) pipeline.Stage { return &ODSTags{} },
	kinds:  []pipeline.RepairKind{pipeline.RepairTag, pipeline.RepairFurniture},
}

func TestODSTagsGolden(t *testing.T) { runTxtarCases(t, "ods", odsSpec) }

func TestODSTagsKeepsContent(t *testing.T) { checkContentSurvives(t, odsSpec) }

// TestODSJobNumber checks how the ODS job-number tag becomes the printed
// job number.
func TestODSJobNumber(t *testing.T) {
	tests := []struct {
		name, reason string
		tag          string
		want         string
	}{
		{"New York", "N0650523E: office letter N, the printed number 06-50523, language E",
			"N0650523E", "06-50523"},
		{"Geneva", "documents issued in Geneva carry G",
			"G1707712E", "17-07712"},
		{"French original", "the language letter need not be E",
			"N1813579F", "18-13579"},
		{"already printed form", "some exports carry the number as printed; it is kept as it is",
			"18-18142", "18-18142"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "[DU1]\nThe General Assembly,\n<<ODS JOB NO>>" + tt.tag + "<<ODS JOB NO>>\n"
			doc, err := input.Read("t.txt", []byte(text), pipeline.KindODS)
			if err != nil {
				t.Fatal(err)
			}
			if err := (&ODSTags{}).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, doc.Meta.JobNumber); diff != "" {
				t.Errorf("job number from %q: %s\n(-want +got):\n%s", tt.tag, tt.reason, diff)
			}
		})
	}
}

// TestODSTagsOnlyActsOnODS checks that text of other kinds is left alone
// even where it holds something that looks like an ODS mark.
func TestODSTagsOnlyActsOnODS(t *testing.T) {
	tests := []struct {
		name, reason string
		kind         pipeline.InputKind
		text         string
	}{
		{"pdftotext", "a citation in brackets is not an ODS mark outside an ODS export",
			pipeline.KindPDFText, "See document [DU1] of the Drafting Unit.\n1. Decides to remain seized of the matter.\n"},
		{"layout", "layout text has no tags to strip",
			pipeline.KindLayout, "     The General Assembly,\n     Recalling its resolution 72/3,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := input.Read("t.txt", []byte(tt.text), tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			want := renderLines(doc)
			if err := (&ODSTags{}).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, renderLines(doc)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tt.reason, diff)
			}
			if len(doc.Log) != 0 {
				t.Errorf("logged %d repairs on %s input, want none:\n%s", len(doc.Log), tt.kind, renderRepairs(doc.Log))
			}
		})
	}
}

func FuzzODSTags(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Add([]byte("[DU1]\nText[DU2] here\n<<ODS JOB NO>>N0650523E<<ODS JOB NO>>\n<<ODS DOC SYMBOL1>>A/RES/61/180<<ODS DOC SYMBOL1>>\n____\n4\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzLineStage(t, odsSpec, data, kind)
	})
}
