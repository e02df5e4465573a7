package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// problemRecord is a problem as the API shows it (staff only: customers never see problems).
type problemRecord struct {
	ID          int64   `json:"id"`
	Key         string  `json:"key" doc:"human number, e.g. PRB-12; the API's paths take the id or the key"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	RootCause   string  `json:"root_cause"`
	Workaround  string  `json:"workaround" doc:"how to work around the cause; required for a known error"`
	Status      string  `json:"status" enum:"open,known_error,resolved,closed"`
	Owner       *string `json:"owner" doc:"the owner's email, null when nobody owns it"`
	CreatedBy   string  `json:"created_by"`
	CreatedAt   string  `json:"created_at" format:"date-time"`
	UpdatedAt   string  `json:"updated_at" format:"date-time"`
	ResolvedAt  *string `json:"resolved_at" format:"date-time"`
	Version     int64   `json:"version"`
	Tickets     int     `json:"tickets" doc:"number of linked tickets"`
	OpenTickets int     `json:"open_tickets" doc:"number of linked tickets still active (new, open, waiting_customer)"`
}

// newProblem is the body of POST /problems.
type newProblem struct {
	Title       string `json:"title" required:"true"`
	Description string `json:"description"`
	RootCause   string `json:"root_cause"`
	Workaround  string `json:"workaround" doc:"required when status is known_error"`
	Status      string `json:"status" enum:"open,known_error" doc:"default open"`
	Owner       string `json:"owner" doc:"email of a member of the vendor's team, or me"`
}

// problemPatch is the body of PATCH /problems/{id}; absent fields are left as they are.
type problemPatch struct {
	Title       *string  `json:"title"`
	Description *string  `json:"description"`
	RootCause   *string  `json:"root_cause"`
	Workaround  *string  `json:"workaround"`
	Status      *string  `json:"status" enum:"open,known_error,resolved,closed" doc:"resolved here notifies nobody: POST /problems/{id}/resolve does"`
	Owner       nullable `json:"owner" doc:"email of a member of the vendor's team, or me; null clears"`
}

// problemTicket is a ticket linked to a problem.
type problemTicket struct {
	Ticket            apijson.Ticket `json:"ticket"`
	LinkedBy          string         `json:"linked_by"`
	LinkedAt          string         `json:"linked_at" format:"date-time"`
	NotifiedMessageID *int64         `json:"notified_message_id" doc:"the public message the problem's resolution posted on the ticket, null if none"`
}

// problemLink is the body of POST /problems/{id}/tickets.
type problemLink struct {
	Ticket string `json:"ticket" required:"true" doc:"the ticket's number, e.g. OPS-12"`
}

// problemResolve is the body of POST /problems/{id}/resolve.
type problemResolve struct {
	Notify  bool   `json:"notify" doc:"post message as a public reply on every active linked ticket not told yet (its requester is mailed)"`
	Message string `json:"message" doc:"required when notify is true"`
}

// problemResolution is the answer of POST /problems/{id}/resolve.
type problemResolution struct {
	Problem  problemRecord `json:"problem"`
	Notified []string      `json:"notified" doc:"the tickets the message was posted on, by number; a retry lists none already told"`
}

func problemJSON(p *opsdesk.Problem) problemRecord {
	r := problemRecord{ID: p.ID, Key: p.Key, Title: p.Title, Description: p.Description, RootCause: p.RootCause,
		Workaround: p.Workaround, Status: string(p.Status), CreatedBy: p.CreatedBy, CreatedAt: apijson.Stamp(p.CreatedAt),
		UpdatedAt: apijson.Stamp(p.UpdatedAt), ResolvedAt: apijson.Time(p.ResolvedAt), Version: p.Version,
		Tickets: p.Tickets, OpenTickets: p.OpenTickets}
	if p.OwnerMail != "" {
		r.Owner = &p.OwnerMail
	}
	return r
}

// problemID reads the {id} of a problem path: 12 or PRB-12.
func problemID(r *http.Request) (int64, error) {
	id, ok := opsdesk.ParseProblemID(r.PathValue("id"))
	if !ok {
		return 0, opsdesk.NotFound("no problem %q", r.PathValue("id"))
	}
	return id, nil
}

// ownerID reads the owner of a problem: an email or "me".
func (a *API) ownerID(ctx context.Context, v string) (int64, error) {
	if strings.EqualFold(strings.TrimSpace(v), "me") {
		return opsdesk.ActorFrom(ctx).UserID, nil
	}
	return a.agentID(ctx, v, "owner")
}

func (a *API) listProblems(w http.ResponseWriter, r *http.Request) error {
	var f opsdesk.ProblemFilter
	for _, s := range strings.Split(r.URL.Query().Get("status"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			f.Statuses = append(f.Statuses, opsdesk.ProblemStatus(s))
		}
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	f.Limit = limit
	ps, err := a.db.ListProblems(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ps, problemJSON))
}

func (a *API) createProblem(w http.ResponseWriter, r *http.Request) error {
	var in newProblem
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p := &opsdesk.Problem{Title: in.Title, Description: in.Description, RootCause: in.RootCause, Workaround: in.Workaround,
		Status: opsdesk.ProblemStatus(in.Status)}
	if in.Owner != "" && opsdesk.ActorFrom(r.Context()).IsStaff() {
		id, err := a.ownerID(r.Context(), in.Owner)
		if err != nil {
			return err
		}
		p.OwnerID = id
	}
	if err := a.db.CreateProblem(r.Context(), p); err != nil {
		return err
	}
	return created(w, Prefix+"/problems/"+strconv.FormatInt(p.ID, 10), problemJSON(p))
}

func (a *API) getProblem(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	p, err := a.db.ProblemByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, problemJSON(p))
}

func (a *API) patchProblem(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	var in problemPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p := opsdesk.ProblemPatch{Title: in.Title, Description: in.Description, RootCause: in.RootCause, Workaround: in.Workaround}
	if in.Status != nil {
		s := opsdesk.ProblemStatus(*in.Status)
		p.Status = &s
	}
	if in.Owner.set && opsdesk.ActorFrom(r.Context()).IsStaff() {
		var owner int64
		if !in.Owner.null {
			if owner, err = a.ownerID(r.Context(), in.Owner.value); err != nil {
				return err
			}
		}
		p.OwnerID = &owner
	}
	out, err := a.db.UpdateProblem(r.Context(), id, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, problemJSON(out))
}

func (a *API) problemTickets(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	ls, err := a.db.ProblemTickets(r.Context(), id)
	if err != nil {
		return err
	}
	out := items[problemTicket]{Items: []problemTicket{}}
	for _, l := range ls {
		pt := problemTicket{Ticket: apijson.TicketOf(l.Ticket, a.cfg.BaseURL), LinkedBy: l.LinkedBy, LinkedAt: apijson.Stamp(l.LinkedAt)}
		if l.NotifiedMessageID != 0 {
			pt.NotifiedMessageID = &l.NotifiedMessageID
		}
		out.Items = append(out.Items, pt)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) linkProblemTicket(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	var in problemLink
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Ticket) == "" {
		return opsdesk.Invalid("ticket", "is required: the ticket's number")
	}
	p, err := a.db.LinkTicket(r.Context(), id, in.Ticket)
	if err != nil {
		return err
	}
	return created(w, Prefix+"/problems/"+strconv.FormatInt(p.ID, 10)+"/tickets", problemJSON(p))
}

func (a *API) unlinkProblemTicket(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	if _, err := a.db.UnlinkTicket(r.Context(), id, r.PathValue("number")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) resolveProblem(w http.ResponseWriter, r *http.Request) error {
	id, err := problemID(r)
	if err != nil {
		return err
	}
	var in problemResolve
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	res, err := a.db.ResolveProblem(r.Context(), id, in.Notify, in.Message)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, problemResolution{Problem: problemJSON(res.Problem), Notified: res.Notified})
}
