package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Corrective and preventive actions (docs/capa.md): the list with its filters and counts, the
// form recording one, and each action's page. Staff pages; the store refuses customers and
// keeps accepting, rejecting and cancelling to ops managers.

// actionsPage is the data of /actions.
type actionsPage struct {
	Rows                                     []actionRow
	Counts                                   []actionCount
	Overdue                                  int
	Status, Kind, Source, Customer, Owner    string // the filters as asked
	Late                                     bool   // the overdue filter
	Statuses, Kinds, Sources, Customers, Own []option
}

// actionRow is one line of the list.
type actionRow struct {
	Action   *opsdesk.Action
	Customer string // code, "" when none
	Owner    string // name, "" when nobody
	Late     bool   // open or in progress past its due day
}

// actionCount is a status and how many actions of the filtered list are in it.
type actionCount struct {
	Status opsdesk.ActionStatus
	N      int
	Link   string
}

// actionFormPage is the data of the new-action form.
type actionFormPage struct {
	Form    *form
	Choices actionChoices
}

// actionChoices are the choices of an action's fields.
type actionChoices struct {
	Kinds, Sources, Clocks, Customers, Owners []option
}

// actionStatuses are every status, in the order of the work.
var actionStatuses = []opsdesk.ActionStatus{opsdesk.ActionProposed, opsdesk.ActionOpen, opsdesk.ActionInProgress,
	opsdesk.ActionDone, opsdesk.ActionCancelled, opsdesk.ActionRejected}

var actionSources = []opsdesk.ActionSource{opsdesk.SourceManual, opsdesk.SourceProblem, opsdesk.SourceSLABreach,
	opsdesk.SourceSurvey, opsdesk.SourceAudit, opsdesk.SourceProbe, opsdesk.SourceQualityTarget}

// actionURL is the page of an action.
func actionURL(id int64) string { return "/actions/" + strconv.FormatInt(id, 10) }

// actionChoicesFor lists the kinds, sources, clocks, customers and owners, each led by "none"
// when the field is optional.
func (s *Server) actionChoicesFor(c *call, noneKey string) (actionChoices, map[int64]string, map[int64]string, error) {
	var ch actionChoices
	for _, k := range []opsdesk.ActionKind{opsdesk.ActionCorrective, opsdesk.ActionPreventive} {
		ch.Kinds = append(ch.Kinds, option{Value: string(k), Label: c.T("capa.kind." + string(k))})
	}
	for _, src := range actionSources {
		ch.Sources = append(ch.Sources, option{Value: string(src), Label: c.T("capa.source." + string(src))})
	}
	ch.Clocks = []option{{Value: "", Label: "—"}}
	for _, k := range []string{"take_charge", "workaround", "resolve"} {
		ch.Clocks = append(ch.Clocks, option{Value: k, Label: c.T("capa.clock." + k)})
	}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return ch, nil, nil, err
	}
	codes := map[int64]string{}
	ch.Customers = []option{{Value: "", Label: c.T(noneKey)}}
	for _, cu := range cs {
		codes[cu.ID] = cu.Code
		ch.Customers = append(ch.Customers, option{Value: strconv.FormatInt(cu.ID, 10), Label: cu.Code + " — " + cu.Name})
	}
	users, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return ch, nil, nil, err
	}
	names := map[int64]string{}
	ch.Owners = []option{{Value: "", Label: c.T(noneKey)}}
	for _, u := range users {
		if u.Role.Staff() {
			names[u.ID] = nameOf(u)
			if !u.Disabled {
				ch.Owners = append(ch.Owners, option{Value: strconv.FormatInt(u.ID, 10), Label: nameOf(u)})
			}
		}
	}
	return ch, codes, names, nil
}

// actions lists the actions through the filters of the query; without a status it shows those
// still to do (proposed, open, in progress).
func (s *Server) actions(c *call) {
	q := c.r.URL.Query()
	pg := actionsPage{Status: q.Get("status"), Kind: q.Get("kind"), Source: q.Get("source"), Customer: q.Get("customer"),
		Owner: q.Get("owner"), Late: q.Get("overdue") != ""}
	f := opsdesk.ActionFilter{Kind: opsdesk.ActionKind(pg.Kind), Source: opsdesk.ActionSource(pg.Source),
		CustomerID: queryID(c, "customer"), OwnerID: queryID(c, "owner"), Overdue: pg.Late}
	switch pg.Status {
	case "":
		f.Open = true
	case "all":
	default:
		f.Status = []opsdesk.ActionStatus{opsdesk.ActionStatus(pg.Status)}
	}
	list, err := s.db.ListActions(c.ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.db.CountActions(c.ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	ch, codes, names, err := s.actionChoicesFor(c, "capa.filter.all")
	if err != nil {
		s.fail(c, err)
		return
	}
	today := s.db.Now().UTC().Format("2006-01-02")
	for _, a := range list {
		pg.Rows = append(pg.Rows, actionRow{Action: a, Customer: codes[a.CustomerID], Owner: names[a.OwnerID], Late: actionLate(a, today)})
	}
	base := url.Values{}
	for k, v := range map[string]string{"kind": pg.Kind, "source": pg.Source, "customer": pg.Customer, "owner": pg.Owner} {
		if v != "" {
			base.Set(k, v)
		}
	}
	for _, st := range actionStatuses {
		v := url.Values{}
		for k := range base {
			v.Set(k, base.Get(k))
		}
		v.Set("status", string(st))
		pg.Counts = append(pg.Counts, actionCount{Status: st, N: counts.ByStatus[st], Link: "/actions?" + v.Encode()})
	}
	pg.Overdue = counts.Overdue
	pg.Statuses = []option{{Value: "", Label: c.T("capa.filter.to_do")}, {Value: "all", Label: c.T("capa.filter.all")}}
	for _, st := range actionStatuses {
		pg.Statuses = append(pg.Statuses, option{Value: string(st), Label: c.T("capa.status." + string(st))})
	}
	pg.Kinds = append([]option{{Value: "", Label: c.T("capa.filter.all")}}, ch.Kinds...)
	pg.Sources = append([]option{{Value: "", Label: c.T("capa.filter.all")}}, ch.Sources...)
	pg.Customers, pg.Own = ch.Customers, ch.Owners
	for _, opts := range []struct {
		list []option
		v    string
	}{{pg.Statuses, pg.Status}, {pg.Kinds, pg.Kind}, {pg.Sources, pg.Source}, {pg.Customers, pg.Customer}, {pg.Own, pg.Owner}} {
		for i := range opts.list {
			opts.list[i].Selected = opts.list[i].Value == opts.v
		}
	}
	s.render(c, http.StatusOK, "actions", c.T("capa.list_title"), pg)
}

// actionLate tells whether an action still to be done is past its due day.
func actionLate(a *opsdesk.Action, today string) bool {
	return (a.Status == opsdesk.ActionOpen || a.Status == opsdesk.ActionInProgress) && a.DueDay != "" && a.DueDay < today
}

// newAction shows the form recording an action, prefilled from the query: a problem, ticket or
// survey page links here with its source.
func (s *Server) newAction(c *call) {
	q := c.r.URL.Query()
	v := url.Values{"kind": {string(opsdesk.ActionCorrective)}, "source": {string(opsdesk.SourceManual)}}
	for _, k := range []string{"kind", "title", "source", "source_id", "source_clock", "customer"} {
		if q.Get(k) != "" {
			v.Set(k, q.Get(k))
		}
	}
	s.showNewAction(c, http.StatusOK, newForm("action", v))
}

func (s *Server) showNewAction(c *call, status int, f *form) {
	ch, _, _, err := s.actionChoicesFor(c, "capa.none")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "action_new", c.T("capa.new_title"), actionFormPage{Form: f, Choices: ch})
}

// createAction records the action and goes to its page.
func (s *Server) createAction(c *call) {
	f := newForm("action", c.r.PostForm)
	a := &opsdesk.Action{Kind: opsdesk.ActionKind(f.Get("kind")), Title: f.Get("title"), Description: f.Get("description"),
		Source: opsdesk.ActionSource(f.Get("source")), SourceID: formID(f, "source_id"), SourceClock: f.Get("source_clock"),
		CustomerID: formID(f, "customer"), OwnerID: formID(f, "owner"), DueDay: f.Get("due_day"), CheckDay: f.Get("check_day")}
	if a.Source == opsdesk.SourceManual {
		a.SourceClock = ""
	}
	if err := s.db.CreateAction(c.ctx, a); err != nil {
		s.formError(c, f, err, func(status int) { s.showNewAction(c, status, f) })
		return
	}
	c.redirect(actionURL(a.ID) + "?done=action_created")
}
