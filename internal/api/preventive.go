package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// preventiveSchedule is a schedule of recurring preventive work as the API shows it
// (docs/plan.md "Preventive work"). A customer's token reads its own organisation's schedules
// only, without description, assignee and estimate.
type preventiveSchedule struct {
	ID            int64   `json:"id"`
	Kind          string  `json:"kind" enum:"audit,performance_review,certificate_renewal,access_review"`
	Title         string  `json:"title"`
	Description   string  `json:"description"`
	Customer      *string `json:"customer" doc:"the customer's code, null for the vendor's own platform"`
	Environment   int64   `json:"environment_id" doc:"an environment of that customer, 0 when none"`
	Every         int     `json:"every"`
	Unit          string  `json:"unit" enum:"weeks,months"`
	FirstDay      string  `json:"first_day" format:"date"`
	PlannedFrom   string  `json:"planned_from" format:"date" doc:"occurrences are made from this day on (creation or last change of recurrence)"`
	EstimateHours float64 `json:"estimate_hours"`
	Assignee      *string `json:"assignee" doc:"the assignee's email, null when none"`
	Level         string  `json:"level" enum:"N1,N2,N3"`
	Active        bool    `json:"active"`
	CreatedAt     string  `json:"created_at" format:"date-time"`
	UpdatedAt     string  `json:"updated_at" format:"date-time"`
}

// preventiveTask is one occurrence of a schedule. A customer's token reads its own
// organisation's occurrences only: id, schedule, ref, kind, title, due day and status.
type preventiveTask struct {
	ID            int64   `json:"id"`
	Ref           string  `json:"ref" doc:"PV-{id}, as the plan shows it"`
	Schedule      int64   `json:"schedule_id"`
	Kind          string  `json:"kind" enum:"audit,performance_review,certificate_renewal,access_review"`
	Title         string  `json:"title"`
	DueDay        string  `json:"due_day" format:"date" doc:"a business day of the customer's calendar"`
	Status        string  `json:"status" enum:"todo,in_progress,done,skipped"`
	Customer      *string `json:"customer" doc:"the customer's code, null for the vendor's own platform"`
	Level         string  `json:"level"`
	Assignee      *string `json:"assignee" doc:"the assignee's email, null when none"`
	EstimateHours float64 `json:"estimate_hours"`
	DoneAt        *string `json:"done_at" format:"date-time" doc:"when it was done or skipped"`
	DoneBy        string  `json:"done_by"`
	Note          string  `json:"note"`
}

// preventiveNames turns customer and user ids into codes and emails, once per id.
type preventiveNames struct {
	a         *API
	ctx       context.Context
	customers map[int64]*string
	users     map[int64]*string
}

func (a *API) preventiveNames(ctx context.Context) *preventiveNames {
	return &preventiveNames{a: a, ctx: ctx, customers: map[int64]*string{}, users: map[int64]*string{}}
}

func (n *preventiveNames) customer(id int64) *string {
	if id == 0 {
		return nil
	}
	if v, ok := n.customers[id]; ok {
		return v
	}
	if c, err := n.a.db.CustomerByID(n.ctx, id); err == nil {
		n.customers[id] = &c.Code
	} else {
		n.customers[id] = nil
	}
	return n.customers[id]
}

func (n *preventiveNames) user(id int64) *string {
	if id == 0 {
		return nil
	}
	if v, ok := n.users[id]; ok {
		return v
	}
	if u, err := n.a.db.UserByID(n.ctx, id); err == nil {
		n.users[id] = &u.Email
	} else {
		n.users[id] = nil
	}
	return n.users[id]
}

func (n *preventiveNames) schedule(s *opsdesk.PreventiveSchedule) preventiveSchedule {
	return preventiveSchedule{ID: s.ID, Kind: string(s.Kind), Title: s.Title, Description: s.Description,
		Customer: n.customer(s.CustomerID), Environment: s.EnvironmentID, Every: s.Every, Unit: string(s.Unit),
		FirstDay: s.FirstDay, PlannedFrom: s.PlannedFrom, EstimateHours: s.EstimateHours, Assignee: n.user(s.AssigneeID),
		Level: string(s.Level), Active: s.Active, CreatedAt: apijson.Stamp(s.CreatedAt), UpdatedAt: apijson.Stamp(s.UpdatedAt)}
}

func (n *preventiveNames) task(t *opsdesk.PreventiveTask) preventiveTask {
	return preventiveTask{ID: t.ID, Ref: store.PreventiveRef(t.ID), Schedule: t.ScheduleID, Kind: string(t.Kind),
		Title: t.Title, DueDay: t.DueDay, Status: string(t.Status), Customer: n.customer(t.CustomerID),
		Level: string(t.Level), Assignee: n.user(t.AssigneeID), EstimateHours: t.EstimateHours,
		DoneAt: apijson.Time(t.DoneAt), DoneBy: t.DoneBy, Note: t.Note}
}

// pathID reads the {id} of a preventive path; a bad one is not found.
func preventivePathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, opsdesk.NotFound("no preventive %s %q", what, r.PathValue("id"))
	}
	return id, nil
}

// customerQuery reads ?customer= as a customer code (or id); "" is every customer the caller
// sees. Another organisation's code is not found, naming the parameter.
func (a *API) customerQuery(ctx context.Context, r *http.Request) (int64, error) {
	code := strings.TrimSpace(r.URL.Query().Get("customer"))
	if code == "" {
		return 0, nil
	}
	c, err := a.customerRef(ctx, code)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

func (a *API) listPreventiveSchedules(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cust, err := a.customerQuery(ctx, r)
	if err != nil {
		return err
	}
	list, err := a.db.PreventiveSchedules(ctx, cust)
	if err != nil {
		return err
	}
	n := a.preventiveNames(ctx)
	return writeJSON(w, http.StatusOK, itemsOf(list, n.schedule))
}

func (a *API) listPreventiveTasks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cust, err := a.customerQuery(ctx, r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.PreventiveTaskFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), CustomerID: cust}
	switch strings.TrimSpace(q.Get("status")) {
	case "":
	case "open":
		f.OpenOnly = true
	default:
		return opsdesk.Invalid("status", "must be open, or absent for every status")
	}
	list, err := a.db.PreventiveTasks(ctx, f)
	if err != nil {
		return err
	}
	n := a.preventiveNames(ctx)
	return writeJSON(w, http.StatusOK, itemsOf(list, n.task))
}
