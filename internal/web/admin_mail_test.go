package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestTriageQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		raw := rawMail("From: Stranger <stranger@unknown.example>\nSubject: Our server is down\nMessage-ID: <s1@unknown.example>",
			"Hello,\n\nnothing answers since this morning.\n")
		r := ms.deliver(t, raw)
		if r.Status != mail.StatusTriage {
			t.Fatalf("an unknown sender's mail went to %q (%s), want triage", r.Status, r.Reason)
		}
		id := itoa(r.InboundID)

		// An agent sees the triage queue and the message; the raw message downloads as it came.
		c := ms.client()
		c.login(d.agent.Email, password)
		p := c.get("/admin/mail?status=triage").want(t, http.StatusOK)
		rows := findAll(p.doc, func(n *htmlNode) bool { return n.Data == "tr" && attr(n, "data-inbound") == id })
		if len(rows) != 1 || !containsAll(textOf(rows[0]), "Our server is down", "stranger@unknown.example", "smtp") {
			t.Fatalf("triage queue = %q", p.text("main"))
		}
		if p := c.get("/admin/mail?status=robot").want(t, http.StatusOK); byID(p.doc, "inbound") != nil {
			t.Errorf("the robots tab lists the triage message: %q", p.text("inbound"))
		}
		p = c.get("/admin/mail/"+id).want(t, http.StatusOK)
		p.wantText(t, "inbound-facts", "stranger@unknown.example", "s1@unknown.example")
		eml := c.get("/admin/mail/"+id+"/raw.eml").want(t, http.StatusOK)
		if eml.body != string(raw) {
			t.Errorf("raw.eml differs from the message delivered:\n%q\n%q", eml.body, raw)
		}
		for h, want := range map[string]string{"Content-Type": "message/rfc822", "X-Content-Type-Options": "nosniff"} {
			if got := eml.header.Get(h); got != want {
				t.Errorf("raw.eml %s = %q, want %q", h, got, want)
			}
		}
		if cd := eml.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("raw.eml Content-Disposition = %q", cd)
		}

		// Filing without a customer keeps the form with the message; with one, a ticket opens.
		p = c.submit("/admin/mail/"+id, "/admin/mail/"+id+"/file", url.Values{"customer": {""}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "file-customer-error") == nil {
			t.Errorf("no message next to the customer: %q", p.text("main"))
		}
		p = c.submit("/admin/mail/"+id, "/admin/mail/"+id+"/file", url.Values{"customer": {itoa(d.acme.ID)}}).want(t, http.StatusSeeOther)
		if !strings.HasPrefix(p.location(), "/tickets/") {
			t.Fatalf("filing led to %q", p.location())
		}
		key := strings.TrimPrefix(strings.SplitN(p.location(), "?", 2)[0], "/tickets/")
		tk, err := db.TicketByKey(system, key)
		if err != nil || tk.CustomerID != d.acme.ID || tk.Subject != "Our server is down" {
			t.Fatalf("filed ticket %s = %+v, %v", key, tk, err)
		}
		c.get(p.location()).want(t, http.StatusOK).wantText(t, "main", "Our server is down")
		if p := c.get("/admin/mail/" + id); p.input("customer") != nil {
			t.Error("a filed message still offers to be filed")
		}
		// Filing it again: a conflict, shown on the page.
		tok := c.csrf()
		c.post("/admin/mail/"+id+"/file", url.Values{"csrf": {tok}, "customer": {itoa(d.acme.ID)}}).want(t, http.StatusConflict)

		// Dismissing needs a reason.
		r2 := ms.deliver(t, rawMail("From: news@unknown.example\nSubject: Our newsletter\nMessage-ID: <n1@unknown.example>", "Buy now.\n"))
		id2 := itoa(r2.InboundID)
		p = c.submit("/admin/mail/"+id2, "/admin/mail/"+id2+"/dismiss", url.Values{"reason": {" "}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "dismiss-reason-error") == nil {
			t.Errorf("no message next to the reason: %q", p.text("main"))
		}
		p = c.submit("/admin/mail/"+id2, "/admin/mail/"+id2+"/dismiss", url.Values{"reason": {"newsletter"}}).want(t, http.StatusSeeOther)
		if p := c.get(p.location()); strings.Contains(p.text("main"), "Our newsletter") || !strings.Contains(p.text("main"), "dismissed") {
			t.Errorf("after dismissing: %q", p.text("main"))
		}
		in, err := db.InboundMail(system, r2.InboundID)
		if err != nil || in.Status != store.InboundDismissed || !strings.Contains(in.Reason, "newsletter") {
			t.Errorf("dismissed message = %+v, %v", in, err)
		}
		if p := c.get("/admin/mail?status=all"); !containsAll(p.text("inbound"), "Our newsletter", "Our server is down") {
			t.Errorf("all messages = %q", p.text("inbound"))
		}
	})
}

func TestMailRoutesRefuseCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		r := ms.deliver(t, rawMail("From: stranger@unknown.example\nSubject: Hello\nMessage-ID: <h1@unknown.example>", "Hi\n"))
		id := itoa(r.InboundID)
		c := ms.client()
		c.login(d.alice.Email, password)
		tok := c.csrf()
		for _, path := range []string{"/admin/mail", "/admin/mail?status=triage", "/admin/mail/" + id, "/admin/mail/" + id + "/raw.eml",
			"/admin/mailboxes", "/admin/mailboxes/support", "/admin/outbox", "/admin/templates", "/admin/templates/ack/en"} {
			if p := c.get(path); p.status != http.StatusForbidden {
				t.Errorf("customer GET %s: %d, want 403", path, p.status)
			}
		}
		for _, path := range []string{"/admin/mail/" + id + "/file", "/admin/mail/" + id + "/dismiss", "/admin/mailboxes",
			"/admin/mailboxes/support", "/admin/mailboxes/support/delete", "/admin/outbox/1/retry", "/admin/templates/ack/en",
			"/admin/templates/ack/en/reset"} {
			if p := c.post(path, url.Values{"csrf": {tok}, "customer": {itoa(d.acme.ID)}, "reason": {"x"}}); p.status != http.StatusForbidden {
				t.Errorf("customer POST %s: %d, want 403", path, p.status)
			}
		}
		if in, _ := db.InboundMail(system, r.InboundID); in.Status != store.InboundTriage {
			t.Errorf("a customer changed the message: %s", in.Status)
		}
		// Agents see the triage queue, not the managers' pages.
		a := ms.client()
		a.login(d.agent.Email, password)
		for _, path := range []string{"/admin/mailboxes", "/admin/outbox", "/admin/templates"} {
			if p := a.get(path); p.status != http.StatusForbidden {
				t.Errorf("agent GET %s: %d, want 403", path, p.status)
			}
		}
		// Ops managers manage the outbox, not the templates.
		o := ms.client()
		o.login(d.ops.Email, password)
		o.get("/admin/outbox").want(t, http.StatusOK)
		o.get("/admin/templates").want(t, http.StatusForbidden)
	})
}

func TestMailboxesAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		const secret = "imap-s3cret-pass"
		c := ms.client()
		c.login(d.admin.Email, password)
		fields := url.Values{"name": {"support"}, "host": {"imap.vendor.example"}, "username": {"support@vendor.example"},
			"password": {secret}, "xoauth2_token": {"tok-s3cret"}}
		c.submit("/admin/mailboxes", "/admin/mailboxes", fields).want(t, http.StatusSeeOther)
		m, err := db.Mailbox(system, "support")
		if err != nil || m.Password != secret || m.XOAuth2Token != "tok-s3cret" || m.Port != 993 || !m.Active {
			t.Fatalf("created mailbox = %+v, %v", m, err)
		}
		if err := db.RecordMailboxPoll(system, m.ID, errors.New("LOGIN failed: bad credentials")); err != nil {
			t.Fatal(err)
		}
		p := c.get("/admin/mailboxes").want(t, http.StatusOK)
		p.wantText(t, "mailboxes", "support", "imap.vendor.example:993", "LOGIN failed: bad credentials")
		if strings.Contains(p.body, secret) || strings.Contains(p.body, "tok-s3cret") {
			t.Error("the list shows a mailbox secret")
		}
		p = c.get("/admin/mailboxes/support").want(t, http.StatusOK)
		if strings.Contains(p.body, secret) || strings.Contains(p.body, "tok-s3cret") || attr(p.input("password"), "value") != "" {
			t.Error("the edit form shows a mailbox secret")
		}
		p.wantText(t, "mailbox-status", "LOGIN failed")

		// Saving with the secrets left empty keeps them.
		c.submit("/admin/mailboxes/support", "/admin/mailboxes/support", url.Values{"folder": {"Support"}}).want(t, http.StatusSeeOther)
		if m, _ := db.Mailbox(system, "support"); m.Folder != "Support" || m.Password != secret || m.XOAuth2Token != "tok-s3cret" {
			t.Errorf("after an edit: folder %q, password kept %v, token kept %v", m.Folder, m.Password == secret, m.XOAuth2Token == "tok-s3cret")
		}
		// An invalid edit is shown next to its field, keeping the input but not the password.
		p = c.submit("/admin/mailboxes/support", "/admin/mailboxes/support",
			url.Values{"action": {"move"}, "move_to": {""}, "host": {"imap2.vendor.example"}, "password": {"typed-new"}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "mailbox-move_to-error") == nil || attr(p.input("host"), "value") != "imap2.vendor.example" ||
			strings.Contains(p.body, "typed-new") {
			t.Errorf("invalid edit: %q", p.text("main"))
		}
		p = c.submit("/admin/mailboxes/support", "/admin/mailboxes/support", url.Values{"port": {"nine"}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "mailbox-port-error") == nil {
			t.Errorf("no message next to the port: %q", p.text("main"))
		}
		// A second mailbox with the same name: a conflict on the name.
		p = c.submit("/admin/mailboxes", "/admin/mailboxes", fields).want(t, http.StatusConflict)
		if byID(p.doc, "mailbox-name-error") == nil {
			t.Errorf("no message next to the name: %q", p.text("main"))
		}

		// Ops managers see the mailboxes; the store keeps changes to admins.
		o := ms.client()
		o.login(d.ops.Email, password)
		o.get("/admin/mailboxes").want(t, http.StatusOK)
		o.submit("/admin/mailboxes/support", "/admin/mailboxes/support/delete", nil).want(t, http.StatusForbidden)

		c.submit("/admin/mailboxes/support", "/admin/mailboxes/support/delete", nil).want(t, http.StatusSeeOther)
		if _, err := db.Mailbox(system, "support"); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestOutboxRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		m := &store.OutboxMail{DedupKey: "test:1", TicketID: d.acmeReq.ID, TicketKey: d.acmeReq.Key, Kind: "ack", Lang: opsdesk.LangEN,
			To: "alice@acme.example", Subject: "[" + d.acmeReq.Key + "] Invoices export fails", Text: "Registered.",
			MailMessageID: "test-1@vendor.example", CustomerFacing: true}
		if _, err := db.QueueMails(system, []*store.OutboxMail{m}, func(*store.OutboxMail) opsdesk.NewJob {
			return opsdesk.NewJob{Kind: "test.noop"}
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.FailOutbox(system, m.ID, notify.NoRelay, true); err != nil {
			t.Fatal(err)
		}
		c := ms.client()
		c.login(d.ops.Email, password)
		p := c.get("/admin/outbox?state=failed").want(t, http.StatusOK)
		rows := findAll(p.doc, func(n *htmlNode) bool { return n.Data == "tr" && attr(n, "data-outbox") == itoa(m.ID) })
		if len(rows) != 1 || !containsAll(textOf(rows[0]), "alice@acme.example", "no relay configured", "OPSDESK_SMTP_RELAY=host:port") {
			t.Fatalf("failed outbox = %q", p.text("main"))
		}
		if p := c.get("/admin/outbox?state=sent"); byID(p.doc, "outbox") != nil {
			t.Error("the sent tab lists a failed mail")
		}
		p = c.submit("/admin/outbox?state=failed", "/admin/outbox/"+itoa(m.ID)+"/retry", nil).want(t, http.StatusSeeOther)
		got, err := db.OutboxMailByID(system, m.ID)
		if err != nil || got.State != store.OutboxPending {
			t.Fatalf("after retry: %+v, %v", got, err)
		}
		jobs, _ := db.ListJobs(system, opsdesk.JobPending, 50)
		queued := false
		for _, j := range jobs {
			queued = queued || j.Kind == notify.SendJob
		}
		if !queued {
			t.Errorf("no %s job after retry: %+v", notify.SendJob, jobs)
		}
		if p := c.get(p.location()); !strings.Contains(p.text("main"), "queued to be sent again") {
			t.Errorf("after retry: %q", p.text("main"))
		}
		// Retrying a mail that is not failed: not found.
		c.post("/admin/outbox/"+itoa(m.ID)+"/retry", url.Values{"csrf": {c.csrf()}}).want(t, http.StatusNotFound)
	})
}

func TestMailTemplateEditor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		c := ms.client()
		c.login(d.admin.Email, password)
		p := c.get("/admin/templates").want(t, http.StatusOK)
		if len(findAll(p.doc, func(n *htmlNode) bool { return attr(n, "data-template") == "ack-en" })) != 1 {
			t.Fatalf("templates = %q", p.text("templates"))
		}
		const edit = "/admin/templates/ack/en"
		p = c.get(edit).want(t, http.StatusOK)
		if attr(p.input("subject"), "value") == "" || textOf(p.input("html")) == "" {
			t.Fatal("the editor does not start from the template in force")
		}
		p.wantText(t, "template-fields", ".Number", ".HandlingTime")

		// Preview renders the draft with sample data on the same page, saving nothing.
		p = c.submit(edit, edit, url.Values{"do": {"preview"}, "subject": {"Ticket {{.Number}} registered"},
			"text": {"Hello {{.Requester}}, ticket {{.Number}}."}, "html": {"<p>Ticket <b>{{.Number}}</b> &amp; more</p>"}}).want(t, http.StatusOK)
		p.wantText(t, "preview-subject", "Ticket OPS-1042 registered")
		p.wantText(t, "preview-text", "Hello Alice Martin, ticket OPS-1042.")
		frame := byID(p.doc, "preview-html")
		if frame == nil || !hasAttr(frame, "sandbox") || !strings.Contains(attr(frame, "srcdoc"), "<b>OPS-1042</b>") {
			t.Errorf("preview frame = %+v", frame)
		}
		if _, custom, _ := ms.mail.Template(system, notify.KindAck, opsdesk.LangEN); custom {
			t.Error("a preview saved the template")
		}

		// An invalid template is refused with the message next to its part, keeping the input.
		p = c.submit(edit, edit, url.Values{"do": {"save"}, "text": {"Ticket {{.Numero}}"}}).want(t, http.StatusUnprocessableEntity)
		if e := byID(p.doc, "tpl-text-error"); e == nil || !strings.Contains(textOf(e), "Numero") {
			t.Errorf("no message next to the text: %q", p.text("main"))
		}
		if textOf(p.input("text")) != "Ticket {{.Numero}}" {
			t.Errorf("the text typed is lost: %q", textOf(p.input("text")))
		}
		p = c.submit(edit, edit, url.Values{"do": {"preview"}, "html": {"<p>{{.Number</p>"}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "tpl-html-error") == nil {
			t.Errorf("no message next to the HTML: %q", p.text("main"))
		}

		// Save, then reset to the built-in template.
		c.submit(edit, edit, url.Values{"do": {"save"}, "subject": {"Registered: {{.Number}}"}}).want(t, http.StatusSeeOther)
		tpl, custom, err := ms.mail.Template(system, notify.KindAck, opsdesk.LangEN)
		if err != nil || !custom || tpl.Subject != "Registered: {{.Number}}" {
			t.Fatalf("after save: %+v, %v, %v", tpl, custom, err)
		}
		c.submit(edit, edit+"/reset", nil).want(t, http.StatusSeeOther)
		if _, custom, _ := ms.mail.Template(system, notify.KindAck, opsdesk.LangEN); custom {
			t.Error("reset left the override")
		}
		c.get("/admin/templates/nope/en").want(t, http.StatusNotFound)
	})
}

func TestTicketPageMailMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ms := startMailSite(t, db)
		first := ms.deliver(t, rawMail("From: Alice <alice@acme.example>\nSubject: Login page broken\nMessage-ID: <a1@acme.example>",
			"The login page shows a blank screen.\n"))
		if first.Status != mail.StatusTicket {
			t.Fatalf("first mail: %s (%s)", first.Status, first.Reason)
		}
		key := first.TicketKey
		reply := rawMail("From: Alice <alice@acme.example>\nSubject: Re: ["+key+"] Login page broken\nMessage-ID: <a2@acme.example>\n"+
			"In-Reply-To: <a1@acme.example>\nReferences: <a1@acme.example>",
			"It works again, thanks.\n\nOn Mon, 2 Mar 2026 at 09:00, Support <support@vendor.example> wrote:\n> Could you clear the browser cache?\n> Regards\n")
		r := ms.deliver(t, reply)
		if r.TicketKey != key || r.MessageID == 0 {
			t.Fatalf("reply went to %q (%s, %s)", r.TicketKey, r.Status, r.Reason)
		}
		msgID := itoa(r.MessageID)
		raw := "/tickets/" + key + "/messages/" + msgID + "/raw.eml"

		c := ms.client()
		c.login(d.agent.Email, password)
		p := c.get("/tickets/"+key).want(t, http.StatusOK)
		li := byID(p.doc, "m"+msgID)
		if li == nil {
			t.Fatalf("no message %s on the page: %q", msgID, p.text("timeline"))
		}
		details := findAll(li, func(n *htmlNode) bool { return n.Data == "details" })
		if len(details) != 1 || !strings.Contains(textOf(details[0]), "Could you clear the browser cache?") {
			t.Errorf("the quoted conversation is not folded under details: %q", textOf(li))
		}
		if body := byClass(li, "body"); len(body) == 0 || strings.Contains(textOf(body[0]), "clear the browser cache") ||
			!strings.Contains(textOf(body[0]), "It works again") {
			t.Errorf("message body = %q", textOf(li))
		}
		if !containsLink(p, raw) {
			t.Errorf("no link to %s", raw)
		}
		eml := c.get(raw).want(t, http.StatusOK)
		if eml.body != string(reply) || eml.header.Get("Content-Type") != "message/rfc822" {
			t.Errorf("raw reply: %q (%s)", eml.body, eml.header.Get("Content-Type"))
		}
		// A message that did not come by mail has no raw form.
		note, err := db.AddMessage(as(d.agent), key, "Checked the logs.", true, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.get("/tickets/"+key+"/messages/"+itoa(note.ID)+"/raw.eml").want(t, http.StatusNotFound)

		// The customer reaches neither the staff route nor any raw mail from the portal.
		a := ms.client()
		a.login(d.alice.Email, password)
		a.get(raw).want(t, http.StatusForbidden)
		a.get("/requests/"+key+"/messages/"+msgID+"/raw.eml").want(t, http.StatusNotFound)
		if p := a.get("/requests/"+key).want(t, http.StatusOK); containsLink(p, raw) {
			t.Error("the portal links to the raw mail")
		}
	})
}
