package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Problems (ITIL problem management) are the vendor's team's own records: the pages are staff
// only, and the store refuses customers whatever the page.

// problemsPage is the data of the problem list.
type problemsPage struct {
	Problems []*opsdesk.Problem
	Status   string   // the status filter, "" for all
	Statuses []option // the filter's choices
}

// problemFormPage is the data of the new-problem form.
type problemFormPage struct {
	Form     *form
	Statuses []option
	Owners   []option
}

// problemURL is the page of a problem.
func problemURL(id int64) string { return "/problems/" + strconv.FormatInt(id, 10) }

// problems lists the problems, filtered by status.
func (s *Server) problems(c *call) {
	status := c.r.URL.Query().Get("status")
	var f opsdesk.ProblemFilter
	if status != "" {
		f.Statuses = []opsdesk.ProblemStatus{opsdesk.ProblemStatus(status)}
	}
	ps, err := s.db.ListProblems(c.ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	opts := append([]option{{Value: "", Label: c.T("problem.all_statuses")}}, problemStatusOptions(c, opsdesk.ProblemStatuses)...)
	for i := range opts {
		opts[i].Selected = opts[i].Value == status
	}
	s.render(c, http.StatusOK, "problems", c.T("problem.list_title"), problemsPage{Problems: ps, Status: status, Statuses: opts})
}

// newProblem shows the form recording a problem.
func (s *Server) newProblem(c *call) {
	s.showNewProblem(c, http.StatusOK, newForm("problem", url.Values{"status": {string(opsdesk.ProblemOpen)},
		"owner": {strconv.FormatInt(c.user.ID, 10)}}))
}

func (s *Server) showNewProblem(c *call, status int, f *form) {
	owners, err := s.ownerOptions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "problem_new", c.T("problem.new_title"), problemFormPage{Form: f, Owners: owners,
		Statuses: problemStatusOptions(c, []opsdesk.ProblemStatus{opsdesk.ProblemOpen, opsdesk.ProblemKnownError})})
}

// createProblem records a problem and goes to its page.
func (s *Server) createProblem(c *call) {
	f := newForm("problem", c.r.PostForm)
	p := &opsdesk.Problem{Title: f.Get("title"), Description: f.Get("description"), RootCause: f.Get("root_cause"),
		Workaround: f.Get("workaround"), Status: opsdesk.ProblemStatus(f.Get("status")), OwnerID: formID(f, "owner")}
	if err := s.db.CreateProblem(c.ctx, p); err != nil {
		s.formError(c, f, err, func(status int) { s.showNewProblem(c, status, f) })
		return
	}
	c.redirect(problemURL(p.ID) + "?done=problem_created")
}

// problemStatusOptions are the given statuses as choices, in the page's language.
func problemStatusOptions(c *call, ss []opsdesk.ProblemStatus) []option {
	out := make([]option, len(ss))
	for i, st := range ss {
		out[i] = option{Value: string(st), Label: c.T("pstatus." + string(st))}
	}
	return out
}

// ownerOptions are the active members of the vendor's team a problem may belong to.
func (s *Server) ownerOptions(c *call) ([]option, error) {
	users, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: c.T("problem.no_owner")}}
	for _, u := range users {
		if u.Role.Staff() && !u.Disabled {
			out = append(out, option{Value: strconv.FormatInt(u.ID, 10), Label: nameOf(u)})
		}
	}
	return out, nil
}

// formID reads a numeric field of a form, 0 when empty or malformed.
func formID(f *form, name string) int64 {
	id, err := strconv.ParseInt(f.Get(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
