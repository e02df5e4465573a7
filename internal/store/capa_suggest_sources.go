package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The probe-incident suggestion rule (docs/capa.md, "Suggestions from audits and probes"): a
// probe incident of a production environment, opened within SuggestProbeWindow before the run,
// is a source when the same environment had another probe incident in the SuggestProbeWindow
// before it (the repeat), or when its outage lasted SuggestProbeDowntime or more.
const (
	SuggestProbeWindow   = 30 * 24 * time.Hour
	SuggestProbeDowntime = time.Hour
)

// auditSuggestions finds the done tasks of the continuous-improvement phase ("improvement")
// that carry findings: one preventive action each, titled by the task, the findings as its
// description.
func (tx *Tx) auditSuggestions(ctx context.Context) ([]suggestion, error) {
	rows, err := tx.query(ctx, `SELECT t.id, t.title, t.findings, p.name FROM project_tasks t
		JOIN project_phases ph ON ph.id = t.phase_id JOIN projects p ON p.id = t.project_id
		WHERE t.status = 'done' AND t.findings <> '' AND ph.code = 'improvement' ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []suggestion
	for rows.Next() {
		var s suggestion
		var title, project string
		if err := rows.Scan(&s.sourceID, &title, &s.description, &project); err != nil {
			return nil, err
		}
		s.key = fmt.Sprintf("audit:%d", s.sourceID)
		s.title = truncateTitle(fmt.Sprintf("Findings of %s (%s)", title, project))
		s.kind, s.source = opsdesk.ActionPreventive, opsdesk.SourceAudit
		out = append(out, s)
	}
	return out, rows.Err()
}

// probeCase is a probe-opened incident considered by probeSuggestions.
type probeCase struct {
	id, env, created int64
	key, envName     string
}

// probeSuggestions finds the probe incidents of production environments opened in the last
// SuggestProbeWindow that repeat an earlier one of the same environment within the window, or
// whose outage lasted SuggestProbeDowntime or more: one corrective action each.
func (tx *Tx) probeSuggestions(ctx context.Context) ([]suggestion, error) {
	window := SuggestProbeWindow.Milliseconds()
	rows, err := tx.query(ctx, `SELECT t.id, t.key, t.environment_id, e.name, t.created_at,
			(SELECT COUNT(*) FROM tickets o WHERE o.environment_id = t.environment_id AND o.channel = 'probe'
				AND o.type = 'incident' AND o.id < t.id AND o.created_at >= t.created_at - ?)
		FROM tickets t JOIN environments e ON e.id = t.environment_id
		WHERE t.channel = 'probe' AND t.type = 'incident' AND e.kind = 'prod' AND t.created_at >= ? ORDER BY t.id`,
		window, tx.now.UnixMilli()-window)
	if err != nil {
		return nil, err
	}
	var incidents []probeCase
	var earlier []int
	for rows.Next() {
		var i probeCase
		var n int
		if err := rows.Scan(&i.id, &i.key, &i.env, &i.envName, &i.created, &n); err != nil {
			rows.Close()
			return nil, err
		}
		incidents, earlier = append(incidents, i), append(earlier, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []suggestion
	for k, i := range incidents {
		down, err := tx.probeDowntimeOf(ctx, i)
		if err != nil {
			return nil, err
		}
		var why []string
		if earlier[k] > 0 {
			why = append(why, fmt.Sprintf("%d earlier probe incident(s) on %s in the 30 days before", earlier[k], i.envName))
		}
		if down >= SuggestProbeDowntime {
			why = append(why, "down for "+probeDowntime(down))
		}
		if len(why) == 0 {
			continue
		}
		out = append(out, suggestion{key: fmt.Sprintf("probe:%d", i.id), sourceID: i.id,
			title:       truncateTitle(fmt.Sprintf("Probe incident %s on %s: %s", i.key, i.envName, strings.Join(why, ", "))),
			description: fmt.Sprintf("Ticket %s was opened by a health probe of the production environment %s: %s.", i.key, i.envName, strings.Join(why, "; ")),
			kind:        opsdesk.ActionCorrective, source: opsdesk.SourceProbe})
	}
	return out, nil
}

// probeDowntimeOf measures the outage behind a probe incident as the probes recorded it: for
// each probe of the environment failing when the ticket was opened, from the first failure of
// that run of failures to the first success after the opening (now while it still fails) —
// the span the recovery note reports. The longest over the probes; 0 when no probe was failing
// (its results pruned, say).
func (tx *Tx) probeDowntimeOf(ctx context.Context, i probeCase) (time.Duration, error) {
	rows, err := tx.query(ctx, `SELECT p.id,
			(SELECT MAX(r.at) FROM env_probe_results r WHERE r.probe_id = p.id AND r.ok AND r.at <= ?)
		FROM env_probes p WHERE p.environment_id = ? ORDER BY p.id`, i.created, i.env)
	if err != nil {
		return 0, err
	}
	type probeOK struct {
		id     int64
		lastOK sql.NullInt64
	}
	var probes []probeOK
	for rows.Next() {
		var p probeOK
		if err := rows.Scan(&p.id, &p.lastOK); err != nil {
			rows.Close()
			return 0, err
		}
		probes = append(probes, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var longest time.Duration
	for _, p := range probes {
		var first, up sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT MIN(r.at) FROM env_probe_results r WHERE r.probe_id = ? AND NOT r.ok AND r.at > ? AND r.at <= ?`,
			p.id, p.lastOK.Int64, i.created).Scan(&first); err != nil {
			return 0, err
		}
		if !first.Valid {
			continue // this probe was not failing when the incident opened
		}
		if err := tx.queryRow(ctx, `SELECT MIN(r.at) FROM env_probe_results r WHERE r.probe_id = ? AND r.ok AND r.at > ?`,
			p.id, i.created).Scan(&up); err != nil {
			return 0, err
		}
		end := tx.now.UnixMilli()
		if up.Valid {
			end = up.Int64
		}
		longest = max(longest, time.Duration(end-first.Int64)*time.Millisecond)
	}
	return longest, nil
}

// truncateTitle keeps a suggested title within the 200 characters an action's title allows.
func truncateTitle(s string) string {
	if len(s) <= 200 {
		return s
	}
	return strings.ToValidUTF8(s[:197], "") + "…"
}
