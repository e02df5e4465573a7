package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// listTickets answers a page of the tickets the caller may see, filtered by the query:
// status, severity and level take comma lists; customer a code; environment a kind; assignee
// an email, me or none; q a number or words of the subject; sort one of updated, created,
// number, severity, deadline (nearest SLA deadline first, tickets without one last), prefixed
// with - for descending (default -updated).
func (a *API) listTickets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := a.ticketFilter(ctx, r)
	if err != nil {
		return err
	}
	ts, next, err := a.db.ListTickets(ctx, f)
	if err != nil {
		return err
	}
	page := ticketList{Items: a.ticketJSON(ctx, ts...)}
	if next != "" {
		page.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, page)
}

func (a *API) ticketFilter(ctx context.Context, r *http.Request) (opsdesk.TicketFilter, error) {
	q := r.URL.Query()
	f := opsdesk.TicketFilter{Query: q.Get("q"), Category: q.Get("category"), Cursor: q.Get("cursor"), Severities: queryList(r, "severity")}
	for _, s := range queryList(r, "status") {
		st := opsdesk.Status(strings.ToLower(s))
		if !st.Valid() {
			return f, opsdesk.Invalid("status", "%q is not a status (new, open, waiting_customer, resolved, closed)", s)
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, s := range queryList(r, "level") {
		l, ok := opsdesk.ParseLevel(s)
		if !ok {
			return f, opsdesk.Invalid("level", "%q is not a level (N1, N2, N3)", s)
		}
		f.Levels = append(f.Levels, l)
	}
	if code := q.Get("customer"); code != "" {
		c, err := a.db.CustomerByCode(ctx, code)
		if err != nil {
			return f, withField(err, "customer")
		}
		f.CustomerID = c.ID
	}
	if env := q.Get("environment"); env != "" {
		f.EnvKind = opsdesk.EnvKind(strings.ToLower(env))
		if !f.EnvKind.Valid() {
			return f, opsdesk.Invalid("environment", "must be an environment kind: test, preprod or prod")
		}
	}
	if as := q.Get("assignee"); as != "" {
		if err := a.assigneeFilter(ctx, as, &f); err != nil {
			return f, err
		}
	}
	var err error
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return f, err
	}
	if s := q.Get("sort"); s != "" {
		f.Sort, f.Desc = strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
	}
	return f, nil
}

// assigneeFilter reads assignee=me, none or an email into the filter.
func (a *API) assigneeFilter(ctx context.Context, v string, f *opsdesk.TicketFilter) error {
	switch strings.ToLower(v) {
	case "none":
		f.Unassigned = true
		return nil
	case "me":
		f.AssigneeID = opsdesk.ActorFrom(ctx).UserID
		if f.AssigneeID == 0 {
			return opsdesk.Invalid("assignee", "me needs a user's token")
		}
		return nil
	}
	id, err := a.agentID(ctx, v, "assignee")
	f.AssigneeID = id
	return err
}

// agentID finds a user by address for an assignment or a filter. It reads as the system, since
// customers see their tickets' assignees without seeing the team, but answers an address it
// would not show the caller exactly as an unknown one. Errors: invalid naming field.
func (a *API) agentID(ctx context.Context, email, field string) (int64, error) {
	caller := opsdesk.ActorFrom(ctx)
	u, err := a.db.UserByEmail(opsdesk.WithActor(ctx, opsdesk.System("api")), email)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) || (err == nil && !u.Role.Staff() && !caller.IsStaff() && u.CustomerID != caller.CustomerID) {
		return 0, opsdesk.Invalid(field, "no user with address %s", email)
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}
