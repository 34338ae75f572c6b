package stages

import (
	"testing"

	"github.com/emend/emend/dictionaries"
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

func FuzzFootnotes(f *testing.F) {
	addLineStageFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		fuzzLineStage(t, footnotesSpec, data, kind)
	})
}
