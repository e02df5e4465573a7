package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// newPreventiveSchedule is the body of POST /preventive/schedules.
type newPreventiveSchedule struct {
	Kind          string  `json:"kind" required:"true" enum:"audit,performance_review,certificate_renewal,access_review"`
	Title         string  `json:"title" required:"true"`
	Description   string  `json:"description"`
	Customer      string  `json:"customer" doc:"customer code; empty for the vendor's own platform"`
	Environment   int64   `json:"environment_id" doc:"an environment of that customer"`
	Every         int     `json:"every" required:"true" doc:"1 to 120"`
	Unit          string  `json:"unit" required:"true" enum:"weeks,months"`
	FirstDay      string  `json:"first_day" required:"true" format:"date" doc:"YYYY-MM-DD"`
	EstimateHours float64 `json:"estimate_hours" doc:"0 to 1000"`
	Assignee      string  `json:"assignee" doc:"email of a member of the vendor's team, or me"`
	Level         string  `json:"level" required:"true" enum:"N1,N2,N3"`
}

// preventivePatch is the body of PATCH /preventive/schedules/{id}; absent fields are kept.
// Changing every, unit, first_day or customer, or setting active to false, removes the future
// occurrences still to do and re-plans them from today.
type preventivePatch struct {
	Kind          *string  `json:"kind" enum:"audit,performance_review,certificate_renewal,access_review"`
	Title         *string  `json:"title"`
	Description   *string  `json:"description"`
	Customer      nullable `json:"customer" doc:"customer code; null: the vendor's own platform"`
	Environment   *int64   `json:"environment_id" doc:"0 clears"`
	Every         *int     `json:"every"`
	Unit          *string  `json:"unit" enum:"weeks,months"`
	FirstDay      *string  `json:"first_day" format:"date"`
	EstimateHours *float64 `json:"estimate_hours"`
	Assignee      nullable `json:"assignee" doc:"email of a member of the vendor's team, or me; null clears"`
	Level         *string  `json:"level" enum:"N1,N2,N3"`
	Active        *bool    `json:"active"`
}

// preventiveMove is the body of POST /preventive/tasks/{id}/status.
type preventiveMove struct {
	Status string `json:"status" required:"true" enum:"todo,in_progress,done,skipped"`
	Note   string `json:"note" doc:"required to skip"`
}

func managePreventive(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only an ops manager plans preventive work")
	}
	return nil
}

// assigneeRef reads an assignee: an email or "me"; "" is none.
func (a *API) assigneeRef(ctx context.Context, v string) (int64, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return 0, nil
	case strings.EqualFold(v, "me"):
		return opsdesk.ActorFrom(ctx).UserID, nil
	}
	return a.agentID(ctx, v, "assignee")
}

func (a *API) createPreventiveSchedule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := managePreventive(ctx); err != nil {
		return err
	}
	var in newPreventiveSchedule
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveKind(in.Kind), Title: in.Title, Description: in.Description,
		EnvironmentID: in.Environment, Every: in.Every, Unit: opsdesk.PreventiveUnit(in.Unit), FirstDay: strings.TrimSpace(in.FirstDay),
		EstimateHours: in.EstimateHours, Level: opsdesk.Level(strings.ToUpper(strings.TrimSpace(in.Level)))}
	if c := strings.TrimSpace(in.Customer); c != "" {
		cust, err := a.customerRef(ctx, c)
		if err != nil {
			return invalidRef(err, "customer")
		}
		s.CustomerID = cust.ID
	}
	var err error
	if s.AssigneeID, err = a.assigneeRef(ctx, in.Assignee); err != nil {
		return err
	}
	if err := a.db.CreatePreventiveSchedule(ctx, s); err != nil {
		return err
	}
	return created(w, Prefix+"/preventive/schedules/"+strconv.FormatInt(s.ID, 10), a.preventiveNames(ctx).schedule(s))
}

func (a *API) patchPreventiveSchedule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := managePreventive(ctx); err != nil {
		return err
	}
	id, err := preventivePathID(r, "schedule")
	if err != nil {
		return err
	}
	var in preventivePatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	s, err := a.db.PreventiveSchedule(ctx, id)
	if err != nil {
		return err
	}
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	kind, unit, level := string(s.Kind), string(s.Unit), string(s.Level)
	str(&kind, in.Kind)
	str(&unit, in.Unit)
	str(&level, in.Level)
	s.Kind, s.Unit, s.Level = opsdesk.PreventiveKind(kind), opsdesk.PreventiveUnit(unit), opsdesk.Level(strings.ToUpper(level))
	str(&s.Title, in.Title)
	str(&s.Description, in.Description)
	str(&s.FirstDay, in.FirstDay)
	if in.Every != nil {
		s.Every = *in.Every
	}
	if in.EstimateHours != nil {
		s.EstimateHours = *in.EstimateHours
	}
	if in.Environment != nil {
		s.EnvironmentID = *in.Environment
	}
	if in.Active != nil {
		s.Active = *in.Active
	}
	if in.Customer.set {
		s.CustomerID = 0
		if c := strings.TrimSpace(in.Customer.value); !in.Customer.null && c != "" {
			cust, err := a.customerRef(ctx, c)
			if err != nil {
				return invalidRef(err, "customer")
			}
			s.CustomerID = cust.ID
		}
	}
	if in.Assignee.set {
		s.AssigneeID = 0
		if !in.Assignee.null {
			if s.AssigneeID, err = a.assigneeRef(ctx, in.Assignee.value); err != nil {
				return err
			}
		}
	}
	if err := a.db.UpdatePreventiveSchedule(ctx, s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.preventiveNames(ctx).schedule(s))
}

func (a *API) movePreventiveTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := preventivePathID(r, "task")
	if err != nil {
		return err
	}
	var in preventiveMove
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Status) == "" {
		return opsdesk.Invalid("status", "is required")
	}
	t, err := a.db.MovePreventiveTask(ctx, id, opsdesk.PreventiveStatus(strings.TrimSpace(in.Status)), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.preventiveNames(ctx).task(t))
}
