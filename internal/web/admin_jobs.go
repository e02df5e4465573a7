package web

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// jobStates are the tabs of the jobs page, failed first: that is what an admin comes for.
var jobStates = []opsdesk.JobState{opsdesk.JobFailed, opsdesk.JobPending, opsdesk.JobRunning, opsdesk.JobDone}

// jobsPage is the data of the background jobs page.
type jobsPage struct {
	State opsdesk.JobState // "" for all
	Tabs  []jobTab
	Jobs  []*opsdesk.Job
}

// jobTab is a state filter with its count.
type jobTab struct {
	State   opsdesk.JobState
	Count   int
	Current bool
}

// jobs lists background jobs by state, with their last error; failed ones can be retried.
func (s *Server) jobs(c *call) {
	state := opsdesk.JobState(c.r.URL.Query().Get("state"))
	valid := state == ""
	for _, st := range jobStates {
		valid = valid || st == state
	}
	if !valid {
		state = ""
	}
	js, err := s.db.ListJobs(c.ctx, state, 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.db.JobCounts(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := jobsPage{State: state, Jobs: js}
	for _, st := range jobStates {
		p.Tabs = append(p.Tabs, jobTab{State: st, Count: counts[st], Current: st == state})
	}
	s.render(c, http.StatusOK, "jobs", c.T("job.title"), p)
}

// retryJob puts a failed job back in the queue.
func (s *Server) retryJob(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.RetryJob(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/admin/jobs?state=failed&done=retried")
}
