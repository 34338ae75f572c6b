package dictionaries

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// userDict exercises every section of the user format.
const userDict = `# house terms; lines before a section header are terms
Special Coordinator for Lebanon
co-lead
   spaced   out   term

[english]
Zorblax

[instruments]
Treaty of Amity and Cooperation in Southeast Asia

[preambular]
Solemnly recalling

[operative]
Solemnly decides

[symbols]
^UNOG/[0-9]{4}/[0-9]+$

[number-nouns]
Rule

[function-words]
Whereunto

[ terms ]
back-to-basics
`

func TestWithReaderSections(t *testing.T) {
	base := Default()
	s, err := base.WithReader("house.txt", strings.NewReader(userDict))
	if err != nil {
		t.Fatalf("WithReader: %v", err)
	}
	hyph, _ := s.Hyphenated("colead")
	inst, _ := s.InstrumentBefore("the Treaty of Amity and Cooperation in Southeast Asia,")
	pre, _ := s.PreambularOpener("Solemnly recalling its")
	op, _ := s.OperativeOpener("Solemnly decides to")
	type answers struct {
		TermBeforeSection, SpacedTerm, LaterTermsSection bool
		English                                          bool
		Hyphenated, Instrument, Preambular, Operative    string
		Symbol, NumberNoun, FunctionWord                 bool
		EmbeddedStill                                    bool
	}
	want := answers{
		TermBeforeSection: true, SpacedTerm: true, LaterTermsSection: true,
		English:    true,
		Hyphenated: "co-lead", Instrument: "Treaty of Amity and Cooperation in Southeast Asia",
		Preambular: "Solemnly recalling", Operative: "Solemnly decides",
		Symbol: true, NumberNoun: true, FunctionWord: true,
		EmbeddedStill: true,
	}
	got := answers{
		TermBeforeSection: s.IsTerm("Special Coordinator for Lebanon"),
		SpacedTerm:        s.IsTerm("spaced out term"),
		LaterTermsSection: s.IsHyphenatedTerm("back-to-basics"),
		English:           s.IsEnglish("zorblax"),
		Hyphenated:        hyph,
		Instrument:        inst,
		Preambular:        pre,
		Operative:         op,
		Symbol:            s.IsSymbol("UNOG/2019/12"),
		NumberNoun:        s.IsNumberNoun("rule"),
		FunctionWord:      s.IsFunctionWord("whereunto"),
		EmbeddedStill:     s.IsWord("organization") && s.IsSymbol("A/RES/61/180") && s.IsTerm("non-governmental"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers after WithReader mismatch (-want +got):\n%s", diff)
	}

	// The Set that was extended must not have changed.
	unchanged := answers{
		TermBeforeSection: base.IsTerm("Special Coordinator for Lebanon"),
		English:           base.IsEnglish("zorblax"),
		Symbol:            base.IsSymbol("UNOG/2019/12"),
		FunctionWord:      base.IsFunctionWord("whereunto"),
		EmbeddedStill:     true,
	}
	unchanged.Preambular, _ = base.PreambularOpener("Solemnly recalling its")
	unchanged.Instrument, _ = base.InstrumentBefore("the Treaty of Amity and Cooperation in Southeast Asia,")
	if diff := cmp.Diff(answers{EmbeddedStill: true}, unchanged); diff != "" {
		t.Errorf("Default() changed by WithReader (-want +got):\n%s", diff)
	}
}

func TestWithFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	b := filepath.Join(dir, "b.txt")
	if err := os.WriteFile(a, []byte("house-style\n[english]\nflibbertigibbet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("[operative]\nHereby solemnly decides\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Default().WithFiles(a, b)
	if err != nil {
		t.Fatalf("WithFiles: %v", err)
	}
	op, _ := s.OperativeOpener("Hereby solemnly decides that")
	got := []any{s.IsHyphenatedTerm("house-style"), s.IsWord("Flibbertigibbet"), op, s.IsWord("peacebuilding")}
	want := []any{true, true, "Hereby solemnly decides", true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers after WithFiles mismatch (-want +got):\n%s", diff)
	}
}

func TestWithFilesMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.txt")
	_, err := Default().WithFiles(missing)
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("WithFiles(%q) error = %v, want a not-exist error naming the file", missing, err)
	}
}

func TestWithReaderErrors(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		want   []string // substrings the message must contain
		reason string
	}{
		{"unknown section", "peacebuilding\n\n[acronyms]\nUNDP\n",
			[]string{"user.txt:3:", "unknown section [acronyms]", "[terms]", "[number-nouns]"}, "the message names file, line, the bad section and the good ones"},
		{"bad regexp", "[symbols]\n^A/[0-9+$\n",
			[]string{"user.txt:2:", "symbols", `"^A/[0-9+$"`, "RE2"}, "the message names file, line and pattern"},
		{"bad regexp after good lines", "# comment\n[symbols]\n^A/[0-9]+$\n\n(unclosed\n",
			[]string{"user.txt:5:"}, "the line number counts comments and blank lines"},
		{"invalid UTF-8", "ok\n\xff\xfe\n",
			[]string{"user.txt:2:", "UTF-8"}, "the message says which line is not UTF-8"},
		{"empty section name", "[]\n", []string{"user.txt:1:", "unknown section []"}, "an empty header is no section"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Default().WithReader("user.txt", strings.NewReader(tc.input))
			if err == nil {
				t.Fatalf("WithReader(%q) succeeded, want an error: %s", tc.input, tc.reason)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q: %s", err, w, tc.reason)
				}
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestWithReaderReadError(t *testing.T) {
	_, err := Default().WithReader("user.txt", failingReader{})
	if err == nil || !strings.Contains(err.Error(), "user.txt") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("WithReader with a failing reader: error = %v, want one naming the file and the cause", err)
	}
}

func TestParseFormat(t *testing.T) {
	cases := []struct {
		name   string
		input  string
		want   map[string][]string
		reason string
	}{
		{"comments and blanks", "# c\n\n  # indented comment\nword\n\n", map[string][]string{"terms": {"word"}}, "comments and blank lines are skipped"},
		{"CRLF", "one\r\ntwo\r\n", map[string][]string{"terms": {"one", "two"}}, "Windows line ends are trimmed"},
		{"BOM", "\ufeffone\n", map[string][]string{"terms": {"one"}}, "a byte-order mark is dropped"},
		{"no final newline", "one\ntwo", map[string][]string{"terms": {"one", "two"}}, "the last line counts"},
		{"section names ignore case", "[Number-Nouns]\nart.\n", map[string][]string{"number-nouns": {"art."}}, "section names are matched ignoring case"},
		{"spaces inside names", "[instruments]\nParis   Agreement\t\n", map[string][]string{"instruments": {"Paris Agreement"}}, "runs of white space become one space"},
		{"spaces inside patterns kept", "[symbols]\n^S/RES/[0-9]+  x$\n", map[string][]string{"symbols": {"^S/RES/[0-9]+  x$"}}, "a pattern is kept as written"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lf, err := parse("t.txt", strings.NewReader(tc.input), sectionTerms)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for sec, e := range lf.entries {
				if len(e) > 0 {
					got[section(sec).String()] = e
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parse(%q) mismatch (-want +got):\n%s\nwhy: %s", tc.input, diff, tc.reason)
			}
		})
	}
}

// TestZeroSet checks that the zero Set is a usable empty set, so that
// callers and tests can build one from user lists alone.
func TestZeroSet(t *testing.T) {
	var s Set
	_, hyph := s.Hyphenated("nongovernmental")
	_, inst := s.InstrumentBefore("the Paris Agreement")
	_, pre := s.PreambularOpener("Recalling")
	_, op := s.OperativeOpener("Decides")
	got := []bool{s.IsWord("the"), s.IsEnglish("the"), s.IsTerm("UNDP"), s.IsHyphenatedTerm("post-conflict"), hyph, inst, pre, op,
		s.IsSymbol("A/61/444"), s.IsNumberNoun("article"), s.IsFunctionWord("of"), len(s.Preambular()) > 0, len(s.Operative()) > 0}
	if diff := cmp.Diff(make([]bool, len(got)), got); diff != "" {
		t.Errorf("zero Set answers mismatch (-want +got):\n%s", diff)
	}
	var nilSet *Set
	ns, err := nilSet.WithReader("d.txt", strings.NewReader("peacebuilding\n"))
	if err != nil || !ns.IsTerm("peacebuilding") {
		t.Errorf("(*Set)(nil).WithReader = %v, %v; want a Set with the term", ns, err)
	}
}

// FuzzWithReader checks that no input makes loading panic, that a failure
// names the file, and that a loaded Set answers every question.
func FuzzWithReader(f *testing.F) {
	f.Add(userDict)
	f.Add("[symbols]\n^A/[0-9+$\n")
	f.Add("[bogus]\n")
	f.Add("\xff\n")
	f.Add("[instruments]\n, ; .\n–\n")
	f.Add("[english]\nÇA\n[terms]\n-\n--x--\n’s\n")
	f.Add("[preambular]\n \n[operative]\n,\n")
	f.Fuzz(func(t *testing.T, input string) {
		s, err := (&Set{}).WithReader("fuzz.txt", strings.NewReader(input))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt") {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}
		for _, line := range strings.Split(input, "\n") {
			s.IsWord(line)
			s.IsEnglish(line)
			s.IsTerm(line)
			s.IsHyphenatedTerm(line)
			if h, ok := s.Hyphenated(line); ok && !utf8.ValidString(h) && utf8.ValidString(line) {
				t.Errorf("Hyphenated(%q) = %q, not valid UTF-8", line, h)
			}
			s.InstrumentBefore(line)
			s.PreambularOpener(line)
			s.OperativeOpener(line)
			s.IsSymbol(line)
			s.IsNumberNoun(line)
			s.IsFunctionWord(line)
		}
		s.Preambular()
		s.Operative()
	})
}
