package notify_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// resolutionFor is the resolution a patch to status s needs: one (with a draft article, for the
// knowledge-base rule of blocking tickets) when s is resolved, nil otherwise.
func resolutionFor(s opsdesk.Status) *opsdesk.Resolution {
	if s != opsdesk.StatusResolved {
		return nil
	}
	return &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect", DraftArticle: true}
}

var msgIDRE = regexp.MustCompile(`^<opsdesk\.OPS-\d+\.[0-9a-f]{20}@vendor\.example>$`)

// TestNotificationsOverSMTP follows a ticket's life through the store, with a job runner and a
// real SMTP relay on loopback, and checks every mail that arrives — and every one that must not.
func TestNotificationsOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rl := &relay{}
		startRelay(t, rl, "127.0.0.1:0", nil, false)
		run(t, db, options(rl.addr))
		seen := 0
		step := func(what string, want int) []*parsed {
			t.Helper()
			idle(t, db)
			all := rl.mails(t)
			if len(all)-seen != want {
				for _, m := range all[seen:] {
					t.Logf("  %v: %s", m.Envelope.To, m.Subject)
				}
				t.Fatalf("%s: %d mails, want %d", what, len(all)-seen, want)
			}
			news := all[seen:]
			seen = len(all)
			return news
		}

		// Alice (ACME, French by her organisation) files a request on the portal: she gets the
		// acknowledgement, the active N1 agents get the new ticket; not the disabled agent, not N2.
		subject := "L'export <script>alert(1)</script> échoue"
		tk := file(t, db, as(f.alice), opsdesk.NewTicket{Subject: subject, Description: "L'export plante à 6 h."})
		got := byRecipient(step("new ticket", 3))
		if len(got[f.alice.Email]) != 1 || len(got[f.n1en.Email]) != 1 || len(got[f.n1fr.Email]) != 1 {
			t.Fatalf("new ticket mailed %v", slices.Collect(mapKeys(got)))
		}
		ack := got[f.alice.Email][0]
		wantHeaders(t, "ack", ack, map[string]string{"Auto-Submitted": "auto-replied", "Content-Language": "fr",
			"From": `"Support Vendor" <support@vendor.example>`, "Reply-To": `"Support Vendor" <support@vendor.example>`,
			"To": `"Alice Martin" <alice@acme.example>`, "In-Reply-To": "", "References": "", "Precedence": ""})
		if ack.Subject != "[OPS-1001] "+subject || !strings.HasPrefix(ack.Header.Get("Subject"), "=?utf-8?q?") {
			t.Errorf("ack subject = %q (raw %q)", ack.Subject, ack.Header.Get("Subject"))
		}
		if ack.Envelope.From != "support@vendor.example" || !msgIDRE.MatchString(ack.Header.Get("Message-ID")) {
			t.Errorf("ack envelope from %q, Message-ID %q", ack.Envelope.From, ack.Header.Get("Message-ID"))
		}
		if !strings.Contains(ack.Text, "Nous avons bien reçu votre demande") || !strings.Contains(ack.Text, "https://desk.vendor.example/requests/OPS-1001") {
			t.Errorf("ack text:\n%s", ack.Text)
		}
		wantHTMLText(t, ack.HTML, subject, "Anomalie mineure")
		agentEN, agentFR := got[f.n1en.Email][0], got[f.n1fr.Email][0]
		wantHeaders(t, "agent_new en", agentEN, map[string]string{"Auto-Submitted": "auto-generated", "Content-Language": "en"})
		if !strings.HasPrefix(agentEN.Subject, "[OPS-1001] New in N1 (Minor anomaly)") || !strings.Contains(agentEN.Text, "https://desk.vendor.example/tickets/OPS-1001") ||
			!strings.Contains(agentEN.Text, "L'export plante à 6 h.") || !strings.HasPrefix(agentFR.Subject, "[OPS-1001] Nouveau en N1 (Anomalie mineure)") {
			t.Errorf("agent mails: %q / %q\n%s", agentEN.Subject, agentFR.Subject, agentEN.Text)
		}

		// The agent takes it (assigned to themselves: no mail), writes an internal note (no mail).
		if _, err := db.Take(as(f.n1en), tk.Key); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMessage(as(f.n1en), tk.Key, "Internal: the customer runs an old version.", true, nil); err != nil {
			t.Fatal(err)
		}
		step("take and internal note", 0)

		// The agent's public reply goes to Alice, threaded under the acknowledgement.
		msg, err := db.AddMessage(as(f.n1en), tk.Key, "Bonjour,\nmerci de réessayer.", false, nil)
		if err != nil {
			t.Fatal(err)
		}
		reply := step("public reply", 1)[0]
		wantHeaders(t, "reply", reply, map[string]string{"Auto-Submitted": "", "Content-Language": "fr",
			"In-Reply-To": ack.Header.Get("Message-ID"), "References": ack.Header.Get("Message-ID")})
		if reply.Envelope.To[0] != f.alice.Email || reply.Subject != "Re: [OPS-1001] "+subject ||
			!strings.Contains(reply.Text, "merci de réessayer") || !strings.Contains(reply.Text, "Nina Lee") {
			t.Errorf("reply to %v %q:\n%s", reply.Envelope.To, reply.Subject, reply.Text)
		}
		msgs, _ := db.Messages(admin, tk.Key)
		if m := msgs[len(msgs)-1]; m.ID != msg.ID || m.MailMessageID != reply.id("Message-ID") {
			t.Errorf("the reply's Message-ID %q is not recorded on message %d (%q)", reply.id("Message-ID"), m.ID, m.MailMessageID)
		}

		// Waiting for the customer: asks Alice for information, chained after the reply.
		if _, err := db.UpdateTicket(as(f.n1en), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusWaitingCustomer), Reason: "Merci d'envoyer le journal."}); err != nil {
			t.Fatal(err)
		}
		waiting := step("waiting for the customer", 1)[0]
		wantHeaders(t, "waiting", waiting, map[string]string{"Auto-Submitted": "auto-generated",
			"In-Reply-To": reply.Header.Get("Message-ID")})
		if refs := strings.Fields(waiting.Header.Get("References")); !slices.Equal(refs, []string{ack.Header.Get("Message-ID"), reply.Header.Get("Message-ID")}) {
			t.Errorf("waiting References = %q", refs)
		}
		if !strings.Contains(waiting.Text, "d'informations de votre part") || !strings.Contains(waiting.Text, "Merci d'envoyer le journal.") {
			t.Errorf("waiting text:\n%s", waiting.Text)
		}

		// Alice answers on the portal: nothing is mailed to her about her own words.
		if _, err := db.AddMessage(as(f.alice), tk.Key, "Voici le journal.", false, nil); err != nil {
			t.Fatal(err)
		}
		step("customer's answer", 0)

		// The ops manager assigns it to the French agent, who is told in French.
		if _, err := db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: &f.n1fr.ID, Reason: "congés"}); err != nil {
			t.Fatal(err)
		}
		assigned := step("assignment", 1)[0]
		if assigned.Envelope.To[0] != f.n1fr.Email || assigned.Subject != "[OPS-1001] Assigné à vous : "+subject ||
			!strings.Contains(assigned.Text, "Olivier Ops vous a assigné OPS-1001") || !strings.Contains(assigned.Text, "Motif : congés") {
			t.Errorf("assignment mail to %v %q:\n%s", assigned.Envelope.To, assigned.Subject, assigned.Text)
		}

		// Resolution: Alice is asked to confirm on the request's page.
		if _, err := db.UpdateTicket(as(f.n1fr), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Reason: "Correctif appliqué.",
			Resolution: &opsdesk.Resolution{Summary: "Correctif appliqué.", Cause: "defect", DraftArticle: true}}); err != nil {
			t.Fatal(err)
		}
		resolved := step("resolution", 1)[0]
		if resolved.Envelope.To[0] != f.alice.Email || !strings.Contains(resolved.Text, "est résolue") ||
			!strings.Contains(resolved.Text, "https://desk.vendor.example/requests/OPS-1001") || resolved.id("In-Reply-To") != waiting.id("Message-ID") {
			t.Errorf("resolution mail to %v In-Reply-To %q:\n%s", resolved.Envelope.To, resolved.Header.Get("In-Reply-To"), resolved.Text)
		}
		wantHTMLLink(t, resolved.HTML, "https://desk.vendor.example/requests/OPS-1001")

		// A French contact of an English customer gets French; an English one English. The agent
		// who filed for Claire is not told of their own new ticket.
		file(t, db, as(f.n1en), opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: f.claire.Email, Subject: "Login"})
		got = byRecipient(step("ticket filed by an agent", 2))
		if len(got[f.claire.Email]) != 1 || len(got[f.n1fr.Email]) != 1 || !strings.Contains(got[f.claire.Email][0].Text, "Bonjour Claire Durand") {
			t.Fatalf("ticket filed for Claire mailed %v", slices.Collect(mapKeys(got)))
		}
		file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Slow reports"})
		got = byRecipient(step("English customer's ticket", 3))
		if bob := got[f.bob.Email]; len(bob) != 1 || bob[0].Header.Get("Content-Language") != "en" || !strings.Contains(bob[0].Text, "We have received your request") {
			t.Fatalf("Bob's acknowledgement: %+v", bob)
		}

		// Every mail has its own Message-ID; none carries the internal note.
		ids := map[string]bool{}
		for _, m := range rl.mails(t) {
			if id := m.Header.Get("Message-ID"); ids[id] || !msgIDRE.MatchString(id) {
				t.Errorf("Message-ID %q repeated or malformed", id)
			} else {
				ids[id] = true
			}
			if strings.Contains(m.Text+m.HTML, "old version") {
				t.Errorf("the internal note leaked into %q", m.Subject)
			}
		}
		for _, m := range outbox(t, db) {
			if m.State != store.OutboxSent || m.Attempts != 1 || m.SentAt.IsZero() {
				t.Errorf("outbox %d (%s to %s): %s after %d attempts", m.ID, m.Kind, m.To, m.State, m.Attempts)
			}
		}
	})
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func wantHeaders(t *testing.T, what string, m *parsed, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := m.Header.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// wantHTMLText parses an HTML body and checks that its text holds each of texts and that it has
// no script element (what a ticket's subject says is shown, never run).
func wantHTMLText(t *testing.T, src string, texts ...string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "script" {
			t.Errorf("HTML body has a script element:\n%s", src)
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
	}
	for _, s := range texts {
		if !strings.Contains(b.String(), s) {
			t.Errorf("HTML text lacks %q:\n%s", s, b.String())
		}
	}
}

func wantHTMLLink(t *testing.T, src, href string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" && slices.Contains(n.Attr, html.Attribute{Key: "href", Val: href}) {
			return
		}
	}
	t.Errorf("HTML body has no link to %s:\n%s", href, src)
}
