package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// AddMessage adds a public reply or an internal note to a ticket. Customers write public replies
// only; their reply to a ticket waiting for them puts it back to open. The first public answer
// of the team takes a new ticket in charge. Errors: invalid, not found, forbidden, conflict
// (closed ticket).
func (d *DB) AddMessage(ctx context.Context, key, body string, internal bool, atts []opsdesk.NewAttachment) (*opsdesk.Message, error) {
	a := opsdesk.ActorFrom(ctx)
	body = strings.TrimSpace(body)
	if body == "" && len(atts) == 0 {
		return nil, opsdesk.Invalid("body", "is required")
	}
	if len(body) > 200_000 {
		return nil, opsdesk.Invalid("body", "is longer than 200,000 characters")
	}
	if internal && !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team writes internal notes")
	}
	m := &opsdesk.Message{Body: body, Internal: internal, Channel: opsdesk.ChannelWeb, AuthorUserID: a.UserID, AuthorLabel: a.Label}
	err := d.inTx(ctx, "store.AddMessage", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		if t.Status == opsdesk.StatusClosed {
			return opsdesk.Conflict("status", "%s is closed: file a new request", t.Key)
		}
		m.TicketID = t.ID
		if a.IsCustomer() {
			var contact int64
			if err := tx.queryRow(ctx, `SELECT id FROM contacts WHERE email = ?`, a.Label).Scan(&contact); err == nil {
				m.AuthorContactID = contact
			}
		}
		if err := tx.addMessage(ctx, m, atts, true); err != nil {
			return err
		}
		if err := tx.emit(ctx, opsdesk.TicketMessage, t, m.ID, m.Internal); err != nil {
			return err
		}
		switch {
		case a.IsCustomer() && t.Status == opsdesk.StatusWaitingCustomer:
			return tx.setStatus(ctx, t, opsdesk.StatusOpen, "customer answered")
		case a.IsStaff() && !internal && t.Status == opsdesk.StatusNew:
			return tx.setStatus(ctx, t, opsdesk.StatusOpen, "first answer")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "message"})
	return m, nil
}

// setStatus moves a ticket to a new status, keeping the lifecycle instants and history.
func (tx *Tx) setStatus(ctx context.Context, t *opsdesk.Ticket, to opsdesk.Status, reason string) error {
	if err := opsdesk.CheckTransition(t.Status, to); err != nil {
		return err
	}
	sets := []string{"status = ?", "active = ?"}
	args := []any{to, to.Active()}
	switch {
	case to == opsdesk.StatusOpen && t.TakenAt.IsZero():
		sets = append(sets, "taken_at = ?")
		args = append(args, tx.now.UnixMilli())
	case to == opsdesk.StatusOpen && t.Status == opsdesk.StatusResolved:
		sets = append(sets, "reopen_count = reopen_count + 1", "resolved_at = NULL")
	case to == opsdesk.StatusResolved:
		sets = append(sets, "resolved_at = ?")
		args = append(args, tx.now.UnixMilli())
	case to == opsdesk.StatusClosed:
		sets = append(sets, "closed_at = ?")
		args = append(args, tx.now.UnixMilli())
	}
	if err := tx.updateTicket(ctx, t.ID, sets, args); err != nil {
		return err
	}
	if t.Status == opsdesk.StatusResolved {
		if err := tx.endSurvey(ctx, t.ID); err != nil {
			return err
		}
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: "status", Old: string(t.Status), New: string(to), Reason: reason}); err != nil {
		return err
	}
	t.Status = to
	switch to {
	case opsdesk.StatusResolved:
		if err := tx.openSurvey(ctx, t); err != nil {
			return err
		}
		return tx.emit(ctx, opsdesk.TicketResolved, t, 0, false)
	case opsdesk.StatusClosed:
		return tx.emit(ctx, opsdesk.TicketClosed, t, 0, false)
	}
	return tx.emit(ctx, opsdesk.TicketUpdated, t, 0, false)
}

// updateTicket sets columns of a ticket and marks it updated.
func (tx *Tx) updateTicket(ctx context.Context, id int64, sets []string, args []any) error {
	sets = append(sets, "updated_at = ?", "version = version + 1")
	args = append(args, tx.now.UnixMilli(), id)
	_, err := tx.exec(ctx, `UPDATE tickets SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...)
	return err
}

// UpdateTicket applies a patch. Customers may only confirm a resolution (resolved → closed) or
// reopen (resolved → open); staff change status, severity, assignee, category, environment and
// type. Every change is recorded with the patch's reason. Errors: invalid, not found, forbidden,
// conflict (illegal transition).
func (d *DB) UpdateTicket(ctx context.Context, key string, p opsdesk.TicketPatch) (*opsdesk.Ticket, error) {
	a := opsdesk.ActorFrom(ctx)
	if err := checkResolutionAlone(p); err != nil {
		return nil, err
	}
	if p.Empty() {
		return nil, opsdesk.Invalid("", "nothing to change")
	}
	if a.IsCustomer() {
		if p.Severity != nil || p.AssigneeID != nil || p.Category != nil || p.EnvironmentID != nil || p.Type != nil {
			return nil, opsdesk.Forbidden("customers may only confirm a resolution or reopen a request")
		}
		if s := *p.Status; s != opsdesk.StatusClosed && s != opsdesk.StatusOpen {
			return nil, opsdesk.Forbidden("customers may only confirm a resolution or reopen a request")
		}
	} else if !a.IsStaff() {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	err := d.inTx(ctx, "store.UpdateTicket", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		if a.IsCustomer() && t.Status != opsdesk.StatusResolved {
			return opsdesk.Conflict("status", "only a resolved request can be confirmed or reopened")
		}
		return tx.applyPatch(ctx, t, p)
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	return d.TicketByKey(ctx, key)
}

func (tx *Tx) applyPatch(ctx context.Context, t *opsdesk.Ticket, p opsdesk.TicketPatch) error {
	change := func(field, old, new string, sets []string, args []any) error {
		if old == new {
			return nil
		}
		if err := tx.updateTicket(ctx, t.ID, sets, args); err != nil {
			return err
		}
		if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: field, Old: old, New: new, Reason: p.Reason}); err != nil {
			return err
		}
		return tx.emit(ctx, opsdesk.TicketUpdated, t, 0, false)
	}
	if p.Severity != nil {
		sev, err := tx.severity(ctx, *p.Severity)
		if err != nil {
			return err
		}
		if err := change("severity", t.Severity, sev.Code, []string{"severity = ?", "severity_rank = ?"}, []any{sev.Code, sev.Rank}); err != nil {
			return err
		}
	}
	if p.Category != nil {
		c, err := tx.category(ctx, *p.Category)
		if err != nil {
			return err
		}
		if err := change("category", t.Category, c.Code, []string{"category = ?"}, []any{c.Code}); err != nil {
			return err
		}
	}
	if p.Type != nil {
		if !p.Type.Valid() {
			return opsdesk.Invalid("type", "must be incident, service_request, access_request or evolution")
		}
		if err := change("type", string(t.Type), string(*p.Type), []string{"type = ?"}, []any{*p.Type}); err != nil {
			return err
		}
	}
	if p.EnvironmentID != nil {
		old, newName, err := tx.environmentChange(ctx, t, *p.EnvironmentID)
		if err != nil {
			return err
		}
		if err := change("environment", old, newName, []string{"environment_id = ?"}, []any{nullID(*p.EnvironmentID)}); err != nil {
			return err
		}
	}
	if p.AssigneeID != nil {
		if err := tx.assign(ctx, t, *p.AssigneeID, p.Reason); err != nil {
			return err
		}
	}
	if p.Status == nil || (*p.Status == t.Status && !onlyStatus(p)) {
		return nil
	}
	if *p.Status == opsdesk.StatusResolved {
		return tx.resolve(ctx, t, p) // a summary and a cause, and the knowledge-base rule
	}
	return tx.setStatus(ctx, t, *p.Status, p.Reason) // asking for the current status alone is a conflict
}

func onlyStatus(p opsdesk.TicketPatch) bool {
	p.Status = nil
	return p.Empty()
}

func (tx *Tx) environmentChange(ctx context.Context, t *opsdesk.Ticket, id int64) (old, new string, err error) {
	old = t.EnvName
	if id == 0 {
		return old, "", nil
	}
	var owner int64
	err = tx.queryRow(ctx, `SELECT customer_id, name FROM environments WHERE id = ?`, id).Scan(&owner, &new)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != t.CustomerID) {
		return "", "", opsdesk.Invalid("environment", "is not an environment of %s", t.CustomerCode)
	}
	return old, new, err
}

// assign gives the ticket to an agent of its level (0 unassigns).
func (tx *Tx) assign(ctx context.Context, t *opsdesk.Ticket, userID int64, reason string) error {
	if userID == t.AssigneeID {
		return nil
	}
	newLabel := ""
	if userID != 0 {
		u, err := tx.userByID(ctx, userID)
		if err != nil {
			return opsdesk.Invalid("assignee", "no such user")
		}
		if u.Role != opsdesk.RoleAgent || u.Disabled {
			return opsdesk.Invalid("assignee", "%s is not an active agent", u.Email)
		}
		if u.Level != t.Level {
			return opsdesk.Invalid("assignee", "%s works at %s; %s is at %s: escalate it first", u.Email, u.Level, t.Key, t.Level)
		}
		newLabel = u.Email
	}
	oldLabel := ""
	if t.AssigneeID != 0 {
		if u, err := tx.userByID(ctx, t.AssigneeID); err == nil {
			oldLabel = u.Email
		}
	}
	if err := tx.updateTicket(ctx, t.ID, []string{"assignee_id = ?"}, []any{nullID(userID)}); err != nil {
		return err
	}
	t.AssigneeID = userID
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: "assignee", Old: oldLabel, New: newLabel, Reason: reason}); err != nil {
		return err
	}
	return tx.emit(ctx, opsdesk.TicketUpdated, t, 0, false)
}

// Take assigns a ticket to the agent calling it and takes it in charge (new → open). Errors:
// forbidden (not an agent), not found, invalid (the ticket is at another level).
func (d *DB) Take(ctx context.Context, key string) (*opsdesk.Ticket, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role != opsdesk.RoleAgent {
		return nil, opsdesk.Forbidden("only agents take tickets")
	}
	err := d.inTx(ctx, "store.Take", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		if !t.Status.Active() {
			return opsdesk.Conflict("status", "%s is %s", t.Key, t.Status)
		}
		if err := tx.assign(ctx, t, a.UserID, "taken"); err != nil {
			return err
		}
		if t.Status == opsdesk.StatusNew {
			return tx.setStatus(ctx, t, opsdesk.StatusOpen, "taken in charge")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	return d.TicketByKey(ctx, key)
}

// Escalate moves a ticket to another support level — up (escalation) or down — for a stated
// reason. The level must be one the customer's contract provides; an assignee of another level
// is released, and the ticket joins the new level's queue. Errors: invalid (level, reason),
// forbidden, not found, conflict (level not in the contract, or already there).
func (d *DB) Escalate(ctx context.Context, key string, to opsdesk.Level, reason string) (*opsdesk.Ticket, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team escalates")
	}
	to, ok := opsdesk.ParseLevel(string(to))
	if !ok {
		return nil, opsdesk.Invalid("level", "must be N1, N2 or N3")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, opsdesk.Invalid("reason", "is required: say why the ticket changes level")
	}
	err := d.inTx(ctx, "store.Escalate", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		if !t.Status.Active() {
			return opsdesk.Conflict("status", "%s is %s: reopen it first", t.Key, t.Status)
		}
		if t.Level == to {
			return opsdesk.Conflict("level", "%s is already at %s", t.Key, to)
		}
		c, err := tx.contract(ctx, t.CustomerID)
		if err != nil {
			return err
		}
		if c != nil && !c.Provides(to) {
			provided := make([]string, len(c.Levels))
			for i, l := range c.Levels {
				provided[i] = string(l)
			}
			return opsdesk.Conflict("level", "the contract of %s does not provide %s (it provides %s)", t.CustomerCode, to, strings.Join(provided, ", "))
		}
		return tx.moveLevel(ctx, t, to, reason)
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	return d.TicketByKey(ctx, key)
}

// moveLevel moves a ticket to another support level: an assignee of the old level is released,
// the move is recorded with its reason, and announced. Callers check the contract first.
func (tx *Tx) moveLevel(ctx context.Context, t *opsdesk.Ticket, to opsdesk.Level, reason string) error {
	if t.AssigneeID != 0 {
		if err := tx.assign(ctx, t, 0, fmt.Sprintf("released: moved to %s", to)); err != nil {
			return err
		}
	}
	if err := tx.updateTicket(ctx, t.ID, []string{"level = ?"}, []any{to}); err != nil {
		return err
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventEscalation, Field: "level", Old: string(t.Level), New: string(to), Reason: reason}); err != nil {
		return err
	}
	return tx.emit(ctx, opsdesk.TicketEscalated, t, 0, false)
}
