package stages

// The furniture and footnote stages find some patterns in flattened text
// with byte scanners, or with their regexps run only where a cheap scan
// says a match can be, because the regexps run over a whole page line are
// slow. The regexps remain the definition: these tests hold each fast path
// to the same answer as its regexp over the whole text.

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
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
}

func addScanSeeds(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
}

func FuzzTrailingJobIndex(f *testing.F) {
	addScanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(trailingJob.FindStringSubmatchIndex(s), trailingJobIndex(s)); diff != "" {
			t.Errorf("trailingJobIndex(%q) (-regexp +scan):\n%s", s, diff)
		}
	})
}

func FuzzMidFooterIndexes(f *testing.F) {
	addScanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(midFooter.FindAllStringSubmatchIndex(s, -1), midFooterIndexes(s)); diff != "" {
			t.Errorf("midFooterIndexes(%q) (-regexp +scan):\n%s", s, diff)
		}
	})
}

func FuzzRuleInlineIndex(f *testing.F) {
	addScanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		if diff := cmp.Diff(ruleInline.FindStringIndex(s), ruleInlineIndex(s)); diff != "" {
			t.Errorf("ruleInlineIndex(%q) (-regexp +scan):\n%s", s, diff)
		}
	})
}

// TestScannersOnSeeds runs the comparisons over the seeds' and corpus's
// own lines as well.
func TestScannersOnSeeds(t *testing.T) {
	for _, s := range scanSeeds {
		if diff := cmp.Diff(trailingJob.FindStringSubmatchIndex(s), trailingJobIndex(s)); diff != "" {
			t.Errorf("trailingJobIndex(%q) (-regexp +scan):\n%s", s, diff)
		}
		if diff := cmp.Diff(midFooter.FindAllStringSubmatchIndex(s, -1), midFooterIndexes(s)); diff != "" {
			t.Errorf("midFooterIndexes(%q) (-regexp +scan):\n%s", s, diff)
		}
		if diff := cmp.Diff(ruleInline.FindStringIndex(s), ruleInlineIndex(s)); diff != "" {
			t.Errorf("ruleInlineIndex(%q) (-regexp +scan):\n%s", s, diff)
		}
		checkFirstBytes(t, s)
		checkFurnitureShapes(t, s)
		checkFootnoteShapes(t, s)
	}
}

// scanPieces build random texts dense in footer shapes, which the fuzzer
// rarely reaches from bytes alone.
var scanPieces = []string{
	" ", " ", "  ", "\t", "\n", "\f", "\r", "\v", "06-50523", "18-16895", "6-50523", "06-5052",
	"(E)", "(", ")", "E", "(e)", "101018", "10101", "*0650523*", "*12345*", "*1234*", "*",
	"2", "12", "123", "1234", "2/5", "/", "-", "–", "_____", "___", "_", "é", "ſ", "x", "Text.",
	"A/RES/61/180", "Distr.: General", "United Nations", "session", "Sixty-first", "4 May 2006",
	"Select target paragraph", "click here to ", "Page 2 of 3", "General Assembly", "Agenda item 5",
	"Original: English", "Distr", ":", "Sixty", "a", "Human Rights Council", "(a)", ", and ",
	"’", "'", "®", "”", "™", "°", ">", "¹", "⁴", "?", "Ibid.", "lbid.", "1bid.", "Tbid.", "|bid.", "January",
	"May", "Mayor", " A/RES/61/180 ", " S/2006/1 ", " 2/10 ", " 19-09876 ", " (E) ", "Resolution", "“", "[", "]", ".", ")", "\"",
	"   ", "    ", "\u00a0", "\xff", "\xe2\x80", "Sup", "61/180.", "S-", "ES-11/1.", "\u0085",
}

func TestScannersOnRandomFooters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 30000 {
		b.Reset()
		for range rng.IntN(14) {
			b.WriteString(scanPieces[rng.IntN(len(scanPieces))])
		}
		s := b.String()
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
}

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
	want := []string{s}
	if strings.Contains(s, "   ") {
		want = wideGap.Split(strings.TrimSpace(s), -1)
	}
	if diff := cmp.Diff(want, layoutChunks(s)); diff != "" {
		t.Fatalf("layoutChunks(%q) (-regexp +scan):\n%s", s, diff)
	}
	if want, got := strings.Contains(s, "   "), hasWideGap(s); want != got {
		t.Fatalf("hasWideGap(%q) = %v, want %v", s, got, want)
	}
	if want, got := norm1(s), string(appendNorm1([]byte("x"), s)); "x"+want != got {
		t.Fatalf("appendNorm1(%q) = %q, want %q", s, got, want)
	}
	if want, got := footerTokensRef(scanFurniture, s), scanFurniture.footerTokens(s); want != got {
		t.Fatalf("footerTokens(%q) = %v, want %v", s, got, want)
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
		{"jobNumberAt", regexp.MustCompile(`\d{2}-\d{5}`), regexp.MustCompile(`\d{2}-\d{5}`).MatchString(s), jobNumberAt(s, 0) >= 0},
		{"gluedJob gate", gluedJob, gluedJob.MatchString(s), gluedJob.MatchString(s) && jobNumberAt(s, 0) >= 0},
		{"titleNumber gate", titleNumber, titleNumber.MatchString(s), titleNumber.MatchString(s) && s != "" &&
			(isDigit(s[0]) || s[0] >= 'A' && s[0] <= 'Z') && strings.IndexByte(s, '/') >= 0},
		{"jobInline gate", jobInline, jobInline.MatchString(s), jobInline.MatchString(s) && jobNumberAt(s, 0) >= 0},
	} {
		if c.want != c.got {
			t.Fatalf("%s(%q) = %v, but %s gives %v", c.name, s, c.got, c.re, c.want)
		}
	}
}

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
		case jobInline.MatchString(w) && len(w) == 8, barcode.MatchString(w), pageOfPages.MatchString(w) && isPageOfPages(w):
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
	for _, c := range []struct {
		name      string
		re        *regexp.Regexp
		want, got bool
	}{
		{"isDefLine", defLine, defLine.MatchString(s), isDefLine(s)},
		{"isBareNum", bareNum, bareNum.MatchString(s), isBareNum(s)},
		{"isGlyphLine", glyphLine, glyphLine.MatchString(s), isGlyphLine(s)},
		{"isMonth", monthRe, monthRe.MatchString(s), isMonth(s)},
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

func FuzzShapes(f *testing.F) {
	addScanSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkFirstBytes(t, s)
		checkFurnitureShapes(t, s)
		checkFootnoteShapes(t, s)
	})
}
