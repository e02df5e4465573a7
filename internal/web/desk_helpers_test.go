package web_test

import (
	"bytes"
	"context"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// desk is the foundation fixture with the ticket lists seeded, a contract for GLOBEX that
// provides N1 and N2 only, an N2 agent, and one request filed by each customer.
type desk struct {
	*fixture
	n2                 *opsdesk.User
	acmeReq, globexReq *opsdesk.Ticket
}

func newDesk(t *testing.T, db *store.DB) *desk {
	t.Helper()
	if err := db.SeedDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := &desk{fixture: newFixture(t, db)}
	if err := db.SetContract(system, &opsdesk.Contract{CustomerID: d.globex.ID, Levels: []opsdesk.Level{"N1", "N2"}}); err != nil {
		t.Fatal(err)
	}
	d.n2 = mkUser(t, db, &opsdesk.User{Email: "n2@vendor.example", Name: "Noah Two", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN2})
	d.acmeReq = fileTicket(t, db, d.alice, opsdesk.NewTicket{EnvironmentID: d.acmeEnv.ID, Severity: "major", Category: "application",
		Subject: "Invoices export fails", Description: "The export button returns an error."})
	d.globexReq = fileTicket(t, db, d.bob, opsdesk.NewTicket{EnvironmentID: d.globexEnv.ID, Severity: "minor", Category: "application",
		Subject: "Globex secret subject", Description: "Globex secret description."})
	return d
}

// fileTicket files a request through the store as a user.
func fileTicket(t *testing.T, db *store.DB, u *opsdesk.User, n opsdesk.NewTicket) *opsdesk.Ticket {
	t.Helper()
	tk, err := db.CreateTicket(as(u), &n)
	if err != nil {
		t.Fatalf("file a ticket as %s: %v", u.Email, err)
	}
	return tk
}

// upload is a file a test sends in a form's attachments input.
type upload struct {
	name    string
	content []byte
}

// submitFiles is submit for a form with attachments: it checks that the form posts
// multipart/form-data, and sends its fields (the CSRF token first, as a browser sends fields in
// document order) and the files.
func (c *client) submitFiles(pagePath, action string, values url.Values, files ...upload) *page {
	c.t.Helper()
	p := c.get(pagePath)
	f := p.form(c.t, action)
	if attr(f, "enctype") != "multipart/form-data" {
		c.t.Fatalf("%s: the form posting to %s does not send files (enctype %q)", pagePath, action, attr(f, "enctype"))
	}
	v := formValues(f)
	for k, vs := range values {
		if len(vs) == 0 {
			v.Del(k)
		} else {
			v[k] = vs
		}
	}
	return c.postFiles(action, v, files...)
}

// postFiles posts a multipart form.
func (c *client) postFiles(action string, v url.Values, files ...upload) *page {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "csrf":
			return -1
		case b == "csrf":
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		for _, x := range v[k] {
			mw.WriteField(k, x)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("attachments", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.content)
	}
	mw.Close()
	return c.send(http.MethodPost, action, mw.FormDataContentType(), &buf)
}

// csrf is the token of the client's session, read from a page.
func (c *client) csrf() string {
	c.t.Helper()
	tok := attr(c.get("/account").input("csrf"), "value")
	if tok == "" {
		c.t.Fatal("no CSRF token on the account page")
	}
	return tok
}

// rows are the ticket numbers of a list page, in order.
func (p *page) rows() []string {
	var out []string
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-key") != "" }) {
		out = append(out, attr(tr, "data-key"))
	}
	return out
}

// byClassText is the text of each element with the class.
func (p *page) byClassText(class string) []string {
	var out []string
	for _, n := range byClass(p.doc, class) {
		out = append(out, textOf(n))
	}
	return out
}

// wantText fails the test unless the element (id or tag) contains each of the strings.
func (p *page) wantText(t *testing.T, idOrTag string, want ...string) {
	t.Helper()
	got := p.text(idOrTag)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: #%s = %q, want it to contain %q", p.url, idOrTag, got, w)
		}
	}
}

// follow gets the target of a 303.
func (c *client) follow(p *page) *page {
	c.t.Helper()
	p.want(c.t, http.StatusSeeOther)
	return c.get(p.location())
}

// blobStore is the site's attachment store, to put content the way the UI does.
func (s *site) blobStore() *blob.Store {
	s.t.Helper()
	b, err := blob.Open(s.blobs)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// fixedDraft is the resolution tests give: a summary, a cause and a draft article (which the
// knowledge-base rule needs on a blocking ticket).
func fixedDraft() *opsdesk.Resolution {
	return &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect", DraftArticle: true}
}

// resolve marks a ticket resolved as a member of staff.
func resolve(t *testing.T, db *store.DB, u *opsdesk.User, key string) {
	t.Helper()
	st := opsdesk.StatusResolved
	if _, err := db.UpdateTicket(as(u), key, opsdesk.TicketPatch{Status: &st, Reason: "fixed", Resolution: fixedDraft()}); err != nil {
		t.Fatal(err)
	}
}

// selected is the value of the chosen option of a select.
func selected(p *page, name string) string {
	for _, o := range byTag(p.input(name), "option") {
		if hasAttr(o, "selected") {
			return attr(o, "value")
		}
	}
	return ""
}

func countTickets(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.CountTickets(system, opsdesk.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// storedFiles counts the files in the site's attachment store.
func storedFiles(t *testing.T, ws *site) int {
	t.Helper()
	n := 0
	filepath.WalkDir(ws.blobs, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return nil
	})
	return n
}
