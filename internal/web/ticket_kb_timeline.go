package web

import (
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbTitles caches, for one timeline, the titles of the articles its lines name: "" for an
// article the reader may not read (or that is gone), whose line keeps its number.
type kbTitles map[int64]string

// kbTitle is the current title of an article in the reader's language (else its other one), or
// "" when the reader may not read it.
func (s *Server) kbTitle(c *call, titles kbTitles, id int64) string {
	if t, ok := titles[id]; ok {
		return t
	}
	title := ""
	a, err := s.db.ArticleByID(c.ctx, id)
	switch {
	case err == nil:
		if text := a.Text(c.lang); text != nil {
			title = text.Title
		}
	case !opsdesk.IsKind(err, opsdesk.KindNotFound) && !opsdesk.IsKind(err, opsdesk.KindForbidden):
		// The line still reads right with the number; the failure is for the logs.
		s.log.Error("web: timeline: article title", "article", id, "err", err)
	}
	titles[id] = title
	return title
}

// kbEntry fills en for the knowledge-base lines of a ticket's history (an article linked or
// unlinked, a procedure step ticked) and tells whether e was one of them. An article the reader
// may read is named by its title, linked to its page; any other by its number.
func (s *Server) kbEntry(c *call, e *opsdesk.Event, en *entry, titles kbTitles) bool {
	var id int64
	switch e.Kind {
	case opsdesk.EventArticleLinked, opsdesk.EventArticleUnlinked:
		n, err := strconv.ParseInt(e.New, 10, 64)
		if err != nil {
			return false
		}
		id = n
		key := "kbticket.event.linked"
		if e.Kind == opsdesk.EventArticleUnlinked {
			key = "kbticket.event.unlinked"
		}
		if title := s.kbTitle(c, titles, id); title != "" {
			en.Text, en.Link, en.LinkText = c.T(key+"_title"), "/kb/"+e.New, title
		} else {
			en.Text = c.T(key, e.New)
		}
	case opsdesk.EventStepDone:
		a, n, ok := parseStepField(e.Field)
		if !ok {
			return false
		}
		if title := s.kbTitle(c, titles, a); title != "" {
			en.Text, en.Link, en.LinkText = c.T("kbticket.event.step_title", n, e.New), "/kb/"+strconv.FormatInt(a, 10), title
		} else {
			en.Text = c.T("kbticket.event.step", n, a, e.New)
		}
	default:
		return false
	}
	return true
}
