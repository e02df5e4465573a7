package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// pageSize is the number of tickets on a page of a list.
const pageSize = 25

// requestsPage is the data of a customer's list of requests.
type requestsPage struct {
	Filter   *form
	Statuses []option
	Tickets  []*opsdesk.Ticket
	Cat      *catalog
	Total    int
	Next     string // the URL of the next page, "" on the last one
	First    string // the URL of the first page, when this is a later one
}

// requests lists the tickets of the customer's organisation (the store scopes the list), most
// recently updated first: searched by number or words, filtered by status, paged by cursor.
func (s *Server) requests(c *call) {
	q := c.r.URL.Query()
	f := newForm("filter", url.Values{"q": {q.Get("q")}, "status": {q.Get("status")}})
	tf := opsdesk.TicketFilter{Query: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Limit: pageSize}
	switch st := q.Get("status"); {
	case st == "active":
		tf.Statuses = []opsdesk.Status{opsdesk.StatusNew, opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer}
	case opsdesk.Status(st).Valid():
		tf.Statuses = []opsdesk.Status{opsdesk.Status(st)}
	}
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	opts := append([]option{{Value: "", Label: c.T("filter.all_statuses")}, {Value: "active", Label: c.T("filter.active")}},
		statusOptions(c, "", opsdesk.Statuses)...)
	p := requestsPage{Filter: f, Statuses: opts, Cat: k}
	list, next, err := s.db.ListTickets(c.ctx, tf)
	if err != nil {
		s.listError(c, f, err, func(status int) { s.render(c, status, "requests", c.T("request.list_title"), p) })
		return
	}
	if p.Total, err = s.db.CountTickets(c.ctx, tf); err != nil {
		s.fail(c, err)
		return
	}
	p.Tickets = list
	p.Next, p.First = pageLinks("/requests", q, next)
	s.render(c, http.StatusOK, "requests", c.T("request.list_title"), p)
}

// pageLinks builds the URLs of the next page (from the store's cursor) and of the first page
// (when q is already a later one), keeping the other parameters of the list.
func pageLinks(base string, q url.Values, next string) (nextURL, firstURL string) {
	v := url.Values{}
	for key, vs := range q {
		if key != "cursor" && key != "done" && len(vs) > 0 && vs[0] != "" {
			v[key] = vs[:1]
		}
	}
	if q.Get("cursor") != "" {
		firstURL = base
		if len(v) > 0 {
			firstURL += "?" + v.Encode()
		}
	}
	if next != "" {
		v.Set("cursor", next)
		nextURL = base + "?" + v.Encode()
	}
	return nextURL, firstURL
}

// listError shows a refused filter (a stale cursor, a bad sort) at the top of the filter form,
// which has no input for most of the parameters the store names.
func (s *Server) listError(c *call, f *form, err error, again func(status int)) {
	if !opsdesk.IsKind(err, opsdesk.KindInvalid) {
		s.fail(c, err)
		return
	}
	f.Fail("", domainMessage(c, err))
	again(http.StatusUnprocessableEntity)
}
