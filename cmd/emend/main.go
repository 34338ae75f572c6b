// Command emend turns scanned and badly extracted UN documents into clean,
// faithful text. See "emend help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/emend/emend/internal/ocr"
)

// command is one subcommand: its own flag set, its own prose usage.
type command interface {
	Name() string
	Synopsis() string
	Usage() string
	Run(ctx context.Context, args []string) error
}

// exitError carries an exit status other than 1 (usage errors are 2).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// errSilent reports failure whose messages have already been printed.
var errSilent = errors.New("")

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func commands(stdout, stderr io.Writer) []command {
	return []command{
		&cleanCommand{stdout: stdout, stderr: stderr},
		&evalCommand{stdout: stdout, stderr: stderr},
		&reportCommand{stdout: stdout, stderr: stderr},
		&batchCommand{stdout: stdout, stderr: stderr},
		&workerCommand{stdout: stdout, stderr: stderr},
		&serveCommand{stdout: stdout, stderr: stderr},
	}
}

func main() {
	ocr.SingleThreaded()
	// Before anything writes to stderr: broken images make libpng and
	// libjpeg print there, and emend says it better on one line.
	_ = ocr.QuietCLibraries()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err == nil {
		return
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if err != errSilent && err.Error() != "" {
		fmt.Fprintln(os.Stderr, "emend:", err)
	}
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := commands(stdout, stderr)
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range cmds {
				if c.Name() == args[1] {
					fmt.Fprint(stdout, c.Usage())
					return nil
				}
			}
		}
		fmt.Fprint(stdout, mainUsage(cmds))
		if len(args) == 0 {
			return &exitError{code: 2, err: errSilent}
		}
		return nil
	}
	for _, c := range cmds {
		if c.Name() == args[0] {
			return c.Run(ctx, args[1:])
		}
	}
	return usageError("unknown command %q (run \"emend help\")", args[0])
}

func mainUsage(cmds []command) string {
	var b strings.Builder
	b.WriteString(`emend turns scanned and badly extracted UN documents into clean, faithful text.

Usage:

	emend <command> [flags] [arguments]

Commands:

`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "	%-8s %s\n", c.Name(), c.Synopsis())
	}
	b.WriteString(`
Run "emend help <command>" for a command's flags and examples.
`)
	return b.String()
}

// parseInterleaved parses flags that may stand before, between or after the
// positional arguments ("emend clean in.txt -o out.md"), which flag.Parse
// alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
