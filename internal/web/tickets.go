package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// activeStatuses are the statuses of tickets that still need work.
var activeStatuses = []opsdesk.Status{opsdesk.StatusNew, opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer}

// ticketSorts are the orders of the queues; the default direction puts first what matters:
// the nearest deadline, the most severe, the most recent.
var ticketSorts = []string{"deadline", "updated", "created", "number", "severity"}

// queuesPage is the data of the agent workspace's queues.
type queuesPage struct {
	Filter                                   *form
	Queue                                    string
	Tabs                                     []queueTab
	BySeverity                               []queueTab
	Customers, Statuses, Levels, Kinds, Cats []option
	Severities, Sorts, Dirs                  []option
	Rows                                     []queueRow
	Cat                                      *catalog
	Total                                    int
	Next, First                              string
	Query                                    string // the current list's query string, for the live refresh
}

// queueTab is a queue with its count of active tickets.
type queueTab struct {
	Name, Label, URL string
	Count            int
	Current          bool
}

// tickets shows the queues: the chosen one's tickets, filtered, sorted and paged by the store's
// cursor, and the count of every queue.
func (s *Server) tickets(c *call) {
	q := c.r.URL.Query()
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	keep := url.Values{}
	for _, name := range []string{"queue", "status", "level", "env", "category", "severity", "customer", "q", "sort", "dir"} {
		keep.Set(name, q.Get(name))
	}
	p := queuesPage{Filter: newForm("filter", keep), Cat: k, Query: c.r.URL.RawQuery}
	tf, err := s.queueFilter(c, q, p.Filter)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Queue = queueName(c, q.Get("queue"))
	if err := s.queueOptions(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.queueCounts(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	show := func(status int) { s.render(c, status, "tickets", c.T("queue.title"), p) }
	if p.Filter.Failed() {
		show(http.StatusUnprocessableEntity)
		return
	}
	list, next, err := s.db.ListTickets(c.ctx, tf)
	if err != nil {
		s.listError(c, p.Filter, err, show)
		return
	}
	if p.Total, err = s.db.CountTickets(c.ctx, tf); err != nil {
		s.fail(c, err)
		return
	}
	if p.Rows, err = s.queueRows(c, list); err != nil {
		s.fail(c, err)
		return
	}
	p.Next, p.First = pageLinks("/tickets", q, next)
	show(http.StatusOK)
}

// activeOnly tells whether a list holds only tickets that still need work (their clocks may run).
func activeOnly(statuses []opsdesk.Status) bool {
	if len(statuses) == 0 {
		return false
	}
	for _, st := range statuses {
		if !st.Active() {
			return false
		}
	}
	return true
}

// queueName is the queue asked for, or the default: all open tickets. Only agents have a
// queue of their own.
func queueName(c *call, name string) string {
	switch {
	case name == "mine" && c.user.Role == opsdesk.RoleAgent, name == "unassigned":
		return name
	}
	return "open"
}

// queueBase is the filter that defines a queue, before the page's other filters.
func queueBase(c *call, name string) opsdesk.TicketFilter {
	tf := opsdesk.TicketFilter{Statuses: activeStatuses}
	switch name {
	case "mine":
		tf.AssigneeID = c.user.ID
	case "unassigned":
		tf.Unassigned = true
		if c.user.Level.Valid() {
			tf.Levels = []opsdesk.Level{c.user.Level}
		}
	}
	return tf
}

// queueFilter reads the page's parameters into the store's filter; a customer code that names
// no customer fails the filter form.
func (s *Server) queueFilter(c *call, q url.Values, f *form) (opsdesk.TicketFilter, error) {
	tf := queueBase(c, queueName(c, q.Get("queue")))
	switch st := q.Get("status"); {
	case st == "any":
		tf.Statuses = nil
	case opsdesk.Status(st).Valid():
		tf.Statuses = []opsdesk.Status{opsdesk.Status(st)}
	}
	if l, ok := opsdesk.ParseLevel(q.Get("level")); ok {
		tf.Levels = []opsdesk.Level{l}
	}
	if kind := opsdesk.EnvKind(q.Get("env")); kind.Valid() {
		tf.EnvKind = kind
	}
	tf.Category = q.Get("category")
	if sev := q.Get("severity"); sev != "" {
		tf.Severities = []string{sev}
	}
	if code := strings.TrimSpace(q.Get("customer")); code != "" {
		cu, err := s.db.CustomerByCode(c.ctx, code)
		switch {
		case opsdesk.IsKind(err, opsdesk.KindNotFound):
			f.Fail("customer", c.T("queue.no_customer", code))
		case err != nil:
			return tf, err
		default:
			tf.CustomerID = cu.ID
		}
	}
	tf.Query = strings.TrimSpace(q.Get("q"))
	// Tickets that still need work come by nearest SLA deadline (breached first); other lists
	// by last update.
	tf.Sort, tf.Desc = "updated", true
	if activeOnly(tf.Statuses) {
		tf.Sort, tf.Desc = "deadline", false
	}
	for _, so := range ticketSorts {
		if q.Get("sort") == so {
			tf.Sort, tf.Desc = so, so != "severity" && so != "deadline"
		}
	}
	switch q.Get("dir") {
	case "asc":
		tf.Desc = false
	case "desc":
		tf.Desc = true
	}
	tf.Cursor, tf.Limit = q.Get("cursor"), pageSize
	return tf, nil
}

// queueCounts counts the active tickets of each queue and of each severity.
func (s *Server) queueCounts(c *call, p *queuesPage) error {
	var err error
	if p.Tabs, err = s.queueTabs(c, p.Queue); err != nil {
		return err
	}
	for _, sv := range p.Cat.Severities {
		n, err := s.db.CountTickets(c.ctx, opsdesk.TicketFilter{Statuses: activeStatuses, Severities: []string{sv.Code}})
		if err != nil {
			return err
		}
		p.BySeverity = append(p.BySeverity, queueTab{Name: sv.Code, Label: sv.Label(c.lang), Count: n,
			URL: "/tickets?severity=" + url.QueryEscape(sv.Code), Current: p.Filter.Get("severity") == sv.Code})
	}
	return nil
}

// queueTabs lists the queues of the user with their counts of active tickets: their own (for
// agents), their level's unassigned tickets, and every open ticket.
func (s *Server) queueTabs(c *call, current string) ([]queueTab, error) {
	names := []string{"open", "unassigned"}
	if c.user.Role == opsdesk.RoleAgent {
		names = []string{"mine", "unassigned", "open"}
	}
	var tabs []queueTab
	for _, name := range names {
		n, err := s.db.CountTickets(c.ctx, queueBase(c, name))
		if err != nil {
			return nil, err
		}
		label := c.T("queue." + name)
		if name == "unassigned" && c.user.Level.Valid() {
			label = c.T("queue.level_unassigned", c.user.Level)
		}
		tabs = append(tabs, queueTab{Name: name, Label: label, URL: "/tickets?queue=" + name, Count: n, Current: current == name})
	}
	return tabs, nil
}

// queueOptions fills the choices of the filter form.
func (s *Server) queueOptions(c *call, p *queuesPage) error {
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return err
	}
	p.Customers = []option{{Value: "", Label: c.T("filter.all_customers")}}
	for _, cu := range cs {
		p.Customers = append(p.Customers, option{Value: cu.Code, Label: cu.Code + " — " + cu.Name})
	}
	p.Statuses = append([]option{{Value: "", Label: c.T("filter.active")}, {Value: "any", Label: c.T("filter.all_statuses")}},
		statusOptions(c, "", opsdesk.Statuses)...)
	p.Levels = []option{{Value: "", Label: c.T("filter.all_levels")}}
	for _, l := range opsdesk.Levels {
		p.Levels = append(p.Levels, option{Value: string(l), Label: c.T("level." + string(l))})
	}
	p.Kinds = append([]option{{Value: "", Label: c.T("filter.all_envs")}}, envKindOptions(c)...)
	p.Cats = p.Cat.categoryOptions(c, "filter.all_categories")
	p.Severities = p.Cat.severityOptions(c, "filter.all_severities")
	p.Sorts = []option{{Value: "", Label: c.T("sort.default")}}
	for _, so := range ticketSorts {
		p.Sorts = append(p.Sorts, option{Value: so, Label: c.T("sort." + so)})
	}
	p.Dirs = []option{{Value: "", Label: c.T("sort.default")}, {Value: "desc", Label: c.T("sort.desc")}, {Value: "asc", Label: c.T("sort.asc")}}
	return nil
}
