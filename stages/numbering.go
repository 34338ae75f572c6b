package stages

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// Numbering gives each paragraph its kind (title, preambular, operative,
// sub-paragraph, closing, body) and repairs operative numbering: a number
// that flattening displaced into the middle of its paragraph ("between
// Member States 1. and relevant") goes back to the start, and OCR misreads
// of the number ("l. Decides", "3, Urges") are corrected when the sequence
// confirms them. It also reads the adoption date and title into metadata.
type Numbering struct {
	dict *dictionaries.Set
}

var _ pipeline.Stage = (*Numbering)(nil)

func NewNumbering(dict *dictionaries.Set) *Numbering { return &Numbering{dict: dict} }

func (*Numbering) Name() string { return "numbering" }

var (
	numberedPara  = regexp.MustCompile(`^(\d{1,3})\.\s+`)
	lettered      = regexp.MustCompile(`^\(([a-z]{1,4})\)\s+`)
	misreadNumber = regexp.MustCompile(`^([lI|SB]|\d{1,3})[,:;]?\.?\s+`)
	// scAdopted is the Security Council's adoption line.
	scAdopted = regexp.MustCompile(`^Adopted by the ([A-Z][A-Za-z ]+?) at its \d+(?:st|nd|rd|th) meeting, on (.+)$`)
	scTitle   = regexp.MustCompile(`^Resolution \d+ \(\d{4}\)$`)
	displaced = regexp.MustCompile(` (\d{1,3})\. ([a-z])`)
	titleNum  = regexp.MustCompile(`^((?:[A-Z]+-)?\d+/\d+)\.\s+(.+)$`)
)

func (n *Numbering) Apply(doc *pipeline.Document) error {
	expect := 1 // the next operative number
	afterPlenary := false
	for i := range doc.Paragraphs {
		p := &doc.Paragraphs[i]
		t := p.Text
		// The first byte rules out most patterns before they run.
		var c0 byte
		if t != "" {
			c0 = t[0]
		}
		digit := c0 >= '0' && c0 <= '9'
		switch {
		case digit && numberedPara.MatchString(t):
			p.Kind = pipeline.ParaOperative
			num, _ := strconv.Atoi(numberedPara.FindStringSubmatch(t)[1])
			p.Number = strconv.Itoa(num)
			expect = num + 1
		case c0 == '(' && lettered.MatchString(t):
			p.Kind = pipeline.ParaSubparagraph
			p.Number = lettered.FindStringSubmatch(t)[1]
		case (c0 == 'R' || c0 == 'D') && adoptedBy.MatchString(t) || c0 == '[' ||
			(digit || c0 >= 'A' && c0 <= 'Z' && strings.IndexByte(t, '-') > 0) && titleNum.MatchString(t) ||
			c0 == 'T' && organLine.MatchString(t) ||
			c0 == 'A' && scAdopted.MatchString(t) || c0 == 'R' && scTitle.MatchString(t):
			p.Kind = pipeline.ParaTitle
			n.titleMeta(doc, t)
		case digit && plenary.MatchString(t):
			p.Kind = pipeline.ParaClosing
			afterPlenary = true
			continue
		case afterPlenary && digit && closeDate.MatchString(t):
			p.Kind = pipeline.ParaClosing
		default:
			if _, ok := n.dict.PreambularOpener(t); ok {
				p.Kind = pipeline.ParaPreambular
				break
			}
			if n.operativeWithoutNumber(doc, i, expect) {
				num, _ := strconv.Atoi(p.Number)
				expect = num + 1
				break
			}
			if _, ok := n.dict.OperativeOpener(t); ok {
				p.Kind = pipeline.ParaOperative
				break
			}
			p.Kind = pipeline.ParaBody
		}
		afterPlenary = false
	}
	return nil
}

// operativeWithoutNumber repairs paragraph i when it is an operative
// paragraph whose number is displaced or misread, and the repaired number is
// the one the sequence expects.
func (n *Numbering) operativeWithoutNumber(doc *pipeline.Document, i, expect int) bool {
	p := &doc.Paragraphs[i]
	t := p.Text
	want := strconv.Itoa(expect)
	// Misread number: "l. Decides", "3, Urges", "4 Welcomes".
	if m := misreadNumber.FindStringSubmatch(t); m != nil {
		rest := t[len(m[0]):]
		got := m[1]
		switch got {
		case "l", "I", "|":
			got = "1"
		case "S":
			got = "5"
		case "B":
			got = "8"
		}
		if _, ok := n.dict.OperativeOpener(rest); ok && got == want && m[0] != want+". " {
			fixed := want + ". " + rest
			n.record(doc, i, 0, len(m[0]), t, fixed, "operative number misread as "+strconv.Quote(strings.TrimSpace(m[0])), 0.85)
			p.Text, p.Kind, p.Number = fixed, pipeline.ParaOperative, want
			return true
		}
	}
	if _, ok := n.dict.OperativeOpener(t); !ok {
		return false
	}
	for _, loc := range displaced.FindAllStringSubmatchIndex(t, -1) {
		if t[loc[2]:loc[3]] != want {
			continue
		}
		fixed := want + ". " + t[:loc[0]] + " " + t[loc[3]+2:]
		n.record(doc, i, loc[0], loc[3]+1, t, fixed, "operative number "+want+" displaced into its paragraph; moved back to the start", 0.9)
		p.Text, p.Kind, p.Number = fixed, pipeline.ParaOperative, want
		return true
	}
	return false
}

func (n *Numbering) record(doc *pipeline.Document, i, start, end int, before, after, why string, conf float64) {
	doc.Record(pipeline.Repair{
		Stage: n.Name(), Kind: pipeline.RepairNumbering, Before: before, After: after,
		Reason: why, Confidence: conf, Pos: doc.ParaPos(i, start, end),
	})
}

// titleMeta reads the adoption date and the title from title-block
// paragraphs.
func (n *Numbering) titleMeta(doc *pipeline.Document, t string) {
	if m := adoptedBy.FindStringSubmatch(t); m != nil {
		if m[2] != "" && doc.Meta.Adopted == "" {
			doc.Meta.Adopted = m[2]
		}
		if doc.Meta.Body == "" {
			doc.Meta.Body = m[1]
		}
	}
	if m := scAdopted.FindStringSubmatch(t); m != nil {
		if doc.Meta.Adopted == "" {
			doc.Meta.Adopted = strings.TrimSuffix(m[2], ".")
		}
		if doc.Meta.Body == "" {
			doc.Meta.Body = m[1]
		}
	}
	if m := titleNum.FindStringSubmatch(t); m != nil && doc.Meta.Title == "" {
		doc.Meta.Title = m[2]
	}
}
