package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// kbArticle is an article as a client decodes it.
type kbArticle struct {
	ID         int64    `json:"id"`
	Kind       string   `json:"kind"`
	Status     string   `json:"status"`
	Visibility string   `json:"visibility"`
	Customers  []string `json:"customers"`
	Category   string   `json:"category"`
	Tags       []string `json:"tags"`
	Lang       string   `json:"lang"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Steps      []struct {
		Position    int    `json:"position"`
		Instruction string `json:"instruction"`
		Expected    string `json:"expected"`
	} `json:"steps"`
	Texts []struct {
		Lang      string `json:"lang"`
		Title     string `json:"title"`
		Body      string `json:"body"`
		Revision  int    `json:"revision"`
		UpdatedBy string `json:"updated_by"`
	} `json:"texts"`
	CreatedBy     string  `json:"created_by"`
	PublishedAt   *string `json:"published_at"`
	Version       int64   `json:"version"`
	LinkedTickets int     `json:"linked_tickets"`
}

// kbArticleList is a page of articles as a client decodes it.
type kbArticleList struct {
	Items []struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Lang   string `json:"lang"`
		Title  string `json:"title"`
		Titles []struct {
			Lang, Title string
		} `json:"titles"`
		Customers []string `json:"customers"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func (l kbArticleList) ids() []int64 {
	var out []int64
	for _, it := range l.Items {
		out = append(out, it.ID)
	}
	return out
}

func kbArticlePath(id int64) string { return "/api/v1/articles/" + strconv.FormatInt(id, 10) }

// newArticle has user write an article and returns it.
func (e *env) kbNewArticle(user string, body map[string]any) kbArticle {
	e.t.Helper()
	var a kbArticle
	e.do(user, "POST", "/api/v1/articles", body).want(e.t, http.StatusCreated, &a)
	return a
}

// publishArticle has an agent submit the article and the ops manager publish it.
func (e *env) kbPublish(a kbArticle) kbArticle {
	e.t.Helper()
	e.do("n1", "PATCH", kbArticlePath(a.ID), map[string]any{"version": a.Version, "status": "review"}).want(e.t, http.StatusOK, &a)
	e.do("ops", "PATCH", kbArticlePath(a.ID), map[string]any{"version": a.Version, "status": "published"}).want(e.t, http.StatusOK, &a)
	return a
}

func TestArticleAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)

		// Create in French and English: one text at the top level, the other in texts.
		r := e.do("n1", "POST", "/api/v1/articles", map[string]any{"lang": "fr", "title": " Relancer l'export ",
			"body": "Vider le **cache**.", "texts": []any{map[string]any{"lang": "en", "title": "Restart the export", "body": "Clear the cache."}},
			"tags": []string{"Export", "csv"}, "category": "application", "note": "first"}).want(t, http.StatusCreated, nil)
		var a kbArticle
		must(t, json.Unmarshal(r.body, &a))
		path := kbArticlePath(a.ID)
		if r.header.Get("Location") != path || r.header.Get("ETag") != `"1"` || a.Status != "draft" || a.Kind != "article" ||
			a.Visibility != "internal" || a.Lang != "fr" || a.Title != "Relancer l'export" || len(a.Texts) != 2 ||
			a.Texts[1].Lang != "en" || a.Texts[1].Title != "Restart the export" || !slices.Equal(a.Tags, []string{"csv", "export"}) ||
			a.CreatedBy != "n1@vendor.example" || a.Version != 1 || a.PublishedAt != nil {
			t.Fatalf("created %+v at %q (ETag %s)", a, r.header.Get("Location"), r.header.Get("ETag"))
		}
		var got kbArticle
		r = e.do("n2", "GET", path+"?lang=en", nil).want(t, http.StatusOK, &got)
		if got.Lang != "en" || got.Title != "Restart the export" || got.Body != "Clear the cache." || r.header.Get("ETag") != `"1"` {
			t.Fatalf("read in English: %+v", got)
		}

		// Bad input: 400 for what cannot be read, 422 for what is read but wrong; each names its field.
		for _, c := range []struct {
			body   any
			status int
			field  string
		}{
			{map[string]any{"lang": "fr", "title": "x", "colour": "red"}, http.StatusBadRequest, "colour"},
			{map[string]any{"lang": "fr", "title": 12}, http.StatusBadRequest, "title"},
			{map[string]any{"lang": "fr", "title": "x", "visibility": 3}, http.StatusBadRequest, "visibility"},
			{map[string]any{"lang": "fr", "title": "x", "visibility": "public"}, http.StatusUnprocessableEntity, "visibility"},
			{map[string]any{"lang": "fr", "title": "x", "visibility": []string{}}, http.StatusUnprocessableEntity, "visibility"},
			{map[string]any{"lang": "fr", "title": "x", "visibility": []string{"NOPE"}}, http.StatusUnprocessableEntity, "visibility"},
			{map[string]any{"lang": "fr", "title": "x", "visibility": "restricted"}, http.StatusUnprocessableEntity, "customers"},
			{map[string]any{"title": "x"}, http.StatusUnprocessableEntity, "lang"},
			{map[string]any{"lang": "de", "title": "x"}, http.StatusUnprocessableEntity, "lang"},
			{map[string]any{"lang": "fr", "title": " "}, http.StatusUnprocessableEntity, "title"},
			{map[string]any{}, http.StatusUnprocessableEntity, "texts"},
			{map[string]any{"lang": "fr", "title": "x", "kind": "faq"}, http.StatusUnprocessableEntity, "kind"},
			{map[string]any{"lang": "fr", "title": "x", "steps": []any{map[string]any{"instruction": "a"}}}, http.StatusUnprocessableEntity, "steps"},
			{map[string]any{"lang": "fr", "title": "x", "tags": []string{"a,b"}}, http.StatusUnprocessableEntity, "tags"},
			{map[string]any{"lang": "fr", "title": "x", "texts": []any{map[string]any{"lang": "fr", "title": "y"}}}, http.StatusUnprocessableEntity, "lang"},
		} {
			e.do("n1", "POST", "/api/v1/articles", c.body).problem(t, c.status, c.field)
		}
		e.do("alice", "POST", "/api/v1/articles", map[string]any{"lang": "fr", "title": "x"}).problem(t, http.StatusForbidden, "")

		// Patch the English text (If-Match), then a stale version conflicts.
		req, _ := http.NewRequest("PATCH", e.srv.URL+path, strings.NewReader(`{"lang": "en", "body": "Clear the cache, then retry.", "note": "retry"}`))
		req.Header.Set("If-Match", `"1"`)
		e.send("n1", req).want(t, http.StatusOK, &got)
		if got.Version != 2 || got.Lang != "en" || got.Body != "Clear the cache, then retry." || got.Texts[0].Body != "Vider le **cache**." {
			t.Fatalf("patched %+v", got)
		}
		e.do("n2", "PATCH", path, map[string]any{"version": 1, "tags": []string{"x"}}).problem(t, http.StatusConflict, "version")
		e.do("n2", "PATCH", path, map[string]any{"tags": []string{"x"}}).problem(t, http.StatusUnprocessableEntity, "version")
		e.do("n2", "PATCH", path, map[string]any{"version": 2, "title": "x"}).problem(t, http.StatusUnprocessableEntity, "lang")
		e.do("n2", "PATCH", path, map[string]any{"version": 2, "status": "done"}).problem(t, http.StatusUnprocessableEntity, "status")
		e.do("n2", "PATCH", path, map[string]any{"version": 2, "status": "published"}).problem(t, http.StatusConflict, "status")
		e.do("n2", "PATCH", path, map[string]any{"version": 2, "status": "draft"}).want(t, http.StatusOK, &got) // already: no move
		if got.Version != 2 || got.Status != "draft" {
			t.Fatalf("sending back the status read changed the article: %+v", got)
		}
		e.do("n2", "PATCH", kbArticlePath(a.ID+100), map[string]any{"version": 1}).problem(t, http.StatusNotFound, "")

		// Workflow: the agent submits; the agent may not publish (and nothing of that request is
		// saved); the ops manager publishes.
		e.do("n2", "PATCH", path, map[string]any{"version": 2, "status": "review", "visibility": "customers"}).want(t, http.StatusOK, &got)
		if got.Status != "review" || got.Visibility != "customers" || got.Version != 4 {
			t.Fatalf("submitted %+v", got)
		}
		e.do("n1", "PATCH", path, map[string]any{"version": 4, "status": "published", "tags": []string{"sneaky"}}).problem(t, http.StatusForbidden, "")
		e.do("n1", "GET", path, nil).want(t, http.StatusOK, &got)
		if got.Version != 4 || slices.Contains(got.Tags, "sneaky") {
			t.Fatalf("the forbidden publication changed the article: %+v", got)
		}
		e.do("ops", "PATCH", path, map[string]any{"version": 4, "status": "published", "note": "ok"}).want(t, http.StatusOK, &got)
		if got.Status != "published" || got.PublishedAt == nil || got.Version != 5 {
			t.Fatalf("published %+v", got)
		}
		// A published article is edited by managers only.
		e.do("n1", "PATCH", path, map[string]any{"version": 5, "tags": []string{"x"}}).problem(t, http.StatusForbidden, "")
		e.do("ops", "PATCH", path, map[string]any{"version": 5, "texts": []any{map[string]any{"lang": "fr", "title": "Relancer un export"}}}).
			want(t, http.StatusOK, &got)
		if got.Title != "Relancer un export" || got.Status != "published" {
			t.Fatalf("manager's edit: %+v", got)
		}

		// Revisions and diff (staff).
		var revs struct {
			Items []struct {
				Number int    `json:"number"`
				Lang   string `json:"lang"`
				Author string `json:"author"`
				Note   string `json:"note"`
			} `json:"items"`
		}
		e.do("n1", "GET", path+"/revisions", nil).want(t, http.StatusOK, &revs)
		if len(revs.Items) != 4 || revs.Items[0].Number != 4 || revs.Items[0].Author != "ops@vendor.example" || revs.Items[1].Note != "retry" {
			t.Fatalf("revisions = %+v", revs.Items)
		}
		var diff struct {
			Lines []struct{ Op, Text string } `json:"lines"`
		}
		e.do("n1", "GET", path+"/diff?from=1&to=4", nil).want(t, http.StatusOK, &diff)
		if !slices.Contains(diff.Lines, struct{ Op, Text string }{"-", "# Relancer l'export"}) ||
			!slices.Contains(diff.Lines, struct{ Op, Text string }{"+", "# Relancer un export"}) {
			t.Fatalf("diff = %+v", diff.Lines)
		}
		e.do("n1", "GET", path+"/diff?from=1", nil).problem(t, http.StatusUnprocessableEntity, "to")
		e.do("n1", "GET", path+"/diff?from=1&to=9", nil).problem(t, http.StatusNotFound, "")
		e.do("alice", "GET", path+"/revisions", nil).problem(t, http.StatusForbidden, "")
		e.do("alice", "GET", path+"/diff?from=1&to=2", nil).problem(t, http.StatusForbidden, "")

		// Withdraw: managers only.
		e.do("n1", "PATCH", path, map[string]any{"version": got.Version, "status": "draft"}).problem(t, http.StatusForbidden, "")
		e.do("ops", "PATCH", path, map[string]any{"version": got.Version, "status": "draft"}).want(t, http.StatusOK, &got)
		if got.Status != "draft" {
			t.Fatalf("withdrawn %+v", got)
		}
	})
}

// TestArticleProcedure writes a procedure, publishes it once it has steps, and follows it on a
// ticket; links count on the article.
func TestArticleProcedure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		p := e.kbNewArticle("n1", map[string]any{"kind": "procedure", "lang": "en", "title": "Purge the queue", "visibility": "customers"})
		e.do("n1", "PATCH", kbArticlePath(p.ID), map[string]any{"version": p.Version, "status": "review"}).want(t, http.StatusOK, &p)
		e.do("ops", "PATCH", kbArticlePath(p.ID), map[string]any{"version": p.Version, "status": "published"}).problem(t, http.StatusUnprocessableEntity, "steps")
		// Steps and publication in one request: the steps are saved first.
		e.do("ops", "PATCH", kbArticlePath(p.ID), map[string]any{"version": p.Version, "status": "published",
			"steps": []any{map[string]any{"instruction": "Stop the worker", "expected": "No process left"}, map[string]any{"instruction": "Purge"}}}).
			want(t, http.StatusOK, &p)
		if p.Status != "published" || len(p.Steps) != 2 || p.Steps[1].Position != 2 || p.Steps[0].Expected != "No process left" {
			t.Fatalf("procedure = %+v", p)
		}

		tk := e.file("alice", map[string]any{"subject": "Queue stuck"})
		links := "/api/v1/tickets/" + tk.Number + "/articles"
		var link struct {
			Article  int64  `json:"article"`
			Title    string `json:"title"`
			LinkedBy string `json:"linked_by"`
		}
		e.do("n1", "POST", links, map[string]any{"article": p.ID}).want(t, http.StatusCreated, &link)
		if link.Article != p.ID || link.Title != "Purge the queue" || link.LinkedBy != "n1@vendor.example" {
			t.Fatalf("link = %+v", link)
		}
		e.do("n1", "POST", links, map[string]any{"article": p.ID}).want(t, http.StatusCreated, nil) // again: no change
		e.do("n1", "POST", links, map[string]any{"article": p.ID + 100}).problem(t, http.StatusNotFound, "article")
		e.do("n1", "POST", links, map[string]any{}).problem(t, http.StatusUnprocessableEntity, "article")
		e.do("n1", "POST", "/api/v1/tickets/OPS-9999/articles", map[string]any{"article": p.ID}).problem(t, http.StatusNotFound, "")
		e.do("alice", "POST", links, map[string]any{"article": p.ID}).problem(t, http.StatusForbidden, "")
		var got kbArticle
		e.do("n1", "GET", kbArticlePath(p.ID), nil).want(t, http.StatusOK, &got)
		if got.LinkedTickets != 1 {
			t.Errorf("linked_tickets = %d, want 1", got.LinkedTickets)
		}
		var list struct {
			Items []struct {
				Article  int64  `json:"article"`
				LinkedBy string `json:"linked_by"`
			} `json:"items"`
		}
		e.do("alice", "GET", links, nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].Article != p.ID || list.Items[0].LinkedBy != "" {
			t.Errorf("the customer's links = %+v", list.Items)
		}
		e.do("alice", "GET", kbArticlePath(p.ID), nil).want(t, http.StatusOK, &got)
		if got.LinkedTickets != 0 || got.CreatedBy != "" {
			t.Errorf("the customer reads staff's figures: %+v", got)
		}

		// Tick a step; the history (staff) shows it, the customer's does not.
		steps := "/api/v1/tickets/" + tk.Number + "/procedure-steps"
		e.do("n1", "POST", steps, map[string]any{"article": p.ID, "lang": "en", "position": 1, "note": "worker stopped"}).want(t, http.StatusNoContent, nil)
		e.do("n1", "POST", steps, map[string]any{"article": p.ID, "lang": "en", "position": 3}).problem(t, http.StatusUnprocessableEntity, "position")
		e.do("n1", "POST", steps, map[string]any{"article": p.ID, "lang": "de", "position": 1}).problem(t, http.StatusUnprocessableEntity, "lang")
		e.do("n1", "POST", steps, map[string]any{"article": p.ID + 100, "lang": "en", "position": 1}).problem(t, http.StatusNotFound, "article")
		e.do("alice", "POST", steps, map[string]any{"article": p.ID, "lang": "en", "position": 1}).problem(t, http.StatusForbidden, "")
		var hist struct {
			Items []map[string]any `json:"items"`
		}
		step := func(ev map[string]any) bool {
			return ev["kind"] == "procedure_step" && ev["reason"] == "worker stopped"
		}
		e.do("n1", "GET", "/api/v1/tickets/"+tk.Number+"/history", nil).want(t, http.StatusOK, &hist)
		if !slices.ContainsFunc(hist.Items, step) {
			t.Errorf("staff history has no step: %v", hist.Items)
		}
		e.do("alice", "GET", "/api/v1/tickets/"+tk.Number+"/history", nil).want(t, http.StatusOK, &hist)
		if slices.ContainsFunc(hist.Items, step) {
			t.Errorf("the customer's history shows the step: %v", hist.Items)
		}

		// Unlink; twice is not found.
		e.do("n1", "DELETE", links+"/"+strconv.FormatInt(p.ID, 10), nil).want(t, http.StatusNoContent, nil)
		e.do("n1", "DELETE", links+"/"+strconv.FormatInt(p.ID, 10), nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", links, nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 0 {
			t.Errorf("after unlink: %+v", list.Items)
		}
	})
}

// TestArticleVisibilityAPI: a customer's token lists and reads only the published articles
// shown to its organisation; another's restricted article is 404, as a missing one.
func TestArticleVisibilityAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		all := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "For everyone", "visibility": "customers"}))
		acme := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "For Acme", "visibility": []string{"acme"}}))
		globex := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "For Globex", "visibility": "restricted",
			"customers": []string{"GLOBEX"}}))
		internal := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "Staff only"}))
		draft := e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "Draft for everyone", "visibility": "customers"})
		if !slices.Equal(acme.Customers, []string{"ACME"}) || acme.Visibility != "restricted" {
			t.Fatalf("restricted article = %+v", acme)
		}

		for _, c := range []struct {
			user  string
			query string
			want  []int64
		}{
			{"n1", "", []int64{draft.ID, internal.ID, globex.ID, acme.ID, all.ID}},
			{"n1", "?status=draft", []int64{draft.ID}},
			{"alice", "", []int64{acme.ID, all.ID}},
			{"alice", "?status=draft", []int64{}},
			{"bob", "", []int64{globex.ID, all.ID}},
		} {
			var l kbArticleList
			e.do(c.user, "GET", "/api/v1/articles"+c.query, nil).want(t, http.StatusOK, &l)
			if got := l.ids(); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("%s lists %s: %v, want %v", c.user, c.query, got, c.want)
			}
			for _, it := range l.Items {
				if c.user != "n1" && len(it.Customers) != 0 {
					t.Errorf("%s learns the customers of article %d: %v", c.user, it.ID, it.Customers)
				}
			}
		}
		for _, c := range []struct {
			user string
			id   int64
			want int
		}{
			{"alice", all.ID, 200}, {"alice", acme.ID, 200}, {"alice", globex.ID, 404}, {"alice", internal.ID, 404},
			{"alice", draft.ID, 404}, {"alice", draft.ID + 1000, 404}, {"bob", acme.ID, 404}, {"bob", globex.ID, 200},
		} {
			r := e.do(c.user, "GET", kbArticlePath(c.id), nil)
			if c.want == 404 {
				p := r.problem(t, http.StatusNotFound, "")
				if strings.Contains(p.Detail, "For") || strings.Contains(string(r.body), "Staff only") {
					t.Errorf("the 404 shows the article: %s", r.body)
				}
				continue
			}
			var a kbArticle
			r.want(t, http.StatusOK, &a)
			if len(a.Customers) != 0 {
				t.Errorf("%s learns the customers of article %d: %v", c.user, c.id, a.Customers)
			}
		}
		// A customer cannot change an article, visible or not; another's restricted one is 404.
		e.do("alice", "PATCH", kbArticlePath(acme.ID), map[string]any{"version": acme.Version, "title": "x"}).problem(t, http.StatusForbidden, "")
		e.do("alice", "PATCH", kbArticlePath(globex.ID), map[string]any{"version": globex.Version, "title": "x"}).problem(t, http.StatusNotFound, "")

		// Paging by cursor reads every article once.
		var seen []int64
		next := ""
		for range 10 {
			var l kbArticleList
			e.do("n1", "GET", "/api/v1/articles?limit=2&cursor="+next, nil).want(t, http.StatusOK, &l)
			seen = append(seen, l.ids()...)
			if l.NextCursor == nil {
				break
			}
			next = *l.NextCursor
		}
		if !slices.Equal(seen, []int64{draft.ID, internal.ID, globex.ID, acme.ID, all.ID}) {
			t.Errorf("paged = %v", seen)
		}
		e.do("n1", "GET", "/api/v1/articles?cursor=zzz", nil).problem(t, http.StatusUnprocessableEntity, "cursor")
		e.do("n1", "GET", "/api/v1/articles?kind=faq", nil).problem(t, http.StatusUnprocessableEntity, "kind")
	})
}

// seedKB gives the isolation test a published article restricted to ACME, linked to ACME's
// ticket; it returns the article's path.
func (e *env) seedKB(ticket string) string {
	e.t.Helper()
	a := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "en", "title": "Secret of ACME runbook",
		"body": "Restart the ACME cluster.", "visibility": []string{"ACME"}}))
	e.do("n1", "POST", "/api/v1/tickets/"+ticket+"/articles", map[string]any{"article": a.ID}).want(e.t, http.StatusCreated, nil)
	return kbArticlePath(a.ID)
}
