package stages_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
)

func TestSplitWordsGolden(t *testing.T) { paraGolden(t, "splitwords", "splitwords") }

// TestSplitWords runs the stage alone over paragraphs given directly, so
// that each row shows one decision and the evidence it rests on.
func TestSplitWords(t *testing.T) {
	tests := []struct {
		name, reason string
		paras        []string
		want         []string
	}{
		{
			name:   "punctuation after the second piece",
			reason: "the comma belongs after the joined word, not inside it",
			paras:  []string{"Recalling the work of regional organi zations, networks and unions,"},
			want:   []string{"Recalling the work of regional organizations, networks and unions,"},
		},
		{
			name:   "opening parenthesis before the first piece",
			reason: "an opening bracket or quote before the first piece does not stop the join",
			paras:  []string{"Noting the Protocol (sup plementing the Convention),"},
			want:   []string{"Noting the Protocol (supplementing the Convention),"},
		},
		{
			name:   "three pieces",
			reason: "a letter alone between two pieces is part of the word (\"Ukrai n e\")",
			paras:  []string{"Expressing concern about the situation in Ukrai n e."},
			want:   []string{"Expressing concern about the situation in Ukraine."},
		},
		{
			name:   "hyphen set off in a possessive compound",
			reason: "\"Secretary -General’s\" is Secretary-General’s; the possessive stays on the second half",
			paras:  []string{"Welcoming the Secretary -General’s report,"},
			want:   []string{"Welcoming the Secretary-General’s report,"},
		},
		{
			name:   "evidence from the other paragraphs",
			reason: "the document's vocabulary is counted over all its paragraphs: \"persons\" in two of them makes \"per sons\" in the third one word",
			paras: []string{
				"Recalling its resolutions on trafficking in persons,",
				"Noting that persons with disabilities face particular risks,",
				"1. Urges States to protect per sons who are victims of trafficking;",
			},
			want: []string{
				"Recalling its resolutions on trafficking in persons,",
				"Noting that persons with disabilities face particular risks,",
				"1. Urges States to protect persons who are victims of trafficking;",
			},
		},
		{
			name:   "no evidence, no join",
			reason: "with \"persons\" nowhere else, \"per sons\" may be what was written; both are words",
			paras:  []string{"1. Urges States to protect per sons who are victims of trafficking;"},
			want:   []string{"1. Urges States to protect per sons who are victims of trafficking;"},
		},
		{
			name:   "ordinal compounds in every case",
			reason: "\"seventyfourth\" is seventy-fourth, and a capital at the start stays: \"Seventyfourth\"",
			paras:  []string{"Seventyfourth session: provisional agenda of the seventyfourth session"},
			want:   []string{"Seventy-fourth session: provisional agenda of the seventy-fourth session"},
		},
		{
			name:   "one-word UN spellings",
			reason: "the UN writes peacekeeping, peacebuilding, cooperation and coordination as one word; none gains a hyphen",
			paras:  []string{"Stressing peacekeeping, peacebuilding, cooperation and coordination,"},
			want:   []string{"Stressing peacekeeping, peacebuilding, cooperation and coordination,"},
		},
		{
			name:   "free word pairs after a bound prefix",
			reason: "after a bound prefix such as \"post\", only a compound the UN writes with a hyphen is joined: \"post conflict\" is one, \"post office\" is not",
			paras:  []string{"Noting the post office and post conflict reconstruction,"},
			want:   []string{"Noting the post office and post-conflict reconstruction,"},
		},
		{
			name:   "a number after a spaced hyphen",
			reason: "\"2015 -2030\" is a period, not a compound of two words",
			paras:  []string{"Recalling the Sendai Framework for Disaster Risk Reduction 2015 -2030,"},
			want:   []string{"Recalling the Sendai Framework for Disaster Risk Reduction 2015 -2030,"},
		},
	}
	dict := dictionaries.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := paraDoc(tt.paras)
			before := paraSnap(doc)
			paraRunChecked(t, tt.name, pipeline.Pipeline{stages.NewSplitWords(dict)}, doc)
			if diff := cmp.Diff(tt.want, paraTexts(doc)); diff != "" {
				t.Errorf("%s\nwhy: %s\nparagraphs mismatch (-want +got):\n%s", tt.name, tt.reason, diff)
			}
			if msg := splitWordsChangedMoreThanSpaces(before.paras, doc.Paragraphs); msg != "" {
				t.Error(msg)
			}
			if msg := paraSecondRunDifference(doc, "splitwords"); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// splitWordsSquash is s without spaces and hyphens, in lower case: what
// SplitWords must leave as it was.
func splitWordsSquash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// splitWordsChangedMoreThanSpaces checks the stage's contract: it only
// removes spaces and adds or moves hyphens (and may restore the capitals a
// term has), so each paragraph is the same once spaces, hyphens and case
// are set aside.
func splitWordsChangedMoreThanSpaces(before, after []pipeline.Paragraph) string {
	if len(before) != len(after) {
		return "SplitWords changed the number of paragraphs"
	}
	for i := range before {
		if splitWordsSquash(before[i].Text) != splitWordsSquash(after[i].Text) {
			return "SplitWords changed more than spaces and hyphens:\n" + cmp.Diff(before[i].Text, after[i].Text)
		}
	}
	return ""
}

// FuzzSplitWords checks, on any input, that the stage only removes spaces
// and adds hyphens, and that its repairs say so too.
func FuzzSplitWords(f *testing.F) {
	paraAddFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		before, after := paraFuzzThrough(t, data, kind, "splitwords")
		if after == nil {
			return
		}
		if msg := splitWordsChangedMoreThanSpaces(before.Paragraphs, after.Paragraphs); msg != "" {
			t.Fatal(msg)
		}
		for _, r := range after.Log {
			if r.Stage == "splitwords" && splitWordsSquash(r.Before) != splitWordsSquash(r.After) {
				t.Fatalf("repair %q -> %q changes more than spaces and hyphens", r.Before, r.After)
			}
		}
	})
}
