package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// actionRecord is a corrective or preventive action as the API shows it (docs/capa.md). A
// customer's token reads only its own customer's open, in-progress and done actions, and only
// their id, kind, title, customer, due day, status and dates: the other fields come back empty.
type actionRecord struct {
	ID          int64   `json:"id"`
	Kind        string  `json:"kind" enum:"corrective,preventive"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Source      string  `json:"source" enum:"problem,sla_breach,survey,audit,probe,quality_target,manual" doc:"empty for a customer's token"`
	SourceID    int64   `json:"source_id" doc:"the problem, ticket, survey, project task or quality target id; 0 for manual"`
	SourceClock string  `json:"source_clock" doc:"the breached clock of an sla_breach"`
	Suggested   bool    `json:"suggested" doc:"made by the suggestion job rather than entered by a person"`
	Customer    *string `json:"customer" doc:"the customer's code, null for an action of the vendor's own"`
	Owner       *string `json:"owner" doc:"the owner's email, null when nobody owns it"`
	DueDay      string  `json:"due_day" format:"date" doc:"YYYY-MM-DD, empty when none"`
	CheckDay    string  `json:"check_day" doc:"YYYY-MM-DD from which the effectiveness check is due, empty when none"`
	Status      string  `json:"status" enum:"proposed,open,in_progress,done,cancelled,rejected"`
	Reason      string  `json:"reason" doc:"why it was rejected or cancelled"`
	ClosedAt    *string `json:"closed_at" format:"date-time" doc:"set on done and cancelled"`
	ClosedBy    string  `json:"closed_by"`
	Effective   *bool   `json:"effective" doc:"the effectiveness check: false when the cause recurred, null until checked"`
	CheckNote   string  `json:"check_note"`
	CheckedAt   *string `json:"checked_at" format:"date-time"`
	CheckedBy   string  `json:"checked_by"`
	CreatedBy   string  `json:"created_by"`
	CreatedAt   string  `json:"created_at" format:"date-time"`
	UpdatedAt   string  `json:"updated_at" format:"date-time"`
}

// actionChange is one line of an action's history.
type actionChange struct {
	At     string `json:"at" format:"date-time"`
	By     string `json:"by"`
	Change string `json:"change" doc:"created, suggested, edited, status:<to>, checked:effective, checked:recurred"`
	Note   string `json:"note"`
}

// actionDetail is the answer of GET /actions/{id}.
type actionDetail struct {
	Action  actionRecord   `json:"action"`
	History []actionChange `json:"history" doc:"oldest first; empty for a customer's token"`
}

// actionCounts counts the listed actions by status (whatever the status filters), and those overdue.
type actionCounts struct {
	ByStatus actionStatusCounts `json:"by_status"`
	Overdue  int                `json:"overdue" doc:"open or in progress with a due day before today"`
}

// actionStatusCounts is how many actions are in each status.
type actionStatusCounts struct {
	Proposed   int `json:"proposed"`
	Open       int `json:"open"`
	InProgress int `json:"in_progress"`
	Done       int `json:"done"`
	Cancelled  int `json:"cancelled"`
	Rejected   int `json:"rejected"`
}

// actionList is the answer of GET /actions.
type actionList struct {
	Items  []actionRecord `json:"items"`
	Counts actionCounts   `json:"counts"`
}

// newAction is the body of POST /actions.
type newAction struct {
	Kind        string `json:"kind" required:"true" enum:"corrective,preventive"`
	Title       string `json:"title" required:"true"`
	Description string `json:"description"`
	Source      string `json:"source" enum:"problem,sla_breach,survey,audit,probe,quality_target,manual" doc:"default manual"`
	SourceID    int64  `json:"source_id" doc:"required unless the source is manual"`
	SourceClock string `json:"source_clock" doc:"required for sla_breach: take_charge, workaround or resolve"`
	Customer    string `json:"customer" doc:"customer code; default: the source record's customer, if it is one customer's"`
	Owner       string `json:"owner" doc:"email of a member of the vendor's team, or me"`
	DueDay      string `json:"due_day" doc:"YYYY-MM-DD"`
	CheckDay    string `json:"check_day" doc:"YYYY-MM-DD"`
}

// actionNames turns the ids of actions into customer codes and owner emails, once per id.
type actionNames struct {
	a         *API
	ctx       context.Context
	customers map[int64]*string
	owners    map[int64]*string
}

func (a *API) actionNames(ctx context.Context) *actionNames {
	return &actionNames{a: a, ctx: ctx, customers: map[int64]*string{}, owners: map[int64]*string{}}
}

func (n *actionNames) record(x *opsdesk.Action) actionRecord {
	r := actionRecord{ID: x.ID, Kind: string(x.Kind), Title: x.Title, Description: x.Description, Source: string(x.Source),
		SourceID: x.SourceID, SourceClock: x.SourceClock, Suggested: x.SuggestKey != "", DueDay: x.DueDay, CheckDay: x.CheckDay,
		Status: string(x.Status), Reason: x.Reason, ClosedAt: apijson.Time(x.ClosedAt), ClosedBy: x.ClosedBy,
		Effective: x.Effective, CheckNote: x.CheckNote, CheckedAt: apijson.Time(x.CheckedAt), CheckedBy: x.CheckedBy,
		CreatedBy: x.CreatedBy, CreatedAt: apijson.Stamp(x.CreatedAt), UpdatedAt: apijson.Stamp(x.UpdatedAt)}
	if x.CustomerID != 0 {
		if _, ok := n.customers[x.CustomerID]; !ok {
			if c, err := n.a.db.CustomerByID(n.ctx, x.CustomerID); err == nil {
				n.customers[x.CustomerID] = &c.Code
			} else {
				n.customers[x.CustomerID] = nil
			}
		}
		r.Customer = n.customers[x.CustomerID]
	}
	if x.OwnerID != 0 {
		if _, ok := n.owners[x.OwnerID]; !ok {
			if u, err := n.a.db.UserByID(n.ctx, x.OwnerID); err == nil {
				n.owners[x.OwnerID] = &u.Email
			} else {
				n.owners[x.OwnerID] = nil
			}
		}
		r.Owner = n.owners[x.OwnerID]
	}
	return r
}

// actionID reads the {id} of an action path.
func actionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, opsdesk.NotFound("no action %q", r.PathValue("id"))
	}
	return id, nil
}

// staffWrites refuses a customer's token: customers read their actions, never write them.
func staffWrites(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team records actions")
	}
	return nil
}

func (a *API) listActions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := a.actionFilter(ctx, r)
	if err != nil {
		return err
	}
	list, err := a.db.ListActions(ctx, f)
	if err != nil {
		return err
	}
	counts, err := a.db.CountActions(ctx, f)
	if err != nil {
		return err
	}
	names := a.actionNames(ctx)
	by := counts.ByStatus
	out := actionList{Items: make([]actionRecord, 0, len(list)), Counts: actionCounts{Overdue: counts.Overdue,
		ByStatus: actionStatusCounts{Proposed: by[opsdesk.ActionProposed], Open: by[opsdesk.ActionOpen],
			InProgress: by[opsdesk.ActionInProgress], Done: by[opsdesk.ActionDone], Cancelled: by[opsdesk.ActionCancelled],
			Rejected: by[opsdesk.ActionRejected]}}}
	for _, x := range list {
		out.Items = append(out.Items, names.record(x))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := actionID(r)
	if err != nil {
		return err
	}
	x, err := a.db.Action(ctx, id)
	if err != nil {
		return err
	}
	out := actionDetail{Action: a.actionNames(ctx).record(x), History: []actionChange{}}
	if opsdesk.ActorFrom(ctx).IsStaff() {
		hist, err := a.db.ActionHistory(ctx, id)
		if err != nil {
			return err
		}
		for _, h := range hist {
			out.History = append(out.History, actionChange{At: apijson.Stamp(h.At), By: h.By, Change: h.Change, Note: h.Note})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := staffWrites(ctx); err != nil {
		return err
	}
	var in newAction
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	x := &opsdesk.Action{Kind: opsdesk.ActionKind(in.Kind), Title: in.Title, Description: in.Description,
		Source: opsdesk.ActionSource(in.Source), SourceID: in.SourceID, SourceClock: in.SourceClock, DueDay: in.DueDay, CheckDay: in.CheckDay}
	if x.Source == "" {
		x.Source = opsdesk.SourceManual
	}
	if s := strings.TrimSpace(in.Customer); s != "" {
		c, err := a.customerRef(ctx, s)
		if err != nil {
			return invalidRef(err, "customer")
		}
		x.CustomerID = c.ID
	}
	if s := strings.TrimSpace(in.Owner); s != "" {
		id, err := a.ownerID(ctx, s)
		if err != nil {
			return err
		}
		x.OwnerID = id
	}
	if err := a.db.CreateAction(ctx, x); err != nil {
		return err
	}
	return created(w, Prefix+"/actions/"+strconv.FormatInt(x.ID, 10), a.actionNames(ctx).record(x))
}

// invalidRef turns a reference in a body that names nothing into 422 on its field.
func invalidRef(err error, field string) error {
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return opsdesk.Invalid(field, "%s", opsdesk.ErrorMessage(err))
	}
	return err
}
