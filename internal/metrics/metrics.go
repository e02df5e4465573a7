// Package metrics exposes opsdesk's Prometheus metrics: HTTP requests by route and status, their
// latency, the database connection pool, background jobs, and whatever later capabilities
// register (SLA clocks, probes, indicators).
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the registry and the collectors opsdesk updates.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	jobRuns  *prometheus.CounterVec
	jobTime  *prometheus.HistogramVec

	probeUp      *prometheus.GaugeVec // health probes: 1 up, 0 down, by customer, environment, probe
	probeLatency *prometheus.GaugeVec
}

// New builds the registry, with Go runtime and process collectors and, if db is not nil, the
// database pool statistics.
func New(db *sql.DB) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "opsdesk_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "opsdesk_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "opsdesk_job_runs_total", Help: "Background job runs by kind and outcome (done, retry, failed).",
	}, []string{"kind", "outcome"})
	m.jobTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "opsdesk_job_duration_seconds", Help: "Background job run time by kind.",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}, []string{"kind"})
	// Probes are configured by staff, so these series stay few (one per probe).
	probeLabels := []string{"customer", "environment", "probe"}
	m.probeUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "opsdesk_probe_up", Help: "Whether the last check of a health probe succeeded (1) or failed (0).",
	}, probeLabels)
	m.probeLatency = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "opsdesk_probe_latency_seconds", Help: "Response time of the last check of a health probe.",
	}, probeLabels)
	m.Registry.MustRegister(m.probeUp, m.probeLatency)
	m.Registry.MustRegister(m.requests, m.latency, m.jobRuns, m.jobTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(db, "opsdesk"))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// JobRun records a background job's outcome; it fits jobs.Options.OnRun.
func (m *Metrics) JobRun(kind, outcome string, d time.Duration) {
	m.jobRuns.WithLabelValues(kind, outcome).Inc()
	m.jobTime.WithLabelValues(kind).Observe(d.Seconds())
}

// ProbeResult records the last check of a health probe, labelled by customer code,
// environment name and probe name.
func (m *Metrics) ProbeResult(customer, environment, probe string, up bool, latency time.Duration) {
	v := 0.0
	if up {
		v = 1
	}
	m.probeUp.WithLabelValues(customer, environment, probe).Set(v)
	m.probeLatency.WithLabelValues(customer, environment, probe).Set(latency.Seconds())
}

// ObserveRequest counts and times one request by the route pattern the mux matched (so that
// /tickets/OPS-1 and /tickets/OPS-2 are one series); unmatched requests count as "unmatched".
func (m *Metrics) ObserveRequest(route, method string, code int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}
