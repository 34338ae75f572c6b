package stages

import (
	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Chain returns the text-repair stages in the order they must run: line
// stages first (characters, tags, furniture, footnote blocks, line-end
// hyphens), then paragraph building, then paragraph stages. Markers run
// last because they take glyphs out of the text and record offsets that no
// later stage may shift.
func Chain(dict *dictionaries.Set) pipeline.Pipeline {
	return pipeline.Pipeline{
		&Geometry{Dict: dict}, // first: it rewrites line text from the words
		&Normalizer{},
		&ODSTags{},
		NewFurniture(dict),
		NewFootnotes(dict),
		NewDehyphenator(dict),
		NewParagraphs(dict),
		&Citations{},
		NewSplitWords(dict),
		NewNumbering(dict),
		NewMarkers(dict),
	}
}
