package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Indicators computes the figures of the steering dashboard over the tickets the filter keeps
// (docs/indicators.md defines each one). Staff see every customer, or the one filtered; a
// customer user gets the figures of their own customer only, whatever the filter says. All is
// aggregated in SQL, in two read-only transactions run at once (indicatorLanes); only the p90
// of the durations is found by reading values — the 10 % largest from an index ordered by
// business time, or every value when they are few. Errors: invalid (the filter, field named),
// unauthenticated.
func (d *DB) Indicators(ctx context.Context, f opsdesk.IndicatorFilter) (*opsdesk.Indicators, error) {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.IsCustomer():
		f.CustomerID = a.CustomerID
	case !a.IsStaff():
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f.From, f.To = f.From.UTC(), f.To.UTC()
	out := &opsdesk.Indicators{Filter: f}
	if err := d.indicatorLanes(ctx, f, out); err != nil {
		return nil, wrapErr("store.Indicators", err)
	}
	return out, nil
}

// indicatorQuery holds what every indicator query shares: the transaction, the filter and its
// instants in milliseconds.
type indicatorQuery struct {
	tx            *Tx
	f             opsdesk.IndicatorFilter
	from, to, now int64
}

// where returns the ticket filter as SQL conditions on the alias t, always starting "1 = 1".
func (q indicatorQuery) where() (string, []any) {
	return q.rowWhere("t")
}

// rowWhere is where for the rows of another table under alias, read through via: the customer
// is checked on the row itself, which carries its ticket's (migration 0028), the other filters
// on the ticket joined.
func (q indicatorQuery) rowWhere(alias string) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	if q.f.CustomerID != 0 {
		conds = append(conds, alias+".customer_id = ?")
		args = append(args, q.f.CustomerID)
	}
	if q.f.EnvKind != "" {
		conds = append(conds, "t.environment_id IN (SELECT id FROM environments WHERE kind = ?)")
		args = append(args, string(q.f.EnvKind))
	}
	if q.f.Severity != "" {
		conds = append(conds, "t.severity = ?")
		args = append(args, q.f.Severity)
	}
	if q.f.Level != "" {
		lv, _ := opsdesk.ParseLevel(string(q.f.Level))
		conds = append(conds, "t.level = ?")
		args = append(args, string(lv))
	}
	if q.f.Channel != "" {
		conds = append(conds, "t.channel = ?")
		args = append(args, string(q.f.Channel))
	}
	return strings.Join(conds, " AND "), args
}

// ticketFiltered tells whether a filter other than the customer is set: one that only the
// ticket's own row can check.
func (q indicatorQuery) ticketFiltered() bool {
	return q.f.EnvKind != "" || q.f.Severity != "" || q.f.Level != "" || q.f.Channel != ""
}

// countIf is an aggregate counting the rows where cond holds: COUNT(*) FILTER on PostgreSQL
// (a sixth faster there over a million rows), a sum of CASE on SQLite, which has no FILTER.
func (q indicatorQuery) countIf(cond string) string {
	if q.tx.db.dialect == Postgres {
		return `COUNT(*) FILTER (WHERE ` + cond + `)`
	}
	return `SUM(CASE WHEN ` + cond + ` THEN 1 ELSE 0 END)`
}

// via names a table read through the named index (on SQLite, see indexed), joined to its
// tickets t when a filter other than the customer is set (rowWhere checks the customer on the
// row): the period's rows drive, each ticket is looked up. On SQLite the CROSS JOIN keeps that
// order (its planner would otherwise walk a customer's tickets and, for each, the period's rows
// of the named index: quadratic).
func (q indicatorQuery) via(table, alias, index string) string {
	from := q.indexed(table, alias, index)
	if q.ticketFiltered() {
		join := " JOIN "
		if q.tx.db.dialect == SQLite {
			join = " CROSS JOIN "
		}
		from += join + "tickets t ON t.id = " + alias + ".ticket_id"
	}
	return from
}

// indexed names the table with the index SQLite must read it through, and the table alone on
// PostgreSQL. SQLite has no statistics (opsdesk never runs ANALYZE) and, among indexes that all
// fit, sometimes takes one that reads a hundred times more entries; PostgreSQL's planner has
// them.
func (q indicatorQuery) indexed(table, alias, index string) string {
	return q.tx.db.indexedBy(table+" "+alias, index)
}

// indexedBy is a table (with its alias) read through the named index on SQLite, alone on
// PostgreSQL (see indicatorQuery.indexed).
func (d *DB) indexedBy(table, index string) string {
	if d.dialect == SQLite {
		return table + " INDEXED BY " + index
	}
	return table
}

// ints runs a one-row query and scans its integer columns (NULL reads as 0).
func (q indicatorQuery) ints(ctx context.Context, sqlText string, args []any, dst ...*int) error {
	vals := make([]sql.NullInt64, len(dst))
	ptrs := make([]any, len(dst))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := q.tx.queryRow(ctx, sqlText, args...).Scan(ptrs...); err != nil {
		return err
	}
	for i, v := range vals {
		*dst[i] = int(v.Int64)
	}
	return nil
}

// SQL fragments over the ticket t, from its facts (kept by triggers, migration 0023): the level
// it started at — the old value of its first escalation, or its current level when never
// escalated; it was escalated from N1 to N2 or N3; from N2 to N3; to N2; never escalated nor
// reopened.
const (
	startLevel     = `COALESCE(t.ind_start_level, t.level)`
	escalatedN1Up  = `(t.ind_flags & 2) <> 0`
	escalatedN2N3  = `(t.ind_flags & 4) <> 0`
	escalatedToN2  = `(t.ind_flags & 8) <> 0`
	neverEscOrReop = `(t.ind_flags & 17) = 0`
	// resolution: a status change to resolved, on the alias e.
	resolution = `e.kind = 'change' AND e.field = 'status' AND e.new_value = 'resolved'`
	// statusAtEnd: the ticket's status at the end of the period (its last status change before).
	statusAtEnd = `COALESCE((SELECT e.new_value FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status'
		AND e.kind = 'change' AND e.at < ? ORDER BY e.at DESC, e.id DESC LIMIT 1), 'new')`
)

// resolvedIn is the condition "t has a resolution in [?, ?)" with its arguments, read from the
// ticket's facts: its first resolution is in the period; or it came before the period and the
// ticket, resolved again since (few are), has a resolution in the period, looked up.
func (q indicatorQuery) resolvedIn() (string, []any) {
	return `((t.ind_resolved_first >= ? AND t.ind_resolved_first < ?)
		OR (t.ind_resolutions > 1 AND t.ind_resolved_first < ? AND EXISTS (SELECT 1 FROM ticket_events e
			WHERE e.ticket_id = t.id AND ` + resolution + ` AND e.at >= ? AND e.at < ?)))`,
		[]any{q.from, q.to, q.from, q.from, q.to}
}

// created: tickets created in the period, those filed by probes, and the escalation cohorts
// (created in the period): started at N1 and escalated from N1; ever at N2 (started there or
// escalated to it) and escalated from N2 to N3. A ticket never escalated started at its
// current level and has no escalation: one pass over every ticket created counts their levels,
// a second over the escalated ones only (their own index) corrects the cohorts for them.
func (q indicatorQuery) created(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	var all [4]int // created, by probes, now at N1, now at N2
	if err := q.ints(ctx, `SELECT COUNT(*), `+q.countIf(`t.channel = 'probe'`)+`,
			`+q.countIf(`t.level = 'N1'`)+`, `+q.countIf(`t.level = 'N2'`)+`
		FROM `+q.indexed("tickets", "t", "tickets_ind_created")+` WHERE `+w+` AND t.created_at >= ? AND t.created_at < ?`,
		append(args, q.from, q.to), &all[0], &all[1], &all[2], &all[3]); err != nil {
		return err
	}
	everN2 := `(t.ind_start_level = 'N2' OR ` + escalatedToN2 + `)`
	var esc [6]int // escalated: now at N1, now at N2, started at N1, … and escalated from N1, ever at N2, … and N2→N3
	if err := q.ints(ctx, `SELECT `+q.countIf(`t.level = 'N1'`)+`, `+q.countIf(`t.level = 'N2'`)+`,
			`+q.countIf(`t.ind_start_level = 'N1'`)+`, `+q.countIf(`t.ind_start_level = 'N1' AND `+escalatedN1Up)+`,
			`+q.countIf(everN2)+`, `+q.countIf(everN2+` AND `+escalatedN2N3)+`
		FROM `+q.indexed("tickets", "t", "tickets_ind_escalated")+` WHERE `+w+` AND t.ind_start_level IS NOT NULL
			AND t.created_at >= ? AND t.created_at < ?`,
		append(args, q.from, q.to), &esc[0], &esc[1], &esc[2], &esc[3], &esc[4], &esc[5]); err != nil {
		return err
	}
	out.TicketsCreated, out.ProbeIncidents = all[0], all[1]
	out.EscalationN1N2 = opsdesk.Ratio{Den: all[2] - esc[0] + esc[2], Num: esc[3]}
	out.EscalationN2N3 = opsdesk.Ratio{Den: all[3] - esc[1] + esc[4], Num: esc[5]}
	return nil
}

// resolved: tickets resolved in the period, and first-contact resolution at N1 among them
// (started at N1, never escalated, never reopened), in two disjoint parts (see resolvedIn):
// the tickets first resolved in the period, read by that instant; those first resolved before
// and resolved again in the period (none for all time).
func (q indicatorQuery) resolved(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	sel := `SELECT COUNT(*), ` + q.countIf(startLevel+` = 'N1'`) + `,
			` + q.countIf(`t.level = 'N1' AND `+neverEscOrReop) + `
		FROM %s WHERE ` + w
	var n1, n2 [3]int
	first := fmt.Sprintf(sel, q.indexed("tickets", "t", "tickets_ind_resolved"))
	if err := q.ints(ctx, first+` AND t.ind_resolved_first >= ? AND t.ind_resolved_first < ?`,
		append(args, q.from, q.to), &n1[0], &n1[1], &n1[2]); err != nil {
		return err
	}
	again := fmt.Sprintf(sel, q.indexed("tickets", "t", "tickets_ind_resolved_again"))
	if err := q.ints(ctx, again+` AND t.ind_resolved_first < ? AND t.ind_resolutions > 1 AND EXISTS (SELECT 1 FROM ticket_events e
			WHERE e.ticket_id = t.id AND `+resolution+` AND e.at >= ? AND e.at < ?)`,
		append(args, q.from, q.from, q.to), &n2[0], &n2[1], &n2[2]); err != nil {
		return err
	}
	out.TicketsResolved = n1[0] + n2[0]
	out.FirstContactN1 = opsdesk.Ratio{Den: n1[1] + n2[1], Num: n1[2] + n2[2]}
	return nil
}

// backlog: tickets created before the end whose status at the end was new, open or waiting.
// Two disjoint parts keep it cheap: a ticket with no status change since the end has its current
// status (read from the active index); only those changed since are looked up in the history.
func (q indicatorQuery) backlog(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.where()
	const day = int64(86_400_000)
	const changedSince = `t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.field = 'status' AND e.kind = 'change' AND e.at >= ?)`
	buckets := `SELECT COUNT(*),
			SUM(CASE WHEN ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? AND ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? AND ? - t.created_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN ? - t.created_at >= ? THEN 1 ELSE 0 END)
		FROM tickets t WHERE ` + w + ` AND t.created_at < ? AND `
	bargs := append([]any{q.to, day, q.to, day, q.to, 7 * day, q.to, 7 * day, q.to, 30 * day, q.to, 30 * day}, append(args, q.to)...)
	var unchanged, changed [5]int
	if err := q.ints(ctx, buckets+`t.active = TRUE AND NOT `+changedSince, append(bargs, q.to),
		&unchanged[0], &unchanged[1], &unchanged[2], &unchanged[3], &unchanged[4]); err != nil {
		return err
	}
	if err := q.ints(ctx, buckets+changedSince+` AND `+statusAtEnd+` IN ('new', 'open', 'waiting_customer')`,
		append(bargs, q.to, q.to), &changed[0], &changed[1], &changed[2], &changed[3], &changed[4]); err != nil {
		return err
	}
	out.Backlog = unchanged[0] + changed[0]
	out.BacklogAge = opsdesk.BacklogAge{UnderDay: unchanged[1] + changed[1], UnderWeek: unchanged[2] + changed[2],
		UnderMonth: unchanged[3] + changed[3], Older: unchanged[4] + changed[4]}
	return nil
}

// reopens: reopenings ÷ resolutions, both status changes made in the period, each counted
// through its own index.
func (q indicatorQuery) reopens(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.rowWhere("e")
	if err := q.ints(ctx, `SELECT COUNT(*) FROM `+q.via("ticket_events", "e", "ticket_events_resolution_at")+`
		WHERE `+w+` AND `+resolution+` AND e.at >= ? AND e.at < ?`, append(args, q.from, q.to), &out.Reopen.Den); err != nil {
		return err
	}
	return q.ints(ctx, `SELECT COUNT(*) FROM `+q.via("ticket_events", "e", "ticket_events_reopen_at")+`
		WHERE `+w+` AND e.kind = 'change' AND e.field = 'status' AND e.old_value IN ('resolved', 'closed')
			AND e.new_value IN ('new', 'open', 'waiting_customer') AND e.at >= ? AND e.at < ?`,
		append(args, q.from, q.to), &out.Reopen.Num)
}
