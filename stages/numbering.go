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
		number, numbered := numberedParaNumber(t)
		letters, lettered := letteredLetters(t)
		switch {
		case numbered:
			p.Kind = pipeline.ParaOperative
			num, _ := strconv.Atoi(number)
			p.Number = strconv.Itoa(num)
			expect = num + 1
		case lettered:
			p.Kind = pipeline.ParaSubparagraph
			p.Number = letters
		case isTitleLine(t):
			p.Kind = pipeline.ParaTitle
			n.titleMeta(doc, t)
		case isPlenary(t):
			p.Kind = pipeline.ParaClosing
			afterPlenary = true
			continue
		case afterPlenary && isCloseDate(t):
			p.Kind = pipeline.ParaClosing
		default:
			if _, ok := n.dict.PreambularOpener(t); ok {
				p.Kind = pipeline.ParaPreambular
				break
			}
			_, opener := n.dict.OperativeOpener(t)
			if n.operativeWithoutNumber(doc, i, expect, opener) {
				num, _ := strconv.Atoi(p.Number)
				expect = num + 1
				break
			}
			if opener {
				p.Kind = pipeline.ParaOperative
				break
			}
			p.Kind = pipeline.ParaBody
		}
		afterPlenary = false
	}
	return nil
}

// isTitleLine reports the paragraphs of the title block: the adoption
// line, the bracketed report note, the numbered title and the organ.
func isTitleLine(t string) bool {
	if _, _, ok := titleNumMatch(t); ok {
		return true
	}
	if _, _, ok := scAdoptedMatch(t); ok {
		return true
	}
	return strings.HasPrefix(t, "[") || isAdoptedBy(t) || isOrganLine(t) || isScTitle(t)
}

// operativeWithoutNumber repairs paragraph i when it is an operative
// paragraph whose number is displaced or misread, and the repaired number is
// the one the sequence expects. opener says whether the paragraph starts
// with an operative opener, as one whose number is displaced does.
func (n *Numbering) operativeWithoutNumber(doc *pipeline.Document, i, expect int, opener bool) bool {
	p := &doc.Paragraphs[i]
	t := p.Text
	want := strconv.Itoa(expect)
	// Misread number: "l. Decides", "3, Urges", "4 Welcomes".
	if prefix, got, ok := misreadNumberMatch(t); ok {
		rest := t[len(prefix):]
		switch got {
		case "l", "I", "|":
			got = "1"
		case "S":
			got = "5"
		case "B":
			got = "8"
		}
		if _, ok := n.dict.OperativeOpener(rest); ok && got == want && prefix != want+". " {
			fixed := want + ". " + rest
			n.record(doc, i, 0, len(prefix), t, fixed, "operative number misread as "+strconv.Quote(strings.TrimSpace(prefix)), 0.85)
			p.Text, p.Kind, p.Number = fixed, pipeline.ParaOperative, want
			return true
		}
	}
	if !opener {
		return false
	}
	for _, loc := range displacedIndexes(t) {
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
	if body, date, ok := adoptedByMatch(t); ok {
		if date != "" && doc.Meta.Adopted == "" {
			doc.Meta.Adopted = date
		}
		if doc.Meta.Body == "" {
			doc.Meta.Body = body
		}
	}
	if body, date, ok := scAdoptedMatch(t); ok {
		if doc.Meta.Adopted == "" {
			doc.Meta.Adopted = strings.TrimSuffix(date, ".")
		}
		if doc.Meta.Body == "" {
			doc.Meta.Body = body
		}
	}
	if _, title, ok := titleNumMatch(t); ok && doc.Meta.Title == "" {
		doc.Meta.Title = title
	}
}

// The matchers below are written out by hand from the regexps above, as in
// paragraphs.go, which also holds the pieces they share; the regexps remain
// the definition.

// numberedParaNumber is numberedPara.FindStringSubmatch(s)[1]: the "12" of
// "12. Decides".
func numberedParaNumber(s string) (string, bool) {
	n := paraNumberDot(s)
	if n == 0 || paraSpaces(s[n:]) == 0 {
		return "", false
	}
	return s[:n-1], true
}

// letteredLetters is lettered.FindStringSubmatch(s)[1]: the "b" of
// "(b) to".
func letteredLetters(s string) (string, bool) {
	n := paraLetterParen(s)
	if n == 0 || paraSpaces(s[n:]) == 0 {
		return "", false
	}
	return s[1 : n-1], true
}

// misreadNumberMatch is misreadNumber.FindStringSubmatch(s): the whole
// prefix ("3, ") and the number or the letter read for it ("3").
func misreadNumberMatch(s string) (prefix, number string, ok bool) {
	if s == "" {
		return "", "", false
	}
	i := 1
	if strings.IndexByte("lI|SB", s[0]) < 0 {
		i = paraDigits(s)
		if i == 0 || i > 3 {
			return "", "", false
		}
	}
	number = s[:i]
	if i < len(s) && (s[i] == ',' || s[i] == ':' || s[i] == ';') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
	}
	n := paraSpaces(s[i:])
	if n == 0 {
		return "", "", false
	}
	return s[:i+n], number, true
}

// scAdoptedMatch is scAdopted.FindStringSubmatch: the adopting body and the
// date. The body is the shortest that the rest of the line follows, as the
// lazy group takes.
func scAdoptedMatch(s string) (body, date string, ok bool) {
	r, found := strings.CutPrefix(s, "Adopted by the ")
	if !found || len(r) < 2 || !paraIsUpper(r[0]) {
		return "", "", false
	}
	for k := 2; k <= len(r) && paraLetterOrSpace(r[k-1]); k++ {
		if date, ok := scAdoptedTail(r[k:]); ok {
			return r[:k], date, true
		}
	}
	return "", "", false
}

// scAdoptedTail matches ` at its \d+(?:st|nd|rd|th) meeting, on (.+)$` and
// returns the date.
func scAdoptedTail(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, " at its ")
	if !ok {
		return "", false
	}
	d := paraDigits(rest)
	if d == 0 || len(rest) < d+2 {
		return "", false
	}
	switch rest[d : d+2] {
	case "st", "nd", "rd", "th":
	default:
		return "", false
	}
	date, ok := strings.CutPrefix(rest[d+2:], " meeting, on ")
	if !ok || date == "" || strings.IndexByte(date, '\n') >= 0 {
		return "", false
	}
	return date, true
}

// isScTitle is scTitle.MatchString: "Resolution 2334 (2016)".
func isScTitle(s string) bool {
	n := paraResolutionYear(s)
	return n > 0 && n == len(s)
}

// titleNumMatch is titleNum.FindStringSubmatch: the number and the title of
// "73/8. Improving the ...".
func titleNumMatch(s string) (number, title string, ok bool) {
	n := paraNumberedTitle(s)
	if n == 0 {
		return "", "", false
	}
	w := paraSpaces(s[n:])
	if w == 0 {
		return "", "", false
	}
	switch rest := s[n+w:]; {
	case rest != "":
		if strings.IndexByte(rest, '\n') >= 0 {
			return "", "", false
		}
		title = rest
	case w >= 2 && s[len(s)-1] != '\n':
		// Nothing follows the spaces: the title is the last of them, which
		// the greedy \s+ gives back so that (.+) has a character.
		title = s[len(s)-1:]
	default:
		return "", "", false
	}
	return s[:n-1], title, true
}

// displacedIndexes is displaced.FindAllStringSubmatchIndex(s, -1): each
// " 12. a" inside a paragraph, with the number and the letter after it.
func displacedIndexes(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		if i = tokenEnd(s, i); i == len(s) {
			break
		}
		num := s[i+1:]
		n := paraNumberDot(num)
		if n == 0 || n+1 >= len(num) || num[n] != ' ' || num[n+1] < 'a' || num[n+1] > 'z' {
			i++
			continue
		}
		end := i + 1 + n + 2
		out = append(out, []int{i, end, i + 1, i + n, end - 1, end})
		i = end
	}
	return out
}
