package store

import (
	"context"
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// durations: mean and p90 of the business time of the take-charge and resolve clocks that
// stopped in the period. The p90 needs the values: they are read (one column) and ranked in Go.
func (q indicatorQuery) durations(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	for _, c := range []struct {
		clock string
		dst   *opsdesk.DurationStats
	}{{"take_charge", &out.TakeCharge}, {"resolve", &out.Resolve}} {
		rs, err := q.tx.query(ctx, `SELECT c.elapsed_ms FROM `+q.joined("sla_clocks", "c")+`
			WHERE `+w+` AND c.clock = ? AND c.stopped AND c.stopped_at >= ? AND c.stopped_at < ?`,
			append(args, c.clock, q.from, q.to)...)
		if err != nil {
			return err
		}
		var vals []int64
		for rs.Next() {
			var v int64
			if err := rs.Scan(&v); err != nil {
				rs.Close()
				return err
			}
			vals = append(vals, v)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		*c.dst = durationStats(vals)
	}
	return nil
}

// durationStats gives the count, the mean (rounded down to the millisecond) and the p90 by the
// nearest-rank method: the smallest value with at least 90 % of the values at or below it.
func durationStats(ms []int64) opsdesk.DurationStats {
	if len(ms) == 0 {
		return opsdesk.DurationStats{}
	}
	slices.Sort(ms)
	var sum int64
	for _, v := range ms {
		sum += v
	}
	rank := (90*len(ms) + 99) / 100 // ceil(0.9 n), 1-based
	return opsdesk.DurationStats{Count: len(ms), Mean: time.Duration(sum/int64(len(ms))) * time.Millisecond,
		P90: time.Duration(ms[rank-1]) * time.Millisecond}
}

// levels: first-contact resolution at N1 and the escalation rates.
func (q indicatorQuery) levels(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	const noEscalation = `NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'escalation')`
	const noReopen = `NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'change'
		AND e.field = 'status' AND e.old_value IN ('resolved', 'closed') AND e.new_value IN ('new', 'open', 'waiting_customer'))`
	err := q.ints(ctx, `SELECT COUNT(*), SUM(CASE WHEN `+noEscalation+` AND `+noReopen+` THEN 1 ELSE 0 END)
		FROM tickets t WHERE `+w+` AND `+resolvedInPeriod+` AND `+startLevel+` = 'N1'`,
		append(args, q.from, q.to), &out.FirstContactN1.Den, &out.FirstContactN1.Num)
	if err != nil {
		return err
	}
	escalated := func(from, to string) string {
		return `EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'escalation'
			AND e.old_value = '` + from + `' AND e.new_value IN (` + to + `))`
	}
	cohort := `FROM tickets t WHERE ` + w + ` AND t.created_at >= ? AND t.created_at < ?`
	err = q.ints(ctx, `SELECT COUNT(*), SUM(CASE WHEN `+escalated("N1", "'N2', 'N3'")+` THEN 1 ELSE 0 END) `+cohort+
		` AND `+startLevel+` = 'N1'`, append(args, q.from, q.to), &out.EscalationN1N2.Den, &out.EscalationN1N2.Num)
	if err != nil {
		return err
	}
	return q.ints(ctx, `SELECT COUNT(*), SUM(CASE WHEN `+escalated("N2", "'N3'")+` THEN 1 ELSE 0 END) `+cohort+
		` AND (`+startLevel+` = 'N2' OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id
			AND e.kind = 'escalation' AND e.new_value = 'N2'))`,
		append(args, q.from, q.to), &out.EscalationN2N3.Den, &out.EscalationN2N3.Num)
}

// reopens: reopenings ÷ resolutions, both status changes made in the period.
func (q indicatorQuery) reopens(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	return q.ints(ctx, `SELECT
			SUM(CASE WHEN e.old_value IN ('resolved', 'closed') AND e.new_value IN ('new', 'open', 'waiting_customer') THEN 1 ELSE 0 END),
			SUM(CASE WHEN e.new_value = 'resolved' THEN 1 ELSE 0 END)
		FROM `+q.joined("ticket_events", "e")+`
		WHERE `+w+` AND e.kind = 'change' AND e.field = 'status' AND e.at >= ? AND e.at < ?`,
		append(args, q.from, q.to), &out.Reopen.Num, &out.Reopen.Den)
}

// surveys: response rate and average rating of the surveys opened in the period.
func (q indicatorQuery) surveys(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	var sum int
	err := q.ints(ctx, `SELECT COUNT(*), SUM(CASE WHEN s.state = 'answered' THEN 1 ELSE 0 END),
			SUM(CASE WHEN s.state = 'answered' AND s.rating IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN s.state = 'answered' THEN s.rating ELSE 0 END)
		FROM `+q.joined("surveys", "s")+`
		WHERE `+w+` AND s.state <> 'superseded' AND s.opened_at >= ? AND s.opened_at < ?`,
		append(args, q.from, q.to), &out.SurveyResponse.Den, &out.SurveyResponse.Num, &out.CSATRated, &sum)
	if err != nil {
		return err
	}
	if out.CSATRated > 0 {
		out.CSATAverage = float64(sum) / float64(out.CSATRated)
	}
	return nil
}

// knowledge: deflections recorded in the period (only the customer filter applies to them) and
// the articles linked to the tickets resolved in the period.
func (q indicatorQuery) knowledge(ctx context.Context, out *opsdesk.Indicators) error {
	dq, dargs := `SELECT COUNT(*) FROM kb_deflections WHERE at >= ? AND at < ?`, []any{q.from, q.to}
	if q.f.CustomerID != 0 {
		dq += ` AND customer_id = ?`
		dargs = append(dargs, q.f.CustomerID)
	}
	if err := q.ints(ctx, dq, dargs, &out.KBDeflections); err != nil {
		return err
	}
	w, args := q.where()
	rs, err := q.tx.query(ctx, `SELECT ta.article_id, COUNT(*) FROM ticket_articles ta JOIN tickets t ON t.id = ta.ticket_id
		WHERE `+w+` AND `+resolvedInPeriod+` GROUP BY ta.article_id ORDER BY COUNT(*) DESC, ta.article_id`,
		append(args, q.from, q.to)...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var u opsdesk.ArticleUse
		if err := rs.Scan(&u.ArticleID, &u.Tickets); err != nil {
			return err
		}
		out.ArticlesSolved = append(out.ArticlesSolved, u)
	}
	return rs.Err()
}

// availability: per production environment (of the customer filtered, if any), the probe
// checks made in the period and how many succeeded. The other filters are about tickets and do
// not apply.
func (q indicatorQuery) availability(ctx context.Context, out *opsdesk.Indicators) error {
	aq := `SELECT e.id, e.customer_id, e.name, COUNT(*), SUM(CASE WHEN r.ok THEN 1 ELSE 0 END)
		FROM env_probe_results r JOIN env_probes p ON p.id = r.probe_id JOIN environments e ON e.id = p.environment_id
		WHERE e.kind = 'prod' AND r.at >= ? AND r.at < ?`
	args := []any{q.from, q.to}
	if q.f.CustomerID != 0 {
		aq += ` AND e.customer_id = ?`
		args = append(args, q.f.CustomerID)
	}
	rs, err := q.tx.query(ctx, aq+` GROUP BY e.id, e.customer_id, e.name ORDER BY e.id`, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var a opsdesk.EnvAvailability
		if err := rs.Scan(&a.EnvironmentID, &a.CustomerID, &a.Name, &a.Checks, &a.OK); err != nil {
			return err
		}
		out.Availability = append(out.Availability, a)
	}
	return rs.Err()
}

// projects: the projects closed in the period that had a target day, and how many of them
// closed by the end of it (UTC). Only the customer filter applies.
func (q indicatorQuery) projects(ctx context.Context, out *opsdesk.Indicators) error {
	const day = int64(86_400_000)
	pq := `SELECT COUNT(*), SUM(CASE WHEN closed_at < target_on + ? THEN 1 ELSE 0 END) FROM projects
		WHERE target_on IS NOT NULL AND closed_at >= ? AND closed_at < ?`
	args := []any{day, q.from, q.to}
	if q.f.CustomerID != 0 {
		pq += ` AND customer_id = ?`
		args = append(args, q.f.CustomerID)
	}
	return q.ints(ctx, pq, args, &out.ProjectsOnTime.Den, &out.ProjectsOnTime.Num)
}
