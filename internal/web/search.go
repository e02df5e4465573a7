package web

import (
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// searchPage is the data of the search page: tickets and articles matching the words, with
// their titles and best passages highlighted. The store filters what the reader may find (a
// customer: their organisation's requests by their public messages, and the published articles
// shown to them), so the page only links each hit to where this reader reads it.
type searchPage struct {
	Query string
	Kind  string
	Kinds []option
	Hits  []searchHit
	Done  bool // a search was made (the query had words)
}

// searchHit is a hit with the page it links to.
type searchHit struct {
	opsdesk.SearchHit
	URL string
}

// search answers /search?q=&kind=.
func (s *Server) search(c *call) {
	q := c.r.URL.Query()
	pg := searchPage{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind")}
	if pg.Kind != string(opsdesk.SearchTickets) && pg.Kind != string(opsdesk.SearchArticles) {
		pg.Kind = ""
	}
	ticketsLabel := c.T("search.kind.tickets")
	if !c.actor().IsStaff() {
		ticketsLabel = c.T("search.kind.requests")
	}
	pg.Kinds = choices(pg.Kind, []option{{Value: "", Label: c.T("search.kind.all")},
		{Value: string(opsdesk.SearchTickets), Label: ticketsLabel}, {Value: string(opsdesk.SearchArticles), Label: c.T("search.kind.articles")}})
	if pg.Query != "" {
		hits, err := s.db.Search(c.ctx, opsdesk.SearchQuery{Text: pg.Query, Kind: opsdesk.SearchKind(pg.Kind), Limit: 50})
		if err != nil {
			s.fail(c, err)
			return
		}
		pg.Done = true
		for _, h := range hits {
			pg.Hits = append(pg.Hits, searchHit{SearchHit: h, URL: hitURL(c, h)})
		}
	}
	s.render(c, http.StatusOK, "search", c.T("search.title"), pg)
}

// hitURL is where the reader reads a hit: the agent's ticket page or the portal's request page,
// or the article in the language that matched.
func hitURL(c *call, h opsdesk.SearchHit) string {
	if h.Kind == opsdesk.SearchArticles {
		u := kbURL(h.ID)
		if h.Lang != "" && h.Lang != c.lang {
			u += "?lang=" + string(h.Lang)
		}
		return u
	}
	if c.actor().IsStaff() {
		return "/tickets/" + h.Key
	}
	return "/requests/" + h.Key
}
