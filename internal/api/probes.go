package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The health-probe routes (docs/probes.md, "API"). As for every environment route, the
// environment (or the probe's environment) is read with the caller's scope first, so another
// customer's is not found (404); the store then decides the rest: a customer reads their own
// environment's probes only when the vendor shows availability (else 403) and never sees where
// or how a probe checks; only admins and ops managers configure probes (403 otherwise).

// probe is an HTTP(S) check of an environment, with the state the scheduler keeps.
type probe struct {
	ID                  int64   `json:"id"`
	Environment         int64   `json:"environment" doc:"environment id"`
	Name                string  `json:"name"`
	URL                 string  `json:"url,omitempty" doc:"staff only"`
	Method              string  `json:"method" enum:"GET,HEAD"`
	ExpectStatus        int     `json:"expect_status"`
	BodyContains        string  `json:"body_contains,omitempty" doc:"staff only"`
	TimeoutSeconds      int64   `json:"timeout_seconds"`
	IntervalSeconds     int64   `json:"interval_seconds"`
	Threshold           int     `json:"threshold" doc:"consecutive failures that open an incident"`
	TLSWarnDays         int     `json:"tls_warn_days" doc:"days before the certificate's expiry a request opens; 0: never"`
	Severity            string  `json:"severity" doc:"incident severity; empty: the environment kind's"`
	Enabled             bool    `json:"enabled"`
	State               string  `json:"state" enum:"up,down,unknown" doc:"unknown before the first check"`
	DownSince           *string `json:"down_since" format:"date-time"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
	LastAt              *string `json:"last_at" format:"date-time" doc:"the last check"`
	LastLatencyMS       int64   `json:"last_latency_ms"`
	CertNotAfter        *string `json:"tls_not_after" format:"date-time" doc:"the certificate's expiry at the last https check"`
	NextDue             string  `json:"next_due" format:"date-time"`
	Incident            string  `json:"incident,omitempty" doc:"the incident ticket of the current or last outage: staff only"`
	CreatedAt           string  `json:"created_at" format:"date-time"`
	UpdatedAt           string  `json:"updated_at" format:"date-time"`
}

// newProbe is the body of POST /environments/{id}/probes.
type newProbe struct {
	Name            string `json:"name" required:"true" doc:"unique in the environment"`
	URL             string `json:"url" required:"true" doc:"http or https, without credentials"`
	Method          string `json:"method" enum:"GET,HEAD" doc:"default GET"`
	ExpectStatus    int    `json:"expect_status" doc:"the status after redirects, default 200"`
	BodyContains    string `json:"body_contains" doc:"a substring of the first 64 KB of the body (GET only)"`
	TimeoutSeconds  int64  `json:"timeout_seconds" doc:"1 to 60, not above the interval; default 10"`
	IntervalSeconds int64  `json:"interval_seconds" doc:"10 to 86400, default 60"`
	Threshold       int    `json:"threshold" doc:"1 to 100 consecutive failures, default 3"`
	TLSWarnDays     int    `json:"tls_warn_days" doc:"0 (never) to 365"`
	Severity        string `json:"severity" doc:"a severity code; empty: by environment kind"`
	Enabled         *bool  `json:"enabled" doc:"default true"`
}

// probePatch is the body of PATCH /probes/{id}; absent fields are left as they are.
type probePatch struct {
	Name            *string `json:"name"`
	URL             *string `json:"url"`
	Method          *string `json:"method" enum:"GET,HEAD"`
	ExpectStatus    *int    `json:"expect_status"`
	BodyContains    *string `json:"body_contains"`
	TimeoutSeconds  *int64  `json:"timeout_seconds"`
	IntervalSeconds *int64  `json:"interval_seconds"`
	Threshold       *int    `json:"threshold"`
	TLSWarnDays     *int    `json:"tls_warn_days"`
	Severity        *string `json:"severity"`
	Enabled         *bool   `json:"enabled"`
}

// probeResult is one run of a probe.
type probeResult struct {
	At          string  `json:"at" format:"date-time" doc:"when the check started"`
	OK          bool    `json:"ok"`
	Status      int     `json:"status" doc:"HTTP status; 0 without a response"`
	LatencyMS   int64   `json:"latency_ms"`
	Error       string  `json:"error" doc:"why it failed; empty when ok"`
	TLSNotAfter *string `json:"tls_not_after" format:"date-time" doc:"the leaf certificate's expiry (https)"`
}

// probeResults is a page of a probe's results, newest first.
type probeResults struct {
	Items      []probeResult `json:"items"`
	NextCursor *string       `json:"next_cursor" doc:"pass it as cursor for the next (older) page; null on the last page"`
}

// availabilityPeriod is the share of successful checks over one period ending now.
type availabilityPeriod struct {
	Period  string   `json:"period" enum:"24h,7d,30d"`
	Checks  int      `json:"checks"`
	OK      int      `json:"ok"`
	Percent *float64 `json:"percent" doc:"100 × ok / checks; null without a check"`
}

// availability is the answer of GET /environments/{id}/availability.
type availability struct {
	Environment int64                `json:"environment"`
	Probe       *int64               `json:"probe" doc:"the probe asked for; null: every probe of the environment"`
	Periods     []availabilityPeriod `json:"periods"`
}

func probePath(id int64) string { return Prefix + "/probes/" + strconv.FormatInt(id, 10) }

func probeJSON(p *opsdesk.Probe, incidents map[int64]string) probe {
	j := probe{ID: p.ID, Environment: p.EnvironmentID, Name: p.Name, URL: p.URL, Method: p.Method, ExpectStatus: p.ExpectStatus,
		BodyContains: p.BodyContains, TimeoutSeconds: int64(p.Timeout / time.Second), IntervalSeconds: int64(p.Interval / time.Second),
		Threshold: p.Threshold, TLSWarnDays: p.TLSWarnDays, Severity: p.Severity, Enabled: p.Enabled, State: "unknown",
		DownSince: apijson.Time(p.DownSince), ConsecutiveFailures: p.ConsecutiveFailures, LastAt: apijson.Time(p.LastAt),
		LastLatencyMS: p.LastLatency.Milliseconds(), CertNotAfter: apijson.Time(p.CertNotAfter), NextDue: apijson.Stamp(p.NextDue),
		Incident: incidents[p.IncidentTicketID], CreatedAt: apijson.Stamp(p.CreatedAt), UpdatedAt: apijson.Stamp(p.UpdatedAt)}
	switch {
	case !p.DownSince.IsZero():
		j.State = "down"
	case !p.LastAt.IsZero():
		j.State = "up"
	}
	return j
}

// mayConfigureProbes refuses, before any input is read, whoever the store would refuse.
func mayConfigureProbes(r *http.Request) error {
	if !opsdesk.ActorFrom(r.Context()).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers configure probes")
	}
	return nil
}

// probeSeconds reads a whole number of seconds of a body into a duration.
func probeSeconds(n int64) time.Duration { return time.Duration(n) * time.Second }

func (a *API) listProbes(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	ps, err := a.db.ListProbes(r.Context(), e.ID)
	if err != nil {
		return err
	}
	inc, err := a.db.ProbeIncidentKeys(r.Context(), ps...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ps, func(p *opsdesk.Probe) probe { return probeJSON(p, inc) }))
}

func (a *API) createProbe(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	if err := mayConfigureProbes(r); err != nil {
		return err
	}
	var in newProbe
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p := &opsdesk.Probe{EnvironmentID: e.ID, Name: in.Name, URL: in.URL, Method: in.Method, ExpectStatus: in.ExpectStatus,
		BodyContains: in.BodyContains, Timeout: probeSeconds(in.TimeoutSeconds), Interval: probeSeconds(in.IntervalSeconds),
		Threshold: in.Threshold, TLSWarnDays: in.TLSWarnDays, Severity: in.Severity, Enabled: in.Enabled == nil || *in.Enabled}
	if err := checkProbeNumbers(false, probeNumber{"expect_status", int64(in.ExpectStatus), true},
		probeNumber{"timeout_seconds", in.TimeoutSeconds, true}, probeNumber{"interval_seconds", in.IntervalSeconds, true},
		probeNumber{"threshold", int64(in.Threshold), true}); err != nil {
		return err
	}
	if err := a.db.CreateProbe(r.Context(), p); err != nil {
		return probeFieldNames(err)
	}
	return created(w, probePath(p.ID), probeJSON(p, nil))
}

// probeNumber is a number of a probe's body: zero takes the default on creation, so a negative
// one must not silently become it, and naming zero in a patch is a mistake.
type probeNumber struct {
	field string
	v     int64
	given bool
}

// maxProbeNumber bounds every number of a probe's body well above its limits, so a huge number
// of seconds cannot wrap around into a valid duration.
const maxProbeNumber = 1 << 31

// checkProbeNumbers names the first number given that is negative (or zero, in a patch).
func checkProbeNumbers(patch bool, ns ...probeNumber) error {
	for _, n := range ns {
		if n.given && (n.v < 0 || (patch && n.v == 0) || n.v > maxProbeNumber) {
			return opsdesk.Invalid(n.field, "must be a positive whole number")
		}
	}
	return nil
}

// probeFieldNames names a store error's field as the body does (the store's timeout is
// timeout_seconds here).
func probeFieldNames(err error) error {
	if opsdesk.IsKind(err, opsdesk.KindInvalid) && opsdesk.ErrorField(err) == "timeout" {
		return opsdesk.Invalid("timeout_seconds", "%s", opsdesk.ErrorMessage(err))
	}
	return err
}

// probe reads the {id} probe of the path with the caller's scope. Errors: not found, forbidden.
func (a *API) probe(r *http.Request) (*opsdesk.Probe, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, opsdesk.NotFound("no probe %q", r.PathValue("id"))
	}
	return a.db.ProbeByID(r.Context(), id)
}

func (a *API) getProbe(w http.ResponseWriter, r *http.Request) error {
	p, err := a.probe(r)
	if err != nil {
		return err
	}
	inc, err := a.db.ProbeIncidentKeys(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, probeJSON(p, inc))
}

func (a *API) patchProbe(w http.ResponseWriter, r *http.Request) error {
	p, err := a.probe(r)
	if err != nil {
		return err
	}
	if err := mayConfigureProbes(r); err != nil {
		return err
	}
	var in probePatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	for _, f := range []struct {
		in  *string
		out *string
	}{{in.Name, &p.Name}, {in.URL, &p.URL}, {in.Method, &p.Method}, {in.BodyContains, &p.BodyContains}, {in.Severity, &p.Severity}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	for _, f := range []struct {
		in  *int
		out *int
	}{{in.ExpectStatus, &p.ExpectStatus}, {in.Threshold, &p.Threshold}, {in.TLSWarnDays, &p.TLSWarnDays}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if in.TimeoutSeconds != nil {
		p.Timeout = probeSeconds(*in.TimeoutSeconds)
	}
	if in.IntervalSeconds != nil {
		p.Interval = probeSeconds(*in.IntervalSeconds)
	}
	if in.Enabled != nil {
		p.Enabled = *in.Enabled
	}
	if err := checkProbeNumbers(true, probeNumber{"expect_status", int64(p.ExpectStatus), in.ExpectStatus != nil},
		probeNumber{"timeout_seconds", int64(p.Timeout / time.Second), in.TimeoutSeconds != nil},
		probeNumber{"interval_seconds", int64(p.Interval / time.Second), in.IntervalSeconds != nil},
		probeNumber{"threshold", int64(p.Threshold), in.Threshold != nil}); err != nil {
		return err
	}
	if err := a.db.UpdateProbe(r.Context(), p); err != nil {
		return probeFieldNames(err)
	}
	inc, err := a.db.ProbeIncidentKeys(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, probeJSON(p, inc))
}

func (a *API) probeResults(w http.ResponseWriter, r *http.Request) error {
	p, err := a.probe(r)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	if limit > 1000 {
		return opsdesk.Invalid("limit", "is at most 1000")
	}
	if limit == 0 {
		limit = 100
	}
	q := r.URL.Query()
	before, err := parseInstant("before", q.Get("before"))
	if err != nil {
		return err
	}
	if c := q.Get("cursor"); c != "" {
		ms, err := strconv.ParseInt(c, 10, 64)
		if err != nil || ms <= 0 {
			return opsdesk.Invalid("cursor", "is not a cursor of this list")
		}
		before = time.UnixMilli(ms)
	}
	rs, err := a.db.ProbeResults(r.Context(), p.ID, before, limit)
	if err != nil {
		return err
	}
	out := probeResults{Items: make([]probeResult, 0, len(rs))}
	for _, x := range rs {
		out.Items = append(out.Items, probeResult{At: apijson.Stamp(x.At), OK: x.OK, Status: x.StatusCode,
			LatencyMS: x.Latency.Milliseconds(), Error: x.Error, TLSNotAfter: apijson.Time(x.CertNotAfter)})
	}
	if len(rs) == limit {
		next := strconv.FormatInt(rs[len(rs)-1].At.UnixMilli(), 10)
		out.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, out)
}

// periodNames name store.AvailabilityPeriods, in its order.
var periodNames = map[time.Duration]string{24 * time.Hour: "24h", 7 * 24 * time.Hour: "7d", 30 * 24 * time.Hour: "30d"}

func (a *API) environmentAvailability(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	out := availability{Environment: e.ID, Periods: []availabilityPeriod{}}
	var probeID int64
	if v := r.URL.Query().Get("probe"); v != "" {
		if probeID, err = strconv.ParseInt(v, 10, 64); err != nil || probeID <= 0 {
			return opsdesk.Invalid("probe", "must be a probe id")
		}
		out.Probe = &probeID
	}
	av, err := a.db.Availability(r.Context(), e.ID, probeID)
	if err != nil {
		return err
	}
	for _, x := range av {
		p := availabilityPeriod{Period: periodNames[x.Period], Checks: x.Checks, OK: x.OK}
		if x.Checks > 0 {
			pct := x.Percent
			p.Percent = &pct
		}
		out.Periods = append(out.Periods, p)
	}
	return writeJSON(w, http.StatusOK, out)
}
