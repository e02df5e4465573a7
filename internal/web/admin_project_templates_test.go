package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

const ptplEdit = "/admin/project-templates/default"

func TestProjectTemplateEditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		admin := ws.client()
		admin.login(d.admin.Email, password)

		// A project created before any edit: it must keep its own copy.
		before := &opsdesk.Project{CustomerID: d.acme.ID, Name: "Acme go-live", ManagerID: d.ops.ID, StartOn: opsdesk.Day(time.Now())}
		must(t, db.CreateProject(as(d.ops), before, ""))
		itemsBefore, err := db.Items(as(d.ops), before.ID)
		must(t, err)

		// The list: the seeded default template with its counts and badge.
		row := admin.get("/admin/project-templates").want(t, http.StatusOK).text("ptpl-default")
		for _, want := range []string{"default", "Mise en service standard", "Standard go-live", " 5 ", " 19 ", "Default"} {
			if !strings.Contains(" "+row+" ", want) {
				t.Errorf("list row %q lacks %q", row, want)
			}
		}

		// The editor: every id once, every input labelled, blank rows offered.
		ed := admin.get(ptplEdit).want(t, http.StatusOK)
		ids := map[string]bool{}
		for _, n := range findAll(ed.doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
			if ids[attr(n, "id")] {
				t.Errorf("id %s appears twice", attr(n, "id"))
			}
			ids[attr(n, "id")] = true
		}
		if ed.input("p5-code") == nil || ed.input("p1-i3-title_fr") == nil || ed.input("p4-i2-remove") == nil || !ids["ptpl-p1-i3-title_fr"] {
			t.Error("the editor lacks its blank rows or remove boxes")
		}

		// Edit a phase and an item, add an item through a blank row, remove another.
		admin.submit(ptplEdit, ptplEdit, url.Values{
			"p0-name_en": {"Pre-framing (edited)"}, "p0-i0-title_en": {"Target architecture v2"}, "p0-i0-offset": {"5"},
			"p1-i2-title_fr": {"Charte de projet"}, "p1-i2-title_en": {"Project charter"}, "p1-i2-kind": {"prerequisite"},
			"p1-i2-owner": {"customer"}, "p1-i2-offset": {"7"}, "p1-i2-order": {"5"},
			"p4-i2-remove": {"on"},
		}).want(t, http.StatusSeeOther)
		tpl, err := db.ProjectTemplate(as(d.admin), "default")
		must(t, err)
		pre, framing, improve := tpl.Phases[0], tpl.Phases[1], tpl.Phases[4]
		if pre.NameEN != "Pre-framing (edited)" || pre.Items[0].TitleEN != "Target architecture v2" || pre.Items[0].OffsetDays != 5 {
			t.Errorf("phase not saved: %+v / %+v", pre.NameEN, pre.Items[0])
		}
		if len(framing.Items) != 3 || framing.Items[0] != (opsdesk.TemplateItem{Kind: opsdesk.ItemPrerequisite, TitleFR: "Charte de projet",
			TitleEN: "Project charter", OwnerSide: opsdesk.SideCustomer, OffsetDays: 7}) {
			t.Errorf("framing items after adding one ordered first: %+v", framing.Items)
		}
		if len(improve.Items) != 2 || improve.Items[1].TitleEN != "Audit" {
			t.Errorf("improvement items after removing the last: %+v", improve.Items)
		}
		if !tpl.IsDefault || len(tpl.Phases) != 5 {
			t.Errorf("default %v, %d phases", tpl.IsDefault, len(tpl.Phases))
		}

		// Invalid input: the page comes back with what was typed and the messages by the fields.
		p := admin.submit(ptplEdit, ptplEdit, url.Values{"p1-code": {"preframing"}, "p0-i0-title_fr": {""},
			"p2-name_en": {"Typed deployment name"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "ptpl-p1-code-error", "Another phase already has the code preframing.")
		p.wantText(t, "ptpl-p0-i0-title_fr-error", "The French title is required.")
		if got := attr(p.input("p2-name_en"), "value"); got != "Typed deployment name" {
			t.Errorf("typed value not kept: %q", got)
		}
		p = admin.submit(ptplEdit, ptplEdit, url.Values{"p0-i1-offset": {"-3"}, "p0-order": {"x"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "ptpl-p0-i1-offset-error", "0 to 3650")
		p.wantText(t, "ptpl-p0-order-error", "whole number")
		if tpl2, _ := db.ProjectTemplate(as(d.admin), "default"); tpl2.Phases[0].Items[1].OffsetDays < 0 || tpl2.Phases[1].Code != "framing" {
			t.Error("an invalid submission changed the template")
		}

		// The project created before the edits keeps its items.
		itemsAfter, err := db.Items(as(d.ops), before.ID)
		must(t, err)
		if len(itemsAfter) != len(itemsBefore) || len(itemsAfter) != 19 {
			t.Fatalf("project items: %d before, %d after", len(itemsBefore), len(itemsAfter))
		}
		titles := ""
		for _, it := range itemsAfter {
			titles += it.TitleEN + "|"
		}
		if !strings.Contains(titles, "|Target architecture|") && !strings.HasPrefix(titles, "Target architecture|") ||
			!strings.Contains(titles, "Performance review") || strings.Contains(titles, "Project charter") {
			t.Errorf("the existing project changed with its template: %s", titles)
		}

		// A new template copied from the default, then made the default.
		admin.submit("/admin/project-templates", "/admin/project-templates", url.Values{"code": {"light"},
			"name_fr": {"Léger"}, "name_en": {"Light"}, "from": {"default"}}).want(t, http.StatusSeeOther)
		admin.submit("/admin/project-templates", "/admin/project-templates", url.Values{"code": {"light"},
			"name_fr": {"x"}, "name_en": {"x"}}).want(t, http.StatusConflict).wantText(t, "ptpl-new-code-error", "light")
		admin.submit("/admin/project-templates", "/admin/project-templates", url.Values{"code": {"Bad Code"},
			"name_fr": {"x"}, "name_en": {"x"}}).want(t, http.StatusUnprocessableEntity).wantText(t, "ptpl-new-code-error", "lower-case")
		admin.get("/admin/project-templates/light").want(t, http.StatusOK).wantText(t, "ptpl-notice", "never changes the projects already created")
		admin.submit("/admin/project-templates", "/admin/project-templates/light/default", nil).want(t, http.StatusSeeOther)
		light, err := db.ProjectTemplate(as(d.admin), "")
		must(t, err)
		if light.Code != "light" || len(light.Phases) != 5 || light.Phases[1].Items[0].TitleEN != "Project charter" {
			t.Errorf("the default template is now %s with %d phases", light.Code, len(light.Phases))
		}
		admin.get("/admin/project-templates/nope").want(t, http.StatusNotFound)

		// French labels.
		admin.header.Set("Accept-Language", "fr")
		fr := admin.get(ptplEdit).want(t, http.StatusOK)
		fr.wantText(t, "h1", "default", "Mise en service standard")
		fr.wantText(t, "ptpl-notice", "ne change jamais les projets déjà créés")
		admin.get("/admin/project-templates").wantText(t, "main", "Modèles de projet", "Nouveau modèle")
		admin.submit("/admin/project-templates", "/admin/project-templates", url.Values{"code": {"Bad Code"},
			"name_fr": {"x"}, "name_en": {"x"}}).want(t, http.StatusUnprocessableEntity).wantText(t, "ptpl-new-code-error", "lettres minuscules")
		admin.submit("/admin/project-templates", "/admin/project-templates", url.Values{"code": {"light"},
			"name_fr": {"x"}, "name_en": {"x"}}).want(t, http.StatusConflict).wantText(t, "ptpl-new-code-error", "un modèle light existe déjà")
		admin.submit(ptplEdit, ptplEdit, url.Values{"p0-i0-title_fr": {""}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "ptpl-p0-i0-title_fr-error", "Le titre en français est obligatoire.")
		admin.header.Del("Accept-Language")
		admin.get("/admin/project-templates").wantText(t, "main", "Project templates", "New template")

		// Only admins: the store lets no one else save templates.
		for _, u := range []*opsdesk.User{d.ops, d.agent, d.alice} {
			c := ws.client()
			c.login(u.Email, password)
			c.get("/admin/project-templates").want(t, http.StatusForbidden)
			c.get(ptplEdit).want(t, http.StatusForbidden)
			c.post(ptplEdit, url.Values{"csrf": {c.csrf()}, "name_fr": {"x"}, "name_en": {"x"}, "phases": {"0"}}).want(t, http.StatusForbidden)
			c.post("/admin/project-templates/default/default", url.Values{"csrf": {c.csrf()}}).want(t, http.StatusForbidden)
		}
		if tpl, _ := db.ProjectTemplate(as(d.admin), "default"); tpl.NameFR != "Mise en service standard" {
			t.Errorf("a non-admin changed the template: %q", tpl.NameFR)
		}
	})
}
