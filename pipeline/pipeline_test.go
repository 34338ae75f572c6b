package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stageFunc is a stage made of a function, for tests of the runner.
type stageFunc struct {
	name  string
	apply func(*Document) error
}

func (s stageFunc) Name() string              { return s.name }
func (s stageFunc) Apply(doc *Document) error { return s.apply(doc) }
func recordStage(name string, ran *[]string) Stage {
	return stageFunc{name, func(*Document) error { *ran = append(*ran, name); return nil }}
}

func TestRunOrder(t *testing.T) {
	var ran []string
	p := Pipeline{recordStage("normalize", &ran), recordStage("furniture", &ran), recordStage("markers", &ran)}
	if err := p.Run(context.Background(), &Document{Source: "a.txt"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"normalize", "furniture", "markers"}, ran); diff != "" {
		t.Errorf("stages ran (-want +got):\n%s", diff)
	}
	if err := (Pipeline{}).Run(context.Background(), &Document{}); err != nil {
		t.Errorf("an empty pipeline: %v", err)
	}
}

func TestRunFailures(t *testing.T) {
	errBroken := errors.New("footnote block has no rule")
	tests := []struct {
		name, reason string
		stage        Stage
		says         []string // substrings of the StageError's message
		is           error
	}{
		{"error", "a stage's error is wrapped with the stage and the source",
			stageFunc{"footnotes", func(*Document) error { return errBroken }},
			[]string{"A-RES-61-180.txt: stage footnotes: footnote block has no rule"}, errBroken},
		{"panic", "a panic becomes an error, so that one document cannot take down a batch",
			stageFunc{"markers", func(*Document) error { panic("index out of range [7] with length 7") }},
			[]string{"A-RES-61-180.txt: stage markers: panic: index out of range [7] with length 7", "goroutine"}, nil},
		{"runtime error", "a runtime error panics the same way",
			stageFunc{"paragraphs", func(doc *Document) error { _ = doc.Paragraphs[3]; return nil }},
			[]string{"stage paragraphs: panic: runtime error: index out of range"}, nil},
	}
	for _, tt := range tests {
		var ran []string
		p := Pipeline{recordStage("before", &ran), tt.stage, recordStage("after", &ran)}
		err := p.Run(context.Background(), &Document{Source: "A-RES-61-180.txt"})
		var se *StageError
		if !errors.As(err, &se) {
			t.Errorf("%s: Run = %v, want a *StageError (%s)", tt.name, err, tt.reason)
			continue
		}
		if se.Stage != tt.stage.Name() || se.Source != "A-RES-61-180.txt" {
			t.Errorf("%s: StageError names stage %q source %q; want %q, A-RES-61-180.txt", tt.name, se.Stage, se.Source, tt.stage.Name())
		}
		for _, s := range tt.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: message lacks %q:\n%s", tt.name, s, err)
			}
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: %v does not unwrap to %v", tt.name, err, tt.is)
		}
		if diff := cmp.Diff([]string{"before"}, ran); diff != "" {
			t.Errorf("%s: stages after the failure must not run (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestRunCancelled(t *testing.T) {
	var ran []string
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Pipeline{recordStage("normalize", &ran)}.Run(ctx, &Document{})
	if !errors.Is(err, context.Canceled) || len(ran) != 0 {
		t.Errorf("cancelled before the start: %v, ran %v; want context.Canceled and nothing run", err, ran)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	p := Pipeline{
		recordStage("normalize", &ran),
		stageFunc{"furniture", func(*Document) error { cancel(); return nil }},
		recordStage("markers", &ran),
	}
	err = p.Run(ctx, &Document{})
	var se *StageError
	if !errors.Is(err, context.Canceled) || errors.As(err, &se) {
		t.Errorf("cancelled during a stage: %v; want context.Canceled, not a stage's failure", err)
	}
	if diff := cmp.Diff([]string{"normalize"}, ran); diff != "" {
		t.Errorf("stages after the cancellation must not run (-want +got):\n%s", diff)
	}
}

func TestRepairLog(t *testing.T) {
	doc := &Document{Paragraphs: []Paragraph{{Text: "a", Page: 2, Line: 7}, {Text: "b", Page: 3, Line: 1}}}
	doc.Record(Repair{Stage: "furniture", Kind: RepairFurniture, Before: "06-50523", Reason: "job number", Confidence: 0.99, Pos: LinePos(1, 40, 0, 8)})
	doc.Record(Repair{Stage: "markers", Kind: RepairMarker, Before: "Crime1", After: "Crime[^1]", Reason: "digit after an instrument name", Confidence: 0.9, Pos: doc.ParaPos(1, 5, 6)})
	doc.Record(Repair{Stage: "markers", Kind: RepairMarker, Confidence: 0.8, Pos: doc.ParaPos(0, 0, 1)})
	if diff := cmp.Diff(map[RepairKind]int{RepairFurniture: 1, RepairMarker: 2}, doc.CountRepairs()); diff != "" {
		t.Errorf("CountRepairs (-want +got):\n%s", diff)
	}
	tests := []struct {
		name string
		pos  Position
		want string
	}{
		{"line", doc.Log[0].Pos, "page 1 line 40 [0:8]"},
		{"paragraph", doc.Log[1].Pos, "page 3 line 1 paragraph 2 [5:6]"},
		{"first paragraph", doc.Log[2].Pos, "page 2 line 7 paragraph 1 [0:1]"},
	}
	for _, tt := range tests {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if p := LinePos(1, 2, 3, 4); p.Paragraph != -1 {
		t.Errorf("LinePos sets Paragraph %d, want -1 (before paragraphs exist)", p.Paragraph)
	}
}
