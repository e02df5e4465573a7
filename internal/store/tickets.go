package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ticketSelect reads a ticket with the names shown beside it.
const ticketSelect = `SELECT t.id, t.number, t.key, t.customer_id, t.requester_id, t.environment_id, t.category, t.type,
	t.severity, t.severity_rank, t.status, t.level, t.assignee_id, t.group_code, t.channel, t.subject, t.impact, t.created_by,
	t.created_at, t.updated_at, t.taken_at, t.resolved_at, t.closed_at, t.reopen_count, t.version, t.next_deadline, t.resolution_summary, t.cause_code,
	c.code, c.name, p.name, p.email, COALESCE(e.kind, ''), COALESCE(e.name, ''), COALESCE(NULLIF(u.name, ''), u.email, ''), COALESCE(u.email, '')
	FROM tickets t
	JOIN customers c ON c.id = t.customer_id
	JOIN contacts p ON p.id = t.requester_id
	LEFT JOIN environments e ON e.id = t.environment_id
	LEFT JOIN users u ON u.id = t.assignee_id`

func scanTicket(sc scanner) (*opsdesk.Ticket, error) {
	var t opsdesk.Ticket
	var env, assignee, createdBy, taken, resolved, closed, next sql.NullInt64
	var created, updated int64
	err := sc.Scan(&t.ID, &t.Number, &t.Key, &t.CustomerID, &t.RequesterID, &env, &t.Category, &t.Type,
		&t.Severity, &t.SeverityRank, &t.Status, &t.Level, &assignee, &t.GroupCode, &t.Channel, &t.Subject, &t.Impact, &createdBy,
		&created, &updated, &taken, &resolved, &closed, &t.ReopenCount, &t.Version, &next, &t.ResolutionSummary, &t.Cause,
		&t.CustomerCode, &t.CustomerName, &t.RequesterName, &t.RequesterMail, &t.EnvKind, &t.EnvName, &t.AssigneeName, &t.AssigneeMail)
	if err != nil {
		return nil, err
	}
	t.EnvironmentID, t.AssigneeID, t.CreatedByID = env.Int64, assignee.Int64, createdBy.Int64
	t.CreatedAt, t.UpdatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	t.TakenAt, t.ResolvedAt, t.ClosedAt = fromMS(taken), fromMS(resolved), fromMS(closed)
	t.NextDeadline = fromMS(next)
	return &t, nil
}

// ticketByKey reads a ticket inside a transaction, scoped to what the actor may see.
func (tx *Tx) ticketByKey(ctx context.Context, key string) (*opsdesk.Ticket, error) {
	t, err := scanTicket(tx.queryRow(ctx, ticketSelect+` WHERE t.key = ?`, strings.ToUpper(strings.TrimSpace(key))))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !canSeeCustomer(opsdesk.ActorFrom(ctx), t.CustomerID)) {
		return nil, opsdesk.NotFound("no ticket %s", key)
	}
	return t, err
}

// TicketByKey returns a ticket by its human number (OPS-1042). A customer asking for another
// organisation's ticket gets not found. Errors: not found.
func (d *DB) TicketByKey(ctx context.Context, key string) (*opsdesk.Ticket, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	t, err := scanTicket(d.queryRow(ctx, ticketSelect+` WHERE t.key = ?`, strings.ToUpper(strings.TrimSpace(key))))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !canSeeCustomer(a, t.CustomerID)) {
		return nil, opsdesk.NotFound("no ticket %s", key)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.TicketByKey", err)
	}
	return t, nil
}

// noDeadline sorts tickets without a running, targeted clock after every deadline; the
// expression is that of the tickets_active_deadline index.
const noDeadline = math.MaxInt64

// ticketSorts maps a sort name to its column; every sort breaks ties by id.
var ticketSorts = map[string]string{
	"updated":  "t.updated_at",
	"created":  "t.id",
	"number":   "t.number",
	"severity": "t.severity_rank",
	"deadline": "COALESCE(t.next_deadline, 9223372036854775807)",
}

// ListTickets returns a page of tickets matching f and the cursor of the next page ("" at the
// end). Customers only ever list their own organisation's tickets, whatever f says. Pages are
// read by keyset (sort value, id), so deep pages cost as little as the first.
func (d *DB) ListTickets(ctx context.Context, f opsdesk.TicketFilter) ([]*opsdesk.Ticket, string, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, "", opsdesk.Unauthenticated("log in first")
	}
	if a.IsCustomer() {
		f.CustomerID = a.CustomerID
	}
	if f.Sort == "" {
		f.Sort, f.Desc = "updated", true
	}
	col, ok := ticketSorts[f.Sort]
	if !ok {
		return nil, "", opsdesk.Invalid("sort", "must be updated, created, number, severity or deadline")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		return nil, "", opsdesk.Invalid("limit", "must be at most 200")
	}
	w, args := ticketWhere(f)
	if f.Cursor != "" {
		v, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", opsdesk.Invalid("cursor", "is not a cursor this list gave")
		}
		op := ">"
		if f.Desc {
			op = "<"
		}
		w = append(w, fmt.Sprintf("(%s, t.id) %s (?, ?)", col, op))
		args = append(args, v, id)
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	// Pick the page's ids from the tickets table alone (an index range, no joins), then read those
	// rows with the names shown beside them.
	inner := `SELECT t.id FROM tickets t`
	if len(w) > 0 {
		inner += ` WHERE ` + strings.Join(w, " AND ")
	}
	inner += fmt.Sprintf(` ORDER BY %s %s, t.id %s LIMIT ?`, col, dir, dir)
	args = append(args, f.Limit+1)
	q := ticketSelect + ` WHERE t.id IN (` + inner + `)` + fmt.Sprintf(` ORDER BY %s %s, t.id %s`, col, dir, dir)
	list, err := collect(scanTicket)(d.query(ctx, q, args...))
	if err != nil {
		return nil, "", opsdesk.Internal("store.ListTickets", err)
	}
	next := ""
	if len(list) > f.Limit {
		list = list[:f.Limit]
		last := list[len(list)-1]
		next = encodeCursor(sortValue(f.Sort, last), last.ID)
	}
	return list, next, nil
}

// CountTickets counts the tickets matching f (cursor, sort and limit ignored), with the same
// scoping as ListTickets.
func (d *DB) CountTickets(ctx context.Context, f opsdesk.TicketFilter) (int, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return 0, opsdesk.Unauthenticated("log in first")
	}
	if a.IsCustomer() {
		f.CustomerID = a.CustomerID
	}
	w, args := ticketWhere(f)
	q := `SELECT COUNT(*) FROM tickets t`
	if len(w) > 0 {
		q += ` WHERE ` + strings.Join(w, " AND ")
	}
	var n int
	if err := d.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, opsdesk.Internal("store.CountTickets", err)
	}
	return n, nil
}

// ticketWhere builds the WHERE terms of a filter.
func ticketWhere(f opsdesk.TicketFilter) ([]string, []any) {
	var w []string
	var args []any
	in := func(col string, n int) string { return col + ` IN (?` + repeat(",?", n-1) + `)` }
	switch {
	case isActiveSet(f.Statuses):
		w = append(w, "t.active = TRUE")
	case len(f.Statuses) > 0:
		w = append(w, in("t.status", len(f.Statuses)))
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	if len(f.Severities) > 0 {
		w = append(w, in("t.severity", len(f.Severities)))
		for _, s := range f.Severities {
			args = append(args, s)
		}
	}
	if len(f.Levels) > 0 {
		w = append(w, in("t.level", len(f.Levels)))
		for _, l := range f.Levels {
			args = append(args, l)
		}
	}
	if f.CustomerID != 0 {
		w, args = append(w, "t.customer_id = ?"), append(args, f.CustomerID)
	}
	if f.EnvironmentID != 0 {
		w, args = append(w, "t.environment_id = ?"), append(args, f.EnvironmentID)
	}
	if f.EnvKind != "" {
		w, args = append(w, "t.environment_id IN (SELECT id FROM environments WHERE kind = ?)"), append(args, f.EnvKind)
	}
	if f.AssigneeID != 0 {
		w, args = append(w, "t.assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.Unassigned {
		w = append(w, "t.assignee_id IS NULL")
	}
	if f.Category != "" {
		w, args = append(w, "t.category = ?"), append(args, f.Category)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if n, ok := ticketNumber(q); ok {
			w, args = append(w, "t.number = ?"), append(args, n)
		} else {
			w, args = append(w, "LOWER(t.subject) LIKE ?"), append(args, "%"+strings.ToLower(q)+"%")
		}
	}
	return w, args
}

// isActiveSet tells whether a status filter is exactly the active statuses (new, open,
// waiting_customer), which the active column indexes.
func isActiveSet(ss []opsdesk.Status) bool {
	if len(ss) == 0 {
		return false
	}
	seen := map[opsdesk.Status]bool{}
	for _, s := range ss {
		if !s.Active() {
			return false
		}
		seen[s] = true
	}
	return len(seen) == 3
}

// ticketNumber reads "OPS-1042", "#1042" or "1042" as a ticket number.
func ticketNumber(q string) (int64, bool) {
	q = strings.TrimPrefix(q, "#")
	if i := strings.LastIndexByte(q, '-'); i >= 0 {
		q = q[i+1:]
	}
	n, err := strconv.ParseInt(q, 10, 64)
	return n, err == nil && n > 0
}

func sortValue(sort string, t *opsdesk.Ticket) int64 {
	switch sort {
	case "updated":
		return t.UpdatedAt.UnixMilli()
	case "number":
		return t.Number
	case "severity":
		return int64(t.SeverityRank)
	case "deadline":
		if t.NextDeadline.IsZero() {
			return noDeadline
		}
		return t.NextDeadline.UnixMilli()
	}
	return t.ID
}

func encodeCursor(v, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%d", v, id)))
}

func decodeCursor(c string) (int64, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, err
	}
	a, bs, ok := strings.Cut(string(b), ".")
	if !ok {
		return 0, 0, errors.New("bad cursor")
	}
	v, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(bs, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, errors.New("bad cursor")
	}
	return v, id, nil
}
