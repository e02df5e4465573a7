package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// newTicket is the body of POST /tickets.
type newTicket struct {
	Customer    string `json:"customer" doc:"customer code or id; a customer's token may omit it (its own organisation)"`
	Requester   string `json:"requester" doc:"email of the requesting contact; a customer's token files as itself"`
	Environment string `json:"environment" doc:"an environment kind of the customer (test, preprod, prod), or an environment id or name"`
	Severity    string `json:"severity" required:"true"`
	Category    string `json:"category" required:"true"`
	Subject     string `json:"subject" required:"true"`
	Description string `json:"description" required:"true"`
	Impact      string `json:"impact" doc:"required for a blocking severity"`
	Type        string `json:"type" enum:"incident,service_request,access_request,evolution"`
}

// ticketList is a page of tickets.
type ticketList struct {
	Items      []apijson.Ticket `json:"items"`
	NextCursor *string          `json:"next_cursor" doc:"pass as cursor to read the next page, with the same filters and sort; null on the last page"`
}

// ticketJSON converts tickets for the answer; the cause code is internal, left out for customers.
func (a *API) ticketJSON(ctx context.Context, ts ...*opsdesk.Ticket) []apijson.Ticket {
	staff := opsdesk.ActorFrom(ctx).IsStaff()
	out := make([]apijson.Ticket, len(ts))
	for i, t := range ts {
		out[i] = apijson.TicketOf(t, a.cfg.BaseURL)
		if !staff {
			out[i].Cause = nil
		}
	}
	return out
}

// writeTicket answers one ticket.
func (a *API) writeTicket(w http.ResponseWriter, r *http.Request, status int, t *opsdesk.Ticket) error {
	j := a.ticketJSON(r.Context(), t)
	if status == http.StatusCreated {
		return created(w, Prefix+"/tickets/"+t.Key, j[0])
	}
	return writeJSON(w, status, j[0])
}

// customerRef finds a customer by code or id, as the caller may see it. Errors: not found.
func (a *API) customerRef(ctx context.Context, ref string) (*opsdesk.Customer, error) {
	c, err := a.db.CustomerByCode(ctx, ref)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
			c, err = a.db.CustomerByID(ctx, id)
		}
	}
	return c, withField(err, "customer")
}

// environmentRef finds a customer's environment named by kind (the active one of that kind
// first), id or name; "" is no environment. Errors: invalid naming field.
func (a *API) environmentRef(ctx context.Context, customerID int64, ref, field string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, nil
	}
	envs, err := a.db.ListEnvironments(ctx, customerID)
	if err != nil {
		return 0, err
	}
	if kind := opsdesk.EnvKind(strings.ToLower(ref)); kind.Valid() {
		var other int64 // one of that kind in maintenance or retired, if no active one
		for _, e := range envs {
			if e.Kind != kind {
				continue
			}
			if e.Status == opsdesk.EnvActive {
				return e.ID, nil
			}
			if other == 0 {
				other = e.ID
			}
		}
		if other != 0 {
			return other, nil
		}
		return 0, opsdesk.Invalid(field, "the customer has no %s environment", kind)
	}
	for _, e := range envs {
		if strconv.FormatInt(e.ID, 10) == ref || strings.EqualFold(e.Name, ref) {
			return e.ID, nil
		}
	}
	return 0, opsdesk.Invalid(field, "%q is not an environment of this customer", ref)
}

func (a *API) createTicket(w http.ResponseWriter, r *http.Request) error {
	var in newTicket
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	n := &opsdesk.NewTicket{RequesterEmail: in.Requester, Category: in.Category, Type: opsdesk.TicketType(in.Type),
		Severity: in.Severity, Subject: in.Subject, Description: in.Description, Impact: in.Impact, Channel: opsdesk.ChannelAPI}
	actor := opsdesk.ActorFrom(ctx)
	switch {
	case strings.TrimSpace(in.Customer) != "":
		c, err := a.customerRef(ctx, strings.TrimSpace(in.Customer))
		if err != nil {
			return err
		}
		n.CustomerID = c.ID
	case actor.IsCustomer():
		n.CustomerID = actor.CustomerID
	default:
		return opsdesk.Invalid("customer", "is required: a customer code or id")
	}
	env, err := a.environmentRef(ctx, n.CustomerID, in.Environment, "environment")
	if err != nil {
		return err
	}
	n.EnvironmentID = env
	t, err := a.db.CreateTicket(ctx, n)
	if err != nil {
		return err
	}
	return a.writeTicket(w, r, http.StatusCreated, t)
}

func (a *API) getTicket(w http.ResponseWriter, r *http.Request) error {
	t, err := a.db.TicketByKey(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	return a.writeTicket(w, r, http.StatusOK, t)
}
