package dictionaries

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// symbolCase is a token and why it is, or is not, a document symbol.
type symbolCase struct {
	tok    string
	reason string
}

// realSymbols are document symbols as printed on UN documents, each with
// the kind of document it is.
var realSymbols = []symbolCase{
	// General Assembly
	{"A/RES/61/180", "General Assembly"},
	{"A/RES/ES-11/1", "General Assembly"},
	{"A/RES/S-27/2", "General Assembly"},
	{"A/RES/60/1", "General Assembly"},
	{"A/RES/70/1", "General Assembly"},
	{"A/RES/217(III)", "General Assembly"},
	{"A/RES/217 A (III)", "General Assembly"},
	{"A/61/444", "General Assembly"},
	{"A/67/828", "General Assembly"},
	{"A/73/L.8", "General Assembly"},
	{"A/73/L.8/Add.1", "General Assembly"},
	{"A/ES-11/L.1", "General Assembly"},
	{"A/C.3/61/L.10/Rev.1", "General Assembly"},
	{"A/C.5/73/18", "General Assembly"},
	{"A/CONF.157/23", "General Assembly"},
	{"A/CONF.171/13/Rev.1", "General Assembly"},
	{"A/CN.4/L.900", "General Assembly"},
	{"A/AC.105/1200", "General Assembly"},
	{"A/INF/73/4", "General Assembly"},
	{"A/73/PV.50", "General Assembly"},
	{"A/8028", "General Assembly"},
	{"A/72/123-S/2017/567", "General Assembly"},
	// Human Rights Council and the former Commission
	{"A/HRC/RES/7/1", "Human Rights Council and the former Commission"},
	{"A/HRC/Sub.1/58/25", "Human Rights Council and the former Commission"},
	{"A/HRC/37/3/Add.1", "Human Rights Council and the former Commission"},
	{"A/HRC/WG.6/30/USA/1", "Human Rights Council and the former Commission"},
	{"A/HRC/RES/S-28/1", "Human Rights Council and the former Commission"},
	{"E/CN.4/2006/62", "Human Rights Council and the former Commission"},
	{"E/CN.4/2006/62/Add.1", "Human Rights Council and the former Commission"},
	{"E/CN.4/Sub.2/2005/40", "Human Rights Council and the former Commission"},
	// Security Council
	{"S/RES/1325 (2000)", "Security Council"},
	{"S/RES/1325(2000)", "Security Council"},
	{"S/RES/2334", "Security Council"},
	{"S/PRST/2013/2", "Security Council"},
	{"S/INF/68", "Security Council"},
	{"S/2014/136", "Security Council"},
	{"S/1999/1257", "Security Council"},
	{"S/26843", "Security Council"},
	{"S/PV.8000", "Security Council"},
	// Economic and Social Council, Secretariat
	{"E/2006/27", "Economic and Social Council, Secretariat"},
	{"E/RES/2006/13", "Economic and Social Council, Secretariat"},
	{"E/C.12/GC/20", "Economic and Social Council, Secretariat"},
	{"E/ICEF/2019/6", "Economic and Social Council, Secretariat"},
	{"ST/SGB/2003/13", "Economic and Social Council, Secretariat"},
	{"ST/AI/2010/4/Rev.1", "Economic and Social Council, Secretariat"},
	{"ST/ESA/SER.A/423", "Economic and Social Council, Secretariat"},
	// treaty bodies
	{"CEDAW/C/GC/30", "treaty bodies"},
	{"CRC/C/OPSC/USA/CO/2", "treaty bodies"},
	{"CRC/C/GC/14", "treaty bodies"},
	{"CCPR/C/21/Rev.1/Add.13", "treaty bodies"},
	{"CERD/C/GC/35", "treaty bodies"},
	{"CAT/C/GC/3", "treaty bodies"},
	{"HRI/GEN/1/Rev.9", "treaty bodies"},
	// other bodies and conferences
	{"TD/B/64/10", "other bodies and conferences"},
	{"TD/B/C.I/40", "other bodies and conferences"},
	{"TD/519", "other bodies and conferences"},
	{"UNEP/GC/24/10", "other bodies and conferences"},
	{"UNEP/GC.24/10", "other bodies and conferences"},
	{"UNEP/EA.4/Res.1", "other bodies and conferences"},
	{"UNEP/CBD/COP/DEC/XIII/1", "other bodies and conferences"},
	{"FCCC/CP/2015/10/Add.1", "other bodies and conferences"},
	{"FCCC/KP/CMP/2005/8/Add.1", "other bodies and conferences"},
	{"FCCC/PA/CMA/2018/3/Add.2", "other bodies and conferences"},
	{"ICCD/COP(14)/16", "other bodies and conferences"},
	{"DP/FPA/2014/1", "other bodies and conferences"},
	{"UNW/2015/1", "other bodies and conferences"},
	{"WFP/EB.1/2016/4-A/1", "other bodies and conferences"},
	{"ISBA/25/A/2", "other bodies and conferences"},
	{"SPLOS/250", "other bodies and conferences"},
	{"CD/1299", "other bodies and conferences"},
	{"NPT/CONF.2015/50", "other bodies and conferences"},
	{"LC/G.2681-P/Rev.3", "other bodies and conferences"},
	{"JIU/REP/2018/4", "other bodies and conferences"},
	{"CTOC/COP/2018/13", "other bodies and conferences"},
	{"IDB.47/5", "other bodies and conferences"},
}

// notSymbols look like symbols to a careless pattern; the reason says why
// each is not one.
var notSymbols = []symbolCase{
	{"1980/127", "an Economic and Social Council resolution number"},
	{"2017/18", "a decision number"},
	{"55/25", "a General Assembly resolution number, cited without its symbol"},
	{"61/180", "a General Assembly resolution number"},
	{"and/or", "a conjunction"},
	{"HIV/AIDS", "a term"},
	{"06-50523", "a job number"},
	{"A/61", "a series and a session, but no document"},
	{"A/B", "no digit"},
	{"S/he", "lower case"},
	{"km/h", "a unit"},
	{"24/7", "a phrase"},
	{"N/A", "not applicable"},
	{"TCP/IP", "no series"},
	{"UN/DESA", "an office, not a document"},
	{"A//61/444", "an empty element"},
	{"A/61/444/", "a trailing slash"},
	{"/A/61/444", "a leading slash"},
	{"a/61/444", "the series letter is a capital"},
	{"X/61/444", "no such series"},
	{"Rev.1", "a suffix alone"},
	{"L.8", "an element alone"},
	{"1325 (2000)", "a resolution number and year"},
	{"S/RES", "no number"},
	{"ST/SGB", "no number"},
	{"CEDAW/C", "no number"},
	{"A/HRC", "no number"},
	{"E/2", "a lone number of fewer than three digits"},
	{"A-61-444", "hyphens instead of slashes"},
	{"A/61 /444", "a space inside"},
	{"A/61/444extra", "letters run on"},
	{"S/RES/1325 (20000)", "not a year"},
	{"http://undocs.org/A/61/444", "an address that contains a symbol"},
	{"", "nothing at all"},
}

func TestSymbolGrammar(t *testing.T) {
	if len(realSymbols) < 40 || len(notSymbols) < 20 {
		t.Fatalf("the test needs at least 40 symbols and 20 non-symbols, has %d and %d", len(realSymbols), len(notSymbols))
	}
	s := Default()
	for _, tc := range realSymbols {
		if diff := cmp.Diff(true, s.IsSymbol(tc.tok)); diff != "" {
			t.Errorf("IsSymbol(%q) mismatch (-want +got):\n%s\nwhy: a real symbol (%s)", tc.tok, diff, tc.reason)
		}
	}
	for _, tc := range notSymbols {
		if diff := cmp.Diff(false, s.IsSymbol(tc.tok)); diff != "" {
			t.Errorf("IsSymbol(%q) mismatch (-want +got):\n%s\nwhy not a symbol: %s", tc.tok, diff, tc.reason)
		}
	}
}

func TestIsSymbolTrimming(t *testing.T) {
	s := Default()
	runWordCases(t, "IsSymbol", s.IsSymbol, []wordCase{
		{"comma", "A/61/444,", true, "a comma after the symbol is trimmed"},
		{"full stop", "A/73/L.8.", true, "a full stop ending the sentence is trimmed, the one in L.8 kept"},
		{"parenthesized", "(A/61/444)", true, "symbols are often given in parentheses"},
		{"parenthesized with stop", "(S/2014/136).", true, "parenthesis and full stop"},
		{"year kept", "S/RES/1325 (2000).", true, "the parenthesis of the year is part of the symbol"},
		{"year in parentheses", "(S/RES/1325 (2000))", true, "the outer parentheses go, the year's stay"},
		{"semicolon and colon", "E/2006/27;:", true, "all trailing , ; . : are trimmed"},
		{"non-breaking space before year", "S/RES/1325\u00a0(2000)", true, "a non-breaking space before the year"},
		{"trailing slash", "A/61/444/,", false, "trimming does not remove a slash"},
		{"only punctuation", ".,;", false, "nothing left"},
	})
}

func TestSymbolPatternsAnchored(t *testing.T) {
	lf, err := parseString("symbols.txt", symbolsTxt, sectionSymbols)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range lf.entries[sectionSymbols] {
		if !strings.HasPrefix(p, "^") || !strings.HasSuffix(p, "$") {
			t.Errorf("symbols.txt:%d: pattern %q is not anchored with ^ and $", lf.lines[sectionSymbols][i], p)
		}
	}
}

// TestUserSymbolPatternMatchesWholeToken checks that a user's pattern without
// anchors still has to match the whole token.
func TestUserSymbolPatternMatchesWholeToken(t *testing.T) {
	s, err := (&Set{}).WithReader("dict.txt", strings.NewReader("[symbols]\nUNOG/[0-9]{4}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := []bool{s.IsSymbol("UNOG/2019"), s.IsSymbol("XUNOG/2019"), s.IsSymbol("UNOG/20190")}
	if diff := cmp.Diff([]bool{true, false, false}, got); diff != "" {
		t.Errorf("IsSymbol with an unanchored user pattern mismatch (-want +got):\n%s", diff)
	}
}

func BenchmarkIsSymbol(b *testing.B) {
	s := Default()
	for _, bc := range []struct{ name, tok string }{
		{"symbol", "A/C.3/61/L.10/Rev.1"},
		{"symbol-trailing-stop", "S/RES/1325 (2000)."},
		{"resolution-number", "61/180"},
		{"word", "organization"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.tok)))
			for b.Loop() {
				s.IsSymbol(bc.tok)
			}
		})
	}
}

func TestSlashShortcut(t *testing.T) {
	cases := []struct {
		name    string
		pattern string
		want    bool
		reason  string
	}{
		{"embedded", "", true, "every embedded pattern needs a slash"},
		{"literal slash", "^X/[0-9]+$", true, "the slash is a literal in a concatenation"},
		{"slash in every branch", "^(?:A/1|B/2)$", true, "each alternative has one"},
		{"optional slash", "^X/?[0-9]+$", false, "the slash may be missing"},
		{"branch without slash", "^(?:A/1|B2)$", false, "one alternative has none"},
		{"case-folded", "(?i)^x/1$", true, "the slash has no case"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			if tc.pattern != "" {
				var err error
				s, err = s.WithReader("d.txt", strings.NewReader("[symbols]\n"+tc.pattern+"\n"))
				if err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.want, s.symbols.slash); diff != "" {
				t.Errorf("slash shortcut for %q mismatch (-want +got):\n%s\nwhy: %s", tc.pattern, diff, tc.reason)
			}
		})
	}
	// Without the shortcut a slash-less user pattern must still match.
	s, err := Default().WithReader("d.txt", strings.NewReader("[symbols]\n^JOB[0-9]{5}$\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsSymbol("JOB12345") || !s.IsSymbol("A/61/444") {
		t.Error("a user pattern without a slash must match, and the embedded ones still")
	}
}
