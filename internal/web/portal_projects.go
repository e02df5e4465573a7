package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the customer portal's list of delivery projects (/my-projects); one project's
// page and its forms are in portal_project.go. The store scopes every read to the customer's
// organisation: another organisation's project is not found, as if it did not exist.

// myProjectsPage is the data of the portal's project list.
type myProjectsPage struct {
	Projects []myProjectRow
	Owed     []owedItem // what the organisation owes, soonest due first, undated last
}

// myProjectRow is one project of the list with its progress.
type myProjectRow struct {
	ID          int64
	Name        string
	Phase       string // the first open phase, in the reader's language; "" when all are closed
	Done, Total int    // closed phases out of all
	Target      string // the target day, "" when none
	Status      opsdesk.ProjectStatus
	Closed      bool
}

// owedItem is a checklist item the customer's side owes: neither validated nor waived.
type owedItem struct {
	ProjectID int64
	Project   string
	ItemID    int64
	Title     string
	Phase     string
	Due       string // "" when undated
	DueOn     time.Time
	Late      bool
	Status    opsdesk.ItemStatus
}

// myProjects lists the organisation's projects, newest first, with their phase progress and the
// items the customer owes across them.
func (s *Server) myProjects(c *call) {
	projects, err := s.db.ListProjects(c.ctx, opsdesk.ProjectFilter{})
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.db.Now()
	p := myProjectsPage{}
	for _, pr := range projects {
		row, owed, err := s.myProjectRow(c, pr, now)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.Projects = append(p.Projects, row)
		p.Owed = append(p.Owed, owed...)
	}
	slices.SortStableFunc(p.Owed, func(a, b owedItem) int {
		switch {
		case a.DueOn.IsZero() != b.DueOn.IsZero():
			if a.DueOn.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.DueOn.Compare(b.DueOn), cmp.Compare(a.ItemID, b.ItemID))
	})
	s.render(c, http.StatusOK, "my_projects", c.T("myproj.list_title"), p)
}

// myProjectRow reads one project's phases, items and status for the list.
func (s *Server) myProjectRow(c *call, pr *opsdesk.Project, now time.Time) (myProjectRow, []owedItem, error) {
	row := myProjectRow{ID: pr.ID, Name: pr.Name, Target: myDayText(pr.TargetOn), Closed: pr.Closed()}
	phases, err := s.db.Phases(c.ctx, pr.ID)
	if err != nil {
		return row, nil, err
	}
	names := map[int64]string{}
	for _, ph := range phases {
		names[ph.ID] = ph.Name(c.lang)
		row.Total++
		if ph.Status == opsdesk.PhaseClosed {
			row.Done++
		} else if row.Phase == "" {
			row.Phase = ph.Name(c.lang)
		}
	}
	rep, err := s.db.ProjectStatusReport(c.ctx, pr.ID)
	if err != nil {
		return row, nil, err
	}
	row.Status = rep.Status
	if pr.Closed() {
		return row, nil, nil
	}
	items, err := s.db.Items(c.ctx, pr.ID)
	if err != nil {
		return row, nil, err
	}
	var owed []owedItem
	for _, it := range items {
		if it.OwnerSide != opsdesk.SideCustomer || it.Status.Complete() {
			continue
		}
		owed = append(owed, owedItem{ProjectID: pr.ID, Project: pr.Name, ItemID: it.ID, Title: it.Title(c.lang),
			Phase: names[it.PhaseID], Due: myDayText(it.DueOn), DueOn: it.DueOn, Status: it.Status,
			Late: it.Status == opsdesk.ItemTodo && opsdesk.PastDay(it.DueOn, now)})
	}
	return row, owed, nil
}

// myDayText writes a calendar day, "" for none.
func myDayText(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.UTC().Format(time.DateOnly)
}

// myProjectURL is the portal page of a project.
func myProjectURL(id int64) string { return "/my-projects/" + strconv.FormatInt(id, 10) }
