package dictionaries

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wordCase is one row of a table that asks a yes/no question of a word.
type wordCase struct {
	name   string
	in     string
	want   bool
	reason string
}

func runWordCases(t *testing.T, method string, f func(string) bool, cases []wordCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, f(tc.in)); diff != "" {
				t.Errorf("%s(%q) mismatch (-want +got):\n%s\nwhy: %s", method, tc.in, diff, tc.reason)
			}
		})
	}
}

func TestIsWord(t *testing.T) {
	s := Default()
	runWordCases(t, "IsWord", s.IsWord, []wordCase{
		{"lower-case English", "organization", true, "a plain English word"},
		{"capitalized English", "Organization", true, "case is ignored"},
		{"all capitals", "ORGANIZATION", true, "case is ignored"},
		{"British spelling", "programme", true, "the list is the union of the American and British lists"},
		{"American spelling", "program", true, "the list is the union of the American and British lists"},
		{"accented", "Asunción", true, "SCOWL has accented names; folding keeps the accent"},
		{"UN one-word term missing from SCOWL", "extrabudgetary", true, "unterms.txt supplies UN words SCOWL lacks"},
		{"UN term subprogramme", "subprogrammes", true, "unterms.txt lists the plural"},
		{"hyphenated term", "non-governmental", true, "a single-token UN term is a word"},
		{"hyphenated title", "Secretary-General", true, "a single-token UN term is a word"},
		{"number compound", "seventy-fourth", true, "session ordinals are listed"},
		{"possessive", "Secretary-General's", true, "a trailing 's is allowed"},
		{"typographic possessive", "Assembly’s", true, "a trailing ’s is allowed"},
		{"capital possessive", "COUNCIL'S", true, "the possessive suffix is matched ignoring case"},
		{"plural possessive", "States'", true, "the bare apostrophe after an s is a possessive"},
		{"word of a multi-word name", "Darussalam", true, "the words of multi-word terms are words"},
		{"word of a name in parentheses", "Plurinational", true, "punctuation around a word of a term is dropped"},
		{"acronym", "UNICEF", true, "acronyms of UN bodies are terms"},
		{"split word half", "organi", false, "half of a split word is not a word"},
		{"joined words", "theGeneral", false, "two words run together are not a word"},
		{"empty", "", false, "the empty string is no word"},
		{"possessive alone", "'s", false, "a possessive with no stem is no word"},
		{"multi-word term", "General Assembly", false, "IsWord takes one token; use IsTerm for a whole name"},
		{"digits", "2030", false, "numbers are not in the lists"},
	})
}

func TestIsEnglish(t *testing.T) {
	s := Default()
	runWordCases(t, "IsEnglish", s.IsEnglish, []wordCase{
		{"English word", "recognize", true, "in SCOWL"},
		{"capitalized", "Recognize", true, "case is ignored"},
		{"UN-only word", "extrabudgetary", false, "only in unterms.txt, not in the English list"},
		{"hyphenated term", "non-governmental", false, "SCOWL has no hyphenated entries"},
		{"possessive", "nation's", false, "entries with an apostrophe were dropped and IsEnglish does not strip them"},
		{"empty", "", false, "the empty string is no word"},
	})
}

func TestIsTerm(t *testing.T) {
	s := Default()
	runWordCases(t, "IsTerm", s.IsTerm, []wordCase{
		{"hyphenated", "non-governmental", true, "listed"},
		{"other casing", "Non-Governmental", true, "case is ignored"},
		{"title", "Secretary-General", true, "listed"},
		{"title lower-case", "secretary-general", true, "case is ignored"},
		{"one-word UN term", "peacebuilding", true, "listed as one word"},
		{"acronym", "UN-Women", true, "listed"},
		{"slash", "HIV/AIDS", true, "terms may contain a slash"},
		{"typographic apostrophe", "Côte d'Ivoire", true, "’ and ' are the same in keys"},
		{"whole multi-word term", "General Assembly", true, "a multi-word term matches whole"},
		{"word of a multi-word term", "Assembly", false, "IsTerm wants the whole term, unlike IsWord"},
		{"English word", "house", false, "not a UN term"},
		{"unhyphenated form", "nongovernmental", false, "only the UN form is listed; Hyphenated maps to it"},
		{"empty", "", false, "the empty string is no term"},
	})
}

func TestIsHyphenatedTerm(t *testing.T) {
	s := Default()
	runWordCases(t, "IsHyphenatedTerm", s.IsHyphenatedTerm, []wordCase{
		{"non-governmental", "non-governmental", true, "the UN always hyphenates it"},
		{"post-conflict", "post-conflict", true, "the UN always hyphenates it"},
		{"capitalized", "Post-conflict", true, "case is ignored"},
		{"ordinal", "sixty-first", true, "number compounds are listed"},
		{"cardinal", "ninety-nine", true, "number compounds are listed"},
		{"title", "Under-Secretary-General", true, "several hyphens"},
		{"one-word term", "intergovernmental", false, "one word, no hyphen"},
		{"one-word term peacekeeping", "peacekeeping", false, "one word, no hyphen"},
		{"unlisted compound", "well-known", false, "not a UN term"},
		{"multi-word term with hyphen", "Assistant Secretary-General", false, "not a single token"},
		{"wrong hyphenation", "peace-keeping", false, "the UN writes peacekeeping"},
		{"inter-governmental", "inter-governmental", false, "the UN writes intergovernmental as one word"},
	})
}

func TestHyphenated(t *testing.T) {
	s := Default()
	type result struct {
		Term string
		OK   bool
	}
	cases := []struct {
		name   string
		in     string
		want   result
		reason string
	}{
		{"joined", "nongovernmental", result{"non-governmental", true}, "the hyphen is restored"},
		{"already hyphenated", "non-governmental", result{"non-governmental", true}, "hyphens are ignored in the key"},
		{"sentence start", "Nongovernmental", result{"Non-governmental", true}, "a capital first letter is kept"},
		{"heading", "NONGOVERNMENTAL", result{"NON-GOVERNMENTAL", true}, "all capitals stay all capitals"},
		{"title joined", "secretarygeneral", result{"Secretary-General", true}, "a name keeps its capitals even from lower-case input"},
		{"title with space", "Secretary General", result{"Secretary-General", true}, "spaces are ignored in the key"},
		{"title with line-break hyphen and space", "Secretary- General", result{"Secretary-General", true}, "hyphens and spaces both go"},
		{"soft hyphen", "post\u00adconflict", result{"post-conflict", true}, "a soft hyphen counts as a hyphen"},
		{"ordinal", "seventyfourth", result{"seventy-fourth", true}, "session ordinals"},
		{"ordinal capital", "Sixtyfirst", result{"Sixty-first", true}, "sentence-initial ordinal"},
		{"several hyphens", "undersecretarygeneral", result{"Under-Secretary-General", true}, "all hyphens restored"},
		{"mixed case name", "unwomen", result{"UN-Women", true}, "listed casing"},
		{"possessive", "SecretaryGeneral's", result{"Secretary-General's", true}, "the possessive is carried over"},
		{"one-word term", "peacekeeping", result{"", false}, "no hyphenated term has that key"},
		{"multi-word term", "assistantsecretarygeneral", result{"", false}, "only single-token terms are keyed"},
		{"plain word", "house", result{"", false}, "not a term"},
		{"empty", "", result{"", false}, "nothing to look up"},
		{"hyphens only", "--", result{"", false}, "the key is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			term, ok := s.Hyphenated(tc.in)
			if diff := cmp.Diff(tc.want, result{term, ok}); diff != "" {
				t.Errorf("Hyphenated(%q) mismatch (-want +got):\n%s\nwhy: %s", tc.in, diff, tc.reason)
			}
		})
	}
}

// TestHyphenatedKeysUnique checks that no two hyphenated terms share a key,
// which would make Hyphenated's answer depend on the order of the list.
func TestHyphenatedKeysUnique(t *testing.T) {
	lf, err := parseString("unterms.txt", untermsTxt, sectionTerms)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, term := range lf.entries[sectionTerms] {
		if containsSpace(term) || !containsHyphen(term) {
			continue
		}
		k := hyphenKey(term)
		if prev, ok := seen[k]; ok && prev != term {
			t.Errorf("unterms.txt: %q and %q have the same key %q; keep one", prev, term, k)
		}
		seen[k] = term
	}
}

func containsSpace(s string) bool {
	for _, r := range s {
		if isSpace(r) {
			return true
		}
	}
	return false
}

func containsHyphen(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			return true
		}
	}
	return false
}

// TestNumberCompounds checks that every tens-and-units compound from
// twenty-one to ninety-nine, cardinal and ordinal, is a hyphenated term.
func TestNumberCompounds(t *testing.T) {
	s := Default()
	tens := []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	units := []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	ordinals := []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
	for _, ten := range tens {
		for i := range units {
			for _, w := range []string{ten + "-" + units[i], ten + "-" + ordinals[i]} {
				if !s.IsHyphenatedTerm(w) {
					t.Errorf("IsHyphenatedTerm(%q) = false, want true: unterms.txt lists every number compound", w)
				}
			}
		}
	}
}

func TestIsNumberNoun(t *testing.T) {
	s := Default()
	runWordCases(t, "IsNumberNoun", s.IsNumberNoun, []wordCase{
		{"article", "article", true, "article 5"},
		{"Article capital", "Article", true, "case is ignored: Article 51 of the Charter"},
		{"paragraphs", "paragraphs", true, "paragraphs 3 and 4"},
		{"para.", "para.", true, "the full stop of an abbreviation is kept"},
		{"No.", "No.", true, "vol. 1249, No. 20378"},
		{"no. lower", "no.", true, "case is ignored"},
		{"annex in parenthesis", "(annex", true, "an opening parenthesis is ignored"},
		{"month", "January", true, "1 January 2020: a number after a month is a day or year"},
		{"Goal", "Goal", true, "Sustainable Development Goal 5"},
		{"session", "session", false, "a footnote often follows: at its sixty-first session,3"},
		{"Protocol", "Protocol", false, "instruments are footnoted: the Kyoto Protocol5"},
		{"Convention", "Convention", false, "instruments are footnoted"},
		{"sentence end", "paragraph.", false, "the full stop is kept, and paragraph. is not listed"},
		{"empty", "", false, "nothing to look up"},
		{"punctuation only", ",", false, "nothing left after trimming"},
	})
}

func TestIsNumberNounTrimsClosingPunctuation(t *testing.T) {
	s := Default()
	runWordCases(t, "IsNumberNoun", s.IsNumberNoun, []wordCase{
		{"comma", "resolution,", true, "punctuation other than a full stop is trimmed"},
		{"closing parenthesis", "paras.)", true, "the parenthesis goes, the full stop stays"},
		{"quote", "“article", true, "an opening quotation mark is ignored"},
	})
}

func TestIsFunctionWord(t *testing.T) {
	s := Default()
	runWordCases(t, "IsFunctionWord", s.IsFunctionWord, []wordCase{
		{"of", "of", true, "preposition"},
		{"The", "The", true, "case is ignored"},
		{"and", "and", true, "conjunction"},
		{"which", "which", true, "relative pronoun"},
		{"shall", "shall", true, "modal"},
		{"and/or", "and/or", true, "listed as one token"},
		{"thereto", "thereto", false, "the Optional Protocols thereto,2: a footnote can follow"},
		{"above", "above", false, "as referred to above: can end a footnoted phrase"},
		{"Roman I", "I", false, "Additional Protocol I,3: the pronoun I is left out"},
		{"noun", "Convention", false, "content word"},
		{"empty", "", false, "nothing to look up"},
	})
}

// TestLookupsDoNotAllocate pins the promise that per-token lookups are free
// of allocations for words of ordinary length. IsSymbol is left out: the
// regexp package keeps its matchers in a sync.Pool, which the race detector
// empties at random, so its allocations are the regexp package's business
// (BenchmarkIsSymbol reports them).
func TestLookupsDoNotAllocate(t *testing.T) {
	s := Default()
	cases := []struct {
		name   string
		f      func()
		reason string
	}{
		{"IsWord lower-case", func() { s.IsWord("organization") }, "the hot path: a lower-case word is its own key"},
		{"IsWord capitalized", func() { s.IsWord("Organization") }, "folded into a stack buffer"},
		{"IsWord possessive", func() { s.IsWord("Secretary-General's") }, "the stem is a substring"},
		{"IsWord miss", func() { s.IsWord("organi") }, "a miss costs no more than a hit"},
		{"IsWord accented", func() { s.IsWord("Asunción") }, "non-ASCII folding uses the stack buffer too"},
		{"IsEnglish", func() { s.IsEnglish("Recognize") }, "folded into a stack buffer"},
		{"IsTerm", func() { s.IsTerm("Non-Governmental") }, "folded into a stack buffer"},
		{"IsHyphenatedTerm", func() { s.IsHyphenatedTerm("post-conflict") }, "folded into a stack buffer"},
		{"Hyphenated", func() { s.Hyphenated("nongovernmental") }, "the key is built on the stack and the term returned as stored"},
		{"IsNumberNoun", func() { s.IsNumberNoun("Paragraph,") }, "trimming slices, folding uses the stack"},
		{"IsFunctionWord", func() { s.IsFunctionWord("The") }, "folded into a stack buffer"},
		{"InstrumentBefore", func() { s.InstrumentBefore("the Convention on the Rights of the Child,") }, "words are compared in place"},
		{"PreambularOpener", func() { s.PreambularOpener("Noting with concern that") }, "returns a listed string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := testing.AllocsPerRun(100, tc.f)
			if diff := cmp.Diff(0.0, got); diff != "" {
				t.Errorf("allocations per call mismatch (-want +got):\n%s\nwhy none: %s", diff, tc.reason)
			}
		})
	}
}

func BenchmarkIsWord(b *testing.B) {
	s := Default()
	for _, bc := range []struct{ name, word string }{
		{"lower", "organization"},
		{"capitalized", "Organization"},
		{"term", "non-governmental"},
		{"possessive", "Secretary-General's"},
		{"miss", "organi"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.word)))
			for b.Loop() {
				s.IsWord(bc.word)
			}
		})
	}
}

func BenchmarkHyphenated(b *testing.B) {
	s := Default()
	b.ReportAllocs()
	for b.Loop() {
		s.Hyphenated("secretarygeneral")
	}
}

func BenchmarkIsNumberNoun(b *testing.B) {
	s := Default()
	b.ReportAllocs()
	for b.Loop() {
		s.IsNumberNoun("paragraphs,")
	}
}
