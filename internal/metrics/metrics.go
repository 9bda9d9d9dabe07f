// Package metrics is what Northstar tells Prometheus: requests by route
// pattern and status, latencies, searches, graded attempts, store commit
// batch sizes, sign-in throttling, the release being served and the Go
// runtime. Labels are route patterns and fixed words only, never a raw
// path, a query or anything a person typed.
package metrics

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors, in a registry of their own.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	searches  *prometheus.CounterVec
	graded    prometheus.Counter
	batches   prometheus.Histogram
	throttled prometheus.Counter
	built     prometheus.Gauge
	builtAt   atomic.Int64 // unix seconds of the release served, 0 before one
}

// New makes the collectors and registers them with the Go runtime's and
// the process's.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "northstar_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "northstar_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.searches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "northstar_searches_total", Help: "Directory searches, by outcome: crisis (a crisis line shown first), zero (no result), results.",
	}, []string{"outcome"})
	m.graded = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "northstar_attempts_graded_total", Help: "Quiz attempts graded.",
	})
	m.batches = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "northstar_store_commit_batch_size", Help: "Writes committed together in one store transaction.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
	})
	m.throttled = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "northstar_sign_in_throttled_total", Help: "Sign-in, password and setup tries refused with 429 (over a limit, or the hashing gate full).",
	})
	m.built = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "northstar_release_built_timestamp_seconds", Help: "When the release being served was built (Unix time).",
	})
	age := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "northstar_release_age_seconds", Help: "How long ago the release being served was built.",
	}, func() float64 {
		if at := m.builtAt.Load(); at > 0 {
			return time.Since(time.Unix(at, 0)).Seconds()
		}
		return 0
	})
	m.registry.MustRegister(m.requests, m.latency, m.searches, m.graded, m.batches, m.throttled, m.built, age,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// methods are the methods a label names; any other is "other", so no
// request can add a label value.
var methods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "OPTIONS": true}

// Request counts one answered request. route is its pattern
// (/referrals/{id}), never the path.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if !methods[method] {
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Search counts one search by what it showed.
func (m *Metrics) Search(crisis, zero bool) {
	switch {
	case crisis:
		m.searches.WithLabelValues("crisis").Inc()
	case zero:
		m.searches.WithLabelValues("zero").Inc()
	default:
		m.searches.WithLabelValues("results").Inc()
	}
}

// Graded counts one graded attempt.
func (m *Metrics) Graded() { m.graded.Inc() }

// Throttled counts one try refused for a limit.
func (m *Metrics) Throttled() { m.throttled.Inc() }

// CommitBatch records how many writes one store commit held.
func (m *Metrics) CommitBatch(n int) { m.batches.Observe(float64(n)) }

// ReleaseServed records when the release now served was built.
func (m *Metrics) ReleaseServed(built time.Time) {
	m.builtAt.Store(built.Unix())
	m.built.Set(float64(built.Unix()))
}
