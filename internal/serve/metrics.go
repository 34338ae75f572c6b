package serve

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/emend/emend/pipeline"
)

// Outcomes of a document, the outcome label of emend_documents_total.
const (
	outcomeOK       = "ok"       // cleaned, every page read
	outcomePartial  = "partial"  // cleaned, some pages could not be read
	outcomeFailed   = "failed"   // taken on but not cleaned: bad input, timeout, bug, cancelled
	outcomeRejected = "rejected" // refused before cleaning: too large, image bomb, busy, bad request
)

// Failure reasons, the reason label of emend_failures_total.
const (
	reasonInput      = "input"       // the document itself: corrupt PDF, empty, binary junk (422)
	reasonTimeout    = "timeout"     // cleaning ran past --timeout (504), or the upload did (408)
	reasonTooLarge   = "too_large"   // the body is over --max-body (413)
	reasonBusy       = "busy"        // no slot and no room in the queue, or no slot in time (503)
	reasonImageBomb  = "image_bomb"  // pages too large or too many to decode safely (413)
	reasonBadRequest = "bad_request" // wrong content type, malformed or empty form, bad format (400, 415)
	reasonCanceled   = "canceled"    // the client went away, or the server stopped, before the answer
	reasonInternal   = "internal"    // a stage failed, or the report could not be made (500)
)

// Input containers, the input_kind label: what the body is, known before
// cleaning, so that refused documents are counted by kind too.
const (
	inputPDF     = "pdf"
	inputImage   = "image"
	inputText    = "text"
	inputUnknown = "unknown" // refused before the body was read
)

// metrics are the server's Prometheus metrics, on a registry of their own
// so that two Servers (tests) never share counts.
type metrics struct {
	reg       *prometheus.Registry
	documents *prometheus.CounterVec   // input_kind, outcome
	pages     *prometheus.CounterVec   // outcome: ok, failed
	repairs   *prometheus.CounterVec   // kind
	failures  *prometheus.CounterVec   // reason
	requests  *prometheus.HistogramVec // route, format, code
	duration  *prometheus.HistogramVec // input_kind
	inFlight  prometheus.Gauge
	queued    prometheus.Gauge
}

// durationBuckets span a short text (milliseconds) to a long scan
// (minutes of OCR).
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 60, 120, 300, 600}

func newMetrics(o Options) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "emend_documents_total",
			Help: "Documents sent to /v1/clean, by input kind (pdf, image, text, unknown) and outcome (ok, partial, failed, rejected).",
		}, []string{"input_kind", "outcome"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "emend_pages_total",
			Help: "Pages of cleaned documents, by outcome (ok: read and cleaned; failed: could not be read).",
		}, []string{"outcome"}),
		repairs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "emend_repairs_total",
			Help: "Repairs made in cleaned documents, by kind.",
		}, []string{"kind"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "emend_failures_total",
			Help: "Requests to /v1/clean that gave no cleaned document, by reason.",
		}, []string{"reason"}),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "emend_http_request_duration_seconds",
			Help:    "HTTP request latency, by route, output format (clean only) and status code.",
			Buckets: durationBuckets,
		}, []string{"route", "format", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "emend_document_duration_seconds",
			Help:    "Time to clean one document once it has a slot (reading, OCR, repairs, report), by input kind.",
			Buckets: durationBuckets,
		}, []string{"input_kind"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "emend_documents_in_flight",
			Help: "Documents being cleaned now (at most --max-concurrent).",
		}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "emend_queue_length",
			Help: "Requests admitted and waiting: uploading, checked, or waiting for a slot (at most --queue plus the free slots).",
		}),
	}
	limits := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "emend_limit",
		Help: "The server's configured limits, by name (the flag that sets each).",
	}, []string{"limit"})
	limits.WithLabelValues("max_body_bytes").Set(float64(o.MaxBody))
	limits.WithLabelValues("timeout_seconds").Set(o.Timeout.Seconds())
	limits.WithLabelValues("max_concurrent").Set(float64(o.MaxConcurrent))
	limits.WithLabelValues("queue").Set(float64(o.Queue))
	limits.WithLabelValues("max_pixels").Set(float64(o.MaxPixels))
	limits.WithLabelValues("max_pages").Set(float64(o.MaxPages))
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "emend_build_info",
		Help: "Always 1; the version label is emend's pipeline version.",
	}, []string{"version"})
	info.WithLabelValues(pipeline.Version).Set(1)

	m.reg.MustRegister(m.documents, m.pages, m.repairs, m.failures, m.requests, m.duration,
		m.inFlight, m.queued, limits, info,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Every series a dashboard or an alert would use starts at zero, so
	// that rate() and absent() work from the first scrape.
	for _, k := range []string{inputPDF, inputImage, inputText, inputUnknown} {
		if k != inputUnknown {
			m.duration.WithLabelValues(k)
		}
		for _, o := range []string{outcomeOK, outcomePartial, outcomeFailed, outcomeRejected} {
			m.documents.WithLabelValues(k, o)
		}
	}
	for _, r := range []string{reasonInput, reasonTimeout, reasonTooLarge, reasonBusy, reasonImageBomb, reasonBadRequest, reasonCanceled, reasonInternal} {
		m.failures.WithLabelValues(r)
	}
	m.pages.WithLabelValues("ok")
	m.pages.WithLabelValues("failed")
	return m
}

// cleaned counts a document that was cleaned, wholly or in part.
func (m *metrics) cleaned(kind string, doc *pipeline.Document, took time.Duration) {
	outcome := outcomeOK
	if len(doc.FailedPages) > 0 {
		outcome = outcomePartial
	}
	m.documents.WithLabelValues(kind, outcome).Inc()
	m.pages.WithLabelValues("ok").Add(float64(len(doc.Pages) - len(doc.FailedPages)))
	m.pages.WithLabelValues("failed").Add(float64(len(doc.FailedPages)))
	for k, n := range doc.CountRepairs() {
		m.repairs.WithLabelValues(string(k)).Add(float64(n))
	}
	m.duration.WithLabelValues(kind).Observe(took.Seconds())
}

// failed counts a request that gave no document: rejected before cleaning
// began, or failed in it.
func (m *metrics) failed(kind, outcome, reason string) {
	m.documents.WithLabelValues(kind, outcome).Inc()
	m.failures.WithLabelValues(reason).Inc()
}

// request observes one HTTP request.
func (m *metrics) request(route, format string, code int, took time.Duration) {
	m.requests.WithLabelValues(route, format, strconv.Itoa(code)).Observe(took.Seconds())
}
