package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbLists are the searched part of a ticket's Knowledge panel: the resolved tickets like it and
// the relevant articles not linked yet. They cost up to eight full-text searches, so the ticket
// page does not read them: a small script (suggest.js) fetches them from the fragment route
// GET /tickets/{key}/knowledge once the page is shown, and a browser without script follows the
// panel's link to the page with them (?knowledge=1#knowledge).
type kbLists struct {
	Base     string // the ticket's URL: the link forms post under it
	Similar  []opsdesk.SearchHit
	Articles []opsdesk.SearchHit // relevant and not linked yet, of the ticket's category first among equals
}

// ticketKBLists searches the lists of a ticket's panel; linked are the articles already linked
// to it, left out of the relevant ones.
func (s *Server) ticketKBLists(c *call, t *opsdesk.Ticket, linked []opsdesk.ArticleLink) (*kbLists, error) {
	l := &kbLists{Base: ticketURL(t.Key)}
	var err error
	if l.Similar, err = s.db.SimilarTickets(c.ctx, t.Key, kbPanelSize); err != nil {
		return nil, err
	}
	skip := map[int64]bool{}
	for _, a := range linked {
		skip[a.ArticleID] = true
	}
	related, err := s.db.RelatedArticles(c.ctx, t.Subject, t.Category, min(kbPanelSize+len(skip), 20))
	if err != nil {
		return nil, err
	}
	for _, h := range related {
		if !skip[h.ID] && len(l.Articles) < kbPanelSize {
			l.Articles = append(l.Articles, h)
		}
	}
	return l, nil
}

// ticketKnowledge answers the fragment of the lists of a ticket's Knowledge panel (HTML, no
// layout), for the script of the ticket page to put in place.
func (s *Server) ticketKnowledge(c *call) {
	t, err := s.db.TicketByKey(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	linked, err := s.db.TicketArticles(c.ctx, t.Key, c.lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	l, err := s.ticketKBLists(c, t, linked)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderFragment(c, "ticketkblists", map[string]any{"Lists": l, "CSRF": c.csrf})
}

// renderFragment executes one of the shared templates (templates/*.html, in every page's set)
// in the call's language and writes it alone, without the layout.
func (s *Server) renderFragment(c *call, name string, data any) {
	t := s.pages[c.lang]["ticket"]
	if t == nil {
		s.internal(c, fmt.Errorf("web: no template set for fragment %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		s.internal(c, fmt.Errorf("web: render fragment %s: %w", name, err))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(buf.Bytes())
}
