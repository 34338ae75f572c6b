package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// Version names this release of the repairs. Batch runs put it in the
// identity of every job, so that outputs made by an older emend are not
// taken as done; bump it whenever a change alters output.
const Version = "0.4.0"

// Stage is one repair over a whole document. Apply edits doc in place and
// logs every change it makes with doc.Record. A stage never opens files:
// what it needs (dictionaries, options) is handed to its constructor.
type Stage interface {
	Name() string
	Apply(doc *Document) error
}

// Pipeline is an ordered list of stages.
type Pipeline []Stage

// StageError says which stage failed on which document.
type StageError struct {
	Source string
	Stage  string
	Err    error
}

func (e *StageError) Error() string {
	return fmt.Sprintf("%s: stage %s: %v", e.Source, e.Stage, e.Err)
}

// Brief is the first line of the stage's error: a panic's stack trace
// stays out of one-line reports.
func (e *StageError) Brief() string {
	msg, _, _ := strings.Cut(e.Err.Error(), "\n")
	return msg
}

func (e *StageError) Unwrap() error { return e.Err }

// Run applies the stages in order. A stage that panics is turned into a
// StageError, so that one poisonous document cannot take down a batch.
func (p Pipeline) Run(ctx context.Context, doc *Document) error {
	for _, s := range p {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := apply(s, doc); err != nil {
			return &StageError{Source: doc.Source, Stage: s.Name(), Err: err}
		}
	}
	return nil
}

func apply(s Stage, doc *Document) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return s.Apply(doc)
}
