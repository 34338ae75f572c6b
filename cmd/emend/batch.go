package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/emend/emend/internal/batch"
	"github.com/emend/emend/pipeline"
)

type batchCommand struct {
	stdout, stderr io.Writer
}

func (*batchCommand) Name() string { return "batch" }
func (*batchCommand) Synopsis() string {
	return "clean a dump of documents (folders, globs, zip and tar archives) through a JetStream queue"
}

func (*batchCommand) Usage() string {
	return `Usage: emend batch INPUT... --out DIR [-j N] [-f md,json] [--state DIR]
                   [--listen ADDR | --nats URL] [--replicas N]
                   [--ack-wait D] [--max-deliver N] [--window N] [--retry-failed]
                   [--grace D] [--progress auto|bar|lines|none] [--progress-every D]
                   [--dict FILE]... [--input-kind K] [--ocr MODE] [--page-timeout D] [-v]

Batch cleans every document in the INPUTs with the same pipeline as
"emend clean". An INPUT is a file, a folder (walked recursively; hidden
files skipped), a glob, or a .zip, .tar, .tar.gz or .tgz archive, read as a
stream and never unpacked to disk.

Each document's outputs go to DIR/<relative path>.<ext> (a.pdf gives
a.pdf.md), written to a temporary file, synced and renamed. An archive
entry whose name would leave DIR ("../../etc/x") is refused and reported.
DIR/manifest.jsonl gets one line per document: input, SHA-256, status
(done, partial, failed, dead, refused), pages, repairs by kind, seconds,
worker, attempts and the error if any.

The work queue is NATS JetStream. By default a server runs inside this
process, with no port open and its store in --state (DIR/.emend). A run
that is killed or interrupted resumes when run again: documents whose
outputs are present and whose content and pipeline match the manifest
are skipped, and documents that were in flight are redelivered.

A document that fails is retried (--max-deliver deliveries in all, with
back-off) unless the input itself is bad (corrupt, not a document), and
then recorded as a dead letter; it never stops the others. A worker that
crashes or stalls on a document loses it after --ack-wait; long OCR
sends heartbeats, so only a silent worker loses its job.

Several machines: run the batch with --listen (or point it and the
workers at a NATS cluster with --nats), and start "emend worker --nats URL"
on the other machines. A listening batch requires a token from every
client: it takes EMEND_NATS_TOKEN, or makes one and prints the worker
command with it; workers read EMEND_NATS_TOKEN (or a token in the URL,
nats://TOKEN@host:4222). DIR must be the same path on every machine (a
shared filesystem): workers write there directly. The inputs travel
through the queue, so only the batch machine needs them.

Flags:

  --out DIR          output directory (required)
  -f LIST            formats, comma-separated: md, text, json (default md)
  -j N               documents cleaned at once in this process (default:
                     all cores); 0 runs no local worker
  --state DIR        queue store and lock (default DIR/.emend)
  --listen ADDR      let other workers reach the embedded server (with the
                     token in EMEND_NATS_TOKEN, or one made and printed)
  --nats URL         use this NATS server or cluster (comma-separated URLs)
  --replicas N       stream replicas on a cluster (default 1)
  --ack-wait D       redeliver a job after D without an ack or heartbeat
                     (default 30s)
  --max-deliver N    deliveries before a dead letter (default 3)
  --window N         documents queued and unfinished at once (default 1000)
  --retry-failed     queue again what an earlier run could not clean
  --grace D          on interrupt, time for in-flight documents (default 30s)
  --progress MODE    auto (a bar on a terminal, lines otherwise), bar,
                     lines, none
  --progress-every D interval of progress lines (default 10s)
  -v                 a line per document as workers start and finish it
  --dict, --input-kind, --ocr, --page-timeout: as for "emend clean"

The summary at the end gives documents done, failed and skipped, and pages
per second; failed documents are listed. Exit status: 0 when every
document is done, 1 when some failed, 2 on usage errors, 130 when
interrupted (run it again to resume).

Examples:

  emend batch dump/ --out clean/
  emend batch ods-2009.tar.gz 'scans/*.pdf' --out clean/ -f md,json
  emend batch dump.zip --out /shared/clean --listen 0.0.0.0:4222
  emend worker --nats nats://batch-host:4222
`
}

func (c *batchCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "")
	formats := fs.String("f", "md", "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	state := fs.String("state", "", "")
	listen := fs.String("listen", "", "")
	natsURL := fs.String("nats", "", "")
	replicas := fs.Int("replicas", 1, "")
	ackWait := fs.Duration("ack-wait", batch.DefaultAckWait, "")
	maxDeliver := fs.Int("max-deliver", batch.DefaultMaxDeliver, "")
	window := fs.Int("window", batch.DefaultWindow, "")
	retryFailed := fs.Bool("retry-failed", false, "")
	grace := fs.Duration("grace", 30*time.Second, "")
	progressMode := fs.String("progress", "auto", "")
	every := fs.Duration("progress-every", 10*time.Second, "")
	verbose := fs.Bool("v", false, "")
	var pf pipelineFlags
	pf.register(fs)
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("batch: %v (run \"emend help batch\")", err)
	}
	if len(inputs) == 0 {
		return usageError("batch: no input given (run \"emend help batch\")")
	}
	if *out == "" {
		return usageError("batch: --out DIR is required")
	}
	if *listen != "" && *natsURL != "" {
		return usageError("batch: --listen exposes the embedded server; --nats uses another: give one")
	}
	if *jobs == 0 && *listen == "" && *natsURL == "" {
		return usageError("batch: -j 0 runs no local worker, and without --listen or --nats no other worker can reach the queue")
	}
	if *jobs < 0 || *maxDeliver < 1 || *ackWait <= 0 || *window < 1 || *every <= 0 || *replicas < 1 {
		return usageError("batch: -j, --max-deliver, --ack-wait, --window, --replicas and --progress-every must be positive")
	}
	fmts, err := parseFormats(*formats)
	if err != nil {
		return usageError("batch: %v", err)
	}
	ps, err := pf.settings("batch")
	if err != nil {
		return err
	}
	dicts, err := pf.dictFiles()
	if err != nil {
		return usageError("batch: %v", err)
	}
	if err := batch.CheckInputs(inputs); err != nil {
		return usageError("batch: %v", err)
	}
	extra, err := batch.FaultStages()
	if err != nil {
		return usageError("batch: %v", err)
	}
	token := os.Getenv(batch.TokenEnv)
	if *listen != "" && token == "" {
		var b [18]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		token = hex.EncodeToString(b[:])
		fmt.Fprintf(c.stderr, "emend: workers connect with: %s=%s emend worker --nats nats://%s\n", batch.TokenEnv, token, *listen)
	}
	opts := batch.Options{
		Inputs: inputs,
		Config: batch.Config{
			Out: *out, Formats: fmts, Kind: ps.kind, OCR: ps.ocr, PageTimeout: ps.pageTimeout, Dicts: dicts,
		},
		State: *state, Jobs: *jobs, Listen: *listen, NATS: *natsURL, Token: token,
		Queue:  batch.QueueSettings{AckWait: *ackWait, MaxDeliver: *maxDeliver, Replicas: *replicas},
		Window: *window, RetryFailed: *retryFailed, Grace: *grace,
		Interval: *every, Log: c.stderr, WorkerID: workerID("batch"), Extra: extra,
	}
	if *verbose {
		opts.Verbose = c.stderr
	}
	switch *progressMode {
	case "auto":
		opts.Progress, opts.Interactive = c.stderr, isTerminal(c.stderr)
	case "bar":
		opts.Progress, opts.Interactive = c.stderr, true
	case "lines":
		opts.Progress = c.stderr
	case "none":
	default:
		return usageError("batch: unknown --progress %q: use auto, bar, lines or none", *progressMode)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the queue server and the manifest index live in
		// this process, and the collector should work harder before the
		// process passes a few hundred megabytes, whatever the dump.
		debug.SetMemoryLimit(batchMemoryLimit)
	}
	s, err := batch.Run(ctx, opts)
	if s != nil {
		c.summarize(s) // the work done counts, even when the walk stopped
	}
	if err != nil {
		if errors.Is(err, batch.ErrLocked) {
			return err
		}
		return fmt.Errorf("batch: %w", err)
	}
	switch {
	case s.Interrupted:
		return &exitError{code: 130, err: fmt.Errorf("batch: interrupted with %d documents unfinished; run the same command again to resume", s.Left)}
	case len(s.Failed) > 0:
		return errSilent
	}
	return nil
}

// batchMemoryLimit is the batch process's soft memory limit (GOMEMLIMIT
// overrides it). OCR's own memory is Tesseract's, outside Go's heap.
const batchMemoryLimit = 200 << 20

// summarize prints the outcome, and the documents that need attention.
func (c *batchCommand) summarize(s *batch.Summary) {
	secs := s.Elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Pages) / secs
	}
	fmt.Fprintf(c.stdout, "emend batch: %d documents: %d done, %d failed, %d skipped (done before); %d pages in %s, %.1f pages/s\n",
		s.Found, s.Done, len(s.Failed), s.Skipped, s.Pages, s.Elapsed.Round(time.Millisecond), rate)
	const shown = 50
	for i, f := range s.Failed {
		if i == shown {
			fmt.Fprintf(c.stderr, "emend: ... and %d more; see %s\n", len(s.Failed)-shown, batch.ManifestName)
			break
		}
		msg := f.Error
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i] + " ..."
		}
		fmt.Fprintf(c.stderr, "emend: %s: %s: %s\n", f.Input, f.Status, msg)
	}
}

// parseFormats reads "-f md,json".
func parseFormats(s string) ([]pipeline.Format, error) {
	var fmts []pipeline.Format
	seen := map[pipeline.Format]bool{}
	for _, part := range strings.Split(s, ",") {
		f, ok := pipeline.ParseFormat(strings.TrimSpace(part))
		if !ok {
			return nil, fmt.Errorf("unknown format %q: use md, text or json", part)
		}
		if !seen[f] {
			seen[f] = true
			fmts = append(fmts, f)
		}
	}
	return fmts, nil
}

// isTerminal reports whether w is a terminal, where a bar can be redrawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// workerID names this process in the manifest: host and process ID.
func workerID(role string) string {
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	return fmt.Sprintf("%s-%s-%d", role, host, os.Getpid())
}

type workerCommand struct {
	stdout, stderr io.Writer
}

func (*workerCommand) Name() string { return "worker" }
func (*workerCommand) Synopsis() string {
	return "take batch jobs from a NATS server and clean them"
}

func (*workerCommand) Usage() string {
	return `Usage: emend worker --nats URL [-j N] [--id NAME] [--grace D] [-v]

Worker joins a batch started with "emend batch --listen ADDR" (or with
--nats on a cluster): it takes jobs from the queue, cleans them with the
batch's settings (formats, dictionaries, options, all read from the
server), and writes outputs into the batch's output directory, which must
be at the same path on this machine (a shared filesystem). It runs until
interrupted: SIGINT or SIGTERM stop it taking jobs, and the documents in
hand finish, or go back to the queue after --grace.

A worker of a different emend version does not clean jobs queued by
another: it hands them back for a matching worker.

Flags:

  --nats URL   the NATS server or cluster (comma-separated URLs); the
               token, if the server wants one, comes from EMEND_NATS_TOKEN
               or the URL (nats://TOKEN@host:4222)
  -j N         documents at once (default: all cores)
  --id NAME    name in the manifest (default: worker-HOST-PID)
  --grace D    time for in-flight documents on stop (default 30s)
  -v           a line per document as it starts and ends
`
}

func (c *workerCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	natsURL := fs.String("nats", "", "")
	jobs := fs.Int("j", runtime.NumCPU(), "")
	id := fs.String("id", workerID("worker"), "")
	grace := fs.Duration("grace", 30*time.Second, "")
	verbose := fs.Bool("v", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError("worker: %v (run \"emend help worker\")", err)
	}
	if len(rest) > 0 {
		return usageError("worker: unexpected argument %q", rest[0])
	}
	if *natsURL == "" {
		return usageError("worker: --nats URL is required")
	}
	if *jobs < 1 {
		return usageError("worker: -j must be positive")
	}
	extra, err := batch.FaultStages()
	if err != nil {
		return usageError("worker: %v", err)
	}
	q, err := batch.Dial(*natsURL, "emend worker "+*id, os.Getenv(batch.TokenEnv))
	if err != nil {
		return err
	}
	defer q.Close()
	w := &batch.Worker{Q: q, ID: *id, Jobs: *jobs, Log: c.stderr, Extra: extra}
	if *verbose {
		w.Verbose = c.stderr
	}
	fmt.Fprintf(c.stderr, "emend: worker %s: connected to %s\n", *id, q.NC.ConnectedUrlRedacted())
	return w.Run(ctx, *grace)
}
