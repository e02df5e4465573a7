package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The knowledge base: staff write and review articles and troubleshooting procedures; customers
// read the published ones shown to them. The same routes serve both — the store scopes every
// read (a customer asking for an article they may not read gets the not-found page, as for one
// that does not exist) — and the templates show staff controls to staff only.

// kbListPage is the data of the article list, or of its search results when Query is set.
type kbListPage struct {
	Staff    bool
	Query    string
	Articles []*opsdesk.Article
	Hits     []opsdesk.SearchHit
	Filter   kbFilter
	Statuses []option
	Kinds    []option
	Cats     []option
	Langs    []option
	Next     string // URL of the next page, "" at the end
	Catalog  *catalog
	Lang     opsdesk.Lang
}

// kbFilter is the list's filter as the query string gave it.
type kbFilter struct {
	Status, Kind, Category, Tag, Lang string
}

// known is the filter without the values the list does not know (a status, kind or language
// that does not exist, from an old or edited link): those are ignored, the list shown unfiltered
// by them, rather than answered with an error page.
func (f kbFilter) known() kbFilter {
	if !opsdesk.ArticleStatus(f.Status).Valid() {
		f.Status = ""
	}
	if !opsdesk.ArticleKind(f.Kind).Valid() {
		f.Kind = ""
	}
	if !opsdesk.Lang(f.Lang).Valid() {
		f.Lang = ""
	}
	return f
}

// kbURL is the page of an article.
func kbURL(id int64) string { return "/kb/" + strconv.FormatInt(id, 10) }

// kbList lists the articles the reader may see, filtered; with q, it searches them instead.
func (s *Server) kbList(c *call) {
	q := c.r.URL.Query()
	staffer := c.actor().IsStaff()
	pg := kbListPage{Staff: staffer, Query: q.Get("q"), Lang: c.lang, Filter: kbFilter{Status: q.Get("status"), Kind: q.Get("kind"),
		Category: q.Get("category"), Tag: q.Get("tag"), Lang: q.Get("lang")}.known()}
	var err error
	if pg.Catalog, err = s.loadCatalog(c); err != nil {
		s.fail(c, err)
		return
	}
	if pg.Query != "" {
		if pg.Hits, err = s.db.Search(c.ctx, opsdesk.SearchQuery{Text: pg.Query, Kind: opsdesk.SearchArticles, Limit: 50}); err != nil {
			s.fail(c, err)
			return
		}
	} else {
		f := opsdesk.ArticleFilter{Kind: opsdesk.ArticleKind(pg.Filter.Kind), Category: pg.Filter.Category, Tag: pg.Filter.Tag,
			Lang: opsdesk.Lang(pg.Filter.Lang), Cursor: q.Get("cursor")}
		if staffer {
			f.Status = opsdesk.ArticleStatus(pg.Filter.Status)
		}
		var next string
		pg.Articles, next, err = s.db.ListArticles(c.ctx, f)
		if opsdesk.ErrorField(err) == "cursor" { // a link of another list, or an edited one: start over
			f.Cursor = ""
			pg.Articles, next, err = s.db.ListArticles(c.ctx, f)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		if next != "" {
			v := url.Values{}
			for k, x := range map[string]string{"status": pg.Filter.Status, "kind": pg.Filter.Kind, "category": pg.Filter.Category,
				"tag": pg.Filter.Tag, "lang": pg.Filter.Lang, "cursor": next} {
				if x != "" {
					v.Set(k, x)
				}
			}
			pg.Next = "/kb?" + v.Encode()
		}
	}
	pg.Statuses = choices(pg.Filter.Status, append([]option{{Value: "", Label: c.T("kb.all_statuses")}}, kbStatusOptions(c)...))
	pg.Kinds = choices(pg.Filter.Kind, append([]option{{Value: "", Label: c.T("kb.all_kinds")}}, kbKindOptions(c)...))
	pg.Langs = choices(pg.Filter.Lang, langOptions(c, "kb.all_langs"))
	pg.Cats = choices(pg.Filter.Category, kbCategoryOptions(c, pg.Catalog, "kb.all_categories"))
	title := c.T("kb.title")
	if !staffer {
		title = c.T("kb.portal_title")
	}
	s.render(c, http.StatusOK, "kb", title, pg)
}

// choices marks the option whose value is v.
func choices(v string, opts []option) []option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == v
	}
	return opts
}

func kbStatusOptions(c *call) []option {
	var out []option
	for _, st := range opsdesk.ArticleStatuses {
		out = append(out, option{Value: string(st), Label: c.T("kb.status." + string(st))})
	}
	return out
}

func kbKindOptions(c *call) []option {
	return []option{{Value: string(opsdesk.ArticlePlain), Label: c.T("kb.kind.article")},
		{Value: string(opsdesk.ArticleProcedure), Label: c.T("kb.kind.procedure")}}
}

// kbCategoryOptions are the categories (a product domain) an article may be filed under; empty
// labels the "none" or "all" choice.
func kbCategoryOptions(c *call, k *catalog, empty string) []option {
	out := []option{{Value: "", Label: c.T(empty)}}
	for _, ct := range k.Categories {
		out = append(out, option{Value: ct.Code, Label: ct.Label(c.lang)})
	}
	return out
}

// articleID reads the {id} of an article route; a malformed id is the not-found page.
func articleID(s *Server, c *call) (int64, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
	}
	return id, ok
}

// articleFor reads the article of the path's {id} as the caller may see it; when it cannot, the
// answer (not found, or the store's error) is written and ok is false.
func (s *Server) articleFor(c *call) (*opsdesk.Article, bool) {
	id, ok := articleID(s, c)
	if !ok {
		return nil, false
	}
	a, err := s.db.ArticleByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return a, true
}
