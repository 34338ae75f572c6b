package stages

import (
	"regexp"
	"strings"

	"github.com/emend/emend/pipeline"
)

// Citations restores the slash of resolution numbers in OCR text. UN texts
// cite a resolution as session/number followed by its date ("resolution
// 48/16 of 3 November 1993"), and Tesseract, on coarse scans, reads that
// slash as a space, a colon, a full stop, a quote or a degree sign ("48 16
// of 3 November 1993", "49:9 of", "56’9 of", "60°12 of"). The date after it
// makes the reading certain: nothing else in a UN text puts two numbers
// before "of <day> <Month> <year>". Text from other readers keeps its
// slashes and is left alone.
type Citations struct{}

var _ pipeline.Stage = (*Citations)(nil)

func (*Citations) Name() string { return "citations" }

// misreadCitation is a session number (two digits), a separator that is not
// a slash, a resolution number, and the date that follows a citation.
var misreadCitation = regexp.MustCompile(`\b(\d{2})(?: |:|\.|’|'|°|”|\|)(\d{1,3} of (\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}))\b`)

// numberOfDate reports whether s has a number, " of " and a digit, which
// every match of misreadCitation has: the expression has no literal
// prefix to find quickly, and most paragraphs hold no such citation.
func numberOfDate(s string) bool {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; ; {
		j := strings.Index(s[i:], " of ")
		if j < 0 {
			return false
		}
		j += i
		if j > 0 && digit(s[j-1]) && j+4 < len(s) && digit(s[j+4]) {
			return true
		}
		i = j + 1
	}
}

func (c *Citations) Apply(doc *pipeline.Document) error {
	if doc.Kind != pipeline.KindOCR {
		return nil
	}
	for pi := range doc.Paragraphs {
		p := &doc.Paragraphs[pi]
		if !numberOfDate(p.Text) {
			continue
		}
		locs := misreadCitation.FindAllStringSubmatchIndex(p.Text, -1)
		if locs == nil {
			continue
		}
		var b strings.Builder
		last := 0
		for _, l := range locs {
			b.WriteString(p.Text[last:l[0]])
			start := b.Len()
			// session, "/", number, " of ", date
			b.WriteString(p.Text[l[2]:l[3]])
			b.WriteByte('/')
			b.WriteString(p.Text[l[4]:l[1]])
			last = l[1]
			doc.Record(pipeline.Repair{
				Stage: c.Name(), Kind: pipeline.RepairSpelling, Before: p.Text[l[0]:l[1]],
				After:      b.String()[start:],
				Reason:     "resolution number before its date, with the slash OCR misread",
				Confidence: 0.9, Pos: doc.ParaPos(pi, start, b.Len()),
			})
		}
		b.WriteString(p.Text[last:])
		p.Text = b.String()
	}
	return nil
}
