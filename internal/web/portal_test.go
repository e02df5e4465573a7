package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestRequestFormValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)

		// The form: the severity scale as radio buttons, most severe first, each explained; the
		// customer's own environments; the active categories in the reader's language.
		p := alice.get("/requests/new").want(t, http.StatusOK)
		var codes []string
		for _, r := range findAll(p.doc, func(n *htmlNode) bool { return n.Data == "input" && attr(n, "name") == "severity" }) {
			if attr(r, "type") != "radio" {
				t.Errorf("severity input of type %q", attr(r, "type"))
			}
			codes = append(codes, attr(r, "value"))
		}
		if !slices.Equal(codes, []string{"blocking", "major", "minor", "question", "evolution"}) {
			t.Errorf("severities = %v", codes)
		}
		if got := p.text("request-severity-blocking-help"); got != opsdesk.DefaultSeverities[0].HelpEN {
			t.Errorf("blocking explained as %q", got)
		}
		if envs := textOf(p.input("environment")); !strings.Contains(envs, "acme-prod") || strings.Contains(envs, "globex") {
			t.Errorf("environment choices: %q", envs)
		}
		if cats := textOf(p.input("category")); !strings.Contains(cats, "Integrations and data flows") {
			t.Errorf("category choices: %q", cats)
		}
		if n := len(byTag(p.form(t, "/requests"), "textarea")); n != 2 {
			t.Errorf("%d textareas (description, impact)", n)
		}

		// Blocking without impact: 422, the message next to the impact field, everything kept.
		blocking := url.Values{"severity": {"blocking"}, "category": {"integration"}, "environment": {itoa(d.acmeEnv.ID)},
			"subject": {"Orders stuck"}, "description": {"No order leaves since 9:00"}, "impact": {""}}
		before := countTickets(t, db)
		p = alice.submitFiles("/requests/new", "/requests", blocking, upload{"trace.log", []byte("stack trace")}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("request-impact-error"); !strings.Contains(msg, "“Blocking anomaly” request must state its impact") {
			t.Errorf("impact message = %q", msg)
		}
		impact := p.input("impact")
		if attr(impact, "aria-invalid") != "true" || !strings.Contains(attr(impact, "aria-describedby"), "request-impact-error") {
			t.Errorf("impact input not marked: %v", impact.Attr)
		}
		if attr(p.input("subject"), "value") != "Orders stuck" || textOf(p.input("description")) != "No order leaves since 9:00" ||
			!hasAttr(byID(p.doc, "request-severity-blocking"), "checked") || selected(p, "category") != "integration" ||
			selected(p, "environment") != itoa(d.acmeEnv.ID) {
			t.Error("the input was not kept")
		}
		if !strings.Contains(p.text("request-attachments-error"), "choose them again") {
			t.Errorf("the lost files are not explained: %q", p.text("request-attachments-error"))
		}
		if countTickets(t, db) != before || storedFiles(t, ws) != 0 {
			t.Error("a refused request was recorded, or its file stored")
		}

		// The same in French, with the severity named in French.
		alice.header.Set("Accept-Language", "fr-FR")
		p = alice.submitFiles("/requests/new", "/requests", blocking).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("request-impact-error"); !strings.Contains(msg, "« Anomalie bloquante » doit préciser son impact") {
			t.Errorf("French impact message = %q", msg)
		}
		alice.header.Del("Accept-Language")

		// No subject, an unknown category, no severity: every message at once, next to its field.
		p = alice.submitFiles("/requests/new", "/requests", url.Values{"severity": nil, "category": {"hr"}, "subject": {"  "},
			"description": {"d"}}).want(t, http.StatusUnprocessableEntity)
		for id, want := range map[string]string{"request-subject-error": "is required", "request-category-error": `"hr" is not a category`,
			"request-severity-error": "choose the severity"} {
			if got := p.text(id); !strings.Contains(got, want) {
				t.Errorf("#%s = %q, want %q", id, got, want)
			}
		}
		// Another organisation's environment is refused, next to the field.
		p = alice.submitFiles("/requests/new", "/requests", url.Values{"severity": {"minor"}, "category": {"application"},
			"subject": {"s"}, "description": {"d"}, "environment": {itoa(d.globexEnv.ID)}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text("request-environment-error"); got != "choose one of your environments" {
			t.Errorf("environment message = %q", got)
		}
		if countTickets(t, db) != before {
			t.Error("a refused request was recorded")
		}
	})
}

func TestRequestAttachmentTooLarge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db, func(c *config.Config) { c.MaxUpload = 1024 })
		alice := ws.client()
		alice.login(d.alice.Email, password)
		before := countTickets(t, db)
		p := alice.submitFiles("/requests/new", "/requests", url.Values{"severity": {"minor"}, "category": {"application"},
			"subject": {"Big file"}, "description": {"See attached"}},
			upload{"small.txt", []byte("fits")}, upload{"big.bin", make([]byte, 2048)}).want(t, http.StatusUnprocessableEntity)
		if got := p.text("request-attachments-error"); !strings.Contains(got, "big.bin is larger than the 1 KB allowed") {
			t.Errorf("attachments message = %q", got)
		}
		if attr(p.input("subject"), "value") != "Big file" {
			t.Error("the input was not kept")
		}
		if countTickets(t, db) != before || storedFiles(t, ws) != 0 {
			t.Error("a request with a file over the limit was recorded, or a file stored")
		}
	})
}

func TestFileRequestWithAttachment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\n")
		p := alice.submitFiles("/requests/new", "/requests", url.Values{"severity": {"blocking"}, "category": {"application"},
			"environment": {itoa(d.acmeEnv.ID)}, "subject": {"Checkout down"}, "description": {"Every payment fails with error 502."},
			"impact": {"All 300 shops cannot sell since 9:00"}}, upload{"résumé report.pdf", pdf}).want(t, http.StatusSeeOther)
		loc := p.location()
		if !strings.HasPrefix(loc, "/requests/OPS-") || !strings.HasSuffix(loc, "?done=filed") {
			t.Fatalf("filed → %s", loc)
		}
		key := strings.TrimSuffix(strings.TrimPrefix(loc, "/requests/"), "?done=filed")
		tk, err := db.TicketByKey(as(d.admin), key)
		if err != nil || tk.Subject != "Checkout down" || tk.Severity != "blocking" || tk.EnvironmentID != d.acmeEnv.ID ||
			tk.Impact != "All 300 shops cannot sell since 9:00" || tk.Channel != opsdesk.ChannelWeb || tk.RequesterMail != d.alice.Email {
			t.Fatalf("ticket = %+v, %v", tk, err)
		}

		p = alice.get(loc).want(t, http.StatusOK)
		p.wantText(t, "main", "Your request is filed", key, "Checkout down", "Blocking anomaly", "New", "acme-prod",
			"Every payment fails with error 502.", "résumé report.pdf")
		var link string
		for _, l := range p.links() {
			if strings.HasPrefix(l, "/requests/"+key+"/attachments/") {
				link = l
			}
		}
		if link == "" {
			t.Fatalf("no attachment link on %s", loc)
		}
		dl := alice.get(link).want(t, http.StatusOK)
		if dl.body != string(pdf) {
			t.Errorf("downloaded %q", dl.body)
		}
		for k, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
			"Content-Disposition":     "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20report.pdf",
			"Content-Security-Policy": "default-src 'none'; sandbox"} {
			if got := dl.header.Get(k); got != want {
				t.Errorf("download %s = %q, want %q", k, got, want)
			}
		}
		// Staff download the same file from the workspace.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		if got := agent.get(strings.Replace(link, "/requests/", "/tickets/", 1)).want(t, http.StatusOK); got.body != string(pdf) {
			t.Errorf("staff download: %q", got.body)
		}

		// A file that a browser would run is sent under its sniffed type, as a download, sandboxed.
		p = alice.submitFiles(loc, "/requests/"+key+"/reply", url.Values{"body": {"The page I see"}},
			upload{"page.html", []byte("<html><script>alert(1)</script></html>")}).want(t, http.StatusSeeOther)
		msgs, _ := db.Messages(as(d.alice), key)
		last := msgs[len(msgs)-1]
		if last.Body != "The page I see" || len(last.Attachments) != 1 {
			t.Fatalf("reply = %+v", last)
		}
		dl = alice.get("/requests/"+key+"/attachments/"+itoa(last.Attachments[0].ID)).want(t, http.StatusOK)
		if !strings.HasPrefix(dl.header.Get("Content-Type"), "text/html") ||
			!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment;") || dl.header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("HTML attachment headers: %v", dl.header)
		}
	})
}
