package store

import (
	"context"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file is the probe scheduler's side of the store: claiming due probes with a lease, and
// recording a result together with everything it decides (the next due instant, the outage
// state, the incident ticket and its notes, the certificate request) in one transaction, so a
// crash or a second instance neither loses nor doubles a run or an incident.

// ProbeClaim is a probe leased to one runner for one run: the run due at Due.
type ProbeClaim struct {
	Probe *opsdesk.Probe
	Due   time.Time // the instant this run was due (the scheduling lag is its start minus Due)
	Owner string
}

// ErrProbeLeaseLost is returned when a runner records a run it no longer holds: its lease ran
// out and another runner took the probe. The result is not recorded.
var ErrProbeLeaseLost = errors.New("probe lease lost to another runner")

// ClaimDueProbes leases up to n enabled probes whose run is due to owner until now+lease, oldest
// due first. A probe whose lease ran out (its runner died mid-check) is due again, so a run is
// never skipped; the run is recorded only by the runner holding the lease (RecordProbeResult),
// so it is never counted twice. On PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED, so
// instances sharing the database never claim the same run; on SQLite the claim is one IMMEDIATE
// transaction.
func (d *DB) ClaimDueProbes(ctx context.Context, owner string, n int, lease time.Duration) ([]ProbeClaim, error) {
	if owner == "" || n <= 0 {
		return nil, opsdesk.Invalid("owner", "a claim needs an owner and a positive count")
	}
	var out []ProbeClaim
	err := d.inTx(ctx, "store.ClaimDueProbes", func(tx *Tx) error {
		now := tx.now.UnixMilli()
		pick := `SELECT id FROM env_probes WHERE enabled AND next_due <= ? AND (lease_until IS NULL OR lease_until < ?)
			ORDER BY next_due, id LIMIT ?`
		if d.dialect == Postgres {
			pick += ` FOR UPDATE SKIP LOCKED`
		}
		ps, err := collect(scanProbe)(tx.query(ctx, `UPDATE env_probes SET lease_owner = ?, lease_until = ? WHERE id IN (`+pick+`)
			RETURNING `+probeColumns, owner, now+lease.Milliseconds(), now, now, n))
		if err != nil {
			return err
		}
		out = make([]ProbeClaim, len(ps))
		for i, p := range ps {
			out[i] = ProbeClaim{Probe: p, Due: p.NextDue, Owner: owner}
		}
		return nil
	})
	return out, err
}

// ProbeIncidentOptions say how probe failures become tickets.
type ProbeIncidentOptions struct {
	// Category of incident and certificate tickets (default "infrastructure").
	Category string
	// RequesterDomain names the contact that files probe tickets for a customer:
	// probes+<customer code>@<domain> (default "opsdesk.invalid", which never receives mail).
	RequesterDomain string
	// A further failure of an open incident is added to its ticket as an internal note once
	// NoteEvery failures have piled up (default 10) or NoteInterval has passed since the last
	// note (default 1 h), whichever comes first.
	NoteEvery    int
	NoteInterval time.Duration
}

func (o *ProbeIncidentOptions) defaults() {
	if o.Category == "" {
		o.Category = "infrastructure"
	}
	if o.RequesterDomain == "" {
		o.RequesterDomain = "opsdesk.invalid"
	}
	if o.NoteEvery <= 0 {
		o.NoteEvery = 10
	}
	if o.NoteInterval <= 0 {
		o.NoteInterval = time.Hour
	}
}

// ProbeOutcome is what recording a result did.
type ProbeOutcome struct {
	Probe        *opsdesk.Probe // with its state after the run
	CustomerCode string
	EnvName      string
	Opened       string // the incident ticket opened by this run, if any
	Noted        string // the ticket this run added a note to (further failure, recovery), if any
	Recovered    bool   // this run ended an outage
	Suppressed   bool   // the threshold was reached but the environment is in maintenance
	CertRequest  string // the preventive request opened for a certificate near expiry, if any
}

// probeState is the part of a probe's state only the scheduler reads.
type probeState struct {
	failures, sinceNote  int
	downSince, notedAt   int64 // 0: none
	incident, certWarned int64
}

// RecordProbeResult stores the result of a claimed run and acts on it, in one transaction: the
// probe's next run is due one interval after this one (or one interval from now if it is late by
// more than an interval); failures reaching the threshold open one incident ticket unless the
// environment is in maintenance; later failures add rate-limited notes to it; a success after an
// outage notes the downtime; a certificate near expiry opens one preventive request per
// certificate. Errors: ErrProbeLeaseLost (nothing recorded).
func (d *DB) RecordProbeResult(ctx context.Context, c ProbeClaim, r *opsdesk.ProbeResult, opt ProbeIncidentOptions) (*ProbeOutcome, error) {
	opt.defaults()
	ctx = opsdesk.WithActor(ctx, opsdesk.System("probe"))
	var out *ProbeOutcome
	err := d.inTx(ctx, "store.RecordProbeResult", func(tx *Tx) error {
		now := tx.now.UnixMilli()
		res, err := tx.exec(ctx, `UPDATE env_probes SET next_due = CASE WHEN next_due + interval_ms > ? THEN next_due + interval_ms ELSE ? + interval_ms END,
			lease_owner = '', lease_until = NULL, last_at = ?, last_ok = ?, last_latency_ms = ?, cert_not_after = ?
			WHERE id = ? AND lease_owner = ? AND next_due = ?`, now, now, r.At.UnixMilli(), r.OK, r.Latency.Milliseconds(),
			ms(r.CertNotAfter), c.Probe.ID, c.Owner, c.Due.UnixMilli())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrProbeLeaseLost
		}
		r.ProbeID = c.Probe.ID
		if _, err = tx.exec(ctx, `INSERT INTO env_probe_results (probe_id, at, ok, status_code, latency_ms, error, cert_not_after)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ProbeID, r.At.UnixMilli(), r.OK, r.StatusCode, r.Latency.Milliseconds(), r.Error,
			ms(r.CertNotAfter)); err != nil {
			return err
		}
		out, err = tx.actOnProbeResult(ctx, c.Probe.ID, r, opt)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, k := range []string{out.Opened, out.CertRequest} {
		if k != "" {
			d.notify(TicketChange{Key: k, Kind: "created"})
		}
	}
	if out.Noted != "" {
		d.notify(TicketChange{Key: out.Noted, Kind: "message"})
	}
	return out, nil
}

// actOnProbeResult updates the outage state after result r and opens or notes tickets.
func (tx *Tx) actOnProbeResult(ctx context.Context, id int64, r *opsdesk.ProbeResult, opt ProbeIncidentOptions) (*ProbeOutcome, error) {
	p, err := tx.probe(ctx, id)
	if err != nil {
		return nil, err
	}
	env, err := tx.environment(ctx, p.EnvironmentID)
	if err != nil {
		return nil, err
	}
	cust, err := tx.customerByID(ctx, env.CustomerID)
	if err != nil {
		return nil, err
	}
	var s probeState
	var down, noted, incident, warned *int64
	if err := tx.queryRow(ctx, `SELECT consecutive_failures, failures_since_note, down_since, incident_noted_at, incident_ticket_id, cert_warned_for
		FROM env_probes WHERE id = ?`, id).Scan(&s.failures, &s.sinceNote, &down, &noted, &incident, &warned); err != nil {
		return nil, err
	}
	s.downSince, s.notedAt, s.incident, s.certWarned = probeDeref(down), probeDeref(noted), probeDeref(incident), probeDeref(warned)
	out := &ProbeOutcome{CustomerCode: cust.Code, EnvName: env.Name}
	inc := probeIncident{tx: tx, p: p, env: env, cust: cust, r: r, opt: opt}
	if r.OK {
		err = inc.recovered(ctx, &s, out)
	} else {
		err = inc.failed(ctx, &s, out)
	}
	if err != nil {
		return nil, err
	}
	if err := inc.certificate(ctx, &s, out); err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE env_probes SET consecutive_failures = ?, failures_since_note = ?, down_since = ?, incident_noted_at = ?,
		incident_ticket_id = ?, cert_warned_for = ? WHERE id = ?`, s.failures, s.sinceNote, nullID(s.downSince), nullID(s.notedAt),
		nullID(s.incident), nullID(s.certWarned), id); err != nil {
		return nil, err
	}
	if out.Probe, err = tx.probe(ctx, id); err != nil {
		return nil, err
	}
	return out, nil
}

func probeDeref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// probeMaintenance is InMaintenance inside a transaction: a window covers at, or the
// environment's status is maintenance.
func (tx *Tx) probeMaintenance(ctx context.Context, env *opsdesk.Environment, at time.Time) (bool, error) {
	if env.Status == opsdesk.EnvMaintenance {
		return true, nil
	}
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM env_maintenance WHERE environment_id = ? AND starts_at <= ? AND ends_at > ?`,
		env.ID, at.UnixMilli(), at.UnixMilli()).Scan(&n)
	return n > 0, err
}
