package notify_test

import (
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBuiltInTemplatesValidate holds the built-in templates to the rules admins' ones obey.
func TestBuiltInTemplatesValidate(t *testing.T) {
	for _, k := range notify.Kinds {
		for _, l := range []opsdesk.Lang{opsdesk.LangFR, opsdesk.LangEN} {
			d := notify.Default(k, l)
			if d == nil {
				t.Fatalf("no built-in %s template in %s", k, l)
			}
			if err := notify.Validate(d); err != nil {
				t.Errorf("built-in %s/%s: %v", k, l, err)
			}
		}
	}
}

// TestTemplateOverride: an admin's French acknowledgement is used for French requesters only,
// listed as custom, and reset to the built-in one.
func TestTemplateOverride(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rl := &relay{}
		startRelay(t, rl, "127.0.0.1:0", nil, false)
		n := run(t, db, options(rl.addr))
		custom := &store.MailTemplate{Kind: "ack", Lang: opsdesk.LangFR,
			Subject: `Bien reçu : {{.Subject}}`,
			Text:    "Merci {{.Recipient}} ! Votre demande porte le numéro {{.Number}} ({{.Severity}}).\n",
			HTML:    `<p>Merci <b>{{.Recipient}}</b> ! Numéro {{.Number}}.</p>`}
		if err := n.SaveTemplate(as(f.ops), custom); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("an ops manager saved a template: %v", err)
		}
		if err := n.SaveTemplate(as(f.adm), custom); err != nil {
			t.Fatal(err)
		}
		file(t, db, as(f.alice), opsdesk.NewTicket{Subject: "Panne"})
		file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Outage"})
		idle(t, db)
		got := byRecipient(rl.mails(t))
		fr, en := got[f.alice.Email][0], got[f.bob.Email][0]
		// The ticket tag is added when a template leaves it out, so replies still thread back.
		if fr.Subject != "[OPS-1001] Bien reçu : Panne" || fr.Text != "Merci Alice Martin ! Votre demande porte le numéro OPS-1001 (Anomalie mineure).\n" {
			t.Errorf("custom acknowledgement: %q\n%s", fr.Subject, fr.Text)
		}
		wantHTMLText(t, fr.HTML, "Merci Alice Martin ! Numéro OPS-1001.")
		if en.Subject != "[OPS-1002] Outage" || !strings.Contains(en.Text, "We have received your request") {
			t.Errorf("English acknowledgement changed: %q\n%s", en.Subject, en.Text)
		}
		list, err := n.Templates(as(f.adm))
		if err != nil || len(list) != 2*len(notify.Kinds) {
			t.Fatalf("templates: %d, %v", len(list), err)
		}
		for _, i := range list {
			if isCustom := i.Kind == notify.KindAck && i.Lang == opsdesk.LangFR; i.Custom != isCustom || (isCustom && i.UpdatedBy != f.adm.Email) {
				t.Errorf("template %s/%s: custom %v by %q", i.Kind, i.Lang, i.Custom, i.UpdatedBy)
			}
		}
		if err := n.ResetTemplate(as(f.adm), notify.KindAck, opsdesk.LangFR); err != nil {
			t.Fatal(err)
		}
		if tpl, isCustom, _ := n.Template(as(f.adm), notify.KindAck, opsdesk.LangFR); isCustom || tpl.Subject != notify.Default(notify.KindAck, opsdesk.LangFR).Subject {
			t.Errorf("after reset: custom %v, %q", isCustom, tpl.Subject)
		}
	})
}

// TestInvalidTemplateRefused: a template that does not parse, uses a field Data lacks or fails
// to render is refused with an error naming the part and the problem.
func TestInvalidTemplateRefused(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := newFixture(t, db)
	n, err := notify.New(db, options(""))
	if err != nil {
		t.Fatal(err)
	}
	ok := notify.Default(notify.KindReply, opsdesk.LangFR)
	for _, c := range []struct {
		name                string
		kind, subject, text string
		html                string
		field, msg          string
	}{
		{"unknown field", "reply", ok.Subject, "Ticket {{.Numero}}", ok.HTML, "text", "unknown field .Numero (the fields are .Number, .Subject"},
		{"field of a field", "reply", "{{.Subject.Title}}", ok.Text, ok.HTML, "subject", ".Subject has no field .Title"},
		{"unknown field in a branch", "reply", ok.Subject, ok.Text, "{{if .Escalated}}{{.Escalade}}{{end}}", "html", "unknown field .Escalade"},
		{"does not parse", "reply", ok.Subject, ok.Text, "<p>{{if .Body}}{{.Body}}</p>", "html", "line 1: unexpected EOF"},
		{"unknown function", "reply", "{{upper .Subject}}", ok.Text, ok.HTML, "subject", `function "upper" not defined`},
		{"fails to render", "reply", ok.Subject, `{{template "signature"}}`, ok.HTML, "text", `template "signature" not defined`},
		{"empty part", "reply", " ", ok.Text, ok.HTML, "subject", "is empty"},
		{"unknown kind", "newsletter", ok.Subject, ok.Text, ok.HTML, "kind", `"newsletter" is not a kind of mail`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := n.SaveTemplate(as(f.adm), &store.MailTemplate{Kind: c.kind, Lang: opsdesk.LangFR, Subject: c.subject, Text: c.text, HTML: c.html})
			if !opsdesk.IsKind(err, opsdesk.KindInvalid) || opsdesk.ErrorField(err) != c.field || !strings.Contains(opsdesk.ErrorMessage(err), c.msg) {
				t.Errorf("error = %v (field %q), want %s: …%s…", err, opsdesk.ErrorField(err), c.field, c.msg)
			}
		})
	}
	if list, _ := db.ListMailTemplates(admin); len(list) != 0 {
		t.Errorf("%d invalid templates were stored", len(list))
	}
}

// TestPreview renders the template in force and a draft with sample data; HTML is escaped.
func TestPreview(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := newFixture(t, db)
	n, err := notify.New(db, options(""))
	if err != nil {
		t.Fatal(err)
	}
	subject, text, html, err := n.Preview(as(f.adm), notify.KindAck, opsdesk.LangFR)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "[OPS-1042] L'export vers la comptabilité échoue depuis la mise à jour" ||
		!strings.Contains(text, "Sévérité : Anomalie majeure") || !strings.Contains(text, "Prise en charge sous : 4 h") {
		t.Errorf("preview: %q\n%s", subject, text)
	}
	wantHTMLText(t, html, "Bonjour Alice Martin,", "OPS-1042", "Anomalie majeure")

	draft := &store.MailTemplate{Kind: "agent_new", Lang: opsdesk.LangEN, Subject: "{{.Number}}", Text: "{{.Body}}",
		HTML: `<p title="{{.Subject}}"><b>{{.Subject}}</b> <a href="{{.URL}}">open</a></p>`}
	_, _, html, err = notify.PreviewTemplate(draft)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "<b>Export to the accounting system fails since the update</b>") || !strings.Contains(html, `href="https://support.vendor.example/requests/OPS-1042"`) {
		t.Errorf("draft preview:\n%s", html)
	}
	draft.Subject = "{{.Nope}}"
	if _, _, _, err := notify.PreviewTemplate(draft); opsdesk.ErrorField(err) != "subject" {
		t.Errorf("preview of an invalid draft: %v", err)
	}
	if _, _, _, err := n.Preview(as(f.adm), "digest", opsdesk.LangFR); !opsdesk.IsKind(err, opsdesk.KindInvalid) {
		t.Errorf("preview of an unknown kind: %v", err)
	}
}
