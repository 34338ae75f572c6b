package main

// End-to-end tests of "emend batch" and "emend worker" on the real binary:
// runs that are SIGKILLed or interrupted and then resumed, workers killed
// in the middle of a document, poison inputs (corrupt, panicking,
// crashing), an external nats-server, archives with hostile entry names,
// and usage errors. Nothing is mocked: every batch, worker and NATS server
// is a separate process, and faults come from real signals or from the
// EMEND_FAULT hook (internal/batch/fault.go).
//
// No assertion is about time: the machine is shared. Deadlines exist only
// so that a hung run fails instead of hanging the test binary, and they are
// generous.

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emend/emend/internal/batch"
	"github.com/emend/emend/internal/testutil"
)

// batchDeadline is how long one batch or worker process may run before the
// test gives up on it: far beyond what any of these runs needs, so that
// only a hang trips it.
const batchDeadline = 4 * time.Minute

// batchEnv is the environment of a batch or worker process: this one's
// without any EMEND_FAULT of its own, plus extra ("KEY=VALUE").
func batchEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, batch.FaultEnv+"=") && !strings.HasPrefix(kv, batch.TokenEnv+"=") {
			env = append(env, kv)
		}
	}
	// Every batch and worker of a test shares one token: a listening
	// batch requires it, and servers without auth ignore it.
	env = append(env, batch.TokenEnv+"=emend-test-token")
	return append(env, extra...)
}

// batchLines is an io.Writer that keeps everything written to it and
// calls onLine with each complete line as it arrives.
type batchLines struct {
	mu      sync.Mutex
	all     bytes.Buffer
	partial []byte
	onLine  func(string)
}

func (w *batchLines) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.all.Write(p)
	w.partial = append(w.partial, p...)
	var lines []string
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		lines = append(lines, string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
	fn := w.onLine
	w.mu.Unlock()
	if fn != nil {
		for _, ln := range lines {
			fn(ln)
		}
	}
	return len(p), nil
}

func (w *batchLines) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// batchProc is a running emend (or nats-server) process.
type batchProc struct {
	name   string
	cmd    *exec.Cmd
	stdout batchLines
	stderr batchLines
	done   chan struct{} // closed when the process has exited and its output is read
}

// startEmend starts the built emend with args in dir. onStderr, when not
// nil, gets each line of its standard error as it is written. The process
// is killed when the test ends, if it is still running.
func startEmend(t *testing.T, name, dir string, env []string, onStderr func(string), args ...string) *batchProc {
	t.Helper()
	return startProc(t, name, binaryCommand(t, nil, args...), dir, env, onStderr)
}

func startProc(t *testing.T, name string, cmd *exec.Cmd, dir string, env []string, onStderr func(string)) *batchProc {
	t.Helper()
	p := &batchProc{name: name, cmd: cmd, done: make(chan struct{})}
	p.stderr.onLine = onStderr
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.exited() {
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *batchProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to exit, and kills it and fails the test if
// it runs past the deadline.
func (p *batchProc) wait(t *testing.T, deadline time.Duration) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(deadline):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s still running after %s: killed it\nstdout:\n%s\nstderr:\n%s", p.name, deadline, p.stdout.String(), p.stderr.String())
	}
}

// signal sends sig to the running process; the test fails if it has
// exited already.
func (p *batchProc) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.wait(t, batchDeadline)
		t.Fatalf("sending %v to %s: %v (it exited with %s)\nstderr:\n%s", sig, p.name, err, p.status(), p.stderr.String())
	}
}

// code is the exit status of an exited process; -1 when a signal ended it.
func (p *batchProc) code() int { return p.cmd.ProcessState.ExitCode() }

// killedBy is the signal that ended an exited process, or 0.
func (p *batchProc) killedBy() syscall.Signal {
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

// status describes how an exited process ended.
func (p *batchProc) status() string {
	if sig := p.killedBy(); sig != 0 {
		return "signal " + sig.String()
	}
	return "exit status " + strconv.Itoa(p.code())
}

// wantCode fails the test unless the exited process ended with code.
func (p *batchProc) wantCode(t *testing.T, code int, why string) {
	t.Helper()
	if p.killedBy() != 0 || p.code() != code {
		t.Fatalf("%s ended with %s, want exit status %d (%s)\nstdout:\n%s\nstderr:\n%s",
			p.name, p.status(), code, why, p.stdout.String(), p.stderr.String())
	}
}

// batchDoc is one document of a generated dump.
type batchDoc struct {
	rel  string // inside the dump folder, slashed: the manifest's rel
	path string // from the test's root, where the commands run: "dump/" + rel
	hash string // SHA-256 of the content, hex
}

// batchTemplates are the text inputs of the shared corpus (every case
// folder's *.txt, less the hyphen lists), of which dumps are made.
func batchTemplates(t *testing.T) [][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testutil.CorpusFile(t), "*", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var out [][]byte
	for _, p := range paths {
		if filepath.Base(p) == "hyphens.txt" {
			continue
		}
		out = append(out, readFile(t, p))
	}
	if len(out) < 5 {
		t.Fatalf("the shared corpus has %d text inputs (*/*.txt); these tests want several", len(out))
	}
	return out
}

// batchDocument is template made unique by a last paragraph naming n.
func batchDocument(template []byte, n int) []byte {
	doc := bytes.TrimRight(template, "\n")
	return fmt.Appendf(slices.Clone(doc), "\n\nDocument %04d.\n", n)
}

// makeDump writes n distinct text documents under root/dump, a quarter in
// each of the dump folder and three subfolders (one nested), each with a
// base name of its own (doc-NNNN.txt), and returns them in order.
func makeDump(t *testing.T, root string, n int) []batchDoc {
	t.Helper()
	templates := batchTemplates(t)
	folders := []string{"", "sub1", "sub1/deep", "sub2"}
	docs := make([]batchDoc, 0, n)
	for i := range n {
		rel := path.Join(folders[i%len(folders)], fmt.Sprintf("doc-%04d.txt", i))
		data := batchDocument(templates[i%len(templates)], i)
		d := batchDoc{rel: rel, path: "dump/" + rel, hash: batchSHA(data)}
		dst := filepath.Join(root, filepath.FromSlash(d.path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dst, data)
		docs = append(docs, d)
	}
	return docs
}

func batchSHA(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// cleanReference runs "emend clean -o ref" once over every document of a
// dump, from root as the batch runs, and returns each document's output by
// rel. clean names an output after its input's base name, which makeDump
// keeps unique.
func cleanReference(t *testing.T, root string, docs []batchDoc) map[string][]byte {
	t.Helper()
	args := []string{"clean", "-o", "ref", "-j", "2"}
	for _, d := range docs {
		args = append(args, d.path)
	}
	cmd := binaryCommand(t, nil, args...)
	cmd.Dir, cmd.Env = root, batchEnv()
	r := runCommand(t, cmd)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("emend clean over the dump: exit status %d\n%s", r.code, r.stderr)
	}
	ref := map[string][]byte{}
	for _, d := range docs {
		ref[d.rel] = readFile(t, filepath.Join(root, "ref", outputName(d.path, "md")))
	}
	return ref
}

// batchProblems gathers the failures of one check and reports the first
// few, so that 500 missing documents do not print 500 lines.
type batchProblems struct {
	what string
	list []string
}

func (b *batchProblems) add(format string, args ...any) {
	b.list = append(b.list, fmt.Sprintf(format, args...))
}

func (b *batchProblems) report(t *testing.T) {
	t.Helper()
	if len(b.list) == 0 {
		return
	}
	const shown = 8
	msg := strings.Join(b.list[:min(shown, len(b.list))], "\n  ")
	if len(b.list) > shown {
		msg += fmt.Sprintf("\n  ... and %d more", len(b.list)-shown)
	}
	t.Errorf("%s: %d problems:\n  %s", b.what, len(b.list), msg)
}

// checkOutputsMatch fails unless each document's batch output,
// OUT/<rel>.md, is byte for byte what "emend clean" gives for it.
func checkOutputsMatch(t *testing.T, out string, docs []batchDoc, ref map[string][]byte) {
	t.Helper()
	probs := batchProblems{what: "outputs against emend clean's"}
	for _, d := range docs {
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(d.rel)+".md"))
		if err != nil {
			probs.add("%s: %v", d.rel, err)
			continue
		}
		if want := ref[d.rel]; !bytes.Equal(got, want) {
			probs.add("%s: %d bytes, emend clean gives %d; first difference: %s", d.rel, len(got), len(want), batchFirstDiff(got, want))
		}
	}
	probs.report(t)
}

// batchFirstDiff describes the first line where got and want differ.
func batchFirstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "none"
}

// batchLine is a manifest line: the fields the batch documents.
type batchLine struct {
	Input    string         `json:"input"`
	Rel      string         `json:"rel"`
	Hash     string         `json:"sha256"`
	Status   string         `json:"status"`
	Pages    int            `json:"pages"`
	Repairs  map[string]int `json:"repairs"`
	Seconds  float64        `json:"seconds"`
	Error    string         `json:"error"`
	Outputs  []string       `json:"outputs"`
	Key      string         `json:"key"`
	Worker   string         `json:"worker"`
	Attempts int            `json:"attempts"`
}

// readManifest parses OUT/manifest.jsonl, failing the test on a line that
// is not a whole JSON object with an input, a known status and a key.
func readManifest(t *testing.T, out string) []batchLine {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, batch.ManifestName))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if len(data) == 0 {
		return nil
	}
	probs := batchProblems{what: "manifest lines"}
	if data[len(data)-1] != '\n' {
		probs.add("the manifest ends in a partial line: %q", data[bytes.LastIndexByte(data, '\n')+1:])
	}
	var lines []batchLine
	statuses := []string{"done", "partial", "failed", "dead", "refused"}
	for i, ln := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var l batchLine
		dec := json.NewDecoder(strings.NewReader(ln))
		if err := dec.Decode(&l); err != nil || dec.More() {
			probs.add("line %d is not one JSON object (%v): %q", i+1, err, ln)
			continue
		}
		if l.Input == "" || l.Key == "" || !slices.Contains(statuses, l.Status) {
			probs.add("line %d lacks its input or key, or has an unknown status: %q", i+1, ln)
		}
		lines = append(lines, l)
	}
	probs.report(t)
	return lines
}

// manifestLineCount counts the complete lines of a manifest (0 when it does
// not exist yet).
func manifestLineCount(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte{'\n'})
}

// checkDoneLine fails unless l records d cleaned: status done, its content
// hash, its one Markdown output present, a worker and an attempt count.
func checkDoneLine(probs *batchProblems, out string, l batchLine, d batchDoc) {
	switch {
	case l.Status != "done":
		probs.add("%s: status %q (%s), want done", d.rel, l.Status, l.Error)
	case l.Input != d.path:
		probs.add("%s: input %q, want %q", d.rel, l.Input, d.path)
	case l.Hash != d.hash:
		probs.add("%s: sha256 %s, want %s", d.rel, l.Hash, d.hash)
	case !slices.Equal(l.Outputs, []string{d.rel + ".md"}):
		probs.add("%s: outputs %q, want [%s.md]", d.rel, l.Outputs, d.rel)
	case l.Worker == "" || l.Attempts < 1 || l.Pages < 1:
		probs.add("%s: worker %q, attempts %d, pages %d: want a worker, an attempt and a page", d.rel, l.Worker, l.Attempts, l.Pages)
	case !fileExists(filepath.Join(out, filepath.FromSlash(d.rel)+".md")):
		probs.add("%s: the manifest says done but %s.md is missing", d.rel, d.rel)
	}
}

// checkManifestComplete fails unless the manifest holds exactly one line
// per document, by rel, each done, and nothing else. It returns the lines
// by rel.
func checkManifestComplete(t *testing.T, out string, docs []batchDoc) map[string]batchLine {
	t.Helper()
	lines := readManifest(t, out)
	probs := batchProblems{what: "manifest against the dump"}
	byRel := map[string]batchLine{}
	for _, l := range lines {
		if _, dup := byRel[l.Rel]; dup {
			probs.add("%s: a second line", l.Rel)
		}
		byRel[l.Rel] = l
	}
	known := map[string]bool{}
	for _, d := range docs {
		known[d.rel] = true
		l, ok := byRel[d.rel]
		if !ok {
			probs.add("%s: no line", d.rel)
			continue
		}
		checkDoneLine(&probs, out, l, d)
	}
	for _, l := range lines {
		if !known[l.Rel] {
			probs.add("a line for %q (input %q), which is no document of the dump", l.Rel, l.Input)
		}
	}
	if len(lines) != len(docs) {
		probs.add("%d lines for %d documents", len(lines), len(docs))
	}
	probs.report(t)
	return byRel
}

// checkNoTempFiles fails if a temporary output (.NAME.tmp-*) is left
// anywhere under out.
func checkNoTempFiles(t *testing.T, out string) {
	t.Helper()
	probs := batchProblems{what: "temporary files left under " + out}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") {
			probs.add("%s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	probs.report(t)
}

// batchOutputs lists the output files under out (relative, slashed): every
// file but the manifest and the queue's state in out/.emend.
func batchOutputs(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		switch {
		case d.IsDir() && rel == ".emend":
			return fs.SkipDir
		case d.IsDir() || rel == batch.ManifestName:
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// checkOneOutputEach fails unless out holds exactly one output per
// document, <rel>.md, and no other file.
func checkOneOutputEach(t *testing.T, out string, docs []batchDoc) {
	t.Helper()
	var want []string
	for _, d := range docs {
		want = append(want, d.rel+".md")
	}
	sort.Strings(want)
	got := batchOutputs(t, out)
	probs := batchProblems{what: "output files"}
	for _, f := range got {
		if _, ok := slices.BinarySearch(want, f); !ok {
			probs.add("unexpected file %s", f)
		}
	}
	for _, f := range want {
		if _, ok := slices.BinarySearch(got, f); !ok {
			probs.add("missing %s", f)
		}
	}
	if len(got) != len(docs) {
		probs.add("%d output files for %d documents", len(got), len(docs))
	}
	probs.report(t)
}

// batchSummary is the counts of the summary line a batch prints.
type batchSummary struct{ found, done, failed, skipped int }

var batchSummaryRE = regexp.MustCompile(`emend batch: (\d+) documents: (\d+) done, (\d+) failed, (\d+) skipped`)

func parseBatchSummary(t *testing.T, p *batchProc) batchSummary {
	t.Helper()
	m := batchSummaryRE.FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("%s printed no summary line\nstdout:\n%s", p.name, p.stdout.String())
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return batchSummary{n(m[1]), n(m[2]), n(m[3]), n(m[4])}
}

// checkRerunSummary checks the summary of a run that resumed a stopped
// one over n documents, recorded of which the stopped run's manifest held:
// each of those is skipped (and so may be documents whose results the
// stopped run left in the queue, which the rerun writes first), and every
// document is counted once, done or skipped.
func checkRerunSummary(t *testing.T, s batchSummary, n, recorded int) {
	t.Helper()
	if s.found != n || s.failed != 0 {
		t.Errorf("rerun summary %+v: want %d found, none failed", s, n)
	}
	if s.skipped < recorded {
		t.Errorf("the rerun skipped %d documents; the stopped run's manifest had %d lines, each a finished document", s.skipped, recorded)
	}
	if s.done+s.skipped != n {
		t.Errorf("the rerun counts %d done + %d skipped = %d of %d documents: each document must be counted once",
			s.done, s.skipped, s.done+s.skipped, n)
	}
}

// waitForManifestLines polls the manifest until it has at least n lines
// and returns how many it has. The test fails if the batch exits first.
func waitForManifestLines(t *testing.T, p *batchProc, manifest string, n int) int {
	t.Helper()
	deadline := time.Now().Add(batchDeadline)
	for {
		if got := manifestLineCount(t, manifest); got >= n {
			return got
		}
		if p.exited() {
			t.Fatalf("%s ended (%s) before its manifest had %d lines, so it cannot be stopped mid-run\nstdout:\n%s\nstderr:\n%s",
				p.name, p.status(), n, p.stdout.String(), p.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the manifest has %d lines after %s; want %d", p.name, manifestLineCount(t, manifest), batchDeadline, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// batchFreeAddr is a free port on the loopback interface.
func batchFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// waitListening waits until something accepts connections on addr; the
// test fails if p, the process that should, exits first.
func waitListening(t *testing.T, p *batchProc, addr string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		if p.exited() {
			t.Fatalf("%s ended (%s) without listening on %s\nstdout:\n%s\nstderr:\n%s", p.name, p.status(), addr, p.stdout.String(), p.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not listen on %s after a minute\nstderr:\n%s", p.name, addr, p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBatchKilledAndRerun SIGKILLs a batch of 500 documents in the middle
// and runs it again: the second run must finish the dump with every
// document cleaned once, as "emend clean" cleans it, one manifest line
// each, and no temporary file left by the killed process.
func TestBatchKilledAndRerun(t *testing.T) {
	root := t.TempDir()
	docs := makeDump(t, root, 500)
	ref := cleanReference(t, root, docs)
	out := filepath.Join(root, "out")
	manifest := filepath.Join(out, batch.ManifestName)
	args := []string{"batch", "dump", "--out", "out", "-j", "2", "--ack-wait", "3s", "--progress", "none"}
	env := batchEnv(batch.FaultEnv + "=delay:20ms")

	first := startEmend(t, "the batch to be killed", root, env, nil, args...)
	if n := waitForManifestLines(t, first, manifest, 100); n >= len(docs) {
		t.Fatalf("the manifest has all %d lines before the kill", n)
	}
	first.signal(t, syscall.SIGKILL)
	first.wait(t, batchDeadline)
	if sig := first.killedBy(); sig != syscall.SIGKILL {
		t.Fatalf("the first batch ended with %s, not by the SIGKILL\nstderr:\n%s", first.status(), first.stderr.String())
	}
	recorded := manifestLineCount(t, manifest)
	outputs := len(batchOutputs(t, out))
	if recorded >= len(docs) || outputs >= len(docs) {
		t.Fatalf("killed after the work was done (%d manifest lines, %d outputs of %d documents): not a kill mid-run", recorded, outputs, len(docs))
	}
	t.Logf("killed with %d manifest lines and %d output files of %d documents", recorded, outputs, len(docs))

	second := startEmend(t, "the rerun", root, env, nil, args...)
	second.wait(t, batchDeadline)
	second.wantCode(t, 0, "the rerun finishes the dump")
	s := parseBatchSummary(t, second)
	t.Logf("rerun: %+v", s)
	checkRerunSummary(t, s, len(docs), recorded)
	checkOneOutputEach(t, out, docs)
	checkOutputsMatch(t, out, docs, ref)
	checkManifestComplete(t, out, docs)
	checkNoTempFiles(t, out)
}

// TestBatchInterruptResumes interrupts a batch with SIGINT: it must stop
// with status 130 and a consistent state (valid manifest lines for
// finished documents whose outputs exist, no temporary files), and a rerun
// must finish the rest.
func TestBatchInterruptResumes(t *testing.T) {
	root := t.TempDir()
	docs := makeDump(t, root, 200)
	ref := cleanReference(t, root, docs)
	out := filepath.Join(root, "out")
	manifest := filepath.Join(out, batch.ManifestName)
	args := []string{"batch", "dump", "--out", "out", "-j", "2", "--ack-wait", "3s", "--progress", "none"}
	env := batchEnv(batch.FaultEnv + "=delay:50ms")

	first := startEmend(t, "the batch to be interrupted", root, env, nil, args...)
	waitForManifestLines(t, first, manifest, 50)
	first.signal(t, os.Interrupt)
	first.wait(t, batchDeadline)
	first.wantCode(t, 130, "an interrupted batch exits 130")
	if !strings.Contains(first.stderr.String(), "interrupted") {
		t.Errorf("the interrupted batch does not say so on stderr:\n%s", first.stderr.String())
	}

	lines := readManifest(t, out)
	if len(lines) >= len(docs) {
		t.Fatalf("the manifest has %d lines for %d documents after the interrupt: the run was not interrupted mid-way", len(lines), len(docs))
	}
	byRel := map[string]batchDoc{}
	for _, d := range docs {
		byRel[d.rel] = d
	}
	probs := batchProblems{what: "manifest after the interrupt"}
	seen := map[string]bool{}
	for _, l := range lines {
		d, ok := byRel[l.Rel]
		switch {
		case !ok:
			probs.add("a line for %q, which is no document of the dump", l.Rel)
		case seen[l.Rel]:
			probs.add("%s: a second line", l.Rel)
		default:
			checkDoneLine(&probs, out, l, d)
		}
		seen[l.Rel] = true
		for _, o := range l.Outputs {
			if !fileExists(filepath.Join(out, filepath.FromSlash(o))) {
				probs.add("%s: output %s is listed but missing", l.Rel, o)
			}
		}
	}
	probs.report(t)
	checkNoTempFiles(t, out)
	t.Logf("interrupted with %d of %d documents recorded", len(lines), len(docs))

	second := startEmend(t, "the rerun", root, env, nil, args...)
	second.wait(t, batchDeadline)
	second.wantCode(t, 0, "the rerun finishes the dump")
	s := parseBatchSummary(t, second)
	t.Logf("rerun: %+v", s)
	checkRerunSummary(t, s, len(docs), len(lines))
	checkOneOutputEach(t, out, docs)
	checkOutputsMatch(t, out, docs, ref)
	checkManifestComplete(t, out, docs)
	checkNoTempFiles(t, out)
}

// TestBatchWorkerKilled SIGKILLs a worker process while it OCRs a scanned
// PDF: the job must come back after --ack-wait and be finished by the
// other worker.
func TestBatchWorkerKilled(t *testing.T) {
	testutil.RequireTools(t, "this test OCRs a scanned PDF: it needs poppler-utils and tesseract-ocr (it must run, not skip)",
		"pdfinfo", "pdftotext", "pdftoppm", "pdfimages", "tesseract")
	root := t.TempDir()
	docs := makeDump(t, root, 4)
	const scanRel = "A-RES-63-194.scan.pdf"
	writeFile(t, filepath.Join(root, "dump", scanRel), readFile(t, scanFile(t, scanRel)))
	out := filepath.Join(root, "out")
	addr := batchFreeAddr(t)
	url := "nats://" + addr
	env := batchEnv()

	b := startEmend(t, "the batch", root, env, nil,
		"batch", "dump", "--out", "out", "-j", "0", "--listen", addr, "--ack-wait", "3s", "--progress", "none")
	waitListening(t, b, addr)

	started := make(chan string, 2) // the worker that starts the scan's first delivery
	workers := map[string]*batchProc{}
	for _, id := range []string{"wA", "wB"} {
		onLine := func(line string) {
			if strings.Contains(line, "worker "+id+": start ") && strings.HasSuffix(line, scanRel+" (delivery 1)") {
				select {
				case started <- id:
				default:
				}
			}
		}
		workers[id] = startEmend(t, "worker "+id, root, env, onLine,
			"worker", "--nats", url, "-j", "1", "-v", "--id", id)
	}

	var victim string
	select {
	case victim = <-started:
	case <-b.done:
		t.Fatalf("the batch ended (%s) before a worker started the scan\nworker wA:\n%s\nworker wB:\n%s",
			b.status(), workers["wA"].stderr.String(), workers["wB"].stderr.String())
	case <-time.After(batchDeadline):
		t.Fatalf("no worker started the scan within %s\nworker wA:\n%s\nworker wB:\n%s",
			batchDeadline, workers["wA"].stderr.String(), workers["wB"].stderr.String())
	}
	survivor := map[string]string{"wA": "wB", "wB": "wA"}[victim]
	killed := workers[victim]
	killed.signal(t, syscall.SIGKILL)
	killed.wait(t, batchDeadline)
	if killed.killedBy() != syscall.SIGKILL {
		t.Fatalf("worker %s ended with %s, not by the SIGKILL", victim, killed.status())
	}
	t.Logf("killed worker %s on the scan's first delivery", victim)

	b.wait(t, batchDeadline)
	b.wantCode(t, 0, "the surviving worker finishes every document")

	lines := readManifest(t, out)
	byRel := map[string]batchLine{}
	for _, l := range lines {
		if _, dup := byRel[l.Rel]; dup {
			t.Errorf("manifest: a second line for %s", l.Rel)
		}
		byRel[l.Rel] = l
	}
	if len(lines) != len(docs)+1 {
		t.Errorf("manifest: %d lines for %d documents", len(lines), len(docs)+1)
	}
	probs := batchProblems{what: "text documents"}
	for _, d := range docs {
		if l, ok := byRel[d.rel]; !ok {
			probs.add("%s: no manifest line", d.rel)
		} else {
			checkDoneLine(&probs, out, l, d)
		}
	}
	probs.report(t)
	scan, ok := byRel[scanRel]
	if !ok {
		t.Fatalf("manifest: no line for the scan %s", scanRel)
	}
	if scan.Status != "done" || scan.Worker != survivor || scan.Attempts < 2 {
		t.Errorf("scan: status %q, worker %q, attempts %d; want done by %s, the surviving worker, on a second delivery or later (error %q)",
			scan.Status, scan.Worker, scan.Attempts, survivor, scan.Error)
	}
	if !slices.Equal(scan.Outputs, []string{scanRel + ".md"}) {
		t.Errorf("scan: outputs %q, want [%s.md]", scan.Outputs, scanRel)
	}
	if data, err := os.ReadFile(filepath.Join(out, scanRel+".md")); err != nil || len(bytes.TrimSpace(data)) == 0 {
		t.Errorf("scan output: %v, %d bytes; want a non-empty file", err, len(data))
	}
	checkNoTempFiles(t, out)

	w := workers[survivor]
	w.signal(t, os.Interrupt)
	w.wait(t, batchDeadline)
	w.wantCode(t, 0, "a worker stops cleanly on SIGINT")
}

// batchPoisonEnv makes a document holding POISONPANIC panic a stage, and
// one holding POISONCRASH kill its process.
var batchPoisonEnv = batch.FaultEnv + "=panic:POISONPANIC,crash:POISONCRASH"

// writePoison writes root/dump/name: a corpus document with a paragraph
// that holds token.
func writePoison(t *testing.T, root, name, token string) {
	t.Helper()
	doc := batchDocument(batchTemplates(t)[0], 9999)
	doc = fmt.Appendf(doc, "\nThis paragraph holds %s in its text.\n", token)
	writeFile(t, filepath.Join(root, "dump", name), doc)
}

// TestBatchPoisonInputs runs a dump with a corrupt PDF and a document that
// panics a stage, in the batch's own workers: the corrupt PDF fails at
// once (the input is bad, retrying cannot help), the panicking one is
// retried and ends a dead letter, and the good documents are done.
// checkBatchComplete checks a finished batch: one done line and one
// output per document, outputs equal to clean's, no temporary files. It
// returns how many documents each worker cleaned.
func checkBatchComplete(t *testing.T, out string, docs []batchDoc, ref map[string][]byte) map[string]int {
	t.Helper()
	byRel := checkManifestComplete(t, out, docs)
	checkOneOutputEach(t, out, docs)
	checkOutputsMatch(t, out, docs, ref)
	checkNoTempFiles(t, out)
	perWorker := map[string]int{}
	for _, l := range byRel {
		perWorker[l.Worker]++
	}
	t.Logf("documents per worker: %v", perWorker)
	return perWorker
}

// checkGoodDocsDone checks a manifest with one line for each of docs, all
// done, and for bad more documents, and returns the lines by rel.
func checkGoodDocsDone(t *testing.T, out string, docs []batchDoc, bad int) map[string]batchLine {
	t.Helper()
	lines := readManifest(t, out)
	byRel := map[string]batchLine{}
	for _, l := range lines {
		byRel[l.Rel] = l
	}
	if len(lines) != len(docs)+bad || len(byRel) != len(lines) {
		t.Errorf("manifest: %d lines (%d documents) for %d documents", len(lines), len(byRel), len(docs)+bad)
	}
	probs := batchProblems{what: "good documents"}
	for _, d := range docs {
		if l, ok := byRel[d.rel]; !ok {
			probs.add("%s: no manifest line", d.rel)
		} else {
			checkDoneLine(&probs, out, l, d)
		}
	}
	probs.report(t)
	return byRel
}

func TestBatchPoisonInputs(t *testing.T) {
	testutil.RequireTools(t, "the corrupt PDF goes to poppler: install poppler-utils (this test must run, not skip)",
		"pdfinfo", "pdftotext", "pdftoppm", "pdfimages")
	root := t.TempDir()
	docs := makeDump(t, root, 3)
	writeFile(t, filepath.Join(root, "dump", "corrupt.pdf"), []byte("%PDF-1.7\n\x00\x01\x02 not a PDF at all \xff\xfe garbage trailer\n"))
	writePoison(t, root, "panic.txt", "POISONPANIC")
	out := filepath.Join(root, "out")

	b := startEmend(t, "the batch", root, batchEnv(batchPoisonEnv), nil,
		"batch", "dump", "--out", "out", "-j", "2", "--max-deliver", "2", "--ack-wait", "2s", "--progress", "none")
	b.wait(t, batchDeadline)
	b.wantCode(t, 1, "some documents failed")

	byRel := checkGoodDocsDone(t, out, docs, 2)

	if l := byRel["corrupt.pdf"]; l.Status != "failed" || l.Attempts != 1 || l.Error == "" {
		t.Errorf("corrupt.pdf: status %q, attempts %d, error %q; want failed on the first attempt, with the reason", l.Status, l.Attempts, l.Error)
	}
	if l := byRel["panic.txt"]; l.Status != "dead" || l.Attempts != 2 || !strings.Contains(l.Error, "POISONPANIC") {
		t.Errorf("panic.txt: status %q, attempts %d, error %q; want dead after the 2 deliveries of --max-deliver, naming the panic", l.Status, l.Attempts, l.Error)
	}
	for _, name := range []string{"corrupt.pdf", "panic.txt"} {
		if fileExists(filepath.Join(out, name+".md")) {
			t.Errorf("%s has an output, though it was not cleaned", name)
		}
	}
	stderr := b.stderr.String()
	for _, want := range []string{"dump/corrupt.pdf: failed", "dump/panic.txt: dead"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the batch's stderr does not list %q:\n%s", want, stderr)
		}
	}
	for _, d := range docs {
		if strings.Contains(stderr, d.path) {
			t.Errorf("the batch's stderr names %s, which was cleaned:\n%s", d.path, stderr)
		}
	}
	if s := parseBatchSummary(t, b); s.found != len(docs)+2 || s.done != len(docs) || s.failed != 2 {
		t.Errorf("summary %+v; want %d found, %d done, 2 failed", s, len(docs)+2, len(docs))
	}
	checkNoTempFiles(t, out)
}

// TestBatchPoisonCrash runs a dump with a document that kills (SIGKILL)
// the worker process cleaning it, with workers in their own processes and
// a supervisor (this test) restarting whichever dies: the document must
// end a dead letter after --max-deliver deliveries, and the others done.
func TestBatchPoisonCrash(t *testing.T) {
	root := t.TempDir()
	docs := makeDump(t, root, 4)
	writePoison(t, root, "crash.txt", "POISONCRASH")
	out := filepath.Join(root, "out")
	addr := batchFreeAddr(t)
	env := batchEnv(batchPoisonEnv)

	b := startEmend(t, "the batch", root, env, nil,
		"batch", "dump", "--out", "out", "-j", "0", "--listen", addr, "--max-deliver", "2", "--ack-wait", "2s", "--progress", "none")
	waitListening(t, b, addr)

	// Supervise two worker slots until the batch ends.
	var live [2]*batchProc
	starts, crashes := 0, 0
	start := func(slot int) {
		starts++
		id := fmt.Sprintf("w%d-%d", slot, starts)
		live[slot] = startEmend(t, "worker "+id, root, env, nil, "worker", "--nats", "nats://"+addr, "-j", "1", "-v", "--id", id)
	}
	start(0)
	start(1)
	deadline := time.Now().Add(batchDeadline)
	for !b.exited() {
		for slot, w := range live {
			if !w.exited() || b.exited() {
				continue
			}
			if w.killedBy() == syscall.SIGKILL {
				crashes++
			} else {
				t.Logf("%s ended with %s:\n%s", w.name, w.status(), w.stderr.String())
			}
			start(slot)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch is still running after %s\nstderr:\n%s", batchDeadline, b.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.wait(t, batchDeadline)
	for _, w := range live {
		if !w.exited() {
			_ = w.cmd.Process.Signal(os.Interrupt)
		}
		w.wait(t, batchDeadline)
	}
	t.Logf("%d worker processes started, %d killed by the crashing document", starts, crashes)
	if crashes < 1 || crashes > 2 {
		t.Errorf("%d workers crashed; the crashing document should have been delivered (and kill its worker) at most --max-deliver=2 times, and at least once", crashes)
	}
	b.wantCode(t, 1, "a document is a dead letter")

	byRel := checkGoodDocsDone(t, out, docs, 1)
	if l := byRel["crash.txt"]; l.Status != "dead" || l.Attempts != 2 {
		t.Errorf("crash.txt: status %q, attempts %d, error %q; want dead after the 2 deliveries of --max-deliver", l.Status, l.Attempts, l.Error)
	}
	if fileExists(filepath.Join(out, "crash.txt.md")) {
		t.Errorf("crash.txt has an output, though every worker died on it")
	}
	if stderr := b.stderr.String(); !strings.Contains(stderr, "dump/crash.txt: dead") {
		t.Errorf("the batch's stderr does not list dump/crash.txt as dead:\n%s", stderr)
	}
	checkNoTempFiles(t, out)
}

// natsServer is Debian's nats-server (the package installs it in
// /usr/sbin, which may not be on PATH); the test fails without it.
func natsServer(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p
	}
	const debian = "/usr/sbin/nats-server"
	if fileExists(debian) {
		return debian
	}
	t.Fatal("nats-server not installed; this test runs a batch on an external JetStream server (apt-get install nats-server): it must run, not skip")
	return ""
}

// TestBatchExternalNATSServer runs a batch on a separate nats-server with
// JetStream, with the batch's own worker and one worker process.
func TestBatchExternalNATSServer(t *testing.T) {
	server := natsServer(t)
	root := t.TempDir()
	docs := makeDump(t, root, 40)
	ref := cleanReference(t, root, docs)
	out := filepath.Join(root, "out")
	addr := batchFreeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	url := "nats://" + addr

	ns := startProc(t, "nats-server", exec.Command(server, "-js", "-a", host, "-p", port, "-sd", filepath.Join(root, "nats")), root, batchEnv(), nil)
	t.Cleanup(func() {
		if !ns.exited() {
			_ = ns.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-ns.done:
			case <-time.After(time.Minute):
				_ = ns.cmd.Process.Kill()
				<-ns.done
			}
		}
	})
	waitListening(t, ns, addr)

	env := batchEnv(batch.FaultEnv + "=delay:50ms")
	w := startEmend(t, "worker ext", root, env, nil, "worker", "--nats", url, "-j", "1", "--id", "ext")
	b := startEmend(t, "the batch", root, env, nil, "batch", "dump", "--out", "out", "--nats", url, "-j", "1", "--progress", "none")
	b.wait(t, batchDeadline)
	b.wantCode(t, 0, "every document is done")
	if ns.exited() {
		t.Fatalf("nats-server ended (%s)\n%s", ns.status(), ns.stderr.String())
	}

	perWorker := checkBatchComplete(t, out, docs, ref)
	if perWorker["ext"] == 0 || len(perWorker) < 2 {
		t.Logf("note: not both workers took documents (%v); with %d documents they usually do", perWorker, len(docs))
	}

	w.signal(t, os.Interrupt)
	w.wait(t, batchDeadline)
	w.wantCode(t, 0, "a worker stops cleanly on SIGINT")
}

// TestBatchArchives runs a batch over a zip, a tar and a tar.gz with
// nested entries and entries whose names would leave the output folder:
// the good entries land under OUT/<archive name>/, the hostile ones are
// refused and nothing is written outside OUT.
func TestBatchArchives(t *testing.T) {
	root := t.TempDir()
	// The archives sit, and the batch runs, four levels down, so that
	// "../../etc/x" from the working directory or from OUT still lands
	// inside root, where the test can see it.
	work := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(work, "out")
	templates := batchTemplates(t)
	good := []string{"a.txt", "dir/b.txt", "dir/sub/c.txt"}
	evil := []string{"../../etc/x", "/etc/y"}
	hidden := []string{".hidden.txt", "__MACOSX/._a.txt"}
	etcBefore := map[string]bool{}
	for _, p := range []string{"/etc/x", "/etc/y"} {
		etcBefore[p] = fileExists(p)
	}

	type entry struct {
		name string
		data []byte
	}
	archives := []string{"alpha.zip", "beta.tar", "gamma.tar.gz"}
	contents := map[string][]byte{} // "archive:entry" of the good entries
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for ai, name := range archives {
		var entries []entry
		for i, e := range slices.Concat(good, evil, hidden) {
			data := batchDocument(templates[(ai*7+i)%len(templates)], 1000+ai*10+i)
			entries = append(entries, entry{e, data})
			if slices.Contains(good, e) {
				contents[name+":"+e] = data
			}
		}
		var buf bytes.Buffer
		if strings.HasSuffix(name, ".zip") {
			zw := zip.NewWriter(&buf)
			for _, e := range entries {
				f, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: when})
				if err == nil {
					_, err = f.Write(e.data)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			var gz *gzip.Writer
			var tw *tar.Writer
			if strings.HasSuffix(name, ".gz") {
				gz = gzip.NewWriter(&buf)
				tw = tar.NewWriter(gz)
			} else {
				tw = tar.NewWriter(&buf)
			}
			for _, dir := range []string{"dir/", "dir/sub/"} {
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: when}); err != nil {
					t.Fatal(err)
				}
			}
			for _, e := range entries {
				h := &tar.Header{Typeflag: tar.TypeReg, Name: e.name, Mode: 0o644, Size: int64(len(e.data)), ModTime: when}
				if err := tw.WriteHeader(h); err != nil {
					t.Fatal(err)
				}
				if _, err := tw.Write(e.data); err != nil {
					t.Fatal(err)
				}
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			if gz != nil {
				if err := gz.Close(); err != nil {
					t.Fatal(err)
				}
			}
		}
		writeFile(t, filepath.Join(work, name), buf.Bytes())
	}

	// What "emend clean" gives for each good entry, from a copy elsewhere.
	refDir := t.TempDir()
	ref := map[string][]byte{}
	for key, data := range contents {
		archive, entryName, _ := strings.Cut(key, ":")
		src := filepath.Join(refDir, archive, filepath.FromSlash(entryName))
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, src, data)
		runCleanOK(t, "-o", src+".md", src)
		ref[key] = readFile(t, src+".md")
	}

	b := startEmend(t, "the batch", work, batchEnv(), nil,
		append(append([]string{"batch"}, archives...), "--out", "out", "-j", "2", "--progress", "none")...)
	b.wait(t, batchDeadline)
	b.wantCode(t, 1, "hostile entries are refused, and a refused document is a failure")

	lines := readManifest(t, out)
	byInput := map[string]batchLine{}
	for _, l := range lines {
		if _, dup := byInput[l.Input]; dup {
			t.Errorf("manifest: a second line for %s", l.Input)
		}
		byInput[l.Input] = l
	}
	stderr := b.stderr.String()
	probs := batchProblems{what: "archive entries"}
	var wantOutputs []string
	for _, archive := range archives {
		prefix := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(archive, ".gz"), ".tar"), ".zip")
		for _, e := range good {
			input := archive + ":" + e
			rel := prefix + "/" + e
			wantOutputs = append(wantOutputs, rel+".md")
			l, ok := byInput[input]
			switch {
			case !ok:
				probs.add("%s: no manifest line", input)
				continue
			case l.Status != "done" || l.Rel != rel || !slices.Equal(l.Outputs, []string{rel + ".md"}):
				probs.add("%s: status %q, rel %q, outputs %q; want done, %s, [%s.md] (error %q)", input, l.Status, l.Rel, l.Outputs, rel, rel, l.Error)
			case l.Hash != batchSHA(contents[input]):
				probs.add("%s: sha256 %s, want %s", input, l.Hash, batchSHA(contents[input]))
			}
			got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)+".md"))
			if err != nil {
				probs.add("%s: %v", input, err)
			} else if !bytes.Equal(got, ref[input]) {
				probs.add("%s: output differs from emend clean's: %s", input, batchFirstDiff(got, ref[input]))
			}
		}
		for _, e := range evil {
			input := archive + ":" + e
			l, ok := byInput[input]
			switch {
			case !ok:
				probs.add("%s: no manifest line", input)
			case l.Status != "refused" || len(l.Outputs) != 0 || !strings.Contains(l.Error, "leaves the output directory"):
				probs.add("%s: status %q, outputs %q, error %q; want refused, no output, the reason", input, l.Status, l.Outputs, l.Error)
			}
			if !strings.Contains(stderr, input+": refused") {
				probs.add("%s: not listed as refused on stderr", input)
			}
		}
		for _, e := range hidden {
			if _, ok := byInput[archive+":"+e]; ok {
				probs.add("%s:%s: hidden entries are skipped, but it has a manifest line", archive, e)
			}
		}
	}
	if want := len(archives) * (len(good) + len(evil)); len(lines) != want {
		probs.add("%d manifest lines, want %d", len(lines), want)
	}
	probs.report(t)
	sort.Strings(wantOutputs)
	if got := batchOutputs(t, out); !slices.Equal(got, wantOutputs) {
		t.Errorf("output files:\n%q\nwant:\n%q", got, wantOutputs)
	}
	if !strings.Contains(stderr, "refused") {
		t.Errorf("stderr does not list the refused entries:\n%s", stderr)
	}

	// Nothing outside OUT: under root there are only the archives, the
	// folders that lead to them, and OUT.
	var outside []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case p == out:
			return fs.SkipDir
		case d.IsDir() && (p == work || strings.HasPrefix(work, p+string(filepath.Separator))):
			return nil
		case filepath.Dir(p) == work && slices.Contains(archives, d.Name()):
			return nil
		}
		outside = append(outside, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(outside) > 0 {
		t.Errorf("written outside OUT: %q", outside)
	}
	for p, before := range etcBefore {
		if !before && fileExists(p) {
			t.Errorf("%s exists after the batch", p)
		}
	}
	checkNoTempFiles(t, out)
}

// TestBatchUsage checks that usage errors exit 2 with one line, before
// anything is created.
func TestBatchUsage(t *testing.T) {
	root := t.TempDir()
	makeDump(t, root, 1)
	tests := []struct {
		name, stderr string
		args         []string
	}{
		{"missing --out", "--out DIR is required", []string{"batch", "dump"}},
		{"nonexistent input", "no-such-dump: no such file or directory", []string{"batch", "no-such-dump", "--out", "out"}},
		{"glob matching nothing", "matches nothing", []string{"batch", "dump/*.nothing", "--out", "out"}},
		{"bad -f", `unknown format "docx"`, []string{"batch", "dump", "--out", "out", "-f", "md,docx"}},
		{"bad --progress", "unknown --progress", []string{"batch", "dump", "--out", "out", "--progress", "fancy"}},
		{"--listen and --nats", "give one", []string{"batch", "dump", "--out", "out", "--listen", "127.0.0.1:0", "--nats", "nats://127.0.0.1:1"}},
		{"--max-deliver 0", "must be positive", []string{"batch", "dump", "--out", "out", "--max-deliver", "0"}},
		{"unknown flag", "frobnicate", []string{"batch", "dump", "--out", "out", "--frobnicate"}},
		{"-j 0 and no way in", "no other worker can reach the queue", []string{"batch", "dump", "--out", "out", "-j", "0"}},
		{"worker without --nats", "--nats URL is required", []string{"worker"}},
		{"worker with an argument", "unexpected argument", []string{"worker", "--nats", "nats://127.0.0.1:1", "extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := binaryCommand(t, nil, tt.args...)
			cmd.Dir, cmd.Env = root, batchEnv()
			r := runCommand(t, cmd)
			if r.code != 2 {
				t.Errorf("emend %s: exit status %d, want 2\nstderr: %s", strings.Join(tt.args, " "), r.code, r.stderr)
			}
			if lines := r.stderrLines(); len(lines) != 1 || !strings.Contains(lines[0], tt.stderr) {
				t.Errorf("emend %s: stderr %q; want one line with %q", strings.Join(tt.args, " "), lines, tt.stderr)
			}
			if _, err := os.Stat(filepath.Join(root, "out")); err == nil {
				t.Errorf("emend %s: created the output directory on a usage error", strings.Join(tt.args, " "))
				os.RemoveAll(filepath.Join(root, "out"))
			}
		})
	}
}

// TestBatchListenRequiresToken: a batch that listens admits only clients
// with its token; a worker without it is refused and says so.
func TestBatchListenRequiresToken(t *testing.T) {
	root := t.TempDir()
	makeDump(t, root, 2)
	addr := batchFreeAddr(t)
	b := startEmend(t, "the batch", root, batchEnv(), nil, "batch", "dump", "--out", "out", "-j", "0", "--listen", addr, "--progress", "none")
	waitListening(t, b, addr)

	var env []string
	for _, kv := range batchEnv() {
		if !strings.HasPrefix(kv, batch.TokenEnv+"=") {
			env = append(env, kv)
		}
	}
	cmd := binaryCommand(t, nil, "worker", "--nats", "nats://"+addr, "-j", "1")
	cmd.Dir, cmd.Env = root, env
	r := runCommand(t, cmd)
	if r.code == 0 || !strings.Contains(strings.ToLower(r.stderr), "authorization") {
		t.Errorf("a worker without the token: exit %d, stderr %q", r.code, r.stderr)
	}
	cmd = binaryCommand(t, nil, "worker", "--nats", "nats://wrong-token@"+addr, "-j", "1")
	cmd.Dir, cmd.Env = root, env
	if r := runCommand(t, cmd); r.code == 0 {
		t.Errorf("a worker with a wrong token: exit 0, stderr %q", r.stderr)
	}
	// With the token, a worker finishes the batch.
	w := startEmend(t, "worker", root, batchEnv(), nil, "worker", "--nats", "nats://"+addr, "-j", "1")
	b.wait(t, batchDeadline)
	b.wantCode(t, 0, "the worker with the token cleans both documents")
	w.signal(t, os.Interrupt)
	w.wait(t, batchDeadline)
}
