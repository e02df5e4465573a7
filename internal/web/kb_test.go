package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// onlyArticle is the one article of the desk, read as staff.
func onlyArticle(t *testing.T, db *store.DB, u *opsdesk.User) *opsdesk.Article {
	t.Helper()
	arts, _, err := db.ListArticles(as(u), opsdesk.ArticleFilter{})
	if err != nil || len(arts) != 1 {
		t.Fatalf("articles: %v %v", arts, err)
	}
	a, err := db.ArticleByID(as(u), arts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// buttons are the labels of the submit buttons of the element with the id.
func buttons(p *page, id string) []string {
	var out []string
	if n := byID(p.doc, id); n != nil {
		for _, b := range byTag(n, "button") {
			out = append(out, textOf(b))
		}
	}
	return out
}

// TestKBWorkflowPages writes a procedure through the forms, checks the form's field messages,
// moves it through review to publication with the permissions of each role, and checks what
// customers read at each stage.
func TestKBWorkflowPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		agent, ops, alice, bob := ws.client(), ws.client(), ws.client(), ws.client()
		agent.login(d.agent.Email, password)
		ops.login(d.ops.Email, password)
		alice.login(d.alice.Email, password)
		bob.login(d.bob.Email, password)

		list := agent.get("/kb").want(t, http.StatusOK)
		// Unknown filter values (an old or edited link) are ignored, not an error page.
		for _, q := range []string{"status=bogus", "kind=x&lang=de", "cursor=nope", "status=draft&cursor=%25"} {
			agent.get("/kb?"+q).want(t, http.StatusOK)
			alice.get("/kb?"+q).want(t, http.StatusOK)
		}
		if !slices.ContainsFunc(byTag(list.doc, "a"), func(n *html.Node) bool { return attr(n, "href") == "/kb" && textOf(n) == "Knowledge base" }) {
			t.Error("no Knowledge base link in the staff navigation")
		}
		if byID(list.doc, "nav-search") == nil {
			t.Error("no search box in the navigation")
		}

		// Validation: messages next to the fields, the input kept.
		p := agent.submit("/kb/new", "/kb", nil).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "kb-fr_title-error", "Write a French or an English text")
		p = agent.submit("/kb/new", "/kb", url.Values{"en_body": {"Body without a title"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "kb-en_title-error", "required")
		if got := textOf(p.input("en_body")); got != "Body without a title" {
			t.Errorf("the failed form lost the body: %q", got)
		}
		p = agent.submit("/kb/new", "/kb", url.Values{"en_title": {"Long"}, "en_body": {strings.Repeat("x", opsdesk.MaxArticleBody+1)}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "kb-en_body-error", "longer than")
		p = agent.submit("/kb/new", "/kb", url.Values{"fr_title": {"Titre"}, "visibility": {"restricted"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "kb-customers-error", "restricted article names the customers")
		p = agent.submit("/kb/new", "/kb", url.Values{"fr_title": {"Titre"}, "kind": {"article"}, "fr_instruction": {"Do this"}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "kb-fr-steps-error", "only procedures have steps")
		if n, _, err := db.ListArticles(as(d.agent), opsdesk.ArticleFilter{}); err != nil || len(n) != 0 {
			t.Fatalf("a failed form stored articles: %v %v", n, err)
		}

		// A procedure in French and English, with hostile Markdown.
		body := "Relancer **vite**.\n\n<script>alert('x')</script>\n\n[piège](javascript:alert(1)) <img src=x onerror=alert(2)>"
		created := agent.submit("/kb/new", "/kb", url.Values{"kind": {"procedure"}, "visibility": {"customers"}, "tags": {"Export, factures"},
			"category": {"application"},
			"fr_title": {"Relancer l'export"}, "fr_body": {body},
			"fr_instruction": {"Ouvrir la console", "", "Relancer le service"}, "fr_expected": {"La console s'ouvre", "", ""},
			"en_title": {"Restart the export"}, "en_body": {"Restart it."},
			"en_instruction": {"Open the console", "Restart the service"}, "en_expected": {"The console opens", ""},
			"note": {"first"}}).want(t, http.StatusSeeOther)
		a := onlyArticle(t, db, d.agent)
		base := "/kb/" + itoa(a.ID)
		if created.location() != base+"?done=kb_created" || a.Status != opsdesk.ArticleDraft || a.Kind != opsdesk.ArticleProcedure ||
			!slices.Equal(a.Tags, []string{"export", "factures"}) || a.Category != "application" {
			t.Fatalf("created → %s: %+v", created.location(), a)
		}
		if fr := a.Text(opsdesk.LangFR); len(fr.Steps) != 2 || fr.Steps[1].Instruction != "Relancer le service" || fr.Steps[0].Expected != "La console s'ouvre" {
			t.Errorf("french steps: %+v", fr.Steps)
		}

		p = agent.get(base).want(t, http.StatusOK)
		p.wantText(t, "kb-title", "Restart the export")
		p.wantText(t, "kb-status", "Draft")
		p.wantText(t, "kb-steps", "Open the console", "The console opens", "Restart the service")
		if got := buttons(p, "kb-workflow"); !slices.Equal(got, []string{"Submit for review"}) {
			t.Errorf("an agent's buttons on a draft: %v", got)
		}
		fr := agent.get(base+"?lang=fr").want(t, http.StatusOK)
		fr.wantText(t, "kb-title", "Relancer l'export")
		kbBody := byID(fr.doc, "kb-body")
		if kbBody == nil || len(byTag(kbBody, "strong")) != 1 {
			t.Fatalf("the Markdown is not rendered: %q", fr.text("kb-body"))
		}
		if n := findAll(kbBody, func(n *html.Node) bool {
			return n.Data == "script" || attr(n, "onerror") != "" || strings.HasPrefix(attr(n, "href"), "javascript")
		}); len(n) != 0 {
			t.Errorf("hostile markup survived: %d elements", len(n))
		}
		if got := attr(byID(p.doc, "kb-other-lang"), "href"); got != base+"?lang=fr" {
			t.Errorf("language switch = %q", got)
		}

		// Customers do not read a draft.
		alice.get(base).want(t, http.StatusNotFound)

		// The agent submits it; publishing is not theirs.
		agent.follow(agent.submit(base, base+"/status", url.Values{"to": {"review"}})).wantText(t, "kb-status", "In review")
		if got := buttons(agent.get(base), "kb-workflow"); !slices.Equal(got, []string{"Send back to draft"}) {
			t.Errorf("an agent's buttons in review: %v", got)
		}
		agent.submit(base, base+"/status", url.Values{"to": {"published"}}).want(t, http.StatusForbidden)
		alice.get(base).want(t, http.StatusNotFound)

		// The ops manager publishes.
		p = ops.get(base)
		if got := buttons(p, "kb-workflow"); !slices.Equal(got, []string{"Send back to draft", "Publish"}) {
			t.Errorf("a manager's buttons in review: %v", got)
		}
		ops.follow(ops.submit(base, base+"/status", url.Values{"to": {"published"}, "note": {"ok"}})).wantText(t, "kb-status", "Published")

		// Customers read it now, without staff controls; the portal nav leads to it.
		for _, cu := range []*client{alice, bob} {
			p := cu.get(base).want(t, http.StatusOK)
			p.wantText(t, "kb-title", "Restart the export")
			for _, id := range []string{"kb-workflow", "kb-revisions", "kb-edit", "kb-facts", "kb-status"} {
				if byID(p.doc, id) != nil {
					t.Errorf("a customer sees #%s", id)
				}
			}
			l := cu.get("/kb").want(t, http.StatusOK)
			if got := l.rows(); !slices.Equal(got, []string{itoa(a.ID)}) {
				t.Errorf("portal list = %v", got)
			}
			if byID(l.doc, "kb-status") != nil || byID(l.doc, "kb-new") != nil {
				t.Error("the portal list shows staff filters or links")
			}
			if !slices.ContainsFunc(byTag(l.doc, "a"), func(n *html.Node) bool { return attr(n, "href") == "/kb" && textOf(n) == "Help articles" }) {
				t.Error("no Help articles link in the portal navigation")
			}
		}
		alice.get(base+"/edit").want(t, http.StatusForbidden)
		alice.get(base+"/revisions/1").want(t, http.StatusForbidden)

		// A published article is changed by managers only.
		agent.submit(base+"/edit", base, url.Values{"en_body": {"Agent's change"}}).want(t, http.StatusForbidden)

		// The manager restricts it to Globex and rewrites the English text.
		edit := ops.get(base+"/edit").want(t, http.StatusOK)
		stale := formValues(edit.form(t, base))
		// (A browser sends the textareas' line breaks as CRLF: an unchanged text writes no revision.)
		ops.follow(ops.submit(base+"/edit", base, url.Values{"visibility": {"restricted"}, "customers": {"GLOBEX"},
			"fr_body": {strings.ReplaceAll(body, "\n", "\r\n")}, "en_body": {"Restart it.\r\n\r\nThen check the log."}, "note": {"log"}})).
			want(t, http.StatusOK)
		alice.get(base).want(t, http.StatusNotFound)
		bob.get(base).want(t, http.StatusOK).wantText(t, "kb-body", "check the log")
		if got := alice.get("/kb").rows(); len(got) != 0 {
			t.Errorf("alice lists %v", got)
		}

		// Saving a form read before that change is a conflict; the input is kept.
		stale.Set("en_body", "My stale edit")
		stale.Set("fr_body", body)
		p = ops.post(base, stale).want(t, http.StatusConflict)
		p.wantText(t, "main", "Someone else changed this article")
		if got := textOf(p.input("en_body")); got != "My stale edit" {
			t.Errorf("the conflicting input is lost: %q", got)
		}
		if cur := onlyArticle(t, db, d.ops); attr(p.input("version"), "value") != itoa(cur.Version) {
			t.Errorf("the re-rendered form carries version %s, want %d", attr(p.input("version"), "value"), cur.Version)
		}

		// Revisions and the diff, lines coloured.
		p = ops.get(base).want(t, http.StatusOK)
		if got := p.rows(); len(got) != 3 {
			t.Fatalf("revisions = %v", got)
		}
		// The first text of each language (revisions 1 and 2) has nothing to compare with.
		for _, c := range []struct {
			rev  string
			link bool
		}{{"1", false}, {"2", false}, {"3", true}} {
			diff := base + "/diff?to=" + c.rev
			if got := slices.Contains(p.links(), diff); got != c.link {
				t.Errorf("revision %s: a Changes link: %v, want %v", c.rev, got, c.link)
			}
			if got := slices.Contains(ops.get(base+"/revisions/"+c.rev).want(t, http.StatusOK).links(), diff); got != c.link {
				t.Errorf("page of revision %s: a Changes link: %v, want %v", c.rev, got, c.link)
			}
		}
		p = ops.get(base+"/revisions/1").want(t, http.StatusOK)
		p.wantText(t, "kb-revision-meta", "first")
		p = ops.get(base+"/diff?to=3").want(t, http.StatusOK)
		ins, del := p.byClassText("diff-ins"), p.byClassText("diff-del")
		if !slices.ContainsFunc(ins, func(s string) bool { return strings.Contains(s, "Then check the log.") }) || len(del) != 0 {
			t.Errorf("diff: added %q removed %q", ins, del)
		}

		// One of the two texts may be removed, not both.
		enBody := "Restart it.\r\n\r\nThen check the log."
		p = ops.submit(base+"/edit", base, url.Values{"remove_fr": {"on"}, "remove_en": {"on"}, "en_body": {enBody}}).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "main", "keeps one of its texts")
		ops.follow(ops.submit(base+"/edit", base, url.Values{"remove_fr": {"on"}, "en_body": {enBody}})).want(t, http.StatusOK)
		if got := onlyArticle(t, db, d.ops).Langs(); !slices.Equal(got, []string{"en"}) {
			t.Errorf("after removing the French text: %v", got)
		}

		// An internal article is never a customer's, even published.
		internal, err := db.CreateArticle(as(d.ops), &opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN, Title: "Internal only"}}})
		if err != nil {
			t.Fatal(err)
		}
		publish(t, db, d.ops, internal)
		bob.get("/kb/"+itoa(internal.ID)).want(t, http.StatusNotFound)
		bob.get("/kb/99999").want(t, http.StatusNotFound)
		agent.get("/kb/"+itoa(internal.ID)).want(t, http.StatusOK)
		// An unknown filter value is ignored: the list is the unfiltered one.
		if links := agent.get("/kb?status=bogus&kind=x").want(t, http.StatusOK).links(); !slices.Contains(links, "/kb/"+itoa(internal.ID)) {
			t.Errorf("/kb?status=bogus lists %v, want the internal article among them", links)
		}
	})
}

// publish moves an article through review to publication as a manager.
func publish(t *testing.T, db *store.DB, u *opsdesk.User, a *opsdesk.Article) *opsdesk.Article {
	t.Helper()
	a, err := db.SetArticleStatus(as(u), a.ID, opsdesk.ArticleReview, a.Version, "")
	if err == nil {
		a, err = db.SetArticleStatus(as(u), a.ID, opsdesk.ArticlePublished, a.Version, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestKBLabels checks that the knowledge-base pages speak French and English.
func TestKBLabels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		for _, tt := range []struct {
			lang           string
			user           *opsdesk.User
			path, id, want string
		}{
			{"en", d.agent, "/kb", "h1", "Knowledge base"},
			{"fr", d.agent, "/kb", "h1", "Base de connaissances"},
			{"en", d.agent, "/kb/new", "kb-text-fr", "French text"},
			{"fr", d.agent, "/kb/new", "kb-text-fr", "Texte français"},
			{"en", d.alice, "/kb", "h1", "Help articles"},
			{"fr", d.alice, "/kb", "h1", "Base de connaissances"},
			{"en", d.alice, "/search?q=export", "h1", "Search"},
			{"fr", d.alice, "/search?q=export", "h1", "Recherche"},
		} {
			c := ws.client()
			c.header.Set("Accept-Language", tt.lang)
			c.login(tt.user.Email, password)
			p := c.get(tt.path).want(t, http.StatusOK)
			if p.htmlLang() != tt.lang {
				t.Errorf("%s in %s: lang %q", tt.path, tt.lang, p.htmlLang())
			}
			p.wantText(t, tt.id, tt.want)
		}
	})
}
