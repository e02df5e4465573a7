package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// myProjects is the desk with a project of Acme's and one of Globex's, from the default
// template, and the items the tests use: two of Acme's customer-owned items and a vendor one.
type myProjects struct {
	*desk
	acmeProj, globexProj    *opsdesk.Project
	owed, validated, vendor *opsdesk.Item
	globexItem              *opsdesk.Item
}

func newMyProjects(t *testing.T, db *store.DB) *myProjects {
	t.Helper()
	m := &myProjects{desk: newDesk(t, db)}
	start := opsdesk.Day(time.Now())
	m.acmeProj = &opsdesk.Project{CustomerID: m.acme.ID, Name: "Acme go-live", ManagerID: m.ops.ID, StartOn: start}
	m.globexProj = &opsdesk.Project{CustomerID: m.globex.ID, Name: "Globex secret launch", ManagerID: m.ops.ID, StartOn: start}
	for _, p := range []*opsdesk.Project{m.acmeProj, m.globexProj} {
		must(t, db.CreateProject(as(m.ops), p, ""))
	}
	pick := func(projectID int64, side opsdesk.OwnerSide, skip int) *opsdesk.Item {
		items, err := db.Items(as(m.ops), projectID)
		must(t, err)
		for _, it := range items {
			if it.OwnerSide == side {
				if skip == 0 {
					return it
				}
				skip--
			}
		}
		t.Fatalf("no %s item", side)
		return nil
	}
	m.owed, m.validated = pick(m.acmeProj.ID, opsdesk.SideCustomer, 0), pick(m.acmeProj.ID, opsdesk.SideCustomer, 1)
	m.vendor = pick(m.acmeProj.ID, opsdesk.SideVendor, 0)
	m.globexItem = pick(m.globexProj.ID, opsdesk.SideCustomer, 0)
	st := opsdesk.ItemValidated
	_, err := db.UpdateItem(as(m.ops), m.acmeProj.ID, m.validated.ID, opsdesk.ItemPatch{Status: &st})
	must(t, err)
	past := start.AddDate(0, 0, -10)
	_, err = db.UpdateItem(as(m.ops), m.acmeProj.ID, m.owed.ID, opsdesk.ItemPatch{DueOn: &past})
	must(t, err)
	return m
}

func itemPath(p *opsdesk.Project, it *opsdesk.Item) string {
	return "/my-projects/" + itoa(p.ID) + "/items/" + itoa(it.ID)
}

// TestMyProjectsScope: a customer sees their organisation's projects only; every route of
// another organisation's project is not found; the vendor's team is not on the portal's pages.
func TestMyProjectsScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMyProjects(t, db)
		ws := startSite(t, db)
		// A file on Globex's item, for the download route.
		_, err := db.UpdateItem(as(m.bob), m.globexProj.ID, m.globexItem.ID, opsdesk.ItemPatch{
			Attachments: []opsdesk.NewAttachment{{Name: "secret.txt", Size: 3, SHA256: strings.Repeat("ab", 32)}}})
		must(t, err)
		gi, err := db.Item(as(m.bob), m.globexProj.ID, m.globexItem.ID)
		must(t, err)

		alice := ws.client()
		alice.login(m.alice.Email, password)
		p := alice.get("/my-projects").want(t, http.StatusOK)
		if !strings.Contains(p.body, "Acme go-live") || strings.Contains(p.body, "Globex") {
			t.Errorf("Alice's project list shows another organisation's project, or not hers")
		}
		if byID(p.doc, "owed-items") == nil || !strings.Contains(p.text("owed-items"), m.owed.TitleEN) {
			t.Errorf("the items Acme owes are not listed: %q", p.text("owed-items"))
		}
		if late := byClass(p.doc, "late"); len(late) == 0 || !strings.Contains(textOf(late[0]), m.owed.TitleEN) {
			t.Errorf("the late item is not flagged")
		}
		if strings.Contains(p.text("owed-items"), m.validated.TitleEN) || strings.Contains(p.text("owed-items"), m.vendor.TitleEN) {
			t.Errorf("a validated or vendor item is listed as owed")
		}
		tok := alice.csrf()
		routes := []struct {
			name string
			do   func() *page
		}{
			{"page", func() *page { return alice.get("/my-projects/" + itoa(m.globexProj.ID)) }},
			{"evidence", func() *page {
				return alice.postFiles(itemPath(m.globexProj, m.globexItem)+"/evidence", url.Values{"csrf": {tok}, "evidence": {"x"}})
			}},
			{"comment", func() *page {
				return alice.post(itemPath(m.globexProj, m.globexItem)+"/comments", url.Values{"csrf": {tok}, "body": {"x"}})
			}},
			{"file", func() *page {
				return alice.get(itemPath(m.globexProj, m.globexItem) + "/files/" + itoa(gi.Attachments[0].ID))
			}},
			{"unknown project", func() *page { return alice.get("/my-projects/999999") }},
		}
		for _, r := range routes {
			if got := r.do(); got.status != http.StatusNotFound || strings.Contains(got.body, "Globex secret") {
				t.Errorf("%s of Globex's project as Alice: %d; want 404 without a trace of it", r.name, got.status)
			}
		}
		after, err := db.Item(as(m.bob), m.globexProj.ID, m.globexItem.ID)
		must(t, err)
		if after.Evidence != "" || after.Status != opsdesk.ItemTodo {
			t.Errorf("Globex's item changed: %+v", after)
		}

		agent := ws.client()
		agent.login(m.agent.Email, password)
		agent.get("/my-projects").want(t, http.StatusForbidden)
	})
}

// TestMyProjectEvidence: the customer submits evidence with a file and comments on an item their
// side owes; a vendor item is forbidden; a validated item is frozen; bad input is re-shown.
func TestMyProjectEvidence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMyProjects(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(m.alice.Email, password)
		page := "/my-projects/" + itoa(m.acmeProj.ID)
		base := itemPath(m.acmeProj, m.owed)
		key := itoa(m.owed.ID)

		p := alice.get(page).want(t, http.StatusOK)
		if byID(p.doc, "item-"+itoa(m.vendor.ID)) == nil || len(findAll(byID(p.doc, "item-"+itoa(m.vendor.ID)), func(n *htmlNode) bool { return n.Data == "form" })) != 0 {
			t.Error("the vendor item is missing or has a form")
		}
		if v := byID(p.doc, "item-"+itoa(m.validated.ID)); v == nil || len(byTag(v, "form")) != 0 || len(byClass(v, "frozen")) != 1 {
			t.Error("the validated item is missing, has a form or is not marked frozen")
		}

		// Nothing given: 422, the message next to the evidence.
		got := alice.submitFiles(page, base+"/evidence", url.Values{"evidence": {"  "}}).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(got.text("evidence-"+key+"-evidence-error"), "give a text or at least one file") {
			t.Errorf("empty evidence message = %q", got.text("evidence-"+key+"-evidence-error"))
		}

		// Evidence with a file: submitted, the file stored and downloadable, the text kept.
		got = alice.submitFiles(page, base+"/evidence", url.Values{"evidence": {"Flow matrix v2 attached"}},
			upload{"flows.csv", []byte("src,dst,port\n")}).want(t, http.StatusSeeOther)
		if !strings.HasPrefix(got.location(), page+"?done=myproj_submitted") {
			t.Errorf("redirect to %q", got.location())
		}
		it, err := db.Item(as(m.alice), m.acmeProj.ID, m.owed.ID)
		must(t, err)
		if it.Status != opsdesk.ItemSubmitted || it.Evidence != "Flow matrix v2 attached" || len(it.Attachments) != 1 || it.Attachments[0].Name != "flows.csv" {
			t.Fatalf("item after submission: %s %q %+v", it.Status, it.Evidence, it.Attachments)
		}
		dl := alice.get(base+"/files/"+itoa(it.Attachments[0].ID)).want(t, http.StatusOK)
		if dl.body != "src,dst,port\n" || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("download: %q, %q", dl.body, dl.header.Get("Content-Disposition"))
		}
		p = alice.get(page).want(t, http.StatusOK)
		if txt := p.text("item-" + key); !strings.Contains(txt, "flows.csv") || !strings.Contains(txt, "submitted") {
			t.Errorf("the item does not show its file and status: %q", txt)
		}

		// A comment, shown on the item.
		alice.submit(page, base+"/comments", url.Values{"body": {"The firewall team confirms port 443."}}).want(t, http.StatusSeeOther)
		if p = alice.get(page); !strings.Contains(p.text("item-"+key), "The firewall team confirms port 443.") {
			t.Errorf("the comment is not shown: %q", p.text("item-"+key))
		}

		// The vendor's item: forbidden, nothing changes.
		tok := alice.csrf()
		alice.postFiles(itemPath(m.acmeProj, m.vendor)+"/evidence", url.Values{"csrf": {tok}, "evidence": {"mine"}}).want(t, http.StatusForbidden)
		alice.post(itemPath(m.acmeProj, m.vendor)+"/comments", url.Values{"csrf": {tok}, "body": {"mine"}}).want(t, http.StatusForbidden)
		// The validated item: frozen.
		got = alice.postFiles(itemPath(m.acmeProj, m.validated)+"/evidence", url.Values{"csrf": {tok}, "evidence": {"late change"}}).want(t, http.StatusConflict)
		if !strings.Contains(got.body, "already validated") {
			t.Errorf("the refusal does not say the item is validated")
		}
		alice.post(itemPath(m.acmeProj, m.validated)+"/comments", url.Values{"csrf": {tok}, "body": {"x"}}).want(t, http.StatusConflict)
		for _, x := range []*opsdesk.Item{m.vendor, m.validated} {
			after, err := db.Item(as(m.ops), m.acmeProj.ID, x.ID)
			must(t, err)
			if after.Evidence != "" || len(after.Attachments) != 0 {
				t.Errorf("%s changed: %q", x.TitleEN, after.Evidence)
			}
		}
		h, err := db.ProjectHistory(as(m.ops), m.acmeProj.ID)
		must(t, err)
		for _, e := range h {
			if e.Action == "comment" && e.ItemID != m.owed.ID {
				t.Errorf("a refused comment was kept on item %d", e.ItemID)
			}
		}

		// In French: the navigation and the statuses.
		alice.header.Set("Accept-Language", "fr")
		p = alice.get("/my-projects").want(t, http.StatusOK)
		if !strings.Contains(p.body, ">Projets<") || !strings.Contains(p.text("owed-items"), "soumis") {
			t.Errorf("the French list lacks its navigation link or statuses: %q", p.text("owed-items"))
		}
	})
}
