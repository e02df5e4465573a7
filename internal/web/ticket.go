package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// ticketPage is the data of a ticket in the agent workspace: its facts, the timeline, the
// reply/note box and the action forms.
type ticketPage struct {
	Ticket   *opsdesk.Ticket
	Cat      *catalog
	Timeline []entry
	Base     string // the ticket's URL; its forms and attachments hang under it
	Forms    ticketForms
	CanTake  bool
	Agents   []option // assign: the active agents of the ticket's level
	Next     []option // the statuses it may move to
	Sevs     []option
	Cats     []option
	Envs     []option
	Types    []option
	Levels   []option // escalate: every other level, marked when the contract lacks it
	Contract *opsdesk.Contract
	Upload   string         // the size limit of an attachment
	SLA      *slaPanel      // the service-level clocks
	Problem  *ticketProblem // the problem the ticket is linked to, or the form linking it
	KB       *ticketKB      // the Knowledge panel: similar tickets, articles, procedures
	Resolve  *resolveBox    // resolution fields of the status form, and the closure box
	Surveys  surveyRows     // the satisfaction surveys of its resolutions, newest first
	Access   *ticketAccess  // an access request's grants; nil for other tickets
}

// ticketForms are the forms of the ticket page; a failed submission re-renders its own with
// the input and the message, the others are filled from the ticket.
type ticketForms struct {
	Reply, Take, Assign, Status, Qualify, Escalate, Workaround *form
	KB                                                         *form // the Knowledge panel's (ticket_kb.go)
}

// ticketURL is the workspace page of a ticket.
func ticketURL(key string) string { return "/tickets/" + url.PathEscape(key) }

// ticket shows a ticket to the vendor's team.
func (s *Server) ticket(c *call) { s.showTicket(c, http.StatusOK, ticketForms{}) }

func (s *Server) showTicket(c *call, status int, forms ticketForms) {
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	p := ticketPage{Ticket: t, Base: ticketURL(t.Key), Forms: forms, Upload: formatSize(c.lang, s.cfg.MaxUpload),
		Next: statusOptions(c, "", opsdesk.NextStatuses(t.Status)), Types: typeOptions(c)}
	if p.Cat, err = s.loadCatalog(c); err != nil {
		s.fail(c, err)
		return
	}
	if p.Timeline, err = s.timeline(c, t.Key, p.Cat, false); err != nil {
		s.fail(c, err)
		return
	}
	if p.Contract, err = s.contractOrNil(c, t.CustomerID); err != nil {
		s.fail(c, err)
		return
	}
	if p.SLA, err = s.ticketSLA(c, t); err != nil {
		s.fail(c, err)
		return
	}
	if p.Problem, err = s.ticketProblemBox(c, t); err != nil {
		s.fail(c, err)
		return
	}
	if p.KB, err = s.ticketKBPanel(c, t, p.Forms.KB); err != nil {
		s.fail(c, err)
		return
	}
	if p.Resolve, err = s.ticketResolveBox(c, t, &p.Forms); err != nil {
		s.fail(c, err)
		return
	}
	if p.Surveys, err = s.ticketSurveys(c, t); err != nil {
		s.fail(c, err)
		return
	}
	if p.Access, err = s.ticketAccessBox(c, t); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.ticketChoices(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	p.CanTake = c.user.Role == opsdesk.RoleAgent && t.Status.Active() && t.AssigneeID != c.user.ID
	fillTicketForms(&p.Forms, t)
	s.render(c, status, "ticket", t.Key+" — "+t.Subject, p)
}

// ticketChoices fills the selects of the action forms.
func (s *Server) ticketChoices(c *call, p *ticketPage) error {
	t := p.Ticket
	agents, err := s.db.ListUsers(c.ctx, store.UserFilter{Role: opsdesk.RoleAgent, Level: t.Level})
	if err != nil {
		return err
	}
	p.Agents = []option{{Value: "0", Label: c.T("ticket.unassigned")}}
	for _, u := range agents {
		if !u.Disabled {
			p.Agents = append(p.Agents, option{Value: strconv.FormatInt(u.ID, 10), Label: nameOf(u)})
		}
	}
	envs, err := s.db.ListEnvironments(c.ctx, t.CustomerID)
	if err != nil {
		return err
	}
	p.Envs = envOptions(c, envs, "ticket.no_environment")
	p.Sevs = p.Cat.severityOptions(c, "")
	p.Cats = p.Cat.categoryOptions(c, "")
	if !p.Cat.activeCategory(t.Category) { // a retired category stays selectable on its tickets
		p.Cats = append([]option{{Value: t.Category, Label: p.Cat.Category(t.Category)}}, p.Cats...)
	}
	for _, l := range opsdesk.Levels {
		if l == t.Level {
			continue
		}
		label := c.T("level." + string(l))
		if p.Contract != nil && !slices.Contains(p.Contract.Levels, l) {
			label = c.T("ticket.level_not_in_contract", label)
		}
		p.Levels = append(p.Levels, option{Value: string(l), Label: label})
	}
	return nil
}

// fillTicketForms gives the forms not being re-rendered their values from the ticket.
func fillTicketForms(fs *ticketForms, t *opsdesk.Ticket) {
	fill := func(f **form, id string, v url.Values) {
		if *f == nil {
			*f = newForm(id, v)
		}
	}
	fill(&fs.Reply, "reply", nil)
	fill(&fs.Take, "take", nil)
	fill(&fs.Assign, "assign", url.Values{"assignee": {strconv.FormatInt(t.AssigneeID, 10)}})
	fill(&fs.Status, "status", nil)
	fill(&fs.Qualify, "qualify", url.Values{"severity": {t.Severity}, "category": {t.Category},
		"environment": {id64(t.EnvironmentID)}, "type": {string(t.Type)}})
	fill(&fs.Escalate, "escalate", nil)
	fill(&fs.Workaround, "workaround", nil)
}

// nameOf is how a user is shown in lists: name and address.
func nameOf(u *opsdesk.User) string {
	if u.Name == "" {
		return u.Email
	}
	return u.Name + " <" + u.Email + ">"
}
