package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/pipeline"
)

// The JetStream names. One jobs stream and one worker consumer serve every
// batch on a server: a worker takes whatever job comes next and looks up
// its batch's settings. Results and dead letters are filtered per batch.
const (
	jobsStream      = "EMEND_JOBS"
	jobsSubject     = "emend.jobs."
	resultsStream   = "EMEND_RESULTS"
	resultsSubject  = "emend.results."
	deadStream      = "EMEND_DEAD"
	workersConsumer = "workers"
	batchesBucket   = "EMEND_BATCHES"
	blobsBucket     = "EMEND_BLOBS_"

	// maxDeliveriesAdvisory is what the server publishes when a job has been
	// delivered MaxDeliver times without an ack: a worker crashed on it, or
	// took longer than AckWait every time. The dead-letter stream keeps
	// these, so that no coordinator has to be listening when it happens.
	maxDeliveriesAdvisory = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + jobsStream + "." + workersConsumer

	// embeddedMaxPayload is the embedded server's message limit. Documents
	// up to it (minus headers) ride in the job message; larger ones go
	// through the object store.
	embeddedMaxPayload = 8 << 20
)

// dedupWindow is how long JetStream remembers a message ID. A rerun right
// after a crash queues again the jobs still waiting, and the window drops
// those copies; past it a copy is cleaned twice, harmlessly (same output,
// and the manifest takes one line). The server keeps every ID of the
// window in memory, so it is kept short.
const dedupWindow = 2 * time.Minute

// TokenEnv names the variable that carries the NATS token, so that it
// stays out of command lines (and ps).
const TokenEnv = "EMEND_NATS_TOKEN"

// Config is what a worker needs to clean a batch's documents. The batch
// command stores it in a key-value bucket, so a worker on another machine
// needs nothing but the server's address.
type Config struct {
	ID          string
	Out         string // absolute: every worker writes there (a shared filesystem)
	Formats     []pipeline.Format
	Kind        pipeline.InputKind
	OCR         clean.OCRMode
	PageTimeout time.Duration
	Dicts       []DictFile // the user's --dict lists, by content
	Fingerprint string
}

// DictFile is a user word list, carried by content.
type DictFile struct {
	Name    string
	Content []byte
}

// QueueSettings are the delivery rules of the worker consumer.
type QueueSettings struct {
	AckWait    time.Duration // a job not acked or heartbeated for this long is redelivered
	MaxDeliver int           // deliveries before a job is a dead letter
	Replicas   int           // stream replicas on a cluster
}

// Queue is a connection to JetStream, and the embedded server when emend
// runs its own.
type Queue struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	server *server.Server
}

// Embedded starts a JetStream server inside this process with its store
// in stateDir, and connects to it in-process. With listen empty the server
// opens no port at all; "127.0.0.1:4222" lets workers on other machines in.
//
// A listening server requires token from every client, so that nobody
// else on the network can read the documents or queue jobs.
func Embedded(stateDir, listen, token string) (*Queue, error) {
	opts := &server.Options{
		ServerName:             "emend",
		JetStream:              true,
		StoreDir:               stateDir,
		NoSigs:                 true, // emend handles its own signals
		NoLog:                  true,
		MaxPayload:             embeddedMaxPayload,
		DisableJetStreamBanner: true,
	}
	if listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(listen)
		if err != nil {
			return nil, fmt.Errorf("--listen %q: %v", listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("--listen %q: bad port", listen)
		}
		opts.Host, opts.Port = host, p
		if token == "" {
			return nil, errors.New("a listening server needs a token")
		}
		opts.Authorization = token
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("starting the embedded NATS server: %v", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("the embedded NATS server did not start (store %s, listen %q)", stateDir, listen)
	}
	nc, err := nats.Connect(ns.ClientURL(), nats.InProcessServer(ns), nats.Name("emend batch"), nats.MaxReconnects(-1), nats.Token(token))
	if err != nil {
		ns.Shutdown()
		return nil, fmt.Errorf("connecting to the embedded NATS server: %v", err)
	}
	q, err := newQueue(nc)
	if err != nil {
		ns.Shutdown()
		return nil, err
	}
	q.server = ns
	return q, nil
}

// Dial connects to an external server or cluster: a URL, or several
// separated by commas.
// token, when not empty, authenticates (a token in the URL does too).
func Dial(url, name, token string) (*Queue, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(false)}
	if token != "" {
		opts = append(opts, nats.Token(token))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS at %s: %v", url, err)
	}
	return newQueue(nc)
}

func newQueue(nc *nats.Conn) (*Queue, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &Queue{NC: nc, JS: js}, nil
}

// Close flushes what the connection has buffered (acks included), closes
// it, and stops the embedded server, which syncs its store.
func (q *Queue) Close() {
	if q.NC.IsConnected() { // with the server gone there is nothing to flush to
		_ = q.NC.FlushTimeout(2 * time.Second)
	}
	q.NC.Close()
	if q.server != nil {
		q.server.Shutdown()
		q.server.WaitForShutdown()
	}
}

// inlineLimit is the largest document that rides in a job message.
func (q *Queue) inlineLimit() int64 {
	return q.NC.MaxPayload() - 64<<10
}

// Setup creates (or updates) the streams, the worker consumer and the
// settings bucket. The batch command calls it; workers only use them.
func (q *Queue) Setup(ctx context.Context, s QueueSettings) error {
	replicas := max(1, s.Replicas)
	streams := []jetstream.StreamConfig{{
		Name:        jobsStream,
		Description: "emend documents waiting to be cleaned",
		Subjects:    []string{jobsSubject + ">"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  dedupWindow,
		Replicas:    replicas,
	}, {
		Name:        resultsStream,
		Description: "emend results waiting for their batch's manifest",
		Subjects:    []string{resultsSubject + ">"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  dedupWindow,
		Replicas:    replicas,
	}, {
		Name:        deadStream,
		Description: "max-deliveries advisories of emend jobs: the dead letters",
		Subjects:    []string{maxDeliveriesAdvisory},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		MaxAge:      14 * 24 * time.Hour,
		Replicas:    replicas,
	}}
	for _, cfg := range streams {
		if _, err := q.JS.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("creating stream %s: %w", cfg.Name, err)
		}
	}
	if _, err := q.JS.CreateOrUpdateConsumer(ctx, jobsStream, workerConsumerConfig(s)); err != nil {
		return fmt.Errorf("creating consumer %s: %w", workersConsumer, err)
	}
	if _, err := q.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      batchesBucket,
		Description: "emend batch settings, read by workers",
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	}); err != nil {
		return fmt.Errorf("creating bucket %s: %w", batchesBucket, err)
	}
	return nil
}

func workerConsumerConfig(s QueueSettings) jetstream.ConsumerConfig {
	ackWait := s.AckWait
	if ackWait <= 0 {
		ackWait = DefaultAckWait
	}
	maxDeliver := s.MaxDeliver
	if maxDeliver <= 0 {
		maxDeliver = DefaultMaxDeliver
	}
	// A job whose worker vanished is redelivered after AckWait, then after
	// twice and four times that: a crash-looping document does not take
	// every worker down at once. The server wants fewer back-off steps
	// than deliveries.
	var backoff []time.Duration
	for i := 0; i < maxDeliver-1 && i < 3; i++ {
		backoff = append(backoff, ackWait<<i)
	}
	return jetstream.ConsumerConfig{
		Durable:       workersConsumer,
		Description:   "emend workers, on every machine",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		BackOff:       backoff,
		MaxDeliver:    maxDeliver,
		MaxAckPending: 10000,
		MaxWaiting:    4096,
	}
}

// Default delivery rules.
const (
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 3
)

// putConfig stores a batch's settings for workers.
func (q *Queue) putConfig(ctx context.Context, cfg Config) error {
	kv, err := q.JS.KeyValue(ctx, batchesBucket)
	if err != nil {
		return err
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	_, err = kv.Put(ctx, cfg.ID, data)
	return err
}

// getConfig reads a batch's settings.
func (q *Queue) getConfig(ctx context.Context, id string) (Config, error) {
	var cfg Config
	kv, err := q.JS.KeyValue(ctx, batchesBucket)
	if err != nil {
		return cfg, err
	}
	e, err := kv.Get(ctx, id)
	if err != nil {
		return cfg, fmt.Errorf("settings of batch %s: %w", id, err)
	}
	err = json.Unmarshal(e.Value(), &cfg)
	return cfg, err
}

// blobs opens (creating if asked) the object store of a batch's large
// documents.
func (q *Queue) blobs(ctx context.Context, batch string, create bool, replicas int) (jetstream.ObjectStore, error) {
	name := blobsBucket + batch
	if !create {
		return q.JS.ObjectStore(ctx, name)
	}
	return q.JS.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket:      name,
		Description: "emend documents too large for a message",
		Storage:     jetstream.FileStorage,
		Replicas:    max(1, replicas),
	})
}

// publish sends m and waits for the stream to store it. On a cluster a
// node may be lost mid-run and its streams take a few seconds to elect new
// leaders; until ctx ends, publish retries through that with back-off. The
// message ID makes a retry of a publish that did land harmless.
func publish(ctx context.Context, js jetstream.JetStream, m *nats.Msg) (*jetstream.PubAck, error) {
	wait := 100 * time.Millisecond
	for {
		attempt, cancel := context.WithTimeout(ctx, 10*time.Second)
		ack, err := js.PublishMsg(attempt, m)
		cancel()
		if err == nil || ctx.Err() != nil {
			return ack, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// errNotFound covers the "no such message/object/key" errors of the API.
func errNotFound(err error) bool {
	return errors.Is(err, jetstream.ErrMsgNotFound) || errors.Is(err, jetstream.ErrObjectNotFound) ||
		errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrStreamNotFound)
}
