// Package batch runs emend over dumps of documents through a NATS
// JetStream work queue: by default on a server embedded in the emend
// process, with its store beside the outputs; on an external server or
// cluster when one is named, with workers on other machines.
//
// The batch process walks the inputs and queues one job per document (the
// document travels in the message, or in an object store when it is too
// large), runs local workers, and is the only writer of the manifest:
// workers report results through a results stream, and a result is acked
// only after its manifest line is on disk. Every guarantee rests on
// JetStream: a job is removed only when a worker acks it after writing its
// outputs; a worker that dies leaves its job to be redelivered; a job that
// fails on every delivery, or kills its worker every time, becomes a dead
// letter in the manifest.
package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/emend/emend/pipeline"
)

// Options configure a batch run.
type Options struct {
	Inputs []string
	Config Config // Out, Formats, Kind, OCR, PageTimeout, Dicts; ID and Fingerprint are filled in
	State  string // queue store and lock; default Out/.emend

	Jobs   int    // local workers' documents at once; 0 runs none (workers elsewhere)
	Listen string // expose the embedded server, e.g. 127.0.0.1:4222
	Token  string // clients' token: required by a listening embedded server
	NATS   string // use this server or cluster instead of an embedded one
	Queue  QueueSettings
	Window int // documents queued and not yet finished, at most
	// InlineLimit is the largest document sent inside its job message;
	// larger ones go through an object store. 0 takes the server's
	// message size limit.
	InlineLimit int64

	RetryFailed bool          // queue again documents an earlier run could not clean
	Grace       time.Duration // on interrupt, how long in-flight documents may take to finish

	Progress    io.Writer // progress display; nil for none
	Interactive bool      // Progress is a terminal: draw a bar
	Interval    time.Duration
	Log         io.Writer // warnings
	Verbose     io.Writer // per-document worker lines
	WorkerID    string
	Extra       []pipeline.Stage
}

// Summary is the outcome of a run.
type Summary struct {
	Found       int
	Done        int      // cleaned this run
	Skipped     int      // done by an earlier run
	Failed      []Result // not done: failed, partial, dead or refused, this run or earlier
	Pages       int
	Elapsed     time.Duration
	Interrupted bool
	Left        int // documents queued but not finished when interrupted
}

// ErrLocked says another batch process owns the output directory.
var ErrLocked = errors.New("another emend batch is running on this output directory")

// Run runs a batch to its end, or until ctx is cancelled (SIGINT), when it
// stops queueing, lets in-flight documents finish (or hands them back) and
// returns a Summary with Interrupted set. Running it again resumes.
func Run(ctx context.Context, o Options) (*Summary, error) {
	r, err := newRunner(o)
	if err != nil {
		return nil, err
	}
	defer r.close()
	return r.run(ctx)
}

type runner struct {
	o        Options
	cfg      Config
	q        *Queue
	man      *manifest
	lock     *os.File
	c        counts
	mu       sync.Mutex // guards man, pending, failed
	cond     *sync.Cond
	pending  map[string]bool
	failed   []Result
	seenRel  map[digest]struct{} // output paths taken in this run
	blobsUse bool
	ctx      context.Context // the run's: cancelled on interrupt

	fingerprint digest // of cfg.Fingerprint
}

func newRunner(o Options) (*runner, error) {
	out, err := filepath.Abs(o.Config.Out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if o.State == "" {
		o.State = filepath.Join(out, ".emend")
	}
	if o.State, err = filepath.Abs(o.State); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.State, 0o755); err != nil {
		return nil, err
	}
	r := &runner{o: o, cfg: o.Config, pending: map[string]bool{}, seenRel: map[digest]struct{}{}}
	r.cond = sync.NewCond(&r.mu)
	r.cfg.Out = out
	id := sha256.Sum256([]byte(out))
	r.cfg.ID = hex.EncodeToString(id[:8])
	r.cfg.Fingerprint = Fingerprint(r.cfg)
	r.fingerprint = digestOf(r.cfg.Fingerprint)

	if r.lock, err = os.OpenFile(filepath.Join(o.State, "lock"), os.O_RDWR|os.O_CREATE, 0o644); err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(r.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		r.lock.Close()
		return nil, fmt.Errorf("%s: %w", out, ErrLocked)
	}
	if r.man, err = openManifest(filepath.Join(out, ManifestName)); err != nil {
		r.close()
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%s: %w", out, ErrLocked)
		}
		return nil, err
	}
	if _, err := sweepTemp(out, o.State); err != nil {
		r.close()
		return nil, err
	}
	if o.NATS != "" {
		r.q, err = Dial(o.NATS, "emend batch", o.Token)
	} else {
		r.q, err = Embedded(filepath.Join(o.State, "jetstream"), o.Listen, o.Token)
	}
	if err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *runner) close() {
	if r.q != nil {
		r.q.Close()
	}
	if r.man != nil {
		if err := r.man.close(); err != nil {
			r.logf("manifest: %v", err)
		}
	}
	if r.lock != nil {
		r.lock.Close() // releases the lock
	}
}

func (r *runner) run(ctx context.Context) (*Summary, error) {
	r.ctx = ctx
	defer context.AfterFunc(ctx, func() {
		r.mu.Lock()
		r.cond.Broadcast()
		r.mu.Unlock()
	})()
	setup, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := r.q.Setup(setup, r.o.Queue); err != nil {
		return nil, err
	}
	if err := r.q.putConfig(setup, r.cfg); err != nil {
		return nil, fmt.Errorf("storing the batch settings: %w", err)
	}
	resultsCons, err := r.q.JS.CreateOrUpdateConsumer(setup, resultsStream, jetstream.ConsumerConfig{
		Durable:       "manifest-" + r.cfg.ID,
		Description:   "the manifest of " + r.cfg.Out,
		FilterSubject: resultsSubject + r.cfg.ID,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       time.Minute,
		MaxAckPending: 20000,
	})
	if err != nil {
		return nil, fmt.Errorf("creating the results consumer: %w", err)
	}
	results, err := resultsCons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	defer results.Stop() // unacked results come back to the next run
	dead, err := r.q.JS.CreateOrUpdateConsumer(setup, deadStream, jetstream.ConsumerConfig{
		Durable:     "dead-" + r.cfg.ID,
		Description: "dead letters of " + r.cfg.Out,
		AckPolicy:   jetstream.AckExplicitPolicy,
		AckWait:     time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("creating the dead-letter consumer: %w", err)
	}

	r.c.start = time.Now()
	// Results a killed run left unacked go into the manifest first, so that
	// the walk below sees those documents as done.
	for {
		n, err := r.collect(results, 50*time.Millisecond)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
	}

	loops, stopLoops := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { r.resultLoop(loops, results) })
	wg.Go(func() { r.deadLoop(loops, dead) })

	work, stopWork := context.WithCancel(ctx)
	defer stopWork()
	var workers sync.WaitGroup
	if r.o.Jobs > 0 {
		w := &Worker{Q: r.q, ID: r.o.WorkerID, Jobs: r.o.Jobs, Log: r.o.Log, Verbose: r.o.Verbose, Extra: r.o.Extra}
		workers.Go(func() {
			if err := w.Run(work, r.o.Grace); err != nil {
				r.logf("%v", err)
			}
		})
	}
	prog := startProgress(r.o.Progress, r.o.Interactive, r.o.Interval, &r.c)

	walkErr := Walk(ctx, r.o.Inputs, r.skipPath, r.submit)
	r.c.mu.Lock()
	r.c.walked = walkErr == nil
	r.c.mu.Unlock()

	// Wait for every queued document, or for the interrupt.
	waitDone := make(chan struct{})
	go func() {
		r.mu.Lock()
		for len(r.pending) > 0 && ctx.Err() == nil {
			r.cond.Wait()
		}
		r.mu.Unlock()
		close(waitDone)
	}()
	<-waitDone
	elapsed := time.Since(r.c.start)
	if ctx.Err() == nil {
		prog.close()
	}
	stopWork()
	workers.Wait()
	// In-flight documents that finished while stopping have sent results:
	// take them in before the loops stop.
	if ctx.Err() != nil {
		for {
			if n, err := r.collect(results, 200*time.Millisecond); err != nil || n == 0 {
				break
			}
		}
	}
	stopLoops()
	wg.Wait()
	if ctx.Err() != nil {
		prog.close() // after the in-flight documents are in
		elapsed = time.Since(r.c.start)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.man.sync(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if _, err := sweepTemp(r.cfg.Out, r.o.State); err != nil {
		r.logf("removing temporary files: %v", err)
	}
	s := &Summary{
		Found: r.c.found, Done: r.c.done, Skipped: r.c.skipped,
		Failed: r.failed, Pages: r.c.pages, Elapsed: elapsed,
		Interrupted: ctx.Err() != nil && (len(r.pending) > 0 || !r.c.walked), Left: len(r.pending),
	}
	if !s.Interrupted && s.Left == 0 && r.blobsUse && r.queueEmpty() {
		_ = r.q.JS.DeleteObjectStore(context.Background(), blobsBucket+r.cfg.ID)
	}
	if walkErr != nil && !s.Interrupted {
		return s, walkErr
	}
	return s, nil
}

// queueEmpty reports no job waiting or in flight: leftover copies of
// finished jobs may still need their document from the object store.
func (r *runner) queueEmpty() bool {
	cons, err := r.q.JS.Consumer(context.Background(), jobsStream, workersConsumer)
	if err != nil {
		return false
	}
	info, err := cons.Info(context.Background())
	return err == nil && info.NumPending == 0 && info.NumAckPending == 0
}

// skipPath keeps the output directory out of an input tree that holds it.
func (r *runner) skipPath(p string) bool {
	abs, err := filepath.Abs(p)
	return err == nil && (abs == r.cfg.Out || abs == r.o.State)
}

// submit queues one document unless an earlier run finished it.
func (r *runner) submit(it Item, body io.Reader) error {
	r.c.mu.Lock()
	r.c.found++
	r.c.mu.Unlock()
	if it.Err == nil {
		r.mu.Lock()
		d := digestOf(it.Rel)
		if _, ok := r.seenRel[d]; ok {
			it.Err = fmt.Errorf("its output path %s is taken by another input of this run; refused", it.Rel)
			it.Rel = "" // the path is the other document's: this one is known by its input
		} else {
			r.seenRel[d] = struct{}{}
		}
		r.mu.Unlock()
	}
	if it.Err != nil {
		res := refusedResult(it, r.cfg.Fingerprint, it.Err)
		if r.doneBefore(it, res.Key) {
			return nil
		}
		return r.queueResult(res)
	}
	if r.doneBefore(it, "") {
		return nil
	}
	job := Job{Batch: r.cfg.ID, Input: it.Input, Rel: it.Rel, Size: it.Size, Pipeline: r.cfg.Fingerprint}
	if !it.ModTime.IsZero() {
		job.ModTime = it.ModTime.UnixNano()
	}
	var data []byte
	if limit := r.inlineLimit(); it.Size <= limit {
		var err error
		if data, err = io.ReadAll(io.LimitReader(body, limit+1)); err != nil {
			return r.queueResult(refusedResult(it, r.cfg.Fingerprint, fmt.Errorf("reading: %v", err)))
		}
		if int64(len(data)) > limit {
			return r.queueResult(refusedResult(it, r.cfg.Fingerprint, errors.New("the file grew while it was read; run again")))
		}
		sum := sha256.Sum256(data)
		job.Hash = hex.EncodeToString(sum[:])
		job.Size = int64(len(data))
	} else {
		var err error
		if job, err = r.putBlob(r.ctx, job, body); err != nil {
			return r.queueResult(refusedResult(it, r.cfg.Fingerprint, err))
		}
	}
	if r.doneBefore(it, job.Key()) {
		r.dropBlob(job)
		return nil
	}
	job.Redo = r.redoTag(it.Rel, job.Key())
	r.waitWindow()
	if err := r.ctx.Err(); err != nil {
		r.dropBlob(job)
		return err
	}
	r.addPending(job.Key())
	err := r.publishOnce(jobsStream, func() *nats.Msg {
		m := nats.NewMsg(jobsSubject + r.cfg.ID)
		m.Header = job.header()
		m.Data = data
		return m
	}, func() { job.Redo = strconv.FormatInt(time.Now().UnixNano(), 36) })
	if err != nil {
		r.mu.Lock()
		delete(r.pending, job.Key())
		r.mu.Unlock()
		r.dropBlob(job)
		return fmt.Errorf("queueing %s: %w", it.Input, err)
	}
	return nil
}

// publishOnce publishes the message build makes, and makes sure it is
// queued: JetStream answers a message ID it saw in the last two minutes
// with "duplicate" even when that message has since been consumed, and
// the run would wait for it forever. Then the message goes again, with
// the fresh ID redo gives it.
func (r *runner) publishOnce(stream string, build func() *nats.Msg, redo func()) error {
	for range 3 {
		ack, err := r.publish(build())
		if err != nil {
			return err
		}
		if !ack.Duplicate {
			return nil
		}
		st, err := r.q.JS.Stream(r.ctx, stream)
		if err != nil {
			return err
		}
		if _, err := st.GetMsg(r.ctx, ack.Sequence); err == nil {
			return nil // the earlier copy is still queued: it will do
		} else if !errNotFound(err) {
			return err
		}
		redo()
	}
	return errors.New("the queue keeps answering duplicate")
}

func (r *runner) inlineLimit() int64 {
	if r.o.InlineLimit > 0 {
		return min(r.o.InlineLimit, r.q.inlineLimit())
	}
	return r.q.inlineLimit()
}

// putBlob streams a large document into the batch's object store, hashing
// it on the way.
func (r *runner) putBlob(ctx context.Context, job Job, body io.Reader) (Job, error) {
	store, err := r.q.blobs(ctx, r.cfg.ID, true, r.o.Queue.Replicas)
	if err != nil {
		return job, fmt.Errorf("document store: %v", err)
	}
	r.blobsUse = true
	h := sha256.New()
	name := nats.NewInbox()[len(nats.InboxPrefix):]
	info, err := store.Put(ctx, jetstream.ObjectMeta{Name: name}, io.TeeReader(body, h))
	if err != nil {
		return job, fmt.Errorf("storing the document for workers: %v", err)
	}
	job.Blob = name
	job.Size = int64(info.Size)
	job.Hash = hex.EncodeToString(h.Sum(nil))
	return job, nil
}

func (r *runner) dropBlob(job Job) {
	if job.Blob == "" {
		return
	}
	if store, err := r.q.blobs(context.Background(), r.cfg.ID, false, 0); err == nil {
		_ = store.Delete(context.Background(), job.Blob)
	}
}

// doneBefore reports a document the manifest already has a final line
// for, made by this pipeline, with its outputs in place. Without a key it
// matches on size and modification time, which spares reading the file;
// with one, on the key (the content hash) itself.
func (r *runner) doneBefore(it Item, key string) bool {
	id := resultID(it.Rel, it.Input)
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.man.lookup(id)
	if !ok || e.pipeline != r.fingerprint {
		return false
	}
	switch {
	case key != "":
		if e.key != digestOf(key) {
			return false
		}
	case it.Err == nil && (it.ModTime.IsZero() || e.size != it.Size || e.modTime != it.ModTime.UnixNano()):
		return false
	}
	if (e.status == StatusDone || e.status == StatusPartial) && !outputsPresent(r.cfg.Out, it.Rel, r.cfg.Formats) {
		return false
	}
	if e.status != StatusDone && r.o.RetryFailed {
		return false
	}
	// A document that ended badly before is listed with this run's
	// failures, not counted as skipped: done + failed + skipped = found.
	r.c.mu.Lock()
	if e.status == StatusDone {
		r.c.skipped++
	} else {
		r.c.earlier++
		r.c.failed++
		r.failed = append(r.failed, Result{Input: it.Input, Rel: it.Rel, Status: e.status, Error: "(an earlier run)"})
	}
	r.c.mu.Unlock()
	return true
}

func (r *runner) addPending(key string) {
	r.mu.Lock()
	r.pending[key] = true
	r.mu.Unlock()
}

// waitWindow holds the walk while Window documents are queued and not
// finished: the queue's store stays small, however large the dump.
func (r *runner) waitWindow() {
	window := r.o.Window
	if window <= 0 {
		window = DefaultWindow
	}
	r.mu.Lock()
	for len(r.pending) >= window && r.ctx.Err() == nil {
		r.cond.Wait()
	}
	r.mu.Unlock()
}

// DefaultWindow is how many documents may be queued at once.
const DefaultWindow = 1000

// publish retries a publish for as long as the run goes on, and at most
// two minutes: past that the queue is not coming back.
func (r *runner) publish(m *nats.Msg) (*jetstream.PubAck, error) {
	ctx, cancel := context.WithTimeout(r.ctx, 2*time.Minute)
	defer cancel()
	return publish(ctx, r.q.JS, m)
}

// redoTag returns a fresh tag for a document the manifest already has, so
// that queueing it again is not dropped as a duplicate message.
func (r *runner) redoTag(id, key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.man.knows(id, key) {
		return ""
	}
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

// queueResult sends a result that needs no worker (a refused item) the
// same way workers send theirs.
func (r *runner) queueResult(res Result) error {
	r.addPending(res.Key)
	msgID := res.Key
	if tag := r.redoTag(resultID(res.Rel, res.Input), res.Key); tag != "" {
		msgID += ".redo-" + tag
	}
	err := r.publishOnce(resultsStream, func() *nats.Msg {
		m, _ := resultMsg(r.cfg.ID, msgID, res)
		return m
	}, func() { msgID = res.Key + ".redo-" + strconv.FormatInt(time.Now().UnixNano(), 36) })
	if err != nil {
		r.mu.Lock()
		delete(r.pending, res.Key)
		r.mu.Unlock()
		return fmt.Errorf("recording %s: %w", res.Input, err)
	}
	return nil
}

// resultLoop writes results to the manifest as they come.
func (r *runner) resultLoop(ctx context.Context, results jetstream.MessagesContext) {
	for ctx.Err() == nil {
		if _, err := r.collect(results, 100*time.Millisecond); err != nil && ctx.Err() == nil {
			r.logf("%v", err)
			time.Sleep(time.Second)
		}
	}
}

// collect takes the results that are waiting (up to a batch), writes their
// lines, syncs the manifest, and only then acks them.
func (r *runner) collect(results jetstream.MessagesContext, wait time.Duration) (int, error) {
	// Wait for a first result, then take what follows it closely: one
	// manifest sync serves a burst.
	var msgs []jetstream.Msg
	for len(msgs) < 512 {
		msg, err := results.Next(jetstream.NextMaxWait(wait))
		if errors.Is(err, nats.ErrTimeout) {
			break
		}
		if err != nil {
			if len(msgs) > 0 {
				break
			}
			return 0, fmt.Errorf("reading results: %w", err)
		}
		msgs = append(msgs, msg)
		wait = 5 * time.Millisecond
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	r.mu.Lock()
	for _, msg := range msgs {
		var res Result
		if err := json.Unmarshal(msg.Data(), &res); err != nil || res.Key == "" {
			r.logf("ignoring a malformed result: %v", err)
			continue
		}
		wasPending := r.pending[res.Key]
		delete(r.pending, res.Key)
		// A line is written for a new document, or when a document queued
		// again ends differently; a redelivered job's second report, or a
		// redo that ends the same, adds none.
		if !r.man.changes(res) || !wasPending && r.stale(res) {
			if wasPending {
				r.count(res)
			}
			continue
		}
		if err := r.man.add(res); err != nil {
			r.logf("manifest: %v", err)
			continue
		}
		// A result this run did not queue (a killed run's, taken in at the
		// start or before the walk reaches it) is counted by the walk, as
		// done before.
		if wasPending {
			r.count(res)
		}
	}
	err := r.man.sync()
	r.cond.Broadcast()
	r.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("manifest: %w", err) // unacked: they come back
	}
	for _, msg := range msgs {
		_ = msg.Ack()
	}
	return len(msgs), nil
}

// stale reports a result this run did not ask for that would overwrite a
// better line: a late dead letter or failure of a document already done
// with the same content, or a result from another pipeline for a document
// this pipeline has done. r.mu is held.
func (r *runner) stale(res Result) bool {
	e, ok := r.man.lookup(resultID(res.Rel, res.Input))
	if !ok || e.status != StatusDone && e.status != StatusPartial {
		return false
	}
	if e.key == digestOf(res.Key) {
		return res.Status != StatusDone && res.Status != StatusPartial
	}
	return e.pipeline == r.fingerprint && res.Pipeline != r.cfg.Fingerprint
}

// count tallies a finished document; r.mu is held.
func (r *runner) count(res Result) {
	r.c.mu.Lock()
	r.c.finished++
	r.c.pages += res.Pages
	if res.Status.Succeeded() {
		r.c.done++
	} else {
		r.c.failed++
	}
	r.c.mu.Unlock()
	if !res.Status.Succeeded() {
		r.failed = append(r.failed, res)
	}
}

// advisory is the part of a max-deliveries advisory emend reads.
type advisory struct {
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries int    `json:"deliveries"`
}

// deadLoop turns max-deliveries advisories into dead-letter results: the
// job killed or outlasted its worker on every delivery.
func (r *runner) deadLoop(ctx context.Context, cons jetstream.Consumer) {
	stream, err := r.q.JS.Stream(context.Background(), jobsStream)
	if err != nil {
		r.logf("dead letters: %v", err)
		return
	}
	for ctx.Err() == nil {
		batch, err := cons.Fetch(64, jetstream.FetchMaxWait(100*time.Millisecond))
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		for msg := range batch.Messages() {
			r.deadLetter(stream, msg)
		}
	}
}

func (r *runner) deadLetter(stream jetstream.Stream, msg jetstream.Msg) {
	ctx := context.Background()
	var adv advisory
	if err := json.Unmarshal(msg.Data(), &adv); err != nil {
		_ = msg.Term()
		return
	}
	raw, err := stream.GetMsg(ctx, adv.StreamSeq)
	if err != nil {
		if errNotFound(err) {
			_ = msg.Ack() // finished after all, or already recorded
		} else {
			_ = msg.Nak()
		}
		return
	}
	job, err := parseJob(raw.Header)
	if err != nil || job.Batch != r.cfg.ID {
		_ = msg.Ack() // another batch's: its own process records it
		return
	}
	r.mu.Lock()
	e, ok := r.man.lookup(resultID(job.Rel, job.Input))
	done := ok && e.key == digestOf(job.Key()) && e.status == StatusDone
	r.mu.Unlock()
	if done {
		// A leftover copy of a job whose document is done: nothing is dead.
		_ = stream.DeleteMsg(ctx, adv.StreamSeq)
		_ = msg.Ack()
		return
	}
	res := job.result()
	res.Status = StatusDead
	res.Attempts = adv.Deliveries
	res.Error = fmt.Sprintf("dead letter: no worker finished it in %d deliveries (each crashed or timed out)", adv.Deliveries)
	res.Finished = time.Now().UTC()
	if err := publishResult(ctx, r.q.JS, r.cfg.ID, job.msgID(), res); err != nil {
		_ = msg.Nak()
		return
	}
	if err := stream.DeleteMsg(ctx, adv.StreamSeq); err != nil && !errNotFound(err) {
		r.logf("dead letter %s: removing it from the queue: %v", job.Input, err)
	}
	r.dropBlob(job)
	_ = msg.Ack()
}

func (r *runner) logf(format string, args ...any) {
	if r.o.Log != nil {
		fmt.Fprintf(r.o.Log, "emend: "+format+"\n", args...)
	}
}
