package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html/atom"

	"github.com/emend/emend/pipeline"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, text string
		want       []token
		why        string
	}{
		{"empty", "", nil, "no words, no tokens"},
		{"punctuation only", " — , ; ", nil, "only letters and digits make words"},
		{"words and numbers", "Recalling resolution 55/25,", []token{
			{"recalling", 3, 0, 9}, {"resolution", 3, 10, 20}, {"55", 3, 21, 23}, {"25", 3, 24, 26},
		}, "folded to lower case; a slash splits a symbol into its numbers"},
		{"word at the end", "1. Decides", []token{{"1", 3, 0, 1}, {"decides", 3, 3, 10}},
			"the last word runs to the end of the text"},
		{"accents", "Côte d’Ivoire", []token{{"côte", 3, 0, 5}, {"d", 3, 6, 7}, {"ivoire", 3, 10, 16}},
			"offsets are bytes: ô is two, ’ three"},
		{"glued marker", "Crime1 Slavery,4", []token{{"crime1", 3, 0, 6}, {"slavery", 3, 7, 14}, {"4", 3, 15, 16}},
			"digits glued to a word stay in it, as the input has them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokenize(tt.text, 3)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(token{})); diff != "" {
				t.Errorf("tokenize(%q): %s (-want +got):\n%s", tt.text, tt.why, diff)
			}
			for _, tk := range got {
				if strings.ToLower(tt.text[tk.start:tk.end]) != tk.norm {
					t.Errorf("token %q does not spell text[%d:%d] = %q", tk.norm, tk.start, tk.end, tt.text[tk.start:tk.end])
				}
			}
		})
	}
}

// nearestByHand is nearest by brute force: the occurrence of needle
// closest to hint, the earlier on a tie.
func nearestByHand(text, needle string, hint int) int {
	best := -1
	for i := 0; i+len(needle) <= len(text); i++ {
		if needle != "" && text[i:i+len(needle)] == needle && (best < 0 || abs(i-hint) < abs(best-hint)) {
			best = i
		}
	}
	return best
}

func TestNearest(t *testing.T) {
	tests := []struct {
		name, text, needle string
		hint, want         int
		why                string
	}{
		{"only one", "the Court of Justice", "Court", 0, 4, "one occurrence, whatever the hint"},
		{"first is closest", "Court, Court, Court", "Court", 2, 0, "the hint is nearest the first"},
		{"middle is closest", "Court, Court, Court", "Court", 8, 7, "the hint is nearest the second"},
		{"last is closest", "Court, Court, Court", "Court", 100, 14, "a hint past the end picks the last"},
		{"negative hint", "Court, Court", "Court", -5, 0, "a hint before the start picks the first"},
		{"closer later", "ab..ab", "ab", 3, 4, "occurrences at 0 and 4 are 3 and 1 away: 4 wins"},
		{"overlapping", "aaaa", "aa", 1, 1, "occurrences may overlap"},
		{"absent", "Court", "Crime", 0, -1, "no occurrence"},
		{"empty needle", "Court", "", 0, -1, "an empty needle is nowhere"},
		{"empty text", "", "a", 0, -1, "nothing in nothing"},
		{"multibyte", "é ’é ’é", "’é", 8, 9, "offsets are bytes (occurrences at 3 and 9), and the search steps by rune"},
		{"multibyte first", "’’’’", "’’", 4, 3, "three-byte runes: occurrences at 0, 3 and 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nearest(tt.text, tt.needle, tt.hint)
			if got != tt.want {
				t.Errorf("nearest(%q, %q, %d) = %d, want %d: %s", tt.text, tt.needle, tt.hint, got, tt.want, tt.why)
			}
			if by := nearestByHand(tt.text, tt.needle, tt.hint); got != by && abs(got-tt.hint) != abs(by-tt.hint) {
				t.Errorf("nearest(%q, %q, %d) = %d, by hand %d", tt.text, tt.needle, tt.hint, got, by)
			}
		})
	}
	// The tie case, stated exactly: both 4 and 0 are 2 from 2.
	if got := nearest("ab..ab", "ab", 2); got != 0 {
		t.Errorf("nearest at equal distance = %d, want the earlier, 0", got)
	}
}

func TestSortSpots(t *testing.T) {
	tests := []struct {
		name     string
		in, want []spot
		why      string
	}{
		{"sorted by start", []spot{{1, 10, 12}, {2, 0, 3}, {3, 5, 6}}, []spot{{2, 0, 3}, {3, 5, 6}, {1, 10, 12}}, "in text order"},
		{"overlap dropped", []spot{{1, 0, 5}, {2, 3, 8}}, []spot{{1, 0, 5}}, "a text is highlighted once: of two as wide, the first logged stays"},
		{"narrower kept", []spot{{1, 2, 4}, {2, 0, 10}}, []spot{{1, 2, 4}}, "a repair of a whole line gives way to the word another changed in it"},
		{"same start, shorter kept", []spot{{1, 0, 3}, {2, 0, 9}}, []spot{{1, 0, 3}}, "at one start the narrower wins"},
		{"same span, first logged kept", []spot{{1, 0, 3}, {2, 0, 3}}, []spot{{1, 0, 3}}, "the sort is stable"},
		{"adjacent kept", []spot{{1, 0, 3}, {2, 3, 6}}, []spot{{1, 0, 3}, {2, 3, 6}}, "touching is not overlapping"},
		{"point kept", []spot{{1, 4, 4}}, []spot{{1, 4, 4}}, "a deletion is a point"},
		{"two points once", []spot{{1, 4, 4}, {2, 4, 4}}, []spot{{1, 4, 4}}, "one gap sign per place"},
		{"point inside a span dropped", []spot{{1, 0, 9}, {2, 4, 4}}, []spot{{1, 0, 9}}, "no gap sign inside a highlight"},
		{"point at a span's end kept", []spot{{1, 0, 4}, {2, 4, 4}}, []spot{{1, 0, 4}, {2, 4, 4}}, "the gap follows the highlight"},
		{"points at different places", []spot{{1, 7, 7}, {2, 2, 2}}, []spot{{2, 2, 2}, {1, 7, 7}}, "both kept, in order"},
		{"empty", nil, nil, "nothing to sort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]spot(nil), tt.in...)
			got := sortSpots(in)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(spot{})); diff != "" {
				t.Errorf("sortSpots(%v): %s (-want +got):\n%s", tt.in, tt.why, diff)
			}
		})
	}
}

func TestWordOffsets(t *testing.T) {
	w := func(s ...string) []pipeline.Word {
		var out []pipeline.Word
		for _, x := range s {
			out = append(out, pipeline.Word{Text: x})
		}
		return out
	}
	tests := []struct {
		name  string
		text  string
		words []pipeline.Word
		want  []int
		why   string
	}{
		{"none", "text", nil, nil, "text inputs have no words"},
		{"in order", "United Nations A/RES/73/7", w("United", "Nations", "A/RES/73/7"), []int{0, 7, 15}, "each word where it is"},
		{"repeated", "the Court and the Court", w("the", "Court", "the", "Court"), []int{0, 4, 14, 18}, "a repeated word is found after the one before"},
		{"missing", "the Court", w("the", "Tribunal", "Court"), []int{0, -1, 4}, "a word not in the text is -1 and does not stop the rest"},
		{"empty word", "the Court", w("the", "", "Court"), []int{0, -1, 4}, "an empty word is nowhere"},
		{"joined glyph", "Court\U0010fffd!", w("Court", "!"), []int{0, 9}, "a raised glyph's word after the private mark (4 bytes)"},
		{"out of order", "Court the", w("the", "Court"), []int{6, -1}, "words are looked for in order only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wordOffsets(tt.text, tt.words)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("wordOffsets(%q): %s (-want +got):\n%s", tt.text, tt.why, diff)
			}
		})
	}
}

// sourceOf is a one-page input of the lines given, numbered from 1.
func sourceOf(lines ...string) *source {
	p := pipeline.Page{Number: 1}
	for i, l := range lines {
		p.Lines = append(p.Lines, pipeline.Line{Text: l, Origin: i + 1})
	}
	return newSource([]pipeline.Page{p})
}

// at says where in src a token index lands: the line and the word there.
func at(src *source, k int) string {
	if k < 0 || k >= len(src.tokens) {
		return "nowhere"
	}
	l := src.tokenLoc(k)
	return strings.Fields(src.lines[l.line].text[l.off:] + " ")[0]
}

func TestSourceFind(t *testing.T) {
	src := sourceOf("Recalling its resolution 55/25, Recalling also the report of the Secretary-General,")
	tests := []struct {
		name      string
		want      string
		from, lim int
		wantTok   int
		why       string
	}{
		{"first three words", "Recalling its resolution", 0, 100, 0, "the opening words where they are"},
		{"from skips", "Recalling also the report", 1, 100, 5, "the first occurrence at or after from"},
		{"limit stops", "Recalling also the report", 0, 6, -1, "not found before limit"},
		{"first word changed", "Reminding also the report", 0, 100, 6, "the next three words find it; the changed one is not walked back over"},
		{"walk back", "Recalling also the report", 0, 100, 5, "found on its first words, no walking"},
		{"short text", "report", 0, 100, 8, "a one-word paragraph by its word"},
		{"absent", "Decides to act", 0, 100, -1, "not in the input"},
		{"empty", "", 0, 100, -1, "an empty paragraph is found nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := src.find(tokenize(tt.want, -1), tt.from, tt.lim); got != tt.wantTok {
				t.Errorf("find(%q, %d, %d) = %d (%s), want %d (%s): %s", tt.want, tt.from, tt.lim, got, at(src, got), tt.wantTok, at(src, tt.wantTok), tt.why)
			}
		})
	}
}

// anchorCase is an input and the paragraphs cleaned from it, with the word
// each paragraph's stretch of input must open on.
type anchorCase struct {
	name  string
	lines []string
	paras []pipeline.Paragraph
	want  []string // the input word each paragraph's row starts with
	why   string
}

func para(text string, line int) pipeline.Paragraph {
	return pipeline.Paragraph{Text: text, Page: 1, Line: line}
}

func TestAnchorParagraphs(t *testing.T) {
	tests := []anchorCase{
		{
			name:  "a line each",
			lines: []string{"The General Assembly,", "Recalling its resolution 55/25,", "1. Decides to act;"},
			paras: []pipeline.Paragraph{para("The General Assembly,", 1), para("Recalling its resolution 55/25,", 2), para("1. Decides to act;", 3)},
			want:  []string{"The", "Recalling", "1."},
			why:   "each paragraph at the line the paragraph stage recorded",
		},
		{
			name:  "flattened",
			lines: []string{"Recalling its resolution 55/25, Recalling also the report, 1. Decides to act; 2. Requests the Secretary-General to report."},
			paras: []pipeline.Paragraph{
				para("Recalling its resolution 55/25,", 1), para("Recalling also the report,", 1),
				para("1. Decides to act;", 1), para("2. Requests the Secretary-General to report.", 1),
			},
			want: []string{"Recalling", "Recalling", "1.", "2."},
			why:  "one line, several paragraphs: each by its opening words, in order",
		},
		{
			name:  "displaced number",
			lines: []string{"Underlining the need to act, Recognizes that broad cooperation 1. is essential; Underlines the importance of partnerships 2. and actions;"},
			paras: []pipeline.Paragraph{
				para("Underlining the need to act,", 1),
				{Kind: pipeline.ParaOperative, Number: "1", Text: "1. Recognizes that broad cooperation is essential;", Page: 1, Line: 1},
				{Kind: pipeline.ParaOperative, Number: "2", Text: "2. Underlines the importance of partnerships and actions;", Page: 1, Line: 1},
			},
			want: []string{"Underlining", "Recognizes", "Underlines"},
			why:  "the number moved back to the start is not where the paragraph starts in the input",
		},
		{
			name:  "repeated opening",
			lines: []string{"Recalling its resolution 55/25, Recalling its resolution 58/137, Decides to act;"},
			paras: []pipeline.Paragraph{para("Recalling its resolution 55/25,", 1), para("Recalling its resolution 58/137,", 1), para("Decides to act;", 1)},
			want:  []string{"Recalling", "Recalling", "Decides"},
			why:   "the second paragraph is looked for after the first, not found again at the first",
		},
		{
			name:  "not found",
			lines: []string{"The General Assembly,", "Recalling its resolution 55/25,"},
			paras: []pipeline.Paragraph{para("The General Assembly,", 1), para("Something the input never said", 2), para("Recalling its resolution 55/25,", 2)},
			want:  []string{"The", "The", "Recalling"},
			why:   "a paragraph not found starts where the one before it did; the next is still found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkAnchors(t, tt) })
	}
}

// TestAnchorJoinedSplitWord anchors a paragraph whose first word the split
// word stage joined ("Organi zations" → "Organizations"): its row should
// open on the split word, not after it.
func TestAnchorJoinedSplitWord(t *testing.T) {
	t.Skip(`BUG: source.find walks back only over tokens equal to the paragraph's; a first word the input splits ("organi" "zations") is left to the row before`)
	for _, tt := range []anchorCase{
		{
			name:  "at a line start",
			lines: []string{"The General Assembly,", "Organi zations of the world are invited to act;", "Decides to act;"},
			paras: []pipeline.Paragraph{para("The General Assembly,", 1), para("Organizations of the world are invited to act;", 2), para("Decides to act;", 3)},
			want:  []string{"The", "Organi", "Decides"},
			why:   "the paragraph stage recorded line 2, whose first word is the split one",
		},
		{
			name:  "flattened",
			lines: []string{"Recalling its resolution 55/25, Organi zations of the world are invited to act; Decides to act;"},
			paras: []pipeline.Paragraph{para("Recalling its resolution 55/25,", 1), para("Organizations of the world are invited to act;", 1), para("Decides to act;", 1)},
			want:  []string{"Recalling", "Organi", "Decides"},
			why:   "the two halves belong to the paragraph that joined them",
		},
	} {
		t.Run(tt.name, func(t *testing.T) { checkAnchors(t, tt) })
	}
	t.Run("end to end", func(t *testing.T) {
		input := "The General Assembly,\n\nRecalling its resolution 61/180 of 20 December 2006 on trafficking in persons,\n\n" +
			"Organi zations of the United Nations system are invited to cooperate with Member States;\n\n1. Decides to remain seized of the matter.\n"
		doc := cleanBytes(t, "split.txt", []byte(input))
		if len(doc.Paragraphs) != 4 || !strings.HasPrefix(doc.Paragraphs[2].Text, "Organizations of") {
			t.Fatalf("the split word stage should join the first word of paragraph 3: %+v", doc.Paragraphs)
		}
		p := render(t, doc, Options{})
		orig := func(id string) string { return origText(find(p.mustID(t, id), sel(atom.Div, "orig"))[0]) }
		if got := orig("p-3"); !strings.HasPrefix(got, "Organi zations of") {
			t.Errorf("row 3's input reads %q, want it to open on the split word", got)
		}
		if got := orig("p-2"); strings.Contains(got, "Organi") {
			t.Errorf("row 2's input ends with paragraph 3's first word: %q", got)
		}
		if h := findHighlights(t, p, doc); len(h.orig[0]) == 0 {
			t.Errorf("the split word repair %q is not highlighted in the input", doc.Log[0].Before)
		}
	})
}

func checkAnchors(t *testing.T, tt anchorCase) {
	t.Helper()
	src := sourceOf(tt.lines...)
	anchors := src.anchorParagraphs(tt.paras)
	var got []string
	for _, k := range anchors {
		got = append(got, at(src, k))
	}
	if diff := cmp.Diff(tt.want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", tt.why, diff)
	}
	for i := 1; i < len(anchors); i++ {
		if anchors[i] < anchors[i-1] {
			t.Errorf("paragraph %d starts at token %d, before paragraph %d at %d", i+1, anchors[i], i, anchors[i-1])
		}
	}
}

func TestAnchorFootnote(t *testing.T) {
	src := sourceOf(
		"Recalling the Convention,1 and the Protocol,2",
		"_______________",
		"1 United Nations, Treaty Series, vol. 2225, No. 39574.",
		"2 Ibid., vol. 2237, No. 39574.",
	)
	tests := []struct {
		note      pipeline.Footnote
		from, end string // the first word and the last of the definition in the input
		ok        bool
	}{
		{pipeline.Footnote{Number: 1, Text: "United Nations, Treaty Series, vol. 2225, No. 39574.", Page: 1}, "1", "39574.", true},
		{pipeline.Footnote{Number: 2, Text: "Ibid., vol. 2237, No. 39574.", Page: 1}, "2", "39574.", true},
		{pipeline.Footnote{Number: 3, Text: "A/73/334.", Page: 1}, "", "", false},
	}
	for _, tt := range tests {
		a, b, ok := src.anchorFootnote(tt.note)
		if ok != tt.ok {
			t.Errorf("footnote %d: found %v, want %v", tt.note.Number, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := at(src, a); got != tt.from {
			t.Errorf("footnote %d starts at %q, want its number %q", tt.note.Number, got, tt.from)
		}
		last := src.tokens[b-1]
		if got := src.lines[last.line].text[last.start:]; got != tt.end {
			t.Errorf("footnote %d ends before %q, want %q", tt.note.Number, got, tt.end)
		}
		if src.tokens[a].line != 2+tt.note.Number-1 {
			t.Errorf("footnote %d found on line %d", tt.note.Number, src.tokens[a].line+1)
		}
	}
}

func TestPlaceInLine(t *testing.T) {
	ol := func(text string) oline { return oline{page: 1, origin: 1, text: text} }
	raised := string(pipeline.RaisedMark)
	tests := []struct {
		name string
		line string
		r    pipeline.Repair
		want string // the highlighted text; "" for not placed
		why  string
	}{
		{"at its offsets", "4.  \\Welcomes", pipeline.Repair{Kind: pipeline.RepairJunk, Before: "\\", After: "", Pos: pipeline.LinePos(1, 1, 4, 5)}, "\\",
			"the recorded offsets hold what the repair says it changed"},
		{"offsets stale", "Court, Court of Justice", pipeline.Repair{Kind: pipeline.RepairSpelling, Before: "Justice", After: "justice", Pos: pipeline.LinePos(1, 1, 0, 7)}, "Justice",
			"looked for near the offsets when they no longer fit"},
		{"footnote moved", "1 United Nations, Treaty Series, vol. 2187.", pipeline.Repair{Kind: pipeline.RepairFootnote, Before: "United Nations, Treaty Series, vol. 2187.", After: "[^1]: United Nations, Treaty Series, vol. 2187.", Pos: pipeline.LinePos(1, 1, 0, 41)}, "United Nations, Treaty Series, vol. 2187.",
			"a definition taken out is shown whole, not narrowed to what its rewritten form changed"},
		{"changed word widened", "Court, Court of Justise", pipeline.Repair{Kind: pipeline.RepairSpelling, Before: "Court of Justise", After: "Court of Justice", Pos: pipeline.LinePos(1, 1, 7, 23)}, "Justise",
			"only the word the repair changed is highlighted, whole"},
		{"whole line removed", "2/5", pipeline.Repair{Kind: pipeline.RepairFurniture, Before: "2/5", After: "", Pos: pipeline.LinePos(1, 1, 0, 3)}, "2/5",
			"a page number removed"},
		{"raised glyph", "the Court ! and", pipeline.Repair{Kind: pipeline.RepairMarker, Before: "Court !", After: "Court" + raised + "!", Pos: pipeline.LinePos(1, 1, 0, 0)}, "!",
			"a reader's marker repair logs the word and its glyph: the glyph is highlighted"},
		{"raised glyph glued", "the Court!", pipeline.Repair{Kind: pipeline.RepairMarker, Before: "Court !", After: "Court" + raised + "!", Pos: pipeline.LinePos(1, 1, 0, 0)}, "!",
			"the line has no space between the word and the glyph"},
		{"not in the line", "nothing here", pipeline.Repair{Kind: pipeline.RepairSpelling, Before: "Avres", After: "A/RES", Pos: pipeline.LinePos(1, 1, 0, 5)}, "",
			"a change the line does not show is not placed"},
		{"join across lines", "against Transnational", pipeline.Repair{Kind: pipeline.RepairParagraph, Before: "…against Transnational ¶ Organized Crime…", After: "…against Transnational Organized Crime…", Pos: pipeline.LinePos(1, 1, 0, 30)}, "against Transnational",
			"the part of a join on this line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ol(tt.line)
			sp, ok := placeInLine(l, tt.r, 7)
			got := ""
			if ok {
				if sp.repair != 7 || sp.start < 0 || sp.end > len(l.text) || sp.start > sp.end {
					t.Fatalf("placeInLine = %+v for a line of %d bytes", sp, len(l.text))
				}
				got = l.text[sp.start:sp.end]
			}
			if got != tt.want {
				t.Errorf("placeInLine highlights %q, want %q: %s", got, tt.want, tt.why)
			}
		})
	}
}

// TestNearestValidUTF8 checks on every start that nearest never returns a
// place inside a rune of valid text.
func TestNearestValidUTF8(t *testing.T) {
	text := "Côte d’Ivoire, Côte d’Ivoire — 日本 Côte"
	for _, needle := range []string{"Côte", "’", "日本", "e"} {
		for hint := -2; hint <= len(text)+2; hint++ {
			i := nearest(text, needle, hint)
			if i < 0 || !utf8.RuneStart(text[i]) || !strings.HasPrefix(text[i:], needle) {
				t.Fatalf("nearest(%q, %d) = %d", needle, hint, i)
			}
			if by := nearestByHand(text, needle, hint); abs(by-hint) != abs(i-hint) {
				t.Errorf("nearest(%q, %d) = %d, %d away; %d is %d away", needle, hint, i, abs(i-hint), by, abs(by-hint))
			}
		}
	}
}
