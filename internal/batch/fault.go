package batch

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/emend/emend/pipeline"
)

// FaultEnv names the fault-injection hook the crash tests use. Its value is
// a comma-separated list of:
//
//	panic:TOKEN   a stage panics on any document containing TOKEN
//	crash:TOKEN   the process kills itself (SIGKILL) on such a document,
//	              as a crash in C code would
//	delay:D       every document takes at least D longer
//
// It exists so that the guarantees about poison documents and killed
// processes can be tested on the real binary; nothing else sets it.
const FaultEnv = "EMEND_FAULT"

// faultStage carries out EMEND_FAULT at the end of the chain.
type faultStage struct {
	panicOn, crashOn []string
	delay            time.Duration
}

// FaultStages parses EMEND_FAULT into the extra stages it asks for.
func FaultStages() ([]pipeline.Stage, error) {
	v := os.Getenv(FaultEnv)
	if v == "" {
		return nil, nil
	}
	f := &faultStage{}
	for _, part := range strings.Split(v, ",") {
		kind, arg, ok := strings.Cut(part, ":")
		if !ok || arg == "" {
			return nil, fmt.Errorf("%s: %q is not KIND:ARG", FaultEnv, part)
		}
		switch kind {
		case "panic":
			f.panicOn = append(f.panicOn, arg)
		case "crash":
			f.crashOn = append(f.crashOn, arg)
		case "delay":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", FaultEnv, err)
			}
			f.delay = d
		default:
			return nil, fmt.Errorf("%s: unknown fault %q", FaultEnv, kind)
		}
	}
	return []pipeline.Stage{f}, nil
}

func (*faultStage) Name() string { return "fault" }

func (f *faultStage) Apply(doc *pipeline.Document) error {
	time.Sleep(f.delay)
	for _, p := range doc.Paragraphs {
		for _, tok := range f.crashOn {
			if strings.Contains(p.Text, tok) {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
		}
		for _, tok := range f.panicOn {
			if strings.Contains(p.Text, tok) {
				panic("injected fault on " + tok)
			}
		}
	}
	return nil
}
