package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// nullable is a JSON value of a PATCH that may be absent (leave the field), null (clear it) or
// a string (set it); a number is read as its decimal string, for ids.
type nullable struct {
	set, null bool
	value     string
}

// UnmarshalJSON reads null, a string or a number.
func (n *nullable) UnmarshalJSON(b []byte) error {
	n.set = true
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return &json.UnmarshalTypeError{Value: "nothing", Type: reflect.TypeFor[string]()}
	case string(b) == "null":
		n.null = true
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &n.value)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		n.value = string(b)
		return nil
	}
	kind := map[byte]string{'{': "object", '[': "array", 't': "bool", 'f': "bool"}[b[0]]
	return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeFor[string]()}
}

// ticketPatch is the body of PATCH /tickets/{number}; absent fields are left as they are.
type ticketPatch struct {
	Status      *string  `json:"status" enum:"new,open,waiting_customer,resolved,closed"`
	Severity    *string  `json:"severity"`
	Assignee    nullable `json:"assignee" doc:"email of an agent of the ticket's level; null unassigns"`
	Category    *string  `json:"category"`
	Environment nullable `json:"environment" doc:"an environment kind, id or name of the ticket's customer; null clears"`
	Type        *string  `json:"type" enum:"incident,service_request,access_request,evolution"`
	Reason      string   `json:"reason" doc:"why, kept in the history"`
	// With status resolved only (docs/followup.md).
	Resolution   *string `json:"resolution" doc:"required with status resolved: what was done, in words the requester reads (public)"`
	Cause        *string `json:"cause" doc:"required with status resolved: an active cause code (GET /cause-codes); internal"`
	DraftArticle bool    `json:"draft_article" doc:"with status resolved: create a draft knowledge-base article from the ticket and link it (how a severity that requires an article is satisfied when none is linked)"`
}

// escalation is the body of POST /tickets/{number}/escalate.
type escalation struct {
	Level  string `json:"level" required:"true" enum:"N1,N2,N3"`
	Reason string `json:"reason" required:"true" doc:"required: why the ticket changes level"`
}

func (a *API) patchTicket(w http.ResponseWriter, r *http.Request) error {
	var in ticketPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	p := opsdesk.TicketPatch{Severity: in.Severity, Category: in.Category, Reason: in.Reason}
	if in.Status != nil {
		p.Status = (*opsdesk.Status)(in.Status)
	}
	if in.Type != nil {
		p.Type = (*opsdesk.TicketType)(in.Type)
	}
	if in.Resolution != nil || in.Cause != nil || in.DraftArticle {
		p.Resolution = &opsdesk.Resolution{Summary: deref(in.Resolution), Cause: deref(in.Cause), DraftArticle: in.DraftArticle}
	}
	// A customer may not change these: the store refuses, so their values need no reading.
	staff := opsdesk.ActorFrom(ctx).IsStaff()
	if in.Assignee.set {
		var id int64
		if staff && !in.Assignee.null {
			if id, err = a.agentID(ctx, in.Assignee.value, "assignee"); err != nil {
				return err
			}
		}
		p.AssigneeID = &id
	}
	if in.Environment.set {
		var id int64
		if staff && !in.Environment.null {
			if id, err = a.environmentRef(ctx, t.CustomerID, in.Environment.value, "environment"); err != nil {
				return err
			}
		}
		p.EnvironmentID = &id
	}
	if t, err = a.db.UpdateTicket(ctx, t.Key, p); err != nil {
		return err
	}
	return a.writeTicket(w, r, http.StatusOK, t)
}

func (a *API) takeTicket(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number")) // another organisation's: 404, not 403
	if err != nil {
		return err
	}
	if t, err = a.db.Take(ctx, t.Key); err != nil {
		return err
	}
	return a.writeTicket(w, r, http.StatusOK, t)
}

func (a *API) escalateTicket(w http.ResponseWriter, r *http.Request) error {
	var in escalation
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	if t, err = a.db.Escalate(ctx, t.Key, opsdesk.Level(in.Level), in.Reason); err != nil {
		return err
	}
	return a.writeTicket(w, r, http.StatusOK, t)
}
