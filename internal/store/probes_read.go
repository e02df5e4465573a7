package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file reads probe results: the raw list, availability over the usual periods and the
// response-time series of a chart, and prunes results past the retention period.

// AvailabilityPeriods are the periods availability is reported over: 24 h, 7 days, 30 days.
var AvailabilityPeriods = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

func scanProbeResult(sc scanner) (*opsdesk.ProbeResult, error) {
	var r opsdesk.ProbeResult
	var at, latency int64
	var cert sql.NullInt64
	if err := sc.Scan(&r.ProbeID, &at, &r.OK, &r.StatusCode, &latency, &r.Error, &cert); err != nil {
		return nil, err
	}
	r.At, r.Latency, r.CertNotAfter = time.UnixMilli(at).UTC(), time.Duration(latency)*time.Millisecond, fromMS(cert)
	return &r, nil
}

// ProbeResults lists a probe's results before instant before (zero: now), newest first, at most
// limit (default 100, at most 1000). Read rights as ProbeByID. Errors: not found, forbidden.
func (d *DB) ProbeResults(ctx context.Context, probeID int64, before time.Time, limit int) ([]*opsdesk.ProbeResult, error) {
	if _, err := d.ProbeByID(ctx, probeID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	if before.IsZero() {
		before = d.Now().Add(time.Millisecond)
	}
	out, err := collect(scanProbeResult)(d.query(ctx, `SELECT probe_id, at, ok, status_code, latency_ms, error, cert_not_after
		FROM env_probe_results WHERE probe_id = ? AND at < ? ORDER BY at DESC LIMIT ?`, probeID, before.UnixMilli(), limit))
	return out, wrapErr("store.ProbeResults", err)
}

// Availability gives the share of successful checks of probe probeID — or, with probeID 0, of
// every probe of environment envID — over each of AvailabilityPeriods ending now (from its start excluded to now included). Staff; a
// customer their own environment's when it shows its availability. Errors: not found, forbidden.
func (d *DB) Availability(ctx context.Context, envID, probeID int64) ([]opsdesk.Availability, error) {
	where, arg, err := d.probeScope(ctx, envID, probeID)
	if err != nil {
		return nil, err
	}
	now := d.Now()
	out := make([]opsdesk.Availability, len(AvailabilityPeriods))
	for i, p := range AvailabilityPeriods {
		a := opsdesk.Availability{Period: p}
		var ok sql.NullInt64
		if err := d.queryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN ok THEN 1 ELSE 0 END) FROM env_probe_results WHERE `+where+` AND at > ? AND at <= ?`,
			arg, now.Add(-p).UnixMilli(), now.UnixMilli()).Scan(&a.Checks, &ok); err != nil {
			return nil, opsdesk.Internal("store.Availability", err)
		}
		a.OK = int(ok.Int64)
		if a.Checks > 0 {
			a.Percent = 100 * float64(a.OK) / float64(a.Checks)
		}
		out[i] = a
	}
	return out, nil
}

// ResponseSeries gives the response times of probe probeID (or, with probeID 0, of every probe
// of environment envID) from from to to, in buckets of bucket (at least a minute), oldest
// first; empty buckets are left out. Read rights as Availability. Errors: invalid, not found,
// forbidden.
func (d *DB) ResponseSeries(ctx context.Context, envID, probeID int64, from, to time.Time, bucket time.Duration) ([]opsdesk.ResponsePoint, error) {
	if bucket < time.Minute {
		return nil, opsdesk.Invalid("bucket", "must be at least a minute")
	}
	if !to.After(from) || to.Sub(from)/bucket > 10_000 {
		return nil, opsdesk.Invalid("to", "must be after from, with at most 10,000 buckets between them")
	}
	where, arg, err := d.probeScope(ctx, envID, probeID)
	if err != nil {
		return nil, err
	}
	b, f := bucket.Milliseconds(), from.UnixMilli()
	rows, err := d.query(ctx, `SELECT b, COUNT(*), SUM(CASE WHEN ok THEN 0 ELSE 1 END), AVG(latency_ms), MAX(latency_ms)
		FROM (SELECT (at - ?) / ? AS b, ok, latency_ms FROM env_probe_results WHERE `+where+` AND at >= ? AND at < ?) r
		GROUP BY b ORDER BY b`, f, b, arg, f, to.UnixMilli())
	if err != nil {
		return nil, opsdesk.Internal("store.ResponseSeries", err)
	}
	defer rows.Close()
	var out []opsdesk.ResponsePoint
	for rows.Next() {
		var p opsdesk.ResponsePoint
		var n int64
		if err := rows.Scan(&n, &p.Checks, &p.Failures, &p.AvgMS, &p.MaxMS); err != nil {
			return nil, opsdesk.Internal("store.ResponseSeries", err)
		}
		p.At = time.UnixMilli(f + n*b).UTC()
		out = append(out, p)
	}
	return out, wrapErr("store.ResponseSeries", rows.Err())
}

// probeScope checks read rights and returns the WHERE clause selecting the results of probe
// probeID of environment envID, or of all its probes when probeID is 0.
func (d *DB) probeScope(ctx context.Context, envID, probeID int64) (string, int64, error) {
	if _, err := d.envToRead(ctx, envID, partAvailability); err != nil {
		return "", 0, err
	}
	if probeID == 0 {
		return `probe_id IN (SELECT id FROM env_probes WHERE environment_id = ?)`, envID, nil
	}
	var env int64
	if err := d.queryRow(ctx, `SELECT environment_id FROM env_probes WHERE id = ?`, probeID).Scan(&env); err != nil || env != envID {
		return "", 0, opsdesk.NotFound("no probe %d on environment %d", probeID, envID)
	}
	return `probe_id = ?`, probeID, nil
}

// PruneProbeResults deletes the results older than before (the retention period) and returns
// how many went. Availability is computed from the results kept.
func (d *DB) PruneProbeResults(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := d.inTx(ctx, "store.PruneProbeResults", func(tx *Tx) error {
		// By probe, so the primary key (probe_id, at) serves: results have no other index.
		res, err := tx.exec(ctx, `DELETE FROM env_probe_results WHERE probe_id IN (SELECT id FROM env_probes) AND at < ?`, before.UnixMilli())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
