package stages

// Parts of the furniture stage rewritten to allocate less, held to the
// code as first written (kept here as the reference) on every test input
// and on random documents.

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
)

func repeatedEdgeLinesRef(doc *pipeline.Document) map[string]bool {
	out := map[string]bool{}
	if len(doc.Pages) < 3 {
		return out
	}
	count := map[string]*int{}
	var seen []*int
	for _, p := range doc.Pages {
		seen = seen[:0]
		for li := range p.Lines {
			if li >= 3 && li < len(p.Lines)-3 {
				continue
			}
			key := norm1(p.Lines[li].Text)
			if len(key) < 4 {
				continue
			}
			n := count[key]
			if n == nil {
				n = new(int)
				count[key] = n
			} else if slices.Contains(seen, n) {
				continue
			}
			seen = append(seen, n)
			*n++
		}
	}
	for k, n := range count {
		if *n >= 2 && *n*2 >= len(doc.Pages) {
			out[k] = true
		}
	}
	return out
}

func titleCoversRef(doc *pipeline.Document, t string) bool {
	if len(doc.Pages) == 0 {
		return false
	}
	var parts []string
	lines := doc.Pages[0].Lines
	for li, ln := range lines {
		title, ok := resolutionTitle(ln.Text)
		if !ok {
			continue
		}
		parts = append(parts, title)
		for _, next := range lines[li+1:] {
			if strings.HasPrefix(next.Text, "The ") && strings.HasSuffix(next.Text, ",") {
				break
			}
			parts = append(parts, next.Text)
			if len(parts) > 6 {
				break
			}
		}
		break
	}
	if len(parts) == 0 {
		return false
	}
	ts := map[string]bool{}
	for _, w := range strings.Fields(strings.Join(parts, " ")) {
		ts[strings.Trim(w, ",.;:")] = true
	}
	ws := strings.Fields(t)
	if len(ws) < 3 {
		return false
	}
	for _, w := range ws {
		if !ts[strings.Trim(w, ",.;:")] {
			return false
		}
	}
	return true
}

func checkFurnitureDoc(t *testing.T, doc *pipeline.Document) {
	t.Helper()
	got := repeatedEdgeLines(doc).keys
	if got == nil {
		got = map[string]bool{}
	}
	if diff := cmp.Diff(repeatedEdgeLinesRef(doc), got); diff != "" {
		t.Fatalf("repeatedEdgeLines (-want +got):\n%s", diff)
	}
	title := titleWords(doc)
	for _, p := range doc.Pages {
		for _, ln := range p.Lines {
			if want, got := titleCoversRef(doc, ln.Text), title.covers(ln.Text); want != got {
				t.Fatalf("title covers %q = %v, want %v", ln.Text, got, want)
			}
		}
	}
}

func TestFurnitureAsBeforeOnInputs(t *testing.T) {
	for p, text := range testInputs(t, "../testdata/seeds/*/input.txt", "../../shared/corpus/*/*.txt") {
		doc, err := input.Read(p, []byte(text), "")
		if err != nil {
			continue
		}
		checkFurnitureDoc(t, doc)
	}
}

func TestFurnitureAsBeforeOnRandomDocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lines := []string{"A/RES/61/180", "06-50523", "2", "3", "12/14", "Improving the coordination", "of efforts against",
		"61/180. Improving the coordination of efforts", "trafficking in persons", "The General Assembly,", "Recalling",
		"é  ü", "1 2 3 4", "ab", "abcd", "a b c d", "  x y  ", "\xff\xfe"}
	for range 3000 {
		doc := &pipeline.Document{}
		for pi := range rng.IntN(8) {
			page := pipeline.Page{Number: pi + 1}
			for range rng.IntN(10) {
				page.Lines = append(page.Lines, pipeline.Line{Text: lines[rng.IntN(len(lines))]})
			}
			doc.Pages = append(doc.Pages, page)
		}
		checkFurnitureDoc(t, doc)
	}
}

// TestMastheadShapesOnRandomLines holds the written-out masthead shapes to
// their regexps on lines built from the pieces those regexps are made of,
// denser in near misses than the footer pieces are.
func TestMastheadShapesOnRandomLines(t *testing.T) {
	pieces := []string{"Agenda item", "s", " ", " ", "  ", "\t", "\n", "\v", "5", "12", "(a)", "(", ")", ".", ",", " and ", "é", "x", "_",
		"Distr", ".", ":", "General", "Limited", "Restricted", "Sixty", "-", "first", "First", "1999", "2006", "session", "special ", "regular",
		"Resolution", "Decision", " adopted by", "[on the report", "[without reference", "The ", "General Assembly", "Council", "Commission",
		"Conference", "Adopted by the ", "61/180.", "ES-11/1.", "A", "/", " (2016)", "Resolution 2334",
		"Distr.:", "Distr:", "Distr.: ", "Distr. ", "Sixty-first", " session", "Agenda item ", "Agenda items ", "8 March 2007", " March ",
		"May", "1", "–", "1-2 May 2006", "4 May", " 2006"}
	rng := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	for range 200000 {
		b.Reset()
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		for _, c := range []struct {
			name      string
			want, got bool
		}{
			{"isBodyStart", bodyStart.MatchString(s), isBodyStart(s)},
			{"isMastSession", mastSession.MatchString(s), isMastSession(s)},
			{"isMastAgenda", mastAgenda.MatchString(s), isMastAgenda(s)},
			{"isMastDistr", mastDistr.MatchString(s), isMastDistr(s)},
			{"isMastDate", mastDate.MatchString(s), isMastDate(s)},
			{"isMastDateRange", mastDateRange.MatchString(s), isMastDateRange(s)},
		} {
			if c.want != c.got {
				t.Fatalf("%s(%q) = %v, the regexp says %v", c.name, s, c.got, c.want)
			}
		}
		if m := mastAgenda.FindStringSubmatch(s); m != nil {
			if got, _ := mastAgendaItem(s); got != m[1] {
				t.Fatalf("mastAgendaItem(%q) = %q, want %q", s, got, m[1])
			}
		}
		if m := mastDistr.FindStringSubmatch(s); m != nil {
			if got, _ := mastDistribution(s); got != m[1] {
				t.Fatalf("mastDistribution(%q) = %q, want %q", s, got, m[1])
			}
		}
	}
}
