package stages

import (
	"testing"

	"github.com/emend/emend/pipeline"
)

// OCR of a coarse scan loses the slash of resolution numbers in lists of
// citations; a reader searching for "48/16" must find it.
func TestCitationsRestoreSlash(t *testing.T) {
	tests := []struct {
		name     string
		kind     pipeline.InputKind
		in, want string
		repairs  int
	}{
		{"space, colon, quote, degree and full stop", pipeline.KindOCR,
			"Recalling its resolutions 47/19 of 24 November 1992, 48 16 of 3 November 1993, 49:9 of 26 October 1994, 56’9 of 27 November 2001, 60°12 of 8 November 2005 and 62.3 of 30 October 2007,",
			"Recalling its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993, 49/9 of 26 October 1994, 56/9 of 27 November 2001, 60/12 of 8 November 2005 and 62/3 of 30 October 2007,",
			5},
		{"no date after: a real number", pipeline.KindOCR,
			"an increase of 62.3 of the total and 48 16 of them", "an increase of 62.3 of the total and 48 16 of them", 0},
		{"a year or a day is not a session", pipeline.KindOCR,
			"on 1 16 of 3 November 1993", "on 1 16 of 3 November 1993", 0},
		{"text from a PDF keeps what it says", pipeline.KindPDFText,
			"resolutions 48 16 of 3 November 1993", "resolutions 48 16 of 3 November 1993", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &pipeline.Document{Kind: tt.kind, Paragraphs: []pipeline.Paragraph{{Text: tt.in, Page: 1, Line: 3}}}
			if err := (&Citations{}).Apply(doc); err != nil {
				t.Fatal(err)
			}
			if got := doc.Paragraphs[0].Text; got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if len(doc.Log) != tt.repairs {
				t.Fatalf("%d repairs logged, want %d: %+v", len(doc.Log), tt.repairs, doc.Log)
			}
			for _, r := range doc.Log {
				if r.Stage != "citations" || r.Kind != pipeline.RepairSpelling || r.Pos.Paragraph != 0 || r.Pos.Page != 1 {
					t.Errorf("repair %+v: want stage citations, kind spelling, paragraph 0 on page 1", r)
				}
				if got := doc.Paragraphs[0].Text[r.Pos.Start:r.Pos.End]; got != r.After {
					t.Errorf("position [%d:%d] holds %q, the repair says %q", r.Pos.Start, r.Pos.End, got, r.After)
				}
			}
		})
	}
}

// Cleaning twice changes nothing the second time.
func TestCitationsIdempotent(t *testing.T) {
	doc := &pipeline.Document{Kind: pipeline.KindOCR, Paragraphs: []pipeline.Paragraph{{Text: "resolutions 48 16 of 3 November 1993 and 52 10 of 5 November 1997"}}}
	for range 2 {
		if err := (&Citations{}).Apply(doc); err != nil {
			t.Fatal(err)
		}
	}
	if want := "resolutions 48/16 of 3 November 1993 and 52/10 of 5 November 1997"; doc.Paragraphs[0].Text != want {
		t.Errorf("got %q, want %q", doc.Paragraphs[0].Text, want)
	}
	if len(doc.Log) != 2 {
		t.Errorf("%d repairs, want 2 (none on the second run)", len(doc.Log))
	}
}

func FuzzCitations(f *testing.F) {
	f.Add("resolutions 48 16 of 3 November 1993, 49:9 of 26 October 1994")
	f.Add("56’9 of 27 November 2001")
	f.Fuzz(func(t *testing.T, s string) {
		doc := &pipeline.Document{Kind: pipeline.KindOCR, Paragraphs: []pipeline.Paragraph{{Text: s}}}
		if err := (&Citations{}).Apply(doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range doc.Log {
			if r.Pos.Start < 0 || r.Pos.End > len(doc.Paragraphs[0].Text) || r.Pos.Start > r.Pos.End {
				t.Fatalf("repair position [%d:%d] outside the text (%d bytes)", r.Pos.Start, r.Pos.End, len(doc.Paragraphs[0].Text))
			}
		}
		again := doc.Paragraphs[0].Text
		if err := (&Citations{}).Apply(doc); err != nil {
			t.Fatal(err)
		}
		if doc.Paragraphs[0].Text != again {
			t.Fatalf("second run changed %q to %q", again, doc.Paragraphs[0].Text)
		}
	})
}
