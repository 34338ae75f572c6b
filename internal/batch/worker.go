package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/semaphore"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

// Worker takes jobs from the queue, cleans them with the one pipeline
// (internal/clean), writes the outputs and reports a result. Any number
// of workers, in any number of processes on any number of machines, share
// the work: JetStream hands each job to one of them.
type Worker struct {
	Q    *Queue
	ID   string // names the worker in the manifest
	Jobs int    // documents cleaned at once (and Tesseract clients)

	// Verbose, when set, gets a line as each document starts and ends.
	Verbose io.Writer
	// Log gets warnings.
	Log io.Writer
	// Extra stages run after the chain (fault injection).
	Extra []pipeline.Stage

	mu         sync.Mutex
	cleaners   map[string]*batchCleaner
	logMu      sync.Mutex
	cons       jetstream.Consumer
	maxDeliver int                 // guarded by mu
	heartbeat  time.Duration       // guarded by mu
	slots      *semaphore.Weighted // Jobs units: one per document, all for a redelivered one

	settling    sync.WaitGroup // results being reported and jobs acked
	settleSlots chan struct{}  // bounds them
}

// batchCleaner is a batch's settings and the Cleaner built from them.
type batchCleaner struct {
	cfg Config
	cl  *clean.Cleaner
	err error // the settings cannot be used by this worker
}

// Run works until stop is done, then finishes the documents in hand. When
// grace runs out first, they are cancelled and handed back to the queue
// for another worker or the next run.
func (w *Worker) Run(stop context.Context, grace time.Duration) error {
	cons, err := w.consumer(stop)
	if err != nil {
		if stop.Err() != nil {
			return nil
		}
		return err
	}
	w.cons = cons
	w.setRules(cons.CachedInfo().Config)
	w.cleaners = map[string]*batchCleaner{}
	defer w.closeCleaners()

	hard, cancelHard := context.WithCancel(context.Background())
	defer cancelHard()
	finished := make(chan struct{})
	go func() {
		select {
		case <-stop.Done():
		case <-finished:
			return
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelHard()
		case <-finished:
		}
	}()
	w.slots = semaphore.NewWeighted(int64(w.jobs()))
	w.settleSlots = make(chan struct{}, 4*w.jobs())
	var wg sync.WaitGroup
	for range w.jobs() {
		wg.Go(func() { w.loop(stop, hard, cons) })
	}
	wg.Wait()
	w.settling.Wait()
	close(finished)
	return nil
}

// consumer waits for the worker consumer: a worker may start before the
// batch that creates it.
func (w *Worker) consumer(ctx context.Context) (jetstream.Consumer, error) {
	warned := false
	for {
		cons, err := w.Q.JS.Consumer(ctx, jobsStream, workersConsumer)
		if err == nil {
			return cons, nil
		}
		if !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			return nil, fmt.Errorf("worker %s: %w", w.ID, err)
		}
		if !warned {
			w.logf("worker %s: waiting for a batch to create the job queue", w.ID)
			warned = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// loop takes a job only when it can start it at once: a job never waits
// in this process, where a crash would cost it a delivery it never used.
func (w *Worker) loop(stop, hard context.Context, cons jetstream.Consumer) {
	for {
		if err := w.slots.Acquire(stop, 1); err != nil {
			return
		}
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(200*time.Millisecond))
		if err != nil {
			w.slots.Release(1)
			if stop.Err() == nil {
				w.logf("worker %s: fetching a job: %v", w.ID, err)
				time.Sleep(time.Second)
			}
			continue
		}
		held := int64(1)
		for msg := range batch.Messages() {
			if stop.Err() != nil {
				w.handBack(msg) // stopping: the next worker takes it at once
				continue
			}
			w.handle(stop, hard, msg, &held)
		}
		w.slots.Release(held)
	}
}

func (w *Worker) jobs() int { return max(1, w.Jobs) }

// handle cleans one job and settles its message.
// held is the number of slot units the caller holds, which a redelivered
// job raises to all of them.
func (w *Worker) handle(stop, ctx context.Context, msg jetstream.Msg, held *int64) {
	meta, err := msg.Metadata()
	if err != nil {
		_ = msg.Term()
		return
	}
	job, err := parseJob(msg.Headers())
	if err != nil {
		w.logf("worker %s: dropping message %d: %v", w.ID, meta.Sequence.Stream, err)
		_ = msg.Term()
		return
	}
	bc := w.cleaner(ctx, job.Batch, job.Pipeline)
	if bc.err != nil || bc.cfg.Fingerprint != job.Pipeline {
		// Another emend (a different version or options) queued this: a
		// worker of the same kind should clean it. If none comes, the
		// job ends as a dead letter that says why.
		why := bc.err
		if why == nil {
			why = fmt.Errorf("queued for pipeline %s, this worker runs %s (emend %s)", job.Pipeline, bc.cfg.Fingerprint, pipeline.Version)
		}
		w.logf("worker %s: cannot take %s: %v", w.ID, job.Input, why)
		w.settle(ctx, msg, meta, job, Result{}, why)
		return
	}
	stopBeat := w.beat(msg)
	// A job delivered again may have crashed the worker that had it, along
	// with the documents that worker was cleaning beside it. It runs alone,
	// so that if it crashes again it takes no innocent document with it,
	// and an innocent one caught in a crash does not end as a dead letter.
	if all := int64(w.jobs()); meta.NumDelivered > 1 && *held < all {
		// Give the unit back and ask for all of them at once: two such jobs
		// each holding one unit and waiting for the other's would wait
		// forever.
		w.slots.Release(*held)
		*held = 0
		if err := w.slots.Acquire(stop, all); err != nil {
			stopBeat()
			w.handBack(msg) // stopping before it started: the next worker takes it at once
			return
		}
		*held = all
	}
	if w.Verbose != nil {
		w.verbosef("worker %s: start %s (delivery %d)", w.ID, job.Input, meta.NumDelivered)
	}
	start := time.Now()
	res, retryErr := w.clean(ctx, bc, job, msg)
	if ctx.Err() != nil {
		stopBeat()
		w.handBack(msg) // shutting down: hand it back unfinished
		return
	}
	res.Seconds = time.Since(start).Seconds()
	// The outputs are written: reporting and acking are round trips to the
	// server, and the slot goes on to the next document meanwhile. The
	// heartbeat runs until the ack.
	w.settleSlots <- struct{}{}
	w.settling.Go(func() {
		defer func() { <-w.settleSlots }()
		w.settle(ctx, msg, meta, job, res, retryErr)
		stopBeat()
	})
}

// handBack returns a job the worker is stopping without finishing. A Nak
// would cost the job a delivery, and on its last one make it a dead letter
// though nothing failed; so on the last delivery a fresh copy is queued
// (with a new message ID, and its delivery count back to zero) and the
// original acked.
func (w *Worker) handBack(msg jetstream.Msg) {
	meta, err := msg.Metadata()
	maxDeliver, _ := w.rules()
	if err != nil || maxDeliver <= 0 || int(meta.NumDelivered) < maxDeliver {
		_ = msg.Nak()
		return
	}
	job, err := parseJob(msg.Headers())
	if err != nil {
		_ = msg.Nak()
		return
	}
	job.Redo = strconv.FormatInt(time.Now().UnixNano(), 36)
	m := nats.NewMsg(msg.Subject())
	m.Header = job.header()
	m.Data = msg.Data()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := publish(ctx, w.Q.JS, m); err != nil {
		_ = msg.Nak()
		return
	}
	_ = msg.DoubleAck(ctx)
}

// settle publishes a final result and acks, or asks for the job again
// later; on its last delivery a job that keeps failing becomes a dead
// letter.
func (w *Worker) settle(ctx context.Context, msg jetstream.Msg, meta *jetstream.MsgMetadata, job Job, res Result, retryErr error) {
	attempts := int(meta.NumDelivered)
	if retryErr != nil {
		maxDeliver, heartbeat := w.rules()
		if maxDeliver <= 0 || attempts < maxDeliver {
			if w.Verbose != nil {
				w.verbosef("worker %s: retry %s later: %v", w.ID, job.Input, retryErr)
			}
			_ = msg.NakWithDelay(time.Duration(attempts) * heartbeat * 3)
			return
		}
		res = job.result()
		res.Status = StatusDead
		res.Error = fmt.Sprintf("dead letter after %d deliveries: %v", attempts, retryErr)
	}
	res.Worker = w.ID
	res.Attempts = attempts
	res.Finished = time.Now().UTC()
	if err := publishResult(ctx, w.Q.JS, job.Batch, job.msgID(), res); err != nil {
		w.logf("worker %s: reporting %s: %v", w.ID, job.Input, err)
		_ = msg.Nak()
		return
	}
	if err := msg.DoubleAck(ctx); err != nil {
		// The result is recorded; a redelivery writes the same outputs again
		// (so it needs the document: the blob stays) and its duplicate
		// result is ignored.
		w.logf("worker %s: ack of %s: %v", w.ID, job.Input, err)
	} else if job.Blob != "" {
		if store, err := w.Q.blobs(ctx, job.Batch, false, 0); err == nil {
			_ = store.Delete(ctx, job.Blob)
		}
	}
	if w.Verbose != nil {
		w.verbosef("worker %s: %s %s", w.ID, res.Status, job.Input)
	}
}

// publishResult sends a result to its batch's manifest, once: the message
// ID is the job's. It retries through a cluster's leader elections for up
// to a minute.
func publishResult(ctx context.Context, js jetstream.JetStream, batch, msgID string, res Result) error {
	m, err := resultMsg(batch, msgID, res)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err = publish(ctx, js, m)
	return err
}

func resultMsg(batch, msgID string, res Result) (*nats.Msg, error) {
	data, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	m := nats.NewMsg(resultsSubject + batch)
	m.Data = data
	m.Header.Set(nats.MsgIdHdr, msgID)
	return m, nil
}

// beat tells the server the job is still being worked on until the
// returned function is called, so that a long OCR is not redelivered.
func (w *Worker) beat(msg jetstream.Msg) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_, heartbeat := w.rules()
		t := time.NewTicker(heartbeat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// clean runs one document through the pipeline and writes its outputs. A
// returned error is worth retrying (a panic, a cancelled OCR); problems of
// the input itself are final and come back in the Result.
func (w *Worker) clean(ctx context.Context, bc *batchCleaner, job Job, msg jetstream.Msg) (Result, error) {
	res := job.result()
	data := msg.Data()
	if job.Blob != "" {
		store, err := w.Q.blobs(ctx, job.Batch, false, 0)
		if err != nil {
			return res, fmt.Errorf("document store: %w", err)
		}
		if data, err = store.GetBytes(ctx, job.Blob); err != nil {
			return res, fmt.Errorf("reading %s from the document store: %w", job.Blob, err)
		}
	}
	if int64(len(data)) != job.Size {
		return res, fmt.Errorf("document arrived with %d bytes, %d were queued", len(data), job.Size)
	}
	doc, err := bc.cl.Bytes(ctx, job.Input, data)
	var pe *clean.PagesError
	var ie *clean.InputError
	switch {
	case errors.As(err, &pe) && doc != nil:
		res.Status = StatusPartial
		res.Error = pe.Error()
		for _, p := range pe.Pages {
			res.FailedPages = append(res.FailedPages, p.Page)
		}
	case errors.As(err, &ie):
		res.Status = StatusFailed
		res.Error = ie.Error()
		return res, nil
	case err != nil:
		return res, describeErr(err)
	}
	res.Pages = len(doc.Pages)
	res.Repairs = map[string]int{}
	for k, n := range doc.CountRepairs() {
		res.Repairs[string(k)] = n
	}
	for _, f := range bc.cfg.Formats {
		out, err := pipeline.Render(doc, f)
		if err != nil {
			return res, err
		}
		rel := job.Rel + f.Ext()
		dst, err := outputPath(bc.cfg.Out, rel)
		if err != nil {
			res.Status, res.Error = StatusRefused, err.Error()
			return res, nil
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return res, err
		}
		if err := clean.WriteFileAtomic(dst, out); err != nil {
			return res, err
		}
		res.Outputs = append(res.Outputs, rel)
	}
	if res.Status == "" {
		res.Status = StatusDone
	}
	return res, nil
}

// describeErr keeps a panic's stack trace out of the manifest's one line.
func describeErr(err error) error {
	var se *pipeline.StageError
	if errors.As(err, &se) {
		return fmt.Errorf("stage %s failed: %s", se.Stage, se.Brief())
	}
	return err
}

// outputPath joins rel to the output directory, refusing anything that
// would land outside it.
func outputPath(out, rel string) (string, error) {
	local := filepath.FromSlash(rel)
	if !filepath.IsLocal(local) {
		return "", fmt.Errorf("output path %q leaves the output directory; refused", rel)
	}
	return filepath.Join(out, local), nil
}

// cleaner returns the Cleaner for a batch's settings, building it once.
func (w *Worker) cleaner(ctx context.Context, batch, pipe string) *batchCleaner {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Keyed by batch and pipeline: a batch run again on the same output
	// with other formats or dictionaries has a new pipeline, and a worker
	// that has run for days must take it up.
	key := batch + "/" + pipe
	if bc, ok := w.cleaners[key]; ok && bc.err == nil {
		return bc
	}
	bc := &batchCleaner{}
	bc.cfg, bc.err = w.Q.getConfig(ctx, batch)
	if bc.err == nil && Fingerprint(bc.cfg) != bc.cfg.Fingerprint {
		bc.err = fmt.Errorf("batch %s was set up by another emend version (pipeline %s; this is emend %s)", batch, bc.cfg.Fingerprint, pipeline.Version)
	}
	if bc.err != nil || bc.cfg.Fingerprint != pipe {
		return bc // not cached: the settings may change again
	}
	if bc.cl, bc.err = newCleaner(bc.cfg, w.Jobs, w.Extra); bc.err != nil {
		return bc
	}
	w.cleaners[key] = bc
	// A new batch may have set other delivery rules.
	if info, err := w.cons.Info(ctx); err == nil {
		w.setRules(info.Config)
	}
	return bc
}

// setRules takes the consumer's delivery rules; w.mu is held, or the
// workers have not started.
func (w *Worker) setRules(cfg jetstream.ConsumerConfig) {
	w.maxDeliver = cfg.MaxDeliver
	// Heartbeat well inside the shortest ack wait.
	w.heartbeat = max(cfg.AckWait/3, 50*time.Millisecond)
}

// rules returns the delivery rules.
func (w *Worker) rules() (maxDeliver int, heartbeat time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.maxDeliver, w.heartbeat
}

// newCleaner builds the pipeline a batch's settings describe.
func newCleaner(cfg Config, workers int, extra []pipeline.Stage) (*clean.Cleaner, error) {
	dict := dictionaries.Default()
	for _, d := range cfg.Dicts {
		var err error
		if dict, err = dict.WithReader(d.Name, bytes.NewReader(d.Content)); err != nil {
			return nil, err
		}
	}
	return clean.New(clean.Options{
		Kind: cfg.Kind, Dict: dict, OCR: cfg.OCR, Workers: workers,
		PageTimeout: cfg.PageTimeout, Extra: extra,
	}), nil
}

func (w *Worker) closeCleaners() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, bc := range w.cleaners {
		if bc.cl != nil {
			bc.cl.Close()
		}
	}
}

func (w *Worker) logf(format string, args ...any) {
	if w.Log == nil {
		return
	}
	w.logMu.Lock()
	defer w.logMu.Unlock()
	fmt.Fprintf(w.Log, "emend: "+format+"\n", args...)
}

func (w *Worker) verbosef(format string, args ...any) {
	w.logMu.Lock()
	defer w.logMu.Unlock()
	fmt.Fprintf(w.Verbose, "emend: "+format+"\n", args...)
}
