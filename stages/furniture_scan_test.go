package stages

// The furniture and footnote stages test many patterns on every line of a
// page, and in flattened text on lines of several thousand bytes. Some are
// written out by hand, some run their regexp only where a byte test says
// it can match, and some regexps run only on the part of a line a match
// can lie in. The regexps remain the definition: these tests hold each fast
// path to the answer of its regexp (or of the code as first written) over
// seeds, the test inputs' own lines, random footers and fuzzed text.

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
)

// scanSeeds are texts around the edges of the scanned patterns.
var scanSeeds = []string{
	"",
	"text 2 06-50523 (E) 101018 *0650523*",
	"end of page. 2/5 06-50523 (E)   the next page",
	"a 12 06-50523 (E) 101018 *0650523*\tb 18-16895 101018 c",
	"x 18-16895 (E)",
	"x 18-16895(E) 101018",
	"06-50523 (E)",
	" 06-50523 (E)",
	"é 06-50523 (E)é",
	"1 2 3 06-50523 06-50523 (F) 06-50523 (E) 06-50523 (E)",
	"AB 12 06-505231 (E) 101018 *123456* ",
	"text. _____ 1 Note. 2 Note.",
	"text.\t\n ________\f\r 1 Note.",
	"____ __ _____",
	"_____",
	"a ____x_____ b",
	"Distr.: General 4 May 2006 Sixty-first session Agenda item 5 text",
	"Select target paragraph3",
	"ſelect target paragraph",
	"United Nations A/RES/61/180 (2006) Distr.: General",
	"12 December 2006 Sixty-first session text",
	"Distr.: General", "4 May 2006", "Sixty-first session", "2006 substantive session", "Agenda item 5",
	"Agenda items 5 (a) and 6", "Original: English", "Items 70 (b) and 71 of the provisional agenda*",
	"Third Committee", "27–31 May 2006", "3 May-4 June 2006", "61/180. Improving", "ES-11/1. Title",
	"United Nations", "1 Resolution 55/25.", "5E/CN.4/2006/62", "® United Nations", "2 Ibid.", "Albid., p. 3",
}

// checkScanners runs every comparison on s.
func checkScanners(t *testing.T, s string) {
	t.Helper()
	if diff := cmp.Diff(trailingJob.FindStringSubmatchIndex(s), trailingJobIndex(s)); diff != "" {
		t.Fatalf("trailingJobIndex(%q) (-regexp +scan):\n%s", s, diff)
	}
	if diff := cmp.Diff(midFooter.FindAllStringSubmatchIndex(s, -1), midFooterIndexes(s)); diff != "" {
		t.Fatalf("midFooterIndexes(%q) (-regexp +scan):\n%s", s, diff)
	}
	if diff := cmp.Diff(ruleInline.FindStringIndex(s), ruleInlineIndex(s)); diff != "" {
		t.Fatalf("ruleInlineIndex(%q) (-regexp +scan):\n%s", s, diff)
	}
	checkFirstBytes(t, s)
	checkFurnitureShapes(t, s)
	checkFootnoteShapes(t, s)
}

func TestScannersOnSeeds(t *testing.T) {
	for _, s := range scanSeeds {
		checkScanners(t, s)
	}
}

// TestScannersOnInputs runs the comparisons on every line of the test
// inputs, and on each input whole, as a flattened page is one line.
func TestScannersOnInputs(t *testing.T) {
	for _, text := range testInputs(t, testInputPatterns...) {
		checkScanners(t, strings.Join(strings.Fields(text), " "))
		for line := range strings.Lines(text) {
			checkScanners(t, strings.TrimRight(line, "\n"))
		}
	}
}

func FuzzScanners(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkScanners(t, s)
	})
}

// scanPieces build random texts dense in footer shapes, which the fuzzer
// rarely reaches from bytes alone.
var scanPieces = []string{
	// White space, digits and footer items.
	" ", "  ", "   ", "    ", "\t", "\n", "\f", "\r", "\v", "\u00a0", "\u2003", "\u3000", "\u0085",
	strings.Repeat(" ", 80), "1", "2", "12", "123", "1234", "2006", "2/5", " 2/10 ", "/", "-", "–", "_", "_____", "___",
	"06-50523", "18-16895", "6-50523", "06-5052", "a06-50523", " 19-09876 ", "x06-50523 06-50523\t(F)", "é06-50523(E)",
	"(E)", " (E) ", "(e)", "(a)", "(", ")", "[", "]", "E", "101018", " 101018", "10101", "*0650523*", "*12345*", "*1234*", "*",
	// Letters, punctuation and bytes beyond ASCII.
	"a", "x", "A", "Sup", ".", ":", "\"", "“", "’", "'", "®", "”", "™", "°", ">", "¹", "⁴", "?", "é", "ſ", "\xff", "\xe2\x80",
	"Text.", "“Member States”", ", and ", "Mayor",
	// Symbols, mastheads and titles.
	"A/RES/61/180", " A/RES/61/180 ", "S/2006/1", " S/2006/1 ", "*A/74/50.", "61/180.", "S-", "ES-", "ES-11/1.",
	"United Nations", "General Assembly", "Human Rights Council", "Distr", "Distr.:", "Distr.: General", " General", "Limited",
	"4 May 2006", "January", "May", "December ", "Sixty", "Sixty-first", "session", " session",
	"Agenda item 5", "Agenda items ", "Item ", "Items ", " of the provisional agenda", "Original: ", "Original: English",
	"Third", " Committee", "Second Committee", "Resolution", "Resolution adopted by", "Resolution 2334 (2016)",
	"Decisions adopted by", "Adopted by the ", "The General Assembly", "[on the report", "[without reference",
	"Decision adopted by", "Resolutions adopted by", "Resolution 12 (2016)", "Resolution  (2016)", " (2016)", "The Council", "The Councils",
	"The Commission", "The Conference", "The Security Council", "The Human Rights Council_", "The Economic and Social Council",
	"Distr.", "Distr:", "Distr.:General", "Distr.: \tRestricted", "Restricted", "Agenda item", "Agenda items", " 5 (a), 6 and 7", "5 and 6 ",
	"(b)", "item", "-first", "-", "1999 ", "Fifty", "First ", "regular ", "special session", "sessions",
	// Viewer junk, recycling notes and footnote labels.
	"Select target paragraph", "click here to ", "Click here to read", "Page 2 of 3", "Please recycle", "Please rec",
	"Ibid.", "lbid.", "1bid.", "Tbid.", "|bid.",
	"—", "–", "——", "—–—", "-", "__", "_____", "Mayor", "May", "Mays", "May_", "May1", "March,", "Decembe", "June July",
}

func TestScannersOnRandomFooters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 10000 {
		b.Reset()
		for range rng.IntN(14) {
			b.WriteString(scanPieces[rng.IntN(len(scanPieces))])
		}
		checkScanners(t, b.String())
	}
}

// The regexps the written-out shapes stand for.
var (
	barcode     = regexp.MustCompile(`^\*\d{5,}\*$`)
	dateCode    = regexp.MustCompile(`^\d{6}$`)
	pageOfPages = regexp.MustCompile(`^(\d{1,3})/(\d{1,3})$`)
	loneNumber  = regexp.MustCompile(`^\d{1,3}$`)
	bareNum     = loneNumber
)

// isPageOfPagesRef is isPageOfPages as first written, on a line that
// matches pageOfPages.
func isPageOfPagesRef(t string) bool {
	m := pageOfPages.FindStringSubmatch(t)
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return a >= 1 && a <= b
}

// jobInline is what jobInlineMatch finds.
var jobInline = regexp.MustCompile(`\b(\d{2}-\d{5})(?:\s*\(([A-Z])\))?`)

// titleNumber is what resolutionTitle matches.
var titleNumber = regexp.MustCompile(`^(?:[A-Z]+-)?\d+/\d+\.\s*(.*)$`)

// jobNumber is what isJobNumber matches.
var jobNumber = regexp.MustCompile(`^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?$`)

// wideGap is what layoutChunks splits at.
var wideGap = regexp.MustCompile(` {3,}`)

// norm1 is what appendNorm1 appends.
func norm1(t string) string {
	var b strings.Builder
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			b.WriteByte('#')
		case r == ' ':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkFurnitureShapes checks the furniture stage's hand-written shapes
// and the byte tests before its regexps against the regexps.
func checkFurnitureShapes(t *testing.T, s string) {
	t.Helper()
	chunks := []string{s}
	if strings.Contains(s, "   ") {
		chunks = wideGap.Split(strings.TrimSpace(s), -1)
	}
	if diff := cmp.Diff(chunks, layoutChunks(s)); diff != "" {
		t.Fatalf("layoutChunks(%q) (-regexp +scan):\n%s", s, diff)
	}
	var wantJob, gotJob []string
	if m := jobInline.FindStringSubmatch(s); m != nil {
		wantJob = m[1:]
	}
	if job, lang, ok := jobInlineMatch(s); ok {
		gotJob = []string{job, lang}
	}
	if diff := cmp.Diff(wantJob, gotJob); diff != "" {
		t.Fatalf("jobInlineMatch(%q) (-regexp +scan):\n%s", s, diff)
	}
	var want []string
	if m := titleNumber.FindStringSubmatch(s); m != nil {
		want = m[1:]
	}
	if title, ok := resolutionTitle(s); ok != (want != nil) || ok && title != want[0] {
		t.Fatalf("resolutionTitle(%q) = %q, %v; want %q", s, title, ok, want)
	}
	if want, got := strings.Contains(s, "   "), hasWideGap(s); want != got {
		t.Fatalf("hasWideGap(%q) = %v, want %v", s, got, want)
	}
	if want, got := scanEdgeLines.keys[norm1(s)], scanEdgeLines.has(s); want != got {
		t.Fatalf("edgeLines.has(%q) = %v, want %v", s, got, want)
	}
	if want, got := norm1(s), string(appendNorm1([]byte("x"), s)); "x"+want != got {
		t.Fatalf("appendNorm1(%q) = %q, want %q", s, got, want)
	}
	for _, doc := range strictDocs {
		if want, got := strictRef(doc, s), scanFurniture.strict(doc, s); want != got {
			t.Fatalf("strict(%s, %q) = %q, want %q", doc.Kind, s, got, want)
		}
	}
	if want, got := footerTokensRef(scanFurniture, s), scanFurniture.footerTokens(s); want != got {
		t.Fatalf("footerTokens(%q) = %v, want %v", s, got, want)
	}
	for _, c := range []struct {
		name string
		re   *regexp.Regexp
		got  func(string) (string, bool)
	}{
		{"mastAgendaItem", mastAgenda, mastAgendaItem},
		{"mastDistribution", mastDistr, mastDistribution},
	} {
		var want []string
		if m := c.re.FindStringSubmatch(s); m != nil {
			want = m[1:2]
		}
		var got []string
		if g, ok := c.got(s); ok {
			got = []string{g}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s(%q) (-regexp +scan):\n%s", c.name, s, diff)
		}
	}
	for _, c := range []struct {
		name      string
		re        *regexp.Regexp
		want, got bool
	}{
		{"isJobNumber", jobNumber, jobNumber.MatchString(s), isJobNumber(s)},
		{"isOCRJobNumber", ocrJobNumber, ocrJobNumber.MatchString(s), isOCRJobNumber(s)},
		{"isBarcode", barcode, barcode.MatchString(s), isBarcode(s)},
		{"isDateCode", dateCode, dateCode.MatchString(s), isDateCode(s)},
		{"isLoneNumber", loneNumber, loneNumber.MatchString(s), isLoneNumber(s)},
		{"isPageOfPagesShape", pageOfPages, pageOfPages.MatchString(s), isPageOfPagesShape(s)},
		{"isPageOfPages", pageOfPages, pageOfPages.MatchString(s) && isPageOfPagesRef(s), isPageOfPages(s)},
		{"jobNumberAt", regexp.MustCompile(`\d{2}-\d{5}`), regexp.MustCompile(`\d{2}-\d{5}`).MatchString(s), jobNumberAt(s, 0) >= 0},
		{"gluedJob gate", gluedJob, gluedJob.MatchString(s), gluedJob.MatchString(s) && jobNumberAt(s, 0) >= 0},
		{"isBodyStart", bodyStart, bodyStart.MatchString(s), isBodyStart(s)},
		{"isBareJobNumber", jobInline, len(s) == 8 && jobInline.MatchString(s), isBareJobNumber(s)},
		{"isMastDistr", mastDistr, mastDistr.MatchString(s), isMastDistr(s)},
		{"isMastDate", mastDate, mastDate.MatchString(s), isMastDate(s)},
		{"isMastSession", mastSession, mastSession.MatchString(s), isMastSession(s)},
		{"isMastAgenda", mastAgenda, mastAgenda.MatchString(s), isMastAgenda(s)},
		{"isMastOriginal", mastOriginal, mastOriginal.MatchString(s), isMastOriginal(s)},
		{"isMastItem", mastItem, mastItem.MatchString(s), isMastItem(s)},
		{"isMastCommittee", mastCommittee, mastCommittee.MatchString(s), isMastCommittee(s)},
		{"isMastDateRange", mastDateRange, mastDateRange.MatchString(s), isMastDateRange(s)},
		{"jobInline gate", jobInline, jobInline.MatchString(s), jobInline.MatchString(s) && jobNumberAt(s, 0) >= 0},
	} {
		if c.want != c.got {
			t.Fatalf("%s(%q) = %v, but %s gives %v", c.name, s, c.got, c.re, c.want)
		}
	}
}

// defLine is what defLineMatch matches: a line that opens a definition,
// its number glued to or spaced from the text. (A number followed by "."
// is an operative paragraph, not a footnote.)
var defLine = regexp.MustCompile(`^(\d{1,3})(?:\s+|([A-Z“"(\[]))(\S.*)$`)

// separatorRule is what isRule matches: the rule above a footnote block.
var separatorRule = regexp.MustCompile(`^(?:_{5,}|[—–]{3,})$`)

// sentEnds is what sentenceEnds tests.
var sentEnds = regexp.MustCompile(`[.)\]]$`)

// footerTokensRef is footerTokens as first written, asking the symbol
// grammar in word order.
func footerTokensRef(f *Furniture, t string) bool {
	if len(t) > 60 {
		return false
	}
	words := strings.Fields(t)
	if len(words) < 2 {
		return false
	}
	strong := false
	for _, w := range words {
		switch {
		case jobInline.MatchString(w) && len(w) == 8, barcode.MatchString(w), pageOfPages.MatchString(w) && isPageOfPagesRef(w):
			strong = true
		case loneNumber.MatchString(w), dateCode.MatchString(w), len(w) == 3 && w[0] == '(' && w[2] == ')',
			maybeSymbol(w) && f.dict.IsSymbol(w):
		default:
			return false
		}
	}
	return strong
}

var scanFurniture = NewFurniture(dictionaries.Default())

// strictRef is strict as first written, looking for a wide gap in every
// line.
func strictRef(doc *pipeline.Document, t string) string {
	wide := strings.Contains(t, "   ")
	if t == "" || len(t) > 80 && !wide {
		return ""
	}
	c := t[0]
	switch {
	case c >= '0' && c <= '9' && (jobNumber.MatchString(t) || doc.Kind == pipeline.KindOCR && ocrJobNumber.MatchString(t)):
		return "job number"
	case c == '*' && barcode.MatchString(t):
		return "barcode"
	case (c == 'P' || c == 'p') && recycle.MatchString(t):
		return "\"Please recycle\""
	case (c == 'S' || c == 's' || c == 'C' || c == 'c' || c == 'P' || c == 'p') && viewerJunk.MatchString(t):
		return "viewer junk"
	case doc.Meta.Symbol != "" && t == doc.Meta.Symbol:
		return "running head (document symbol)"
	case c == '*' && mastNote.MatchString(t):
		return "masthead note"
	case doc.Kind == pipeline.KindOCR && len(t) < 50 && ocrRecycle.MatchString(t):
		return "\"Please recycle\" footer"
	}
	if !wide {
		return ""
	}
	if chunks := wideGap.Split(strings.TrimSpace(t), -1); len(chunks) > 1 {
		all := true
		for _, c := range chunks {
			if !jobNumber.MatchString(c) && !barcode.MatchString(c) && !dateCode.MatchString(c) &&
				!(doc.Meta.Symbol != "" && c == doc.Meta.Symbol) {
				all = false
			}
		}
		if all {
			return "job number"
		}
	}
	return ""
}

// strictDocs are the documents strict is checked against: each kind its
// patterns depend on, with and without a known symbol.
var strictDocs = []*pipeline.Document{
	{Kind: pipeline.KindPDFText},
	{Kind: pipeline.KindOCR},
	{Kind: pipeline.KindLayout, Meta: pipeline.Metadata{Symbol: "A/RES/61/180"}},
	{Kind: pipeline.KindOCR, Meta: pipeline.Metadata{Symbol: "S/2006/1"}},
}

// scanEdgeLines holds running heads and footers folded, to check
// edgeLines.has against a plain lookup.
var scanEdgeLines = func() *edgeLines {
	s := &edgeLines{}
	for _, t := range []string{"A/RES/61/180", "2/5", "06-50523 (E)", "Text. x", "é 12 *", " ſ x \xff", "\xe2\x80x", "“Member States”"} {
		if k := norm1(t); len(k) >= 4 {
			s.add(k)
		}
	}
	return s
}()

// checkFootnoteShapes checks the byte tests before the footnote stage's
// regexps against the regexps.
func checkFootnoteShapes(t *testing.T, s string) {
	t.Helper()
	if diff := cmp.Diff(defLine.FindStringSubmatch(s), defLineMatch(s)); diff != "" {
		t.Fatalf("defLineMatch(%q) (-regexp +gated):\n%s", s, diff)
	}
	if diff := cmp.Diff(labelIbid.FindStringSubmatchIndex(s), labelIbidIndex(s)); diff != "" {
		t.Fatalf("labelIbidIndex(%q) (-regexp +gated):\n%s", s, diff)
	}
	if want, got := strings.Join(strings.Fields(s), " "), squeezeSpace(s); want != got {
		t.Fatalf("squeezeSpace(%q) = %q, want %q", s, got, want)
	}
	for _, c := range []struct {
		name      string
		re        *regexp.Regexp
		want, got bool
	}{
		{"isDefLine", defLine, defLine.MatchString(s), isDefLine(s)},
		{"isBareNum", bareNum, bareNum.MatchString(s), isBareNum(s)},
		{"isGlyphLine", glyphLine, glyphLine.MatchString(s), isGlyphLine(s)},
		{"isMonth", monthRe, monthRe.MatchString(s), isMonth(s)},
		{"isRule", separatorRule, separatorRule.MatchString(s), isRule(s)},
		{"sentenceEnds", sentEnds, sentEnds.MatchString(s), sentenceEnds(s)},
	} {
		if c.want != c.got {
			t.Fatalf("%s(%q) = %v, but %s gives %v", c.name, s, c.got, c.re, c.want)
		}
	}
}

// checkFirstBytes checks that the byte gates before the masthead and
// viewer-junk regexps never turn away a line the regexp matches.
func checkFirstBytes(t *testing.T, s string) {
	t.Helper()
	for _, im := range inlineMast {
		if im.re.MatchString(s) && strings.IndexByte(im.first, s[0]) < 0 {
			t.Fatalf("%s matches %q, which starts with none of %q", im.re, s, im.first)
		}
	}
	if viewerJunk.MatchString(s) && !maybeViewerJunk(s) {
		t.Fatalf("viewerJunk matches %q, which maybeViewerJunk turns away", s)
	}
}
