package evaluate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, reason string
		src          string
		want         parsed // Text is checked by TestParseText
	}{
		{
			name:   "marker glued to word",
			reason: "the gold writes [^N] right after the word it follows",
			src:    "Crime[^1] and",
			want:   parsed{Words: []string{"Crime", "and"}, Marks: []string{"1", ""}, Starts: []int{0}},
		},
		{
			name:   "marker after punctuation",
			reason: "punctuation stays part of the word the marker is on",
			src:    "Crime,[^2] the",
			want:   parsed{Words: []string{"Crime,", "the"}, Marks: []string{"2", ""}, Starts: []int{0}},
		},
		{
			name:   "marker alone after a space",
			reason: "a marker standing alone belongs to the word before it",
			src:    "Crime [^1] and",
			want:   parsed{Words: []string{"Crime", "and"}, Marks: []string{"1", ""}, Starts: []int{0}},
		},
		{
			name:   "lone marker replaces the previous word's marker",
			reason: "a word carries one marker; the scorer overwrites it",
			src:    "Crime[^1] [^2] and",
			want:   parsed{Words: []string{"Crime", "and"}, Marks: []string{"2", ""}, Starts: []int{0}},
		},
		{
			name:   "lone marker before the first word",
			reason: "there is no word to attach it to, so it is dropped",
			src:    "[^1] Recalling",
			want:   parsed{Words: []string{"Recalling"}, Marks: []string{""}, Starts: []int{0}},
		},
		{
			name:   "lone marker opening a paragraph",
			reason: "it attaches to the last word of the paragraph before",
			src:    "One.\n\n[^1] Two",
			want:   parsed{Words: []string{"One.", "Two"}, Marks: []string{"1", ""}, Starts: []int{0, 1}},
		},
		{
			name:   "marker glued before a word",
			reason: "a marker with text after it in the same field is on that field's word",
			src:    "a [^1]word",
			want:   parsed{Words: []string{"a", "word"}, Marks: []string{"", "1"}, Starts: []int{0}},
		},
		{
			name:   "marker inside a word",
			reason: "the marker is cut out and the word closes up",
			src:    "Cri[^1]me",
			want:   parsed{Words: []string{"Crime"}, Marks: []string{"1"}, Starts: []int{0}},
		},
		{
			name:   "two markers on one word",
			reason: "the scorer keeps the first; the second loses its open bracket and its number stays glued to the word",
			src:    "word[^1][^2]",
			want:   parsed{Words: []string{"word2" + markClose}, Marks: []string{"1"}, Starts: []int{0}},
		},
		{
			name:   "marker nested in brackets",
			reason: "cutting the inner marker out leaves a new [^1], which is deleted as well",
			src:    "x[^[^2]1]",
			want:   parsed{Words: []string{"x"}, Marks: []string{"2"}, Starts: []int{0}},
		},
		{
			name:   "marker whose word vanishes",
			reason: "when nothing of the field is left after the second cleanup the marker goes with it",
			src:    "a [^[^2]1]",
			want:   parsed{Words: []string{"a"}, Marks: []string{""}, Starts: []int{0}},
		},
		{
			name:   "marker-like text that is not a marker",
			reason: "only [^digits] is a marker",
			src:    "word[^a] x[1] y^2",
			want:   parsed{Words: []string{"word[^a]", "x[1]", "y^2"}, Marks: []string{"", "", ""}, Starts: []int{0}},
		},
		{
			name:   "control bytes that look like a marker",
			reason: "the scorer brackets markers with \\x01 and \\x02, so the same bytes in the text read as a marker",
			src:    "a\x01b\x02c",
			want:   parsed{Words: []string{"ac"}, Marks: []string{"b"}, Starts: []int{0}},
		},
		{
			name:   "control bytes in the wrong order",
			reason: "the scorer panics on \\x02 before \\x01; here they are plain text and the \\x01 is dropped",
			src:    "a\x02b\x01c",
			want:   parsed{Words: []string{"a\x02bc"}, Marks: []string{""}, Starts: []int{0}},
		},
		{
			name:   "definition on its own line",
			reason: "definitions leave the body and are not words",
			src:    "Text[^1]\n\n[^1]: A/RES/1.",
			want:   parsed{Words: []string{"Text"}, Marks: []string{"1"}, Starts: []int{0}, Notes: map[string]string{"1": "A/RES/1."}},
		},
		{
			name:   "indented definition inside a paragraph",
			reason: "a line is tested for a definition after trimming, wherever it stands; the lines around it stay one paragraph",
			src:    "Text\n \u00a0[^1]:   A/RES/1.  \nmore",
			want:   parsed{Words: []string{"Text", "more"}, Marks: []string{"", ""}, Starts: []int{0}, Notes: map[string]string{"1": "A/RES/1."}},
		},
		{
			name:   "definition text folded and collapsed",
			reason: "definitions must match exactly, so typography and spacing are normalized as in the body",
			src:    "[^2]: See  “annex” –\u00a0\ttwo",
			want:   parsed{Notes: map[string]string{"2": `See "annex" - two`}},
		},
		{
			name:   "later definition wins",
			reason: "notes are a map from number to text",
			src:    "[^1]: first\n[^1]: second",
			want:   parsed{Notes: map[string]string{"1": "second"}},
		},
		{
			name:   "definition numbers are compared as written",
			reason: "the number is a string, so [^01] and [^1] are different notes",
			src:    "[^01]: x\n[^1]: y",
			want:   parsed{Notes: map[string]string{"01": "x", "1": "y"}},
		},
		{
			name:   "colon must follow the bracket",
			reason: "\"[^1] : text\" is body text with a lone marker, which is dropped at the start",
			src:    "[^1] : text",
			want:   parsed{Words: []string{":", "text"}, Marks: []string{"", ""}, Starts: []int{0}},
		},
		{
			name:   "definition with empty text",
			reason: "the text may be empty",
			src:    "[^3]:",
			want:   parsed{Notes: map[string]string{"3": ""}},
		},
		{
			name:   "markers inside a definition",
			reason: "definition text is not searched for markers",
			src:    "[^1]: see[^2] x",
			want:   parsed{Notes: map[string]string{"1": "see[^2] x"}},
		},
		{
			name:   "blank line with spaces and tabs",
			reason: "a line of spaces and tabs separates paragraphs",
			src:    "a\n \t \nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0, 1}},
		},
		{
			name:   "line of NBSP",
			reason: "only spaces and tabs make a blank line; NBSP is a space inside the paragraph",
			src:    "a\n\u00a0\nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0}},
		},
		{
			name:   "line break inside a paragraph",
			reason: "lines of one block join with a space",
			src:    "a\nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0}},
		},
		{
			name:   "CRLF line endings",
			reason: "carriage returns are removed before splitting",
			src:    "a\r\n\r\nb\r\n",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0, 1}},
		},
		{
			name:   "three newlines",
			reason: "still one paragraph break: the leftover newline is a line break",
			src:    "a\n\n\nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0, 1}},
		},
		{
			name:   "block of definitions only",
			reason: "a block with no body lines is no paragraph",
			src:    "a\n\n[^1]: x\n\nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"", ""}, Starts: []int{0, 1}, Notes: map[string]string{"1": "x"}},
		},
		{
			name:   "paragraph of a lone marker",
			reason: "it adds no word, so its start is the next paragraph's",
			src:    "a\n\n[^1]\n\nb",
			want:   parsed{Words: []string{"a", "b"}, Marks: []string{"1", ""}, Starts: []int{0, 1}},
		},
		{
			name:   "last paragraph of a lone marker",
			reason: "its start stands at the end of the body",
			src:    "a\n\n[^1]",
			want:   parsed{Words: []string{"a"}, Marks: []string{"1"}, Starts: []int{0, 1}},
		},
		{
			name:   "curly quotes and dashes",
			reason: "PDF layers and OCR use either; they are folded to ASCII",
			src:    "“Yes” – ‘no’ — x",
			want:   parsed{Words: []string{`"Yes"`, "-", "'no'", "-", "x"}, Marks: []string{"", "", "", "", ""}, Starts: []int{0}},
		},
		{
			name:   "tab and NBSP between words",
			reason: "both are word separators",
			src:    "a\tb\u00a0c",
			want:   parsed{Words: []string{"a", "b", "c"}, Marks: []string{"", "", ""}, Starts: []int{0}},
		},
		{
			name:   "other dashes and quotes",
			reason: "only the six characters of the scorer are folded",
			src:    "a‐b «c» „d“",
			want:   parsed{Words: []string{"a‐b", "«c»", `„d"`}, Marks: []string{"", "", ""}, Starts: []int{0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parse(tt.src)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(parsed{}, "Text")); diff != "" {
				t.Errorf("parse(%q) (%s) mismatch (-want +got):\n%s", tt.src, tt.reason, diff)
			}
		})
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name, reason string
		src, want    string
	}{
		{
			name:   "single spaces",
			reason: "CER must not count layout whitespace",
			src:    "  a \t b\n\n\nc\u00a0 d ",
			want:   "a b c d",
		},
		{
			name:   "markers and definitions removed",
			reason: "CER is measured on body text only",
			src:    "a[^1] b [^2]\n\n[^1]: note",
			want:   "a b",
		},
		{
			name:   "marker cut joins bytes into a space",
			reason: "\\xe2 and \\x80\\x83 on either side of a marker make U+2003 EM SPACE, which the text splits on",
			src:    "\xe2[^1]\x80\x83x",
			want:   "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parse(tt.src).Text); diff != "" {
				t.Errorf("parse(%q).Text (%s) mismatch (-want +got):\n%s", tt.src, tt.reason, diff)
			}
		})
	}
}
