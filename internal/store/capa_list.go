package store

import (
	"context"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// actionWhere builds the WHERE clause of f for actor. A customer's user is held to their own
// customer's accepted actions (opsdesk.CustomerActionStatuses), whatever f asks. today is the
// day overdue is measured against. withStatus false leaves f's status selection aside.
func actionWhere(actor opsdesk.Actor, f opsdesk.ActionFilter, today string, withStatus bool) (string, []any) {
	where, args := ` WHERE 1 = 1`, []any{}
	add := func(cond string, a ...any) {
		where += ` AND ` + cond
		args = append(args, a...)
	}
	statuses := func(ss []opsdesk.ActionStatus) {
		in := make([]any, len(ss))
		for i, s := range ss {
			in[i] = string(s)
		}
		list, a := inList(in)
		add(`status `+list, a...)
	}
	if !actor.IsStaff() {
		add(`customer_id = ?`, actor.CustomerID)
		statuses(opsdesk.CustomerActionStatuses)
	}
	if withStatus {
		if len(f.Status) > 0 {
			statuses(f.Status)
		}
		if f.Open {
			statuses(opsdesk.OpenActionStatuses)
		}
		if f.Overdue {
			add(`status IN ('open', 'in_progress') AND due_day <> '' AND due_day < ?`, today)
		}
	}
	if f.CustomerID != 0 {
		add(`customer_id = ?`, f.CustomerID)
	}
	if f.OwnerID != 0 {
		add(`owner_id = ?`, f.OwnerID)
	}
	if f.Source != "" {
		add(`source = ?`, string(f.Source))
	}
	if f.Kind != "" {
		add(`kind = ?`, string(f.Kind))
	}
	return where, args
}

// ListActions lists the actions f selects, those due first (by due day, undated last), then the
// newest. Staff read every action; a customer's user reads only their own customer's open,
// in-progress and done actions, as ForCustomer shows them. Errors: unauthenticated.
func (d *DB) ListActions(ctx context.Context, f opsdesk.ActionFilter) ([]*opsdesk.Action, error) {
	actor := opsdesk.ActorFrom(ctx)
	if actor.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	if f.Limit > 1000 {
		f.Limit = 1000
	}
	where, args := actionWhere(actor, f, d.Now().UTC().Format("2006-01-02"), true)
	out, err := collect(scanAction)(d.query(ctx, actionSelect+where+
		` ORDER BY CASE WHEN due_day = '' THEN 1 ELSE 0 END, due_day, id DESC LIMIT ?`, append(args, f.Limit)...))
	if err != nil {
		return nil, wrapErr("store.ListActions", err)
	}
	if !actor.IsStaff() {
		for i, a := range out {
			out[i] = a.ForCustomer()
		}
	}
	return out, nil
}

// CountActions counts the actions f selects by status, and those overdue, leaving f's Status,
// Open and Overdue aside (the counts are what a list's status filter chooses among). Scoped as
// ListActions. Errors: unauthenticated.
func (d *DB) CountActions(ctx context.Context, f opsdesk.ActionFilter) (opsdesk.ActionCounts, error) {
	out := opsdesk.ActionCounts{ByStatus: map[opsdesk.ActionStatus]int{}}
	actor := opsdesk.ActorFrom(ctx)
	if actor.Role == "" {
		return out, opsdesk.Unauthenticated("log in first")
	}
	today := d.Now().UTC().Format("2006-01-02")
	where, args := actionWhere(actor, f, today, false)
	rows, err := d.query(ctx, `SELECT status, COUNT(*), SUM(CASE WHEN status IN ('open', 'in_progress') AND due_day <> ''
		AND due_day < ? THEN 1 ELSE 0 END) FROM capa_actions`+where+` GROUP BY status`, append([]any{today}, args...)...)
	if err != nil {
		return out, wrapErr("store.CountActions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s opsdesk.ActionStatus
		var n, late int
		if err := rows.Scan(&s, &n, &late); err != nil {
			return out, wrapErr("store.CountActions", err)
		}
		out.ByStatus[s], out.Overdue = n, out.Overdue+late
	}
	return out, wrapErr("store.CountActions", rows.Err())
}
