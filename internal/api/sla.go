package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// slaClock is one SLA clock of a ticket. It has the fields of store.SLAClock (it is converted
// from it, so the two cannot drift apart) with the descriptions the OpenAPI document shows.
type slaClock struct {
	Clock            string  `json:"clock" enum:"take_charge,workaround,resolve"`
	TargetSeconds    *int64  `json:"target_seconds" doc:"the target in business seconds; null: no commitment for this clock"`
	Deadline         *string `json:"deadline" format:"date-time" doc:"the instant the target is (or was) exceeded; null when paused, met or without target"`
	WarnAt           *string `json:"warn_at" format:"date-time" doc:"the instant the warning share of the target is (or was) reached"`
	ElapsedSeconds   int64   `json:"elapsed_seconds" doc:"business seconds counted"`
	RemainingSeconds *int64  `json:"remaining_seconds" doc:"target - elapsed, negative once breached; null without target"`
	PausedSeconds    int64   `json:"paused_seconds" doc:"business seconds spent in pausing statuses (waiting_customer)"`
	State            string  `json:"state" enum:"ok,at_risk,breached,none"`
	Running          bool    `json:"running" doc:"counting now"`
	Stopped          bool    `json:"stopped" doc:"stopped for good: met or breached"`
	StoppedAt        *string `json:"stopped_at" format:"date-time" doc:"when it stopped for good"`
	Calendar         string  `json:"calendar" doc:"name of the business calendar counted in"`
}

// ticketClocks is the answer of GET /tickets/{number}/sla.
type ticketClocks struct {
	Ticket string     `json:"ticket" doc:"the ticket's number"`
	Clocks []slaClock `json:"clocks" doc:"take_charge, workaround and resolve, in that order"`
}

// newWorkaround is the body of POST /tickets/{number}/workaround.
type newWorkaround struct {
	Text string `json:"text" required:"true" doc:"how to get around the problem; the customer gets it as a public message"`
}

// ticketSLA answers a ticket's SLA clocks, evaluated now with the API's SLA options. Customers
// read their own organisation's tickets only (the store answers not found for others).
func (a *API) ticketSLA(w http.ResponseWriter, r *http.Request) error {
	key := strings.ToUpper(strings.TrimSpace(r.PathValue("number")))
	clocks, err := a.db.TicketSLA(r.Context(), key, a.sla)
	if err != nil {
		return err
	}
	out := ticketClocks{Ticket: key, Clocks: make([]slaClock, len(clocks))}
	for i, c := range clocks {
		out.Clocks[i] = slaClock(c)
	}
	return writeJSON(w, http.StatusOK, out)
}

// recordWorkaround records a workaround (staff): it stops the work-around clock and posts the
// text to the customer. The answer is the message, as POST /messages gives it.
func (a *API) recordWorkaround(w http.ResponseWriter, r *http.Request) error {
	var in newWorkaround
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number")) // another organisation's: 404, not 403
	if err != nil {
		return err
	}
	m, err := a.db.RecordWorkaround(ctx, t.Key, in.Text)
	if err != nil {
		return renameField(err, func(f string) string {
			if f == "workaround" {
				return "text"
			}
			return f
		})
	}
	return writeJSON(w, http.StatusCreated, apijson.MessageOf(m, t.Key, a.cfg.BaseURL))
}

// renameField gives a domain error the name its input has in the request body, keeping its kind
// and message.
func renameField(err error, rename func(string) string) error {
	var e *opsdesk.Error
	if errors.As(err, &e) && e.Field != "" {
		c := *e
		c.Field = rename(e.Field)
		return &c
	}
	return err
}
