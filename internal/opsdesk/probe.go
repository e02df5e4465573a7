package opsdesk

import (
	"net/url"
	"strings"
	"time"
)

// This file holds the health probes of customer environments: an HTTP(S) check configured by
// staff, its results, and the state the scheduler keeps to open one incident per outage.
// docs/probes.md describes the model, the scheduler and the incident rules.

// Probe is an HTTP(S) check of an environment, run every Interval by the probe scheduler.
// Only staff configure probes: the URL is never taken from a customer or a request.
type Probe struct {
	ID            int64
	EnvironmentID int64
	Name          string // unique within the environment
	URL           string // http or https; blanked for customers
	Method        string // GET (default) or HEAD
	ExpectStatus  int    // default 200
	BodyContains  string // optional substring the body must contain (GET only); blanked for customers
	Timeout       time.Duration
	Interval      time.Duration // at least 10 s
	Threshold     int           // consecutive failures that open an incident (default 3)
	TLSWarnDays   int           // open a preventive request this many days before the certificate expires; 0: never
	Severity      string        // incident severity; "" takes the environment kind's (prod blocking, preprod major, test minor)
	Enabled       bool
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// State, kept by the scheduler; read only.
	NextDue             time.Time
	ConsecutiveFailures int
	DownSince           time.Time // first failure of the current outage; zero while up
	IncidentTicketID    int64     // the incident of the current or last outage; 0 if none
	LastAt              time.Time
	LastOK              bool
	LastLatency         time.Duration
	CertNotAfter        time.Time // the leaf certificate's expiry at the last https check
}

// The probe limits.
const (
	ProbeMinInterval = 10 * time.Second
	ProbeMaxInterval = 24 * time.Hour
	ProbeMaxTimeout  = 60 * time.Second
)

// Validate checks and normalises a probe, applying the defaults.
func (p *Probe) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	p.URL = strings.TrimSpace(p.URL)
	p.Method = strings.ToUpper(strings.TrimSpace(p.Method))
	p.Severity = strings.TrimSpace(p.Severity)
	if p.EnvironmentID == 0 {
		return Invalid("environment", "is required")
	}
	if p.Name == "" {
		return Invalid("name", "is required")
	}
	if len(p.Name) > 100 {
		return Invalid("name", "is longer than 100 characters")
	}
	u, err := url.Parse(p.URL)
	if p.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return Invalid("url", "must be an http or https URL without credentials, such as https://app.example.com/health")
	}
	if len(p.URL) > 2000 {
		return Invalid("url", "is longer than 2000 characters")
	}
	if p.Method == "" {
		p.Method = "GET"
	}
	if p.Method != "GET" && p.Method != "HEAD" {
		return Invalid("method", "must be GET or HEAD")
	}
	if p.ExpectStatus == 0 {
		p.ExpectStatus = 200
	}
	if p.ExpectStatus < 100 || p.ExpectStatus > 599 {
		return Invalid("expect_status", "must be an HTTP status from 100 to 599")
	}
	if p.BodyContains != "" && p.Method == "HEAD" {
		return Invalid("body_contains", "a HEAD request has no body: use GET")
	}
	if len(p.BodyContains) > 1000 {
		return Invalid("body_contains", "is longer than 1000 characters")
	}
	if p.Timeout == 0 {
		p.Timeout = 10 * time.Second
	}
	if p.Timeout < time.Second || p.Timeout > ProbeMaxTimeout {
		return Invalid("timeout", "must be from 1 to 60 seconds")
	}
	if p.Interval == 0 {
		p.Interval = time.Minute
	}
	if p.Interval < ProbeMinInterval || p.Interval > ProbeMaxInterval || p.Interval%time.Second != 0 {
		return Invalid("interval_seconds", "must be a whole number of seconds from 10 to 86400")
	}
	if p.Timeout > p.Interval {
		return Invalid("timeout", "must not exceed the interval")
	}
	if p.Threshold == 0 {
		p.Threshold = 3
	}
	if p.Threshold < 1 || p.Threshold > 100 {
		return Invalid("threshold", "must be from 1 to 100 consecutive failures")
	}
	if p.TLSWarnDays < 0 || p.TLSWarnDays > 365 {
		return Invalid("tls_warn_days", "must be from 0 (never) to 365 days")
	}
	return nil
}

// ProbeResult is the outcome of one run of a probe; a probe and an instant identify it.
type ProbeResult struct {
	ProbeID      int64
	At           time.Time // when the check started
	OK           bool
	StatusCode   int // 0 when no response came
	Latency      time.Duration
	Error        string    // why it failed; "" when OK
	CertNotAfter time.Time // the leaf certificate's expiry (https); zero otherwise
}

// Availability is the share of successful checks over a period.
type Availability struct {
	Period  time.Duration
	Checks  int
	OK      int
	Percent float64 // 100 * OK / Checks; 0 when there was no check
}

// ResponsePoint is one bucket of a response-time series.
type ResponsePoint struct {
	At       time.Time // the bucket's start
	Checks   int
	Failures int
	AvgMS    float64 // mean latency of the checks in the bucket
	MaxMS    int64
}

// ProbeSeverity is the default incident severity of an environment kind.
func ProbeSeverity(k EnvKind) string {
	switch k {
	case EnvProd:
		return "blocking"
	case EnvPreprod:
		return "major"
	}
	return "minor"
}
