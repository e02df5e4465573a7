package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbViewPage is the data of an article's page: the text in the chosen language, rendered, and
// for staff its workflow, usage and revisions.
type kbViewPage struct {
	Staff     bool
	Article   *opsdesk.Article
	Text      *opsdesk.ArticleText
	Body      template.HTML // the text's Markdown, rendered and sanitised
	Other     opsdesk.Lang  // the other language the article is written in, "" if none
	Category  string        // the category's name
	Moves     []kbMove      // the workflow buttons the reader may use
	Status    *form         // the workflow form, with its error after a failed move
	Revisions []*opsdesk.Revision
	Compare   map[int]bool // the revisions that have an earlier one in their language, to compare with
	Base      string
}

// kbMove is one workflow button: the status it moves to and what it is called from here.
type kbMove struct {
	To    opsdesk.ArticleStatus
	Label string
	Class string
}

// kbArticle shows an article.
func (s *Server) kbArticle(c *call) { s.showArticle(c, http.StatusOK, nil) }

func (s *Server) showArticle(c *call, status int, f *form) {
	a, ok := s.articleFor(c)
	if !ok {
		return
	}
	lang := c.lang
	if l := opsdesk.Lang(c.r.URL.Query().Get("lang")); l.Valid() {
		lang = l
	}
	pg := kbViewPage{Staff: c.actor().IsStaff(), Article: a, Text: a.Text(lang), Base: kbURL(a.ID), Status: f}
	if pg.Text == nil {
		s.notFound(c)
		return
	}
	pg.Body = renderMarkdown(pg.Text.Body)
	for _, t := range a.Texts {
		if t.Lang != pg.Text.Lang {
			pg.Other = t.Lang
		}
	}
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if a.Category != "" {
		pg.Category = k.Category(a.Category)
	}
	if pg.Staff {
		if pg.Revisions, err = s.db.ArticleRevisions(c.ctx, a.ID); err != nil {
			s.fail(c, err)
			return
		}
		pg.Compare = revisionsToCompare(pg.Revisions)
		pg.Moves = kbMoves(c, a.Status)
	}
	if pg.Status == nil {
		pg.Status = newForm("status", nil)
	}
	s.render(c, status, "kb_article", pg.Text.Title, pg)
}

// kbMoves are the workflow moves from status that the reader may make, as buttons.
func kbMoves(c *call, from opsdesk.ArticleStatus) []kbMove {
	var out []kbMove
	for _, to := range opsdesk.ArticleStatuses {
		if opsdesk.CheckArticleTransition(c.actor(), from, to) != nil {
			continue
		}
		m := kbMove{To: to}
		switch {
		case to == opsdesk.ArticleReview:
			m.Label, m.Class = c.T("kb.move.submit"), "primary"
		case to == opsdesk.ArticlePublished:
			m.Label, m.Class = c.T("kb.move.publish"), "primary"
		case from == opsdesk.ArticlePublished:
			m.Label = c.T("kb.move.withdraw")
		default:
			m.Label = c.T("kb.move.send_back")
		}
		out = append(out, m)
	}
	return out
}

// kbSetStatus moves an article along the workflow (submit, send back, publish, withdraw).
func (s *Server) kbSetStatus(c *call) {
	id, ok := articleID(s, c)
	if !ok {
		return
	}
	f := newForm("status", c.r.PostForm)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	if _, err := s.db.SetArticleStatus(c.ctx, id, opsdesk.ArticleStatus(f.Get("to")), version, f.Get("note")); err != nil {
		s.actionError(c, f, []string{"note"}, err, func(status int) { s.showArticle(c, status, f) })
		return
	}
	c.redirect(kbURL(id) + "?done=kb_status")
}

// kbRevisionPage is the data of one revision of an article.
type kbRevisionPage struct {
	Article  *opsdesk.Article
	Revision *opsdesk.Revision
	Body     template.HTML
	Base     string
	Compare  bool // an earlier revision in its language exists, to compare with
}

// kbRevision shows one saved revision of an article's text (staff).
func (s *Server) kbRevision(c *call) {
	a, ok := s.articleFor(c)
	if !ok {
		return
	}
	id := a.ID
	n, err := strconv.Atoi(c.r.PathValue("n"))
	if err != nil || n <= 0 {
		s.notFound(c)
		return
	}
	r, err := s.db.ArticleRevision(c.ctx, id, n)
	if err != nil {
		s.fail(c, err)
		return
	}
	revs, err := s.db.ArticleRevisions(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "kb_revision", c.T("kb.revision_title", n, r.Title),
		kbRevisionPage{Article: a, Revision: r, Body: renderMarkdown(r.Body), Base: kbURL(id), Compare: revisionsToCompare(revs)[n]})
}

// revisionsToCompare tells which revisions have an earlier one in the same language: the first text
// of a language has nothing to be compared with, and shows no "Changes" link.
func revisionsToCompare(revs []*opsdesk.Revision) map[int]bool {
	first := map[opsdesk.Lang]int{}
	for _, r := range revs {
		if n, ok := first[r.Lang]; !ok || r.Number < n {
			first[r.Lang] = r.Number
		}
	}
	out := map[int]bool{}
	for _, r := range revs {
		out[r.Number] = r.Number != first[r.Lang]
	}
	return out
}

// kbDiffPage is the data of the comparison of two revisions.
type kbDiffPage struct {
	Article   *opsdesk.Article
	From, To  int
	Lines     []opsdesk.DiffLine
	Revisions []*opsdesk.Revision
	Base      string
}

// kbDiff compares two revisions of an article line by line (staff). Without from and to, it
// compares the two latest.
func (s *Server) kbDiff(c *call) {
	a, ok := s.articleFor(c)
	if !ok {
		return
	}
	id := a.ID
	revs, err := s.db.ArticleRevisions(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := kbDiffPage{Article: a, Revisions: revs, Base: kbURL(id)}
	pg.From, _ = strconv.Atoi(c.r.URL.Query().Get("from"))
	pg.To, _ = strconv.Atoi(c.r.URL.Query().Get("to"))
	if pg.To == 0 && len(revs) > 0 {
		pg.To = revs[0].Number
	}
	if pg.From == 0 { // the text's revision before To, in To's language
		var lang opsdesk.Lang
		for _, r := range revs {
			if r.Number == pg.To {
				lang = r.Lang
			}
			if lang != "" && r.Number < pg.To && r.Lang == lang {
				pg.From = r.Number
				break
			}
		}
	}
	if pg.From > 0 && pg.To > 0 {
		if pg.Lines, err = s.db.ArticleDiff(c.ctx, id, pg.From, pg.To); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "kb_diff", c.T("kb.diff_title", pg.From, pg.To), pg)
}
