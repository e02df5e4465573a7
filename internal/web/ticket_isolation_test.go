package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestTicketIsolation walks every portal and workspace route that names a ticket or an
// attachment as each customer, against the other organisation's request: nothing is found,
// nothing changes, nothing leaks.
func TestTicketIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		type side struct {
			user      *opsdesk.User
			own       *opsdesk.Ticket
			ownAtt    int64
			leak      string // a word only the organisation's own pages may show
			noteWords string
		}
		sides := []*side{{user: d.alice, own: d.acmeReq, leak: "Invoices"}, {user: d.bob, own: d.globexReq, leak: "Globex secret"}}
		for _, sd := range sides {
			// Each request has a public attachment, an internal note with a file, and is resolved,
			// so that the actions a customer may take would succeed on their own request.
			m, err := db.AddMessage(as(d.agent), sd.own.Key, "public answer", false, []opsdesk.NewAttachment{storeBlob(t, ws, "log-"+sd.own.Key+".txt")})
			if err != nil {
				t.Fatal(err)
			}
			sd.ownAtt = m.Attachments[0].ID
			sd.noteWords = "note about " + sd.own.Key
			if _, err := db.AddMessage(as(d.agent), sd.own.Key, sd.noteWords, true, []opsdesk.NewAttachment{storeBlob(t, ws, "note.txt")}); err != nil {
				t.Fatal(err)
			}
			resolve(t, db, d.agent, sd.own.Key)
		}
		for i, sd := range sides {
			other := sides[1-i]
			c := ws.client()
			c.login(sd.user.Email, password)
			tok := c.csrf()
			okey, base := other.own.Key, "/requests/"+other.own.Key
			before, _ := db.Messages(as(d.admin), okey)

			// The portal: not found, whatever the route.
			for _, path := range []string{base, base + "/attachments/" + itoa(other.ownAtt),
				"/requests/" + sd.own.Key + "/attachments/" + itoa(other.ownAtt), "/requests/OPS-999999", "/events?ticket=" + okey} {
				p := c.get(path).want(t, http.StatusNotFound)
				if strings.Contains(p.body, other.leak) || strings.Contains(p.body, "log-"+okey) {
					t.Errorf("%s: %s leaks the other organisation", sd.user.Email, path)
				}
			}
			for _, action := range []string{"/reply", "/confirm", "/reopen"} {
				c.post(base+action, url.Values{"csrf": {tok}, "body": {"x"}, "comment": {"x"}}).want(t, http.StatusNotFound)
				c.postFiles(base+action, url.Values{"csrf": {tok}, "body": {"x"}, "comment": {"x"}}, upload{"a.txt", []byte("a")}).want(t, http.StatusNotFound)
			}
			after, _ := db.Messages(as(d.admin), okey)
			if tk, _ := db.TicketByKey(as(d.admin), okey); len(after) != len(before) || tk.Status != opsdesk.StatusResolved {
				t.Errorf("%s changed the other organisation's request", sd.user.Email)
			}

			// Their own request: found, without the internal note or its file.
			p := c.get("/requests/"+sd.own.Key).want(t, http.StatusOK)
			if strings.Contains(p.body, sd.noteWords) || strings.Contains(p.body, "note.txt") {
				t.Errorf("%s sees an internal note", sd.user.Email)
			}
			c.get("/requests/"+sd.own.Key+"/attachments/"+itoa(sd.ownAtt)).want(t, http.StatusOK)
			if strings.Contains(c.get("/requests").body, other.leak) {
				t.Errorf("%s's list shows the other organisation", sd.user.Email)
			}

			// The workspace and the list administration: forbidden, even for their own request.
			for _, key := range []string{sd.own.Key, okey} {
				tb := "/tickets/" + key
				c.get(tb).want(t, http.StatusForbidden)
				c.get(tb+"/attachments/"+itoa(sd.ownAtt)).want(t, http.StatusForbidden)
				for _, action := range []string{"/messages", "/take", "/assign", "/status", "/qualify", "/escalate"} {
					c.post(tb+action, url.Values{"csrf": {tok}, "body": {"x"}, "status": {"open"}, "level": {"N2"}, "reason": {"x"},
						"assignee": {itoa(d.agent.ID)}, "severity": {"blocking"}}).want(t, http.StatusForbidden)
				}
			}
			for _, path := range []string{"/tickets", "/tickets?queue=mine", "/admin/categories", "/admin/categories/application",
				"/admin/severities", "/admin/severities/blocking", "/admin/groups", "/admin/groups/x"} {
				c.get(path).want(t, http.StatusForbidden)
			}
			for _, path := range []string{"/admin/categories", "/admin/categories/application", "/admin/severities",
				"/admin/severities/blocking", "/admin/groups"} {
				c.post(path, url.Values{"csrf": {tok}, "code": {"x"}, "label_fr": {"x"}, "label_en": {"x"}, "level": {"N1"}}).want(t, http.StatusForbidden)
			}
		}
		if tk, _ := db.TicketByKey(as(d.admin), d.acmeReq.Key); tk.Status != opsdesk.StatusResolved || tk.Severity != "major" {
			t.Errorf("a customer changed a ticket through the workspace: %+v", tk)
		}

		// Staff have the workspace; the portal is the customers'.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get("/requests").want(t, http.StatusForbidden)
		agent.get("/requests/"+d.acmeReq.Key).want(t, http.StatusForbidden)
		agent.get("/requests/new").want(t, http.StatusForbidden)

		// Anonymous visitors are sent to the login page, the stream included.
		anon := ws.client()
		for _, path := range []string{"/requests", "/tickets", "/tickets/" + d.acmeReq.Key, "/events"} {
			if p := anon.get(path).want(t, http.StatusSeeOther); !strings.HasPrefix(p.location(), "/login") {
				t.Errorf("%s → %s", path, p.location())
			}
		}
	})
}

// storeBlob writes a small file to the site's attachment store, as the web UI does before it
// records an attachment.
func storeBlob(t *testing.T, ws *site, name string) opsdesk.NewAttachment {
	t.Helper()
	st, err := ws.blobStore().Put(strings.NewReader("content of "+name), 0, name)
	if err != nil {
		t.Fatal(err)
	}
	return opsdesk.NewAttachment{Name: name, ContentType: st.ContentType, Size: st.Size, SHA256: st.SHA256}
}
