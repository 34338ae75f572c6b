package stages

// The paragraphs and numbering stages match their line patterns with
// matchers written out by hand; the regexps remain the definition. These
// tests hold each matcher to its regexp over seeds, every line of the test
// inputs and every word start of them (flattened text is matched at each
// word), random texts dense in the patterns' pieces, and fuzzed text.

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
)

// paraScanSeeds are texts around the edges of the patterns.
var paraScanSeeds = []string{
	"", "1.", "1. ", "1.\t", "12. Decides", "123. Decides", "1234. Decides", "1.Decides", "1, Urges", "3; x", "4 Welcomes", "5:. x",
	"l. Decides", "I.\nx", "S.  Urges", "|. x", "B x", "l.", "(a)", "(a) ", "(abcd) x", "(abcde) x", "(a)x", "(A) x", "(a) To",
	"73/8.", "73/8. Improving", "S-11/1.", "ES-11/1. Title", "ES11/1.", "-11/1.", "73/8", "73/.", "73/8.   ", "73/8. \n", "73/8. x\ny",
	"73/8.\n ", "73/8.\t\t", "82nd plenary meeting", "82nd meeting", "1st plenary meeting.", "82th meeting", "nd meeting",
	"At its 82nd plenary meeting, the General Assembly", "At its 3rd meetingx", "At its 3rd meeting_", "At its 3rd meeting", "At its 3rd meeting\u00e9",
	"Resolution adopted by the General Assembly on 20 December 2006", "Resolution adopted by the General Assembly",
	"Resolutions adopted by General Assembly on", "Decision adopted by the Human Rights Council on 5 May 2020\n",
	"Resolution adopted by the Council on the report on 5 May", "Resolution adopted by the G", "Resolution adopted by the the X",
	"Resolution adopted by X on ", "Resolution adopted by Xy on z", "Resolution adopted byX", "Decisions adopted by",
	"The General Assembly,", "The General Assembly", "The Commission on Human rights,", "The Commission on H,", "The Commission on Human Rights,",
	"The Council,", "The Councils", "The Commissioner", "The Conference of the Parties,", "The Trusteeship Council,",
	"IV. Title", "IV.Title", "B. Title", "I.  x", "H. Y", "J. Y", "IVX.\tA",
	"20 December 2006", "1 May 2006", "123 May 2006", "20 December 20066", "20 Decembe 2006",
	"Resolution 2334 (2016)", "Resolution 2334 (2016) text", "Resolution 2334 (201)", "Resolution (2016)",
	"[on the report of the Third Committee (A/61/448)]", "[without reference to a Main Committee (A/61/L.1)]",
	"Adopted by the Security Council at its 5916th meeting, on 22 June 2008", "Adopted by the Security Council at its 5916th meeting, on ",
	"Adopted by the Security Council at its 1st meeting at its 2nd meeting, on x", "Adopted by the S at its 1st meeting, on x\n",
	"Resolution adopted by the General Assembly ", "Resolution adopted by the General Assembly  on 1 May", "Resolution adopted by A on\n",
	"Adopted by the Security Council at its st meeting, on x", "Adopted by the Security Council at its 1st meeting, on\n",
	"concern. 3.", "x (b)", "(b)", "x\t12.", "1234.", "x(b)", "x (bcdef)", "2.", " 2.",
	"between Member States 1. and relevant", " 1. a 2. b", " 12. a", " 1234. a", " 1. A",
}

// checkParaScanners runs every comparison on s.
func checkParaScanners(t *testing.T, s string) {
	t.Helper()
	bools := []struct {
		name string
		got  bool
		want bool
	}{
		{"operativeNumber", hasOperativeNumber(s), operativeNumber.MatchString(s)},
		{"bareOperative", isBareOperative(s), bareOperative.MatchString(s)},
		{"subParagraph", hasSubParagraph(s), subParagraph.MatchString(s)},
		{"plenary", isPlenary(s), plenary.MatchString(s)},
		{"decisionOpener", isDecisionOpener(s), decisionOpener.MatchString(s)},
		{"adoptedBy", isAdoptedBy(s), adoptedBy.MatchString(s)},
		{"organLine", isOrganLine(s), organLine.MatchString(s)},
		{"numberedTitle", isNumberedTitle(s), numberedTitle.MatchString(s)},
		{"sectionNumber", isSectionNumber(s), sectionNumber.MatchString(s)},
		{"closeDate", isCloseDate(s), closeDate.MatchString(s)},
		{"bodyStart", paraBodyStart(s), bodyStart.MatchString(s)},
		{"flatTitle", isFlatTitle(s), flatTitle.MatchString(s)},
		{"flatNumber", isFlatNumber(s), flatNumber.MatchString(s)},
		{"flatSub", isFlatSub(s), flatSub.MatchString(s)},
		{"trailingNumber", endsWithNumber(s), trailingNumber.MatchString(s)},
		{"scTitle", isScTitle(s), scTitle.MatchString(s)},
	}
	for _, b := range bools {
		if b.got != b.want {
			t.Fatalf("%s on %q: matcher says %v, regexp %v", b.name, s, b.got, b.want)
		}
	}
	if got, want := misreadOperativeLen(s), len(misreadOperative.FindString(s)); got != want {
		t.Fatalf("misreadOperative on %q: matcher takes %d bytes, regexp %d", s, got, want)
	}
	submatch := func(name string, re interface{ FindStringSubmatch(string) []string }, got ...string) {
		t.Helper()
		if len(got) == 1 && got[0] == "" {
			got = nil // no match
		}
		if diff := cmp.Diff(re.FindStringSubmatch(s), got); diff != "" {
			t.Fatalf("%s on %q (-regexp +matcher):\n%s", name, s, diff)
		}
	}
	orNone := func(ok bool, m ...string) []string {
		if !ok {
			return []string{""}
		}
		return m
	}
	if num, ok := numberedParaNumber(s); ok {
		submatch("numberedPara", numberedPara, s[:len(num)+1+paraSpaces(s[len(num)+1:])], num)
	} else {
		submatch("numberedPara", numberedPara, "")
	}
	if l, ok := letteredLetters(s); ok {
		submatch("lettered", lettered, s[:len(l)+2+paraSpaces(s[len(l)+2:])], l)
	} else {
		submatch("lettered", lettered, "")
	}
	prefix, number, ok := misreadNumberMatch(s)
	submatch("misreadNumber", misreadNumber, orNone(ok, prefix, number)...)
	body, date, ok := adoptedByMatch(s)
	submatch("adoptedBy", adoptedBy, orNone(ok, s, body, date)...)
	body, date, ok = scAdoptedMatch(s)
	submatch("scAdopted", scAdopted, orNone(ok, s, body, date)...)
	number, title, ok := titleNumMatch(s)
	submatch("titleNum", titleNum, orNone(ok, s, number, title)...)
	if diff := cmp.Diff(displaced.FindAllStringSubmatchIndex(s, -1), displacedIndexes(s)); diff != "" {
		t.Fatalf("displaced on %q (-regexp +matcher):\n%s", s, diff)
	}
}

// checkParaScannersAtWords runs the comparisons on s and on what follows
// each space in it, cut to 80 bytes, as flattened text is matched.
func checkParaScannersAtWords(t *testing.T, s string) {
	t.Helper()
	checkParaScanners(t, s)
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			rest := s[i+1:]
			checkParaScanners(t, rest[:min(len(rest), 80)])
			tail := s[max(0, i-8):i]
			if got, want := endsWithNumber(tail), trailingNumber.MatchString(tail); got != want {
				t.Fatalf("trailingNumber on %q: matcher says %v, regexp %v", tail, got, want)
			}
		}
	}
}

func TestParaScannersOnSeeds(t *testing.T) {
	for _, s := range paraScanSeeds {
		checkParaScannersAtWords(t, s)
	}
}

// TestParaScannersOnInputs runs the comparisons on every line of the test
// inputs and at every word start in them.
func TestParaScannersOnInputs(t *testing.T) {
	for _, text := range testInputs(t, append(testInputPatterns, "../testdata/e2e/*/*")...) {
		for line := range strings.Lines(text) {
			line = strings.TrimRight(line, "\n")
			checkParaScannersAtWords(t, line)
			checkParaScanners(t, strings.TrimSpace(line))
		}
	}
}

func FuzzParaScanners(f *testing.F) {
	for _, s := range paraScanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParaScannersAtWords(t, s)
	})
}

// paraScanPieces build random texts dense in the patterns' pieces, which
// the fuzzer rarely reaches from bytes alone.
var paraScanPieces = []string{
	" ", " ", " ", "  ", "\t", "\n", "\f", "\r", "\v", "\u00a0", "_", "é", "\xff", "x", "a", "abcd", "A", "Z", "H", "J",
	"0", "1", "12", "123", "1234", "2006", ".", ",", ";", ":", "-", "/", "(", ")", "[", "]", "l", "I", "IV", "X", "L", "S", "B", "|",
	"st", "nd", "rd", "th", " plenary", " meeting", "meeting", "plenary ", "At its ", "at its ", " on ", "on", "the ", "The ",
	"Resolution", "Decision", "s", " adopted by", " adopted by ", "Adopted by the ", "General Assembly", "Security Council",
	"Economic and Social Council", "Human Rights Council", "Trusteeship Council", "Conference of the Parties", "Council",
	"Commission", "Commission on ", "Conference", "Human", " rights", "[on the report", "[without reference", " meeting, on ",
	"January", "May", "December", " (", "(2016)", "Decides", " Urges",
}

// paraScanHeads open half the random texts: most patterns are anchored at
// the start.
var paraScanHeads = []string{
	"Resolution adopted by ", "Resolutions adopted by the ", "Decision adopted by the ", "Adopted by the ", "Adopted by the Security Council",
	"The ", "The Commission on ", "At its ", "Resolution ", "73/8.", "ES-11/1. ", "(a)", "12.", "l. ", "3, ", "IV. ", "20 ", "82nd",
}

func TestParaScannersOnRandomTexts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for range 200000 {
		b.Reset()
		if rng.IntN(2) == 0 {
			b.WriteString(paraScanHeads[rng.IntN(len(paraScanHeads))])
		}
		for range rng.IntN(12) {
			b.WriteString(paraScanPieces[rng.IntN(len(paraScanPieces))])
		}
		checkParaScanners(t, b.String())
	}
}

// checkSplitFlat holds splitFlat, which turns away words by their first
// byte, to splitFlat without that shortcut (every byte may start an opener).
func checkSplitFlat(t *testing.T, p, noShortcut *Paragraphs, s string) {
	t.Helper()
	if diff := cmp.Diff(noShortcut.splitFlat(s, nil), p.splitFlat(s, nil)); diff != "" {
		t.Fatalf("splitFlat(%q) (-without shortcut +with):\n%s", s, diff)
	}
}

func paraSplitters() (p, noShortcut *Paragraphs) {
	p = NewParagraphs(dictionaries.Default())
	noShortcut = NewParagraphs(dictionaries.Default())
	for c := range noShortcut.openerBytes {
		noShortcut.openerBytes[c] = true
	}
	return p, noShortcut
}

func TestSplitFlatShortcut(t *testing.T) {
	p, noShortcut := paraSplitters()
	for _, text := range testInputs(t, testInputPatterns...) {
		checkSplitFlat(t, p, noShortcut, text)
		for line := range strings.Lines(text) {
			checkSplitFlat(t, p, noShortcut, line)
		}
	}
	for _, s := range paraScanSeeds {
		checkSplitFlat(t, p, noShortcut, "x. "+s)
	}
}

func FuzzSplitFlat(f *testing.F) {
	for _, s := range paraScanSeeds {
		f.Add("end. " + s)
	}
	f.Add("meeting plenary meeting \u00a020 December 2006")
	p, noShortcut := paraSplitters()
	f.Fuzz(func(t *testing.T, s string) {
		checkSplitFlat(t, p, noShortcut, s)
	})
}
