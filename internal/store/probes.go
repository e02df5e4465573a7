package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the configuration side of health probes (docs/probes.md): staff create and edit
// them, customers read them when the environment shows its availability. probes_run.go is the
// scheduler's side, probes_read.go the results and availability.

const probeColumns = `id, environment_id, name, url, method, expect_status, body_contains, timeout_ms, interval_ms, threshold,
	tls_warn_days, severity, enabled, created_at, updated_at, next_due, consecutive_failures, down_since, incident_ticket_id,
	last_at, last_ok, last_latency_ms, cert_not_after`

func scanProbe(sc scanner) (*opsdesk.Probe, error) {
	var p opsdesk.Probe
	var timeout, interval, created, updated, due, latency int64
	var down, incident, last, cert sql.NullInt64
	if err := sc.Scan(&p.ID, &p.EnvironmentID, &p.Name, &p.URL, &p.Method, &p.ExpectStatus, &p.BodyContains, &timeout, &interval,
		&p.Threshold, &p.TLSWarnDays, &p.Severity, &p.Enabled, &created, &updated, &due, &p.ConsecutiveFailures, &down, &incident,
		&last, &p.LastOK, &latency, &cert); err != nil {
		return nil, err
	}
	p.Timeout, p.Interval = time.Duration(timeout)*time.Millisecond, time.Duration(interval)*time.Millisecond
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	p.NextDue, p.DownSince, p.LastAt, p.CertNotAfter = time.UnixMilli(due).UTC(), fromMS(down), fromMS(last), fromMS(cert)
	p.IncidentTicketID, p.LastLatency = incident.Int64, time.Duration(latency)*time.Millisecond
	return &p, nil
}

var probeAuditFields = []string{"name", "url", "method", "expect_status", "body_contains", "timeout", "interval", "threshold",
	"tls_warn_days", "severity", "enabled"}

func probeAudit(p *opsdesk.Probe) map[string]string {
	if p == nil {
		return nil
	}
	return map[string]string{"name": p.Name, "url": p.URL, "method": p.Method, "expect_status": fmt.Sprint(p.ExpectStatus),
		"body_contains": p.BodyContains, "timeout": p.Timeout.String(), "interval": p.Interval.String(),
		"threshold": fmt.Sprint(p.Threshold), "tls_warn_days": fmt.Sprint(p.TLSWarnDays), "severity": p.Severity,
		"enabled": fmt.Sprint(p.Enabled)}
}

// probeToManage checks that the caller may configure probes (ops managers and admins) and reads
// the environment. Errors: forbidden, not found.
func (t *Tx) probeToManage(ctx context.Context, envID int64) (*opsdesk.Environment, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only admins and ops managers configure probes")
	}
	return t.environment(ctx, envID)
}

// checkProbeSeverity checks that a probe's severity override is on the scale.
func (t *Tx) checkProbeSeverity(ctx context.Context, p *opsdesk.Probe) error {
	if p.Severity == "" {
		return nil
	}
	if _, err := t.severity(ctx, p.Severity); err != nil {
		return opsdesk.Invalid("severity", "no severity %q", p.Severity)
	}
	return nil
}

// CreateProbe adds a probe to an environment; its first run is due at once. Admins and ops
// managers only; recorded in the environment's history (probe_create). Errors: invalid,
// forbidden, not found, conflict (name taken in the environment).
func (d *DB) CreateProbe(ctx context.Context, p *opsdesk.Probe) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.CreateProbe", func(tx *Tx) error {
		if _, err := tx.probeToManage(ctx, p.EnvironmentID); err != nil {
			return err
		}
		if err := tx.checkProbeSeverity(ctx, p); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO env_probes (environment_id, name, url, method, expect_status, body_contains,
			timeout_ms, interval_ms, threshold, tls_warn_days, severity, enabled, created_at, updated_at, next_due)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.EnvironmentID, p.Name, p.URL, p.Method, p.ExpectStatus,
			p.BodyContains, p.Timeout.Milliseconds(), p.Interval.Milliseconds(), p.Threshold, p.TLSWarnDays, p.Severity, p.Enabled,
			tx.now.UnixMilli(), tx.now.UnixMilli(), tx.now.UnixMilli())
		if isUniqueViolation(err) {
			return opsdesk.Conflict("name", "this environment already has a probe named %q", p.Name)
		}
		if err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt, p.NextDue = id, tx.now, tx.now, tx.now
		return tx.audit(ctx, "environment", p.EnvironmentID, "probe_create", opsdesk.Diff(probeAuditFields, nil, probeAudit(p)))
	})
}

// UpdateProbe saves a probe's configuration; its state (failures, incident) is kept, and a
// changed interval takes effect from the next run. Admins and ops managers only. Errors:
// invalid, forbidden, not found, conflict.
func (d *DB) UpdateProbe(ctx context.Context, p *opsdesk.Probe) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.UpdateProbe", func(tx *Tx) error {
		if _, err := tx.probeToManage(ctx, p.EnvironmentID); err != nil {
			return err
		}
		old, err := tx.probe(ctx, p.ID)
		if err != nil || old.EnvironmentID != p.EnvironmentID {
			return opsdesk.NotFound("no probe %d on environment %d", p.ID, p.EnvironmentID)
		}
		if err := tx.checkProbeSeverity(ctx, p); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE env_probes SET name = ?, url = ?, method = ?, expect_status = ?, body_contains = ?,
			timeout_ms = ?, interval_ms = ?, threshold = ?, tls_warn_days = ?, severity = ?, enabled = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.URL, p.Method, p.ExpectStatus, p.BodyContains, p.Timeout.Milliseconds(), p.Interval.Milliseconds(),
			p.Threshold, p.TLSWarnDays, p.Severity, p.Enabled, tx.now.UnixMilli(), p.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("name", "this environment already has a probe named %q", p.Name)
		}
		if err != nil {
			return err
		}
		n, err := tx.probe(ctx, p.ID)
		if err != nil {
			return err
		}
		*p = *n
		return tx.audit(ctx, "environment", p.EnvironmentID, "probe_update", opsdesk.Diff(probeAuditFields, probeAudit(old), probeAudit(p)))
	})
}

func (t *Tx) probe(ctx context.Context, id int64) (*opsdesk.Probe, error) {
	p, err := scanProbe(t.queryRow(ctx, `SELECT `+probeColumns+` FROM env_probes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no probe %d", id)
	}
	return p, err
}

// ListProbes lists an environment's probes by name, with their current state. Staff read all;
// a customer their own environment's when it shows its availability, without the URL and the
// body check (forbidden when not shown, not found for another customer's). Errors: not found,
// forbidden.
func (d *DB) ListProbes(ctx context.Context, envID int64) ([]*opsdesk.Probe, error) {
	if _, err := d.envToRead(ctx, envID, partAvailability); err != nil {
		return nil, err
	}
	out, err := collect(scanProbe)(d.query(ctx, `SELECT `+probeColumns+` FROM env_probes WHERE environment_id = ? ORDER BY name, id`, envID))
	if err != nil {
		return nil, opsdesk.Internal("store.ListProbes", err)
	}
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, p := range out {
			blankProbe(p)
		}
	}
	return out, nil
}

// ProbeByID returns a probe the caller may read (as ListProbes). Errors: not found, forbidden.
func (d *DB) ProbeByID(ctx context.Context, id int64) (*opsdesk.Probe, error) {
	p, err := scanProbe(d.queryRow(ctx, `SELECT `+probeColumns+` FROM env_probes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no probe %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.ProbeByID", err)
	}
	if _, err := d.envToRead(ctx, p.EnvironmentID, partAvailability); err != nil {
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return nil, opsdesk.NotFound("no probe %d", id)
		}
		return nil, err
	}
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		blankProbe(p)
	}
	return p, nil
}

// blankProbe removes what a customer is not shown of a probe: where and how it checks.
func blankProbe(p *opsdesk.Probe) {
	p.URL, p.BodyContains, p.IncidentTicketID = "", "", 0
}
