package main

// This file holds what the command's tests share: the -update flag, the
// ways to run emend (in-process through run, or as a built binary where the
// exit status matters), and the paths of the seeds and the shared corpus.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite testdata/e2e golden files from emend's output")

// binDir holds the emend binary built for the exit-status tests; TestMain
// removes it.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	ocr.SingleThreaded()
	flag.Parse()
	dir, err := os.MkdirTemp("", "emend-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "emend tests:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// emendBinary builds the command once per test run, the first time a test
// needs it, so that a run of only the in-process tests does not pay for it.
// "go test" puts its own GOROOT/bin first in PATH, so "go" is the Go that
// is running the tests.
func emendBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "emend")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// result is what one run of emend gave.
type result struct {
	stdout, stderr string
	err            error // from run; nil for the binary
	code           int   // exit status
}

// stderrLines returns the non-empty lines of stderr.
func (r result) stderrLines() []string {
	var lines []string
	for _, ln := range strings.Split(r.stderr, "\n") {
		if ln != "" {
			lines = append(lines, ln)
		}
	}
	return lines
}

// runInProcess runs emend through run, as main does, and maps its error to
// the exit status and the message main would print.
func runInProcess(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	code, msg := exitStatus(err)
	if msg != "" {
		fmt.Fprintln(&stderr, msg)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), err: err, code: code}
}

// runCleanOK runs "emend clean" with args in process, and fails the test
// unless it exits 0 with nothing on stderr.
func runCleanOK(t *testing.T, args ...string) result {
	t.Helper()
	r := runInProcess(t, append([]string{"clean"}, args...)...)
	if r.code != 0 {
		t.Fatalf("emend clean %s: exit status %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("emend clean %s: unexpected stderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// exitStatus mirrors main: the exit status for err and the line main prints
// for it ("" when it prints none).
func exitStatus(err error) (int, string) {
	if err == nil {
		return 0, ""
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if err != errSilent && err.Error() != "" {
		return code, "emend: " + err.Error()
	}
	return code, ""
}

// runBinary runs the built emend with stdin and returns what it wrote and
// its exit status.
func runBinary(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	return runCommand(t, binaryCommand(t, stdin, args...))
}

// binaryCommand is the built emend with args, reading stdin (nil for none).
func binaryCommand(t *testing.T, stdin []byte, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(emendBinary(t), args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return cmd
}

// runCommand runs cmd, a command made by binaryCommand, and returns what it
// wrote and its exit status.
func runCommand(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running emend %s: %v", strings.Join(cmd.Args[1:], " "), err)
	}
	return r
}

// seedCase is one directory of testdata/seeds: an input and its gold.
type seedCase struct {
	name, input, gold string
}

// seedCases lists testdata/seeds/*/ that hold input.txt and gold.md.
func seedCases(t *testing.T) []seedCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(testutil.ModuleRoot(t), "testdata", "seeds", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []seedCase
	for _, d := range dirs {
		c := seedCase{name: filepath.Base(d), input: filepath.Join(d, "input.txt"), gold: filepath.Join(d, "gold.md")}
		if fileExists(c.input) && fileExists(c.gold) {
			cases = append(cases, c)
		}
	}
	if len(cases) == 0 {
		t.Fatal("no seed cases under testdata/seeds (each needs input.txt and gold.md)")
	}
	return cases
}

// corpusCases lists the text inputs of the shared corpus,
// ../shared/corpus/*/{text.txt,layout.txt} beside the module root, named
// "<case>-<file without .txt>". Without ../shared the test fails under CI,
// which always has it, and is skipped elsewhere with the reason.
func corpusCases(t *testing.T) []seedCase {
	t.Helper()
	corpus := filepath.Join(sharedDir(t), "corpus")
	var cases []seedCase
	for _, name := range []string{"text.txt", "layout.txt"} {
		ins, err := filepath.Glob(filepath.Join(corpus, "*", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			dir := filepath.Dir(in)
			gold := filepath.Join(dir, "gold.md")
			if !fileExists(gold) {
				continue
			}
			cases = append(cases, seedCase{
				name:  filepath.Base(dir) + "-" + strings.TrimSuffix(name, ".txt"),
				input: in,
				gold:  gold,
			})
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	if len(cases) == 0 {
		t.Fatalf("no text.txt or layout.txt with a gold.md under %s", corpus)
	}
	return cases
}

// sharedDir is ../shared beside the module root.
func sharedDir(t *testing.T) string {
	t.Helper()
	shared := filepath.Join(filepath.Dir(testutil.ModuleRoot(t)), "shared")
	if fi, err := os.Stat(filepath.Join(shared, "corpus")); err != nil || !fi.IsDir() {
		msg := fmt.Sprintf("%s is missing: these tests run emend over the shared corpus, which sits beside the module (../shared/corpus)", filepath.Join(shared, "corpus"))
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI must provide it")
		}
		t.Skip(msg + "; skipped outside CI")
	}
	return shared
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name, reason string
		args         []string
		code         int
		stdout       string // substring of stdout
		stderr       string // substring of stderr
	}{
		{"no arguments", "a bare emend prints the command list and fails like any usage error",
			nil, 2, "Commands:", ""},
		{"help", "help is asked for, so it succeeds",
			[]string{"help"}, 0, "emend help <command>", ""},
		{"help clean", "each command's usage is prose with examples",
			[]string{"help", "clean"}, 0, "Examples:", ""},
		{"help eval", "eval's usage names --cases",
			[]string{"help", "eval"}, 0, "--cases DIR", ""},
		{"unknown command", "a typo must not be taken for a file",
			[]string{"claen", "x.txt"}, 2, "", `unknown command "claen"`},
		{"unknown flag", "flag errors are usage errors",
			[]string{"clean", "--frobnicate", "x.txt"}, 2, "", "frobnicate"},
		{"unknown format", "the format is checked before any input is read",
			[]string{"clean", "-f", "docx", "x.txt"}, 2, "", `unknown format "docx"`},
		{"unknown input kind", "--input-kind takes only the kinds a user may name",
			[]string{"clean", "--input-kind", "pdf", "x.txt"}, 2, "", `unknown input kind "pdf"`},
		{"no input", "clean needs at least one input",
			[]string{"clean", "-f", "md"}, 2, "", "no input given"},
		{"eval one file", "eval wants two files",
			[]string{"eval", "gold.md"}, 2, "", "want GOLD.md and OUT.md"},
		{"eval cases and files", "--cases takes no file arguments",
			[]string{"eval", "--cases", ".", "a.md"}, 2, "", "--cases takes no file arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runInProcess(t, tt.args...)
			if r.code != tt.code {
				t.Errorf("%s: exit status %d, want %d (%s)\nstderr: %s", tt.name, r.code, tt.code, tt.reason, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.stdout) {
				t.Errorf("%s: stdout lacks %q (%s):\n%s", tt.name, tt.stdout, tt.reason, r.stdout)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("%s: stderr lacks %q (%s):\n%s", tt.name, tt.stderr, tt.reason, r.stderr)
			}
			if tt.code == 2 && tt.stderr != "" && len(r.stderrLines()) != 1 {
				t.Errorf("%s: want one stderr line, got %q", tt.name, r.stderrLines())
			}
		})
	}
}

// TestUsageExitStatusBinary checks the exit statuses of the real binary,
// which main, not run, decides.
func TestUsageExitStatusBinary(t *testing.T) {
	tests := []struct {
		name, reason string
		args         []string
		code         int
	}{
		{"unknown flag", "usage errors exit 2", []string{"clean", "--frobnicate", "x.txt"}, 2},
		{"unknown format", "usage errors exit 2", []string{"clean", "-f", "docx", "x.txt"}, 2},
		{"no input", "usage errors exit 2", []string{"clean"}, 2},
		{"no command", "a bare emend is a usage error", nil, 2},
		{"help", "asking for help succeeds", []string{"help"}, 0},
		{"missing input", "a bad input exits 1", []string{"clean", "does-not-exist.txt"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBinary(t, nil, tt.args...)
			if r.code != tt.code {
				t.Errorf("%s: exit status %d, want %d (%s)\nstderr: %s", tt.name, r.code, tt.code, tt.reason, r.stderr)
			}
			if tt.code == 2 && len(tt.args) > 0 && len(r.stderrLines()) != 1 {
				t.Errorf("%s: want one stderr line, got %q", tt.name, r.stderrLines())
			}
		})
	}
}

// TestExitStatusMapping pins the mapping main applies to run's errors.
func TestExitStatusMapping(t *testing.T) {
	tests := []struct {
		name, reason string
		err          error
		code         int
		msg          string
	}{
		{"nil", "success", nil, 0, ""},
		{"silent", "messages were printed already", errSilent, 1, ""},
		{"usage", "usage errors are 2 and printed", usageError("clean: no input"), 2, "emend: clean: no input"},
		{"silent usage", "bare emend: usage on stdout, nothing more on stderr", &exitError{code: 2, err: errSilent}, 2, ""},
		{"other", "anything else is 1 and printed", errors.New("eval: open x: no such file"), 1, "emend: eval: open x: no such file"},
		{"wrapped usage", "the status survives wrapping", fmt.Errorf("outer: %w", usageError("inner")), 2, "emend: outer: inner"},
	}
	for _, tt := range tests {
		code, msg := exitStatus(tt.err)
		if code != tt.code || msg != tt.msg {
			t.Errorf("%s: exitStatus = %d, %q; want %d, %q (%s)", tt.name, code, msg, tt.code, tt.msg, tt.reason)
		}
	}
}
