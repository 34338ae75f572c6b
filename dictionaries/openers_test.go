package dictionaries

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

type openerResult struct {
	Opener string
	OK     bool
}

type openerCase struct {
	name   string
	text   string
	want   openerResult
	reason string
}

func runOpenerCases(t *testing.T, method string, f func(string) (string, bool), cases []openerCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := f(tc.text)
			if diff := cmp.Diff(tc.want, openerResult{o, ok}); diff != "" {
				t.Errorf("%s(%q) mismatch (-want +got):\n%s\nwhy: %s", method, tc.text, diff, tc.reason)
			}
		})
	}
}

func TestPreambularOpener(t *testing.T) {
	s := Default()
	none := openerResult{}
	runOpenerCases(t, "PreambularOpener", s.PreambularOpener, []openerCase{
		{"plain", "Recalling its resolution 61/180 of 20 December 2006,", openerResult{"Recalling", true}, "the commonest opener"},
		{"also", "Recalling also its resolution 60/1,", openerResult{"Recalling also", true}, "the longer opener wins"},
		{"further", "Further recalling the 2030 Agenda,", openerResult{"Further recalling", true}, "adverb first"},
		{"with deep concern", "Noting with deep concern that", openerResult{"Noting with deep concern", true}, "longest of Noting, Noting with concern, Noting with deep concern"},
		{"noting with concern", "Noting with concern the", openerResult{"Noting with concern", true}, "not Noting with deep concern"},
		{"multi-word", "Bearing in mind that", openerResult{"Bearing in mind", true}, "openers can be phrases"},
		{"taking note of", "Taking note of the report", openerResult{"Taking note of", true}, "phrase ending in a preposition"},
		{"taking note also of", "Taking note also of the report", openerResult{"Taking note also of", true}, "the adverb sits inside the phrase"},
		{"gravely concerned", "Gravely concerned about", openerResult{"Gravely concerned", true}, "adverb variant"},
		{"whole text", "Convinced", openerResult{"Convinced", true}, "the end of text is a boundary"},
		{"comma", "Recalling, in this regard, its", openerResult{"Recalling", true}, "a comma is a boundary"},
		{"leading space", "  Welcoming the", openerResult{"Welcoming", true}, "leading white space is skipped"},
		{"security council", "Acting under Chapter VII of the Charter of the United Nations,", openerResult{"Acting under Chapter VII of the Charter of the United Nations", true}, "the Council's last preambular paragraph"},
		{"lower case", "recalling its resolution", none, "openers are capitalized; mid-sentence use is not an opener"},
		{"longer word", "Recallings", none, "the opener must end at a word boundary"},
		{"operative verb", "Decides to", none, "an operative opener is not a preambular one"},
		{"empty", "", none, "nothing to match"},
	})
}

func TestOperativeOpener(t *testing.T) {
	s := Default()
	none := openerResult{}
	runOpenerCases(t, "OperativeOpener", s.OperativeOpener, []openerCase{
		{"decides", "Decides to remain seized of the matter.", openerResult{"Decides", true}, "a listed phrase must also end at a boundary"},
		{"also decides", "Also decides to", openerResult{"Also decides", true}, "current adverb order"},
		{"decides also", "Decides also to", openerResult{"Decides also", true}, "older adverb order"},
		{"requests also", "Requests also the Secretary-General", openerResult{"Requests also", true}, "older adverb order"},
		{"calls upon", "Calls upon all States", openerResult{"Calls upon", true}, "two-word opener"},
		{"strongly urges", "Strongly urges Member States", openerResult{"Strongly urges", true}, "adverb variant"},
		{"takes note with appreciation", "Takes note with appreciation of the report", openerResult{"Takes note with appreciation of", true}, "longest wins over Takes note and Takes note of"},
		{"expresses deep concern", "Expresses its deep concern at", openerResult{"Expresses its deep concern", true}, "longest Expresses variant"},
		{"continues to welcome", "Continues to welcome", openerResult{"Continues to welcome", true}, "whole text"},
		{"once again urges", "Once again urges", openerResult{"Once again urges", true}, "listed"},
		{"looks forward", "Looks forward to the", openerResult{"Looks forward to", true}, "listed"},
		{"condemns in the strongest terms", "Condemns in the strongest terms all", openerResult{"Condemns in the strongest terms", true}, "listed"},
		{"preambular", "Recalling", none, "a preambular opener is not an operative one"},
		{"lower case", "decides to", none, "case matters"},
		{"prefix of a word", "Decidesx", none, "must end at a word boundary"},
	})
}

func TestOpenerLists(t *testing.T) {
	s := Default()
	for _, tc := range []struct {
		name string
		list []string
		min  int
	}{
		{"preambular", s.Preambular(), 150},
		{"operative", s.Operative(), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.list) < tc.min {
				t.Errorf("%d %s openers, want at least %d", len(tc.list), tc.name, tc.min)
			}
			seen := map[string]bool{}
			for i, o := range tc.list {
				if seen[o] {
					t.Errorf("%q listed twice", o)
				}
				seen[o] = true
				if r, _ := utf8.DecodeRuneInString(o); !unicode.IsUpper(r) {
					t.Errorf("%q is not capitalized; openers begin a paragraph", o)
				}
				if i > 0 && len(o) > len(tc.list[i-1]) {
					t.Errorf("%q comes after the shorter %q; the list must be longest first", o, tc.list[i-1])
				}
			}
		})
	}
}

// TestOpenerListIsACopy checks that a caller cannot change the Set through
// the slice it is given.
func TestOpenerListIsACopy(t *testing.T) {
	s, err := (&Set{}).WithReader("dict.txt", strings.NewReader("[preambular]\nRecalling\n[operative]\nDecides\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Preambular()
	p[0] = "Changed"
	o := s.Operative()
	o[0] = "Changed"
	if diff := cmp.Diff([]string{"Recalling"}, s.Preambular()); diff != "" {
		t.Errorf("Preambular() after changing a returned slice mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Decides"}, s.Operative()); diff != "" {
		t.Errorf("Operative() after changing a returned slice mismatch (-want +got):\n%s", diff)
	}
}

func BenchmarkOperativeOpener(b *testing.B) {
	s := Default()
	for _, bc := range []struct{ name, text string }{
		{"long-match", "Takes note with appreciation of the report of the Secretary-General;"},
		{"short", "Decides to remain seized of the matter."},
		{"miss", "The General Assembly, recalling its resolution"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.OperativeOpener(bc.text)
			}
		})
	}
}

// openerMatchByScan is what openerIndex.match answers, found the slow way:
// every opener is tried, longest first, on text without its leading white
// space.
func openerMatchByScan(all []string, text string) (string, bool) {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	for _, o := range all {
		if !strings.HasPrefix(text, o) {
			continue
		}
		rest := text[len(o):]
		if rest == "" || rest[0] == ',' {
			return o, true
		}
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
			return o, true
		}
	}
	return "", false
}

// FuzzOpenerMatch holds the indexed lookup, with its first-byte and ASCII
// shortcuts, to the plain scan over every opener.
func FuzzOpenerMatch(f *testing.F) {
	for _, s := range []string{
		"", " ", "Recalling", "Recalling,", "Recalling\u00a0also", "\u00a0Recalling also", "\u2003Decides", "Recalling\xff",
		"Noting with deep concern\tthat", "Decides\u0085to", "Takes note with appreciation of", "recalling", "Recallingé",
		"Recalling\vx", "Recalling\fx", "Recalling\rx", "É x", ", x",
	} {
		f.Add(s)
	}
	s := Default()
	f.Fuzz(func(t *testing.T, text string) {
		for _, x := range []*openerIndex{s.preambular, s.operative} {
			o, ok := x.match(text)
			wo, wok := openerMatchByScan(x.all, text)
			if o != wo || ok != wok {
				t.Fatalf("match(%q) = %q, %v; the scan over every opener finds %q, %v", text, o, ok, wo, wok)
			}
		}
	})
}

// TestOpenerMatchOnOpeners runs FuzzOpenerMatch's comparison on every
// opener followed by each kind of boundary and non-boundary.
func TestOpenerMatchOnOpeners(t *testing.T) {
	s := Default()
	for _, x := range []*openerIndex{s.preambular, s.operative} {
		for _, o := range x.all {
			for _, text := range []string{o, " " + o, "\u00a0" + o, o + " x", o + ",", o + "\u00a0x", o + "\u2003", o + "x", o + "é", o[:len(o)-1], o + "\v", o + "\u0085"} {
				got, ok := x.match(text)
				want, wok := openerMatchByScan(x.all, text)
				if got != want || ok != wok {
					t.Fatalf("match(%q) = %q, %v; the scan over every opener finds %q, %v", text, got, ok, want, wok)
				}
			}
		}
	}
}
