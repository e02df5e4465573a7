package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The project routes (docs/projects.md, "API"). Every route under /projects/{id} reads the
// project first with the caller's scope, so another customer's project, and anything in it, is
// not found (404) before any permission is checked; the store then decides what the caller may
// write (customers: only the items their side owes, else 403).

// person is a user a project names.
type person struct {
	ID   int64  `json:"id"`
	Name string `json:"name" doc:"the user's name, or email when they have none"`
}

// agreement is one side's agreement on the project's priority.
type agreement struct {
	By *person `json:"by" doc:"null when this side has not agreed on the current priority"`
	At *string `json:"at" format:"date-time"`
}

// project is a delivery project of a customer.
type project struct {
	ID             int64     `json:"id"`
	Customer       string    `json:"customer" doc:"customer code"`
	CustomerName   string    `json:"customer_name"`
	Name           string    `json:"name"`
	Template       string    `json:"template" doc:"code of the template it was created from"`
	ProjectManager person    `json:"project_manager"`
	OpsLead        *person   `json:"ops_lead" doc:"null when none"`
	StartDate      string    `json:"start_date" format:"date"`
	TargetDate     *string   `json:"target_date" format:"date"`
	Environments   []int64   `json:"environments,omitempty" doc:"ids of the customer's environments it sets up or changes (not in lists)"`
	Priority       string    `json:"priority" enum:"low,normal,high,critical"`
	PriorityAgreed bool      `json:"priority_agreed" doc:"both Ops and the project managers agreed on the current priority"`
	OpsAgreement   agreement `json:"ops_agreement" doc:"an ops manager's or admin's agreement"`
	PMAgreement    agreement `json:"pm_agreement" doc:"a project manager's agreement"`
	Closed         bool      `json:"closed"`
	ClosedAt       *string   `json:"closed_at" format:"date-time"`
	Status         string    `json:"status" enum:"on_track,at_risk,late,done" doc:"derived from the dates and states, never stored"`
	StatusReasons  []string  `json:"status_reasons" doc:"why, most serious first (English)"`
	CreatedAt      string    `json:"created_at" format:"date-time"`
	UpdatedAt      string    `json:"updated_at" format:"date-time"`
}

// newProject is the body of POST /projects.
type newProject struct {
	Customer       string  `json:"customer" required:"true" doc:"customer code"`
	Name           string  `json:"name" required:"true"`
	Template       string  `json:"template" doc:"template code (default: the default template)"`
	StartDate      string  `json:"start_date" format:"date" doc:"default today"`
	TargetDate     string  `json:"target_date" format:"date"`
	ProjectManager string  `json:"project_manager" doc:"email of a project manager, ops manager or admin, or me (default: the caller)"`
	OpsLead        string  `json:"ops_lead" doc:"email of a member of the vendor's team, or me"`
	Environments   []int64 `json:"environments" doc:"ids of the customer's environments"`
	Priority       string  `json:"priority" enum:"low,normal,high,critical" doc:"default normal; no side has agreed yet"`
}

// projectPatch is the body of PATCH /projects/{id}; absent fields are left as they are.
type projectPatch struct {
	Name           *string  `json:"name"`
	StartDate      *string  `json:"start_date" format:"date"`
	TargetDate     *string  `json:"target_date" format:"date" doc:"\"\" clears it"`
	ProjectManager *string  `json:"project_manager" doc:"email, or me"`
	OpsLead        *string  `json:"ops_lead" doc:"email, or me; \"\" clears it"`
	Environments   *[]int64 `json:"environments" doc:"the whole list"`
	Priority       *string  `json:"priority" enum:"low,normal,high,critical" doc:"records the caller's side agreeing on it (an ops manager or admin for Ops, a project manager for the project managers); a new priority clears the other side's agreement"`
	Closed         *bool    `json:"closed" doc:"true closes the project, false reopens it (with reason)"`
	Reason         string   `json:"reason" doc:"why the project is reopened: required with closed false"`
}

// projectPath is where project id lives.
func projectPath(id int64) string { return Prefix + "/projects/" + strconv.FormatInt(id, 10) }

// dayJSON writes a calendar day; nil for none.
func dayJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}

// parseDay reads an optional calendar day of a body; "" is the zero time.
func parseDay(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, opsdesk.Invalid(field, "must be a date YYYY-MM-DD")
	}
	return t, nil
}

func personOf(id int64, name string) *person {
	if id == 0 {
		return nil
	}
	return &person{ID: id, Name: name}
}

func agreementJSON(g opsdesk.Agreement) agreement {
	if !g.Agreed() {
		return agreement{}
	}
	return agreement{By: personOf(g.ByID, g.By), At: apijson.Time(g.At)}
}

func projectJSON(p *opsdesk.Project, code string, h opsdesk.StatusReport) project {
	j := project{ID: p.ID, Customer: code, CustomerName: p.CustomerName, Name: p.Name, Template: p.TemplateCode,
		ProjectManager: person{ID: p.ManagerID, Name: p.ManagerName}, OpsLead: personOf(p.OpsLeadID, p.OpsLeadName),
		StartDate: p.StartOn.UTC().Format(time.DateOnly), TargetDate: dayJSON(p.TargetOn), Environments: p.EnvironmentIDs,
		Priority: string(p.Priority), PriorityAgreed: p.PriorityAgreed(), OpsAgreement: agreementJSON(p.OpsAgreement),
		PMAgreement: agreementJSON(p.PMAgreement), Closed: p.Closed(), ClosedAt: apijson.Time(p.ClosedAt),
		Status: string(h.Status), StatusReasons: h.Reasons,
		CreatedAt: apijson.Stamp(p.CreatedAt), UpdatedAt: apijson.Stamp(p.UpdatedAt)}
	if j.StatusReasons == nil {
		j.StatusReasons = []string{}
	}
	return j
}

// projectFields renames the store's field names to the API's in an invalid-input error.
func projectFields(err error) error {
	var e *opsdesk.Error
	if errors.As(err, &e) && e.Kind == opsdesk.KindInvalid {
		names := map[string]string{"start_on": "start_date", "manager": "project_manager"}
		if n, ok := names[e.Field]; ok {
			c := *e
			c.Field = n
			return &c
		}
	}
	return err
}

// personID reads an email or "me" naming a user of the vendor's team; "" is none.
func (a *API) personID(ctx context.Context, v, field string) (int64, error) {
	if strings.TrimSpace(v) == "" {
		return 0, nil
	}
	if strings.EqualFold(strings.TrimSpace(v), "me") {
		return opsdesk.ActorFrom(ctx).UserID, nil
	}
	return a.agentID(ctx, v, field)
}

// project reads the {id} project of the path with the caller's scope, and its customer's code.
// Errors: not found.
func (a *API) project(r *http.Request) (*opsdesk.Project, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, "", opsdesk.NotFound("no project %q", r.PathValue("id"))
	}
	p, err := a.db.Project(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	c, err := a.db.CustomerByID(r.Context(), p.CustomerID)
	if err != nil {
		return nil, "", err
	}
	return p, c.Code, nil
}

// writeProject answers a project with its derived status.
func (a *API) writeProject(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	p, code, err := a.projectByID(r.Context(), id)
	if err != nil {
		return err
	}
	h, err := a.db.ProjectStatusReport(r.Context(), id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		return created(w, projectPath(id), projectJSON(p, code, h))
	}
	return writeJSON(w, status, projectJSON(p, code, h))
}

func (a *API) projectByID(ctx context.Context, id int64) (*opsdesk.Project, string, error) {
	p, err := a.db.Project(ctx, id)
	if err != nil {
		return nil, "", err
	}
	c, err := a.db.CustomerByID(ctx, p.CustomerID)
	if err != nil {
		return nil, "", err
	}
	return p, c.Code, nil
}

func (a *API) listProjects(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	var f opsdesk.ProjectFilter
	if code := q.Get("customer"); code != "" {
		c, err := a.db.CustomerByCode(ctx, code)
		if err != nil {
			return err
		}
		f.CustomerID = c.ID
	}
	status := q.Get("status")
	switch opsdesk.ProjectStatus(status) {
	case "", opsdesk.StatusOnTrack, opsdesk.StatusAtRisk, opsdesk.StatusLate, opsdesk.StatusDone:
	default:
		return opsdesk.Invalid("status", "must be on_track, at_risk, late or done")
	}
	open, err := parseBool("open", q.Get("open"))
	if err != nil {
		return err
	}
	f.OpenOnly = open
	ps, err := a.db.ListProjects(ctx, f)
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	out := items[project]{Items: []project{}}
	for _, p := range ps {
		h, err := a.db.ProjectStatusReport(ctx, p.ID)
		if err != nil {
			return err
		}
		if status != "" && string(h.Status) != status {
			continue
		}
		if _, ok := codes[p.CustomerID]; !ok {
			c, err := a.db.CustomerByID(ctx, p.CustomerID)
			if err != nil {
				return err
			}
			codes[p.CustomerID] = c.Code
		}
		out.Items = append(out.Items, projectJSON(p, codes[p.CustomerID], h))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createProject(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in newProject
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Customer) == "" {
		return opsdesk.Invalid("customer", "is required: a customer code")
	}
	c, err := a.db.CustomerByCode(ctx, in.Customer)
	if err != nil {
		return err
	}
	p := &opsdesk.Project{CustomerID: c.ID, Name: in.Name, EnvironmentIDs: in.Environments, Priority: opsdesk.ProjectPriority(in.Priority)}
	if p.StartOn, err = parseDay("start_date", in.StartDate); err != nil {
		return err
	}
	if p.StartOn.IsZero() {
		p.StartOn = opsdesk.Day(a.db.Now())
	}
	if p.TargetOn, err = parseDay("target_date", in.TargetDate); err != nil {
		return err
	}
	if in.ProjectManager == "" {
		in.ProjectManager = "me"
	}
	if p.ManagerID, err = a.personID(ctx, in.ProjectManager, "project_manager"); err != nil {
		return err
	}
	if p.OpsLeadID, err = a.personID(ctx, in.OpsLead, "ops_lead"); err != nil {
		return err
	}
	if err := a.db.CreateProject(ctx, p, in.Template); err != nil {
		return projectFields(err)
	}
	return a.writeProject(w, r, http.StatusCreated, p.ID)
}

func (a *API) getProject(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	return a.writeProject(w, r, http.StatusOK, p.ID)
}

func (a *API) patchProject(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes projects")
	}
	var in projectPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Reason != "" && (in.Closed == nil || *in.Closed) {
		return opsdesk.Invalid("reason", "goes with closed false: say why the project is reopened")
	}
	// The parts apply in this order, each in its own transaction: reopen, fields, priority, close.
	if in.Closed != nil && !*in.Closed && p.Closed() {
		if err := a.db.SetProjectClosed(ctx, p.ID, false, in.Reason); err != nil {
			return err
		}
	}
	if in.Name != nil || in.StartDate != nil || in.TargetDate != nil || in.ProjectManager != nil || in.OpsLead != nil || in.Environments != nil {
		if err := a.updateProject(ctx, p, in); err != nil {
			return projectFields(err)
		}
	}
	if in.Priority != nil {
		if _, err := a.db.AgreePriority(ctx, p.ID, opsdesk.ProjectPriority(*in.Priority)); err != nil {
			return err
		}
	}
	if in.Closed != nil && *in.Closed && !p.Closed() {
		if err := a.db.SetProjectClosed(ctx, p.ID, true, in.Reason); err != nil {
			return err
		}
	}
	return a.writeProject(w, r, http.StatusOK, p.ID)
}

// updateProject applies the plain fields of a patch to p and saves it.
func (a *API) updateProject(ctx context.Context, p *opsdesk.Project, in projectPatch) error {
	var err error
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.StartDate != nil {
		if p.StartOn, err = parseDay("start_date", *in.StartDate); err != nil {
			return err
		}
	}
	if in.TargetDate != nil {
		if p.TargetOn, err = parseDay("target_date", *in.TargetDate); err != nil {
			return err
		}
	}
	if in.ProjectManager != nil {
		if p.ManagerID, err = a.personID(ctx, *in.ProjectManager, "project_manager"); err != nil {
			return err
		}
	}
	if in.OpsLead != nil {
		if p.OpsLeadID, err = a.personID(ctx, *in.OpsLead, "ops_lead"); err != nil {
			return err
		}
	}
	if in.Environments != nil {
		p.EnvironmentIDs = *in.Environments
	}
	return a.db.UpdateProject(ctx, p)
}
