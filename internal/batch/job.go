package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/emend/emend/pipeline"
)

// Status is where a document ended.
type Status string

const (
	StatusDone    Status = "done"    // outputs written
	StatusPartial Status = "partial" // outputs written from the pages that could be read
	StatusFailed  Status = "failed"  // the input cannot be cleaned (corrupt, not a document); not retried
	StatusDead    Status = "dead"    // a dead letter: failed or crashed a worker on every delivery
	StatusRefused Status = "refused" // never queued: unsafe name, unreadable, too large
)

// Succeeded reports a status that needs no attention.
func (s Status) Succeeded() bool { return s == StatusDone }

// Result is one document's outcome: one line of the manifest.
type Result struct {
	Input       string         `json:"input"`
	Rel         string         `json:"rel,omitempty"`
	Hash        string         `json:"sha256,omitempty"`
	Size        int64          `json:"size"`
	ModTime     int64          `json:"mtime_ns,omitempty"`
	Status      Status         `json:"status"`
	Pages       int            `json:"pages"`
	FailedPages []int          `json:"failed_pages,omitempty"`
	Repairs     map[string]int `json:"repairs,omitempty"`
	Seconds     float64        `json:"seconds"`
	Error       string         `json:"error,omitempty"`
	Outputs     []string       `json:"outputs,omitempty"`
	Key         string         `json:"key"`
	Pipeline    string         `json:"pipeline"`
	Worker      string         `json:"worker,omitempty"`
	Attempts    int            `json:"attempts,omitempty"`
	Finished    time.Time      `json:"finished"`
}

// Job headers. The body of a job message is the document itself, unless
// it is too large for a message and sits in the batch's object store.
const (
	hdrBatch   = "Emend-Batch"
	hdrInput   = "Emend-Input"
	hdrRel     = "Emend-Rel"
	hdrHash    = "Emend-Sha256"
	hdrSize    = "Emend-Size"
	hdrModTime = "Emend-Mtime"
	hdrVersion = "Emend-Pipeline"
	hdrBlob    = "Emend-Blob"
	hdrRedo    = "Emend-Redo"
)

// Job is a queued document.
type Job struct {
	Batch    string
	Input    string
	Rel      string
	Hash     string
	Size     int64
	ModTime  int64
	Pipeline string // the pipeline fingerprint the outputs must come from
	Blob     string // object name when the body is in the object store
	// Redo is set when a document the manifest has is queued again (its
	// outputs went missing, or --retry-failed): it gives the message a new
	// ID, which JetStream would otherwise drop as a duplicate.
	Redo string
}

// Key identifies a job: the content, the pipeline that cleans it (version,
// dictionaries, options and output formats, all in the fingerprint) and
// the output path. It is the JetStream message ID, so that submitting the
// same document twice queues it once, and the manifest's record key.
func (j Job) Key() string {
	rel := sha256.Sum256([]byte(j.Rel))
	return j.Hash[:32] + "." + j.Pipeline + "." + hex.EncodeToString(rel[:6])
}

// msgID is the JetStream message ID of the job and of its result.
func (j Job) msgID() string {
	if j.Redo != "" {
		return j.Key() + ".redo-" + j.Redo
	}
	return j.Key()
}

func (j Job) header() nats.Header {
	h := nats.Header{}
	h.Set(nats.MsgIdHdr, j.msgID())
	h.Set(hdrBatch, j.Batch)
	h.Set(hdrInput, j.Input)
	h.Set(hdrRel, j.Rel)
	h.Set(hdrHash, j.Hash)
	h.Set(hdrSize, strconv.FormatInt(j.Size, 10))
	h.Set(hdrModTime, strconv.FormatInt(j.ModTime, 10))
	h.Set(hdrVersion, j.Pipeline)
	if j.Blob != "" {
		h.Set(hdrBlob, j.Blob)
	}
	if j.Redo != "" {
		h.Set(hdrRedo, j.Redo)
	}
	return h
}

func parseJob(h nats.Header) (Job, error) {
	j := Job{
		Batch:    h.Get(hdrBatch),
		Input:    h.Get(hdrInput),
		Rel:      h.Get(hdrRel),
		Hash:     h.Get(hdrHash),
		Pipeline: h.Get(hdrVersion),
		Blob:     h.Get(hdrBlob),
		Redo:     h.Get(hdrRedo),
	}
	j.Size, _ = strconv.ParseInt(h.Get(hdrSize), 10, 64)
	j.ModTime, _ = strconv.ParseInt(h.Get(hdrModTime), 10, 64)
	if j.Batch == "" || j.Rel == "" || len(j.Hash) != 64 || j.Pipeline == "" {
		return j, fmt.Errorf("job message lacks its headers (batch %q, rel %q)", j.Batch, j.Rel)
	}
	return j, nil
}

// result starts the Result of a job.
func (j Job) result() Result {
	return Result{Input: j.Input, Rel: j.Rel, Hash: j.Hash, Size: j.Size, ModTime: j.ModTime, Key: j.Key(), Pipeline: j.Pipeline}
}

// refusedResult records an item that is never queued. Its key is built
// from its input name, as it may have no content to hash.
func refusedResult(it Item, fingerprint string, err error) Result {
	sum := sha256.Sum256([]byte(it.Input))
	return Result{
		Input: it.Input, Rel: it.Rel, Size: it.Size, Status: StatusRefused, Error: err.Error(),
		Key: "refused." + fingerprint + "." + hex.EncodeToString(sum[:12]), Pipeline: fingerprint, Finished: time.Now().UTC(),
	}
}

// Fingerprint names the pipeline a batch cleans with: emend's version, the
// options that change outputs, the user's dictionaries and the formats.
// Outputs made by another pipeline are not "done" for this one.
func Fingerprint(cfg Config) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", pipeline.Version, cfg.Kind, cfg.OCR)
	for _, f := range cfg.Formats {
		fmt.Fprintf(h, "%s,", f)
	}
	for _, d := range cfg.Dicts {
		fmt.Fprintf(h, "\x00%s\x00%d\x00", d.Name, len(d.Content))
		h.Write(d.Content)
	}
	sum := h.Sum(nil)
	formats := make([]string, len(cfg.Formats))
	for i, f := range cfg.Formats {
		formats[i] = string(f)
	}
	return strings.Join(formats, "-") + "-" + hex.EncodeToString(sum[:5])
}
