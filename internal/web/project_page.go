package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file renders a project's staff page (GET /projects/{id}): the header with the priority
// agreement, the derived status and its reasons, the timeline, the phases with their items and
// gates, the tasks, the linked tickets and problems, and the history. Every small form of the
// page posts and redirects back; a failed one is re-rendered in place with its message
// (projectFailed), the rest start empty.

// projectView is the data of a project's page.
type projectView struct {
	P        *opsdesk.Project
	Status   opsdesk.StatusReport
	Reasons  []string // the status's reasons in the reader's language
	Timeline template.HTML
	Phases   []*phaseSection
	Tasks    []*opsdesk.Task
	Links    []*opsdesk.ProjectLink
	History  []*opsdesk.ProjectEvent
	Envs     []*opsdesk.Environment
	Now      time.Time

	CanRun    bool   // project managers, ops managers, admins: agreement, project fields
	CanGate   bool   // the above and the project's Ops lead: close and reopen phases
	CanWaive  bool   // ops managers and admins
	AgreeSide string // "ops" or "pm": the side the user agrees for; "" when neither

	Failed                                       *form // the form that failed, re-rendered with its message
	Priorities, PhaseOptions, Assignees, TaskEnv []option
	DependOptions, RecurUnits                    []option
	TaskForm                                     *form
	taskTitles                                   map[int64]string
	maxUpload                                    string
	lang                                         opsdesk.Lang
}

// phaseSection is a phase with its items.
type phaseSection struct {
	*opsdesk.Phase
	Label string
	Items []*opsdesk.Item
	Open  []string // titles of the items that hold the gate
}

// Closed tells whether the phase's gate is closed.
func (p *phaseSection) Closed() bool { return p.Status == opsdesk.PhaseClosed }

// FormFor is the form with id: the failed one with its input and message, or an empty one.
func (v *projectView) FormFor(id string) *form {
	if v.Failed != nil && v.Failed.ID == id {
		return v.Failed
	}
	return newForm(id, nil)
}

// AgreeForm is the priority agreement form, holding the current priority until it fails.
func (v *projectView) AgreeForm() *form {
	if v.Failed != nil && v.Failed.ID == "agree" {
		return v.Failed
	}
	return newForm("agree", map[string][]string{"priority": {string(v.P.Priority)}})
}

// EvidenceForm is the evidence form of an item, holding its evidence until it fails.
func (v *projectView) EvidenceForm(it *opsdesk.Item) *form {
	id := "evidence-" + strconv.FormatInt(it.ID, 10)
	if v.Failed != nil && v.Failed.ID == id {
		return v.Failed
	}
	return newForm(id, map[string][]string{"evidence": {it.Evidence}})
}

// ItemForm is FormFor for the action form of an item ("validate", "reject"…).
func (v *projectView) ItemForm(action string, id int64) *form {
	return v.FormFor(action + "-" + strconv.FormatInt(id, 10))
}

// PhaseForm is FormFor for the gate forms of a phase.
func (v *projectView) PhaseForm(action, code string) *form { return v.FormFor(action + "-" + code) }

// Late tells whether a due day is past, for the red mark of open work.
func (v *projectView) Late(d time.Time) bool { return opsdesk.PastDay(d, v.Now) }

// Day formats a calendar day.
func (v *projectView) Day(d time.Time) string {
	if d.IsZero() {
		return "—"
	}
	return d.UTC().Format(time.DateOnly)
}

// ProjectEnvs are the environments the project sets up or changes.
func (v *projectView) ProjectEnvs() []*opsdesk.Environment {
	var out []*opsdesk.Environment
	for _, e := range v.Envs {
		if slices.Contains(v.P.EnvironmentIDs, e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// TaskTitle names a task the others depend on.
func (v *projectView) TaskTitle(id int64) string {
	if t, ok := v.taskTitles[id]; ok {
		return t
	}
	return "#" + strconv.FormatInt(id, 10)
}

// EnvName names an environment of the project's customer.
func (v *projectView) EnvName(id int64) string {
	for _, e := range v.Envs {
		if e.ID == id {
			return e.Name
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

// projectPage shows project id to staff.
func (s *Server) projectPage(c *call) {
	p, ok := s.projectFor(c)
	if !ok {
		return
	}
	s.showProject(c, http.StatusOK, p, nil)
}

// projectFor reads the project of the path; a missing one is not found.
func (s *Server) projectFor(c *call) (*opsdesk.Project, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return nil, false
	}
	p, err := s.db.Project(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return p, true
}

// showProject renders the page of p with status; failed is the form that failed, if any.
func (s *Server) showProject(c *call, status int, p *opsdesk.Project, failed *form) {
	v, err := s.loadProject(c, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Failed = failed
	v.TaskForm = v.FormFor("task")
	s.render(c, status, "project", p.Name, v)
}

func (s *Server) loadProject(c *call, p *opsdesk.Project) (*projectView, error) {
	a := c.actor()
	v := &projectView{P: p, Now: s.db.Now(), CanRun: runsProjects(a), CanWaive: a.CanManage(), maxUpload: formatSize(c.lang, s.cfg.MaxUpload), lang: c.lang}
	v.CanGate = v.CanRun || (p.OpsLeadID != 0 && p.OpsLeadID == a.UserID)
	switch {
	case a.CanManage():
		v.AgreeSide = "ops"
	case a.Role == opsdesk.RoleProjectManager:
		v.AgreeSide = "pm"
	}
	d, err := s.loadProjectData(c, p)
	if err != nil {
		return nil, err
	}
	if d.Status, err = s.db.ProjectStatusReport(c.ctx, p.ID); err != nil {
		return nil, err
	}
	v.Status, v.Tasks, v.Reasons = d.Status, d.Tasks, localReasons(c, d.Status, d.Items)
	if v.Timeline, err = s.projectChart(c, d); err != nil {
		return nil, err
	}
	for _, ph := range d.Phases {
		sec := &phaseSection{Phase: ph, Label: ph.Name(c.lang)}
		for _, it := range d.Items {
			if it.PhaseID == ph.ID {
				sec.Items = append(sec.Items, it)
				if !it.Status.Complete() {
					sec.Open = append(sec.Open, it.Title(c.lang))
				}
			}
		}
		v.Phases = append(v.Phases, sec)
		v.PhaseOptions = append(v.PhaseOptions, option{Value: ph.Code, Label: sec.Label})
	}
	v.taskTitles = map[int64]string{}
	for _, t := range d.Tasks {
		v.taskTitles[t.ID] = t.Title
		v.DependOptions = append(v.DependOptions, option{Value: strconv.FormatInt(t.ID, 10), Label: t.Title})
	}
	if v.Links, err = s.db.ProjectLinks(c.ctx, p.ID); err != nil {
		return nil, err
	}
	if v.History, err = s.db.ProjectHistory(c.ctx, p.ID); err != nil {
		return nil, err
	}
	if v.Envs, err = s.db.ListEnvironments(c.ctx, p.CustomerID); err != nil {
		return nil, err
	}
	v.TaskEnv = []option{{Value: "", Label: c.T("project.none")}}
	for _, e := range v.Envs {
		v.TaskEnv = append(v.TaskEnv, option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name + " (" + c.T("env.kind."+string(e.Kind)) + ")"})
	}
	v.Priorities = priorityOptions(c)
	v.RecurUnits = []option{{Value: "", Label: c.T("project.none")},
		{Value: string(opsdesk.RecurWeeks), Label: c.T("project.recur.weeks")}, {Value: string(opsdesk.RecurMonths), Label: c.T("project.recur.months")}}
	if v.Assignees, err = s.userOptions(c, "project.none", isStaffUser); err != nil {
		return nil, err
	}
	return v, nil
}

// ItemTitle is an item's title in the page's language (templates have no Lang at hand).
func (v *projectView) ItemTitle(it *opsdesk.Item, lang opsdesk.Lang) string { return it.Title(lang) }

// ItemDescription is an item's description in lang.
func (v *projectView) ItemDescription(it *opsdesk.Item, lang opsdesk.Lang) string {
	if lang == opsdesk.LangFR && it.DescriptionFR != "" || it.DescriptionEN == "" {
		return it.DescriptionFR
	}
	return it.DescriptionEN
}

// HiddenFailure is the message of a failed form the page no longer shows (the project or the
// item's phase closed meanwhile), to show at the top of the page instead; "" otherwise.
func (v *projectView) HiddenFailure() string {
	if v.Failed == nil || !v.Failed.Failed() {
		return ""
	}
	hidden := v.P.Closed() && v.Failed.ID != "project-reopen"
	for _, ph := range v.Phases {
		if !ph.Closed() {
			continue
		}
		if v.Failed.ID == "close-"+ph.Code {
			hidden = true
		}
		for _, it := range ph.Items {
			id := strconv.FormatInt(it.ID, 10)
			for _, action := range []string{"validate-", "reject-", "waive-", "comment-", "evidence-"} {
				if v.Failed.ID == action+id {
					hidden = true
				}
			}
		}
	}
	for _, t := range v.Tasks {
		id := strconv.FormatInt(t.ID, 10)
		if v.Failed.ID == "findings-"+id && t.Status != opsdesk.TaskDone || v.Failed.ID == "taskedit-"+id && !v.TaskEditable(t) {
			hidden = true
		}
	}
	if !hidden {
		return ""
	}
	if v.Failed.Message != "" {
		return v.Failed.Message
	}
	for _, msg := range v.Failed.Errors {
		return msg
	}
	return ""
}

// PhaseName names a phase of the project by its code.
func (v *projectView) PhaseName(code string) string {
	for _, ph := range v.Phases {
		if ph.Code == code {
			return ph.Label
		}
	}
	return code
}

// EventSubject names what a history event is about: its item, task or phase ("" for the project).
func (v *projectView) EventSubject(ev *opsdesk.ProjectEvent) string {
	switch {
	case ev.ItemID != 0:
		for _, ph := range v.Phases {
			for _, it := range ph.Items {
				if it.ID == ev.ItemID {
					return it.Title(v.lang)
				}
			}
		}
	case ev.TaskID != 0:
		return v.TaskTitle(ev.TaskID)
	case ev.PhaseID != 0:
		for _, ph := range v.Phases {
			if ph.ID == ev.PhaseID {
				return ph.Label
			}
		}
	}
	return ""
}
