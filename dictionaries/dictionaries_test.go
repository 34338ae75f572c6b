package dictionaries

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultIsSharedAndNeverNil(t *testing.T) {
	a, b := Default(), Default()
	if a == nil {
		t.Fatal("Default() = nil")
	}
	if a != b {
		t.Error("Default() returned two different Sets; it must parse once and share")
	}
}

// TestDefaultConcurrentUse runs lookups from several goroutines at once, for
// the race detector: a Set is read-only and safe for concurrent reads.
func TestDefaultConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := Default()
			for range 100 {
				s.IsWord("Organization")
				s.Hyphenated("nongovernmental")
				s.InstrumentBefore("the Paris Agreement")
				s.IsSymbol("A/61/444")
				s.OperativeOpener("Decides")
			}
		}()
	}
	wg.Wait()
}

// TestHeaders checks that every shipped list opens with comment lines that
// name its source and its licence.
func TestHeaders(t *testing.T) {
	for _, l := range embeddedLists {
		t.Run(l.file, func(t *testing.T) {
			var source, licence bool
			for _, line := range strings.Split(*l.text, "\n") {
				if !strings.HasPrefix(line, "#") {
					break // the header is the leading comment block
				}
				c := strings.TrimSpace(strings.TrimPrefix(line, "#"))
				source = source || (strings.HasPrefix(c, "source: ") && len(c) > len("source: ")+10)
				licence = licence || (strings.HasPrefix(c, "licence: ") && len(c) > len("licence: ")+3)
			}
			if diff := cmp.Diff([]bool{true, true}, []bool{source, licence}); diff != "" {
				t.Errorf("%s header has source, licence lines mismatch (-want +got):\n%s", l.file, diff)
			}
		})
	}
}

// TestListSizes keeps the lists from shrinking by accident.
func TestListSizes(t *testing.T) {
	for _, tc := range []struct {
		file string
		text string
		sec  section
		min  int
	}{
		{"english.txt", englishTxt, sectionEnglish, 130000},
		{"unterms.txt", untermsTxt, sectionTerms, 600},
		{"instruments.txt", instrumentsTxt, sectionInstruments, 150},
		{"preambular.txt", preambularTxt, sectionPreambular, 150},
		{"operative.txt", operativeTxt, sectionOperative, 200},
		{"symbols.txt", symbolsTxt, sectionSymbols, 5},
		{"numbernouns.txt", numbernounsTxt, sectionNumberNouns, 60},
		{"functionwords.txt", functionwordsTxt, sectionFunctionWords, 200},
	} {
		lf, err := parseString(tc.file, tc.text, tc.sec)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(lf.entries[tc.sec]); n < tc.min {
			t.Errorf("%s has %d entries, want at least %d", tc.file, n, tc.min)
		}
		for sec, e := range lf.entries {
			if section(sec) != tc.sec && len(e) > 0 {
				t.Errorf("%s puts %d entries in [%s]; each shipped file holds one list", tc.file, len(e), section(sec))
			}
		}
	}
}

// TestEnglishListContract checks what internal/genenglish promises of
// english.txt: lower-case, sorted, no duplicates, no apostrophes. The wordSet
// relies on the order to load without sorting.
func TestEnglishListContract(t *testing.T) {
	lf, err := parseString("english.txt", englishTxt, sectionEnglish)
	if err != nil {
		t.Fatal(err)
	}
	words := lf.entries[sectionEnglish]
	if !slices.IsSorted(words) {
		t.Error("english.txt is not sorted in byte order; run go generate ./dictionaries")
	}
	for i, w := range words {
		if i > 0 && w == words[i-1] {
			t.Errorf("english.txt lists %q twice", w)
		}
		if strings.ContainsAny(w, "'’") || needsFold(w) || strings.ContainsFunc(w, unicode.IsSpace) {
			t.Errorf("english.txt:%d: %q is not a lower-case word without apostrophes", lf.lines[sectionEnglish][i], w)
		}
	}
}

// TestSmallListsLowerCase checks that the lists matched ignoring case are
// stored in lower case, except the abbreviations No. and Nos., which the
// brief for numbernouns.txt keeps as UN texts write them.
func TestSmallListsLowerCase(t *testing.T) {
	for _, l := range []struct {
		file, text string
		sec        section
	}{
		{"numbernouns.txt", numbernounsTxt, sectionNumberNouns},
		{"functionwords.txt", functionwordsTxt, sectionFunctionWords},
	} {
		lf, err := parseString(l.file, l.text, l.sec)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, w := range lf.entries[l.sec] {
			if seen[w] {
				t.Errorf("%s:%d: %q listed twice", l.file, lf.lines[l.sec][i], w)
			}
			seen[w] = true
			if w != strings.ToLower(w) && w != "No." && w != "Nos." {
				t.Errorf("%s:%d: %q is not lower case", l.file, lf.lines[l.sec][i], w)
			}
		}
	}
}

func BenchmarkDefaultLoad(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(englishTxt) + len(untermsTxt) + len(instrumentsTxt) + len(preambularTxt) +
		len(operativeTxt) + len(symbolsTxt) + len(numbernounsTxt) + len(functionwordsTxt)))
	for b.Loop() {
		if _, err := loadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWithReader(b *testing.B) {
	s := Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.WithReader("house.txt", strings.NewReader(userDict)); err != nil {
			b.Fatal(err)
		}
	}
}
