package notify_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestNotifySLA records warnings and breaches with the real scheduler on an injected clock and
// mails them: a warning goes to the ticket's group when nobody is assigned, to the assignee
// otherwise; a breach to the active ops managers, saying whether the ticket escalated; each
// recipient in their language, never the customer, and once, however often the alert's job runs.
func TestNotifySLA(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := at("2027-03-01 08:00") // a Monday; both customers count in the French calendar
		db.Now = func() time.Time { return now }
		f := newFixture(t, db)
		if err := db.SeedSLADefaults(admin); err != nil {
			t.Fatal(err)
		}
		// The "erp" category routes to the N1 group "erp" (its disabled member is never told).
		if err := db.SaveGroup(admin, &opsdesk.Group{Code: "erp", Name: "ERP", Level: opsdesk.LevelN1,
			MemberIDs: []int64{f.n1en.ID, f.n1fr.ID, f.n1off.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveCategory(admin, &opsdesk.Category{Code: "erp", LabelFR: "ERP", LabelEN: "ERP", Level: opsdesk.LevelN1,
			GroupCode: "erp", Active: true, DisplayOrder: 10}); err != nil {
			t.Fatal(err)
		}
		mkOps := func(email, name string, lang opsdesk.Lang) *opsdesk.User {
			u := &opsdesk.User{Email: email, Name: name, Role: opsdesk.RoleOpsManager, Lang: lang}
			if err := db.CreateUser(admin, u, ""); err != nil {
				t.Fatal(err)
			}
			return u
		}
		opsFR := mkOps("ops.fr@vendor.example", "Odile Ops", opsdesk.LangFR)
		opsGone := mkOps("ops.gone@vendor.example", "Left Since", opsdesk.LangEN)

		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		w, err := slawatch.New(db, slawatch.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		refresh := func(tk *opsdesk.Ticket) {
			t.Helper()
			if err := w.OnTicketEvent(context.Background(), opsdesk.TicketEvent{TicketID: tk.ID, Key: tk.Key}); err != nil {
				t.Fatal(err)
			}
		}
		tick := func(s string) []*store.SLAAlert {
			t.Helper()
			now = at(s)
			alerts, err := w.Tick(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return alerts
		}

		// 09:00, three major anomalies (take charge within 2 h, escalating on breach) and a minor
		// one (4 h, no escalation): A in the ERP group, unassigned; B assigned to the French N1
		// agent; C minor, unassigned, in no group.
		now = at("2027-03-01 09:00")
		a := file(t, db, as(f.alice), opsdesk.NewTicket{Subject: "Facturation bloquée", Severity: "major", Category: "erp"})
		b := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Orders stuck", Severity: "major", Category: "application"})
		c := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Typo in a label", Severity: "minor", Category: "application"})
		if _, err := db.UpdateTicket(as(f.ops), b.Key, opsdesk.TicketPatch{AssigneeID: &f.n1fr.ID}); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []*opsdesk.Ticket{a, b, c} {
			refresh(tk)
		}

		var alerts []*store.SLAAlert
		// 75 % of 2 h is 10:30: A and B warn; the breaches fall at 11:00 (both escalate to N2);
		// C, at 4 h, is found past its warning and its 14:30 deadline: breach only.
		alerts = append(alerts, tick("2027-03-01 10:35")...)
		alerts = append(alerts, tick("2027-03-01 11:05")...)
		alerts = append(alerts, tick("2027-03-01 14:35")...)
		var got []string
		for _, al := range alerts {
			got = append(got, fmt.Sprintf("%s %s %s %v %q", al.Key, al.Clock, al.Kind, al.Recipients, al.EscalatedTo))
		}
		ids := func(us ...*opsdesk.User) []int64 {
			var out []int64
			for _, u := range us {
				out = append(out, u.ID)
			}
			return out
		}
		managers := ids(f.ops, opsFR, opsGone)
		want := []string{
			fmt.Sprintf("%s take_charge warn %v %q", a.Key, ids(f.n1en, f.n1fr), ""),
			// B's assignee, and the level's agents since B is in no group: the assignee once.
			fmt.Sprintf("%s take_charge warn %v %q", b.Key, ids(f.n1en, f.n1fr), ""),
			fmt.Sprintf("%s take_charge breach %v %q", a.Key, managers, "N2"),
			fmt.Sprintf("%s take_charge breach %v %q", b.Key, managers, "N2"),
			fmt.Sprintf("%s take_charge breach %v %q", c.Key, managers, ""),
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Fatalf("recorded alerts:\n got %q\nwant %q", got, want)
		}

		// An ops manager who left after the breaches were recorded is not mailed.
		opsGone.Disabled = true
		if err := db.UpdateUser(admin, opsGone); err != nil {
			t.Fatal(err)
		}
		// Each alert's job runs twice (a retry after a crash), then once more later.
		for range 2 {
			for _, al := range alerts {
				if err := n.NotifySLA(context.Background(), al); err != nil {
					t.Fatal(err)
				}
			}
		}
		now = at("2027-03-01 15:00")
		for _, al := range alerts {
			if err := n.NotifySLA(context.Background(), al); err != nil {
				t.Fatal(err)
			}
		}

		mails := map[string]*store.OutboxMail{}
		var sent []string
		for _, m := range outbox(t, db) {
			key := m.Kind + " " + m.TicketKey + " " + m.To
			sent = append(sent, key)
			mails[key] = m
		}
		wantSent := []string{
			"sla_warning " + a.Key + " " + f.n1en.Email, "sla_warning " + a.Key + " " + f.n1fr.Email,
			"sla_warning " + b.Key + " " + f.n1en.Email, "sla_warning " + b.Key + " " + f.n1fr.Email,
			"sla_breach " + a.Key + " " + f.ops.Email, "sla_breach " + a.Key + " " + opsFR.Email,
			"sla_breach " + b.Key + " " + f.ops.Email, "sla_breach " + b.Key + " " + opsFR.Email,
			"sla_breach " + c.Key + " " + f.ops.Email, "sla_breach " + c.Key + " " + opsFR.Email,
		}
		sort.Strings(sent)
		sort.Strings(wantSent)
		if !slices.Equal(sent, wantSent) {
			t.Fatalf("outbox (kind ticket recipient):\n got %q\nwant %q", sent, wantSent)
		}
		if got := sendJobs(t, db); got != len(wantSent) {
			t.Errorf("%d mail.send jobs, want %d", got, len(wantSent))
		}
		for _, m := range mails {
			if m.CustomerFacing || m.AutoSubmitted != "auto-generated" {
				t.Errorf("%s to %s: customer facing %v, Auto-Submitted %q; want a staff notification, auto-generated",
					m.Kind, m.To, m.CustomerFacing, m.AutoSubmitted)
			}
		}

		check := func(key string, lang opsdesk.Lang, subject string, texts ...string) {
			t.Helper()
			m := mails[key]
			if m == nil {
				t.Errorf("no mail %s", key)
				return
			}
			if m.Lang != lang || m.Subject != subject {
				t.Errorf("%s: lang %s, subject %q; want %s, %q", key, m.Lang, m.Subject, lang, subject)
			}
			for _, s := range texts {
				if !strings.Contains(m.Text, s) {
					t.Errorf("%s: text lacks %q:\n%s", key, s, m.Text)
				}
			}
			wantHTMLText(t, m.HTML, texts[0])
			wantHTMLLink(t, m.HTML, "https://desk.vendor.example/tickets/"+m.TicketKey)
		}
		url := "https://desk.vendor.example/tickets/"
		check("sla_warning "+a.Key+" "+f.n1en.Email, opsdesk.LangEN, "["+a.Key+"] SLA at risk (take-charge): Facturation bloquée",
			a.Key+" is about to miss its take-charge target of 2 h: the deadline is 2027-03-01 11:00 CET.",
			"Hello Nina Lee,", "Customer:  Acme", "Severity:  Major anomaly", "Level:     N1", url+a.Key)
		check("sla_warning "+a.Key+" "+f.n1fr.Email, opsdesk.LangFR, "["+a.Key+"] SLA menacé (prise en charge) : Facturation bloquée",
			a.Key+" risque de dépasser son objectif de prise en charge (2 h) : l'échéance est le 2027-03-01 11:00 CET.",
			"Bonjour Noël Dupré,", "Client :     Acme", "Sévérité :   Anomalie majeure", url+a.Key)
		check("sla_warning "+b.Key+" "+f.n1fr.Email, opsdesk.LangFR, "["+b.Key+"] SLA menacé (prise en charge) : Orders stuck",
			b.Key+" risque de dépasser son objectif de prise en charge (2 h) : l'échéance est le 2027-03-01 11:00 CET.",
			"Client :     Globex", url+b.Key)
		// The ops manager without a language of their own gets OPSDESK_LANG (English here).
		check("sla_breach "+a.Key+" "+f.ops.Email, opsdesk.LangEN, "["+a.Key+"] SLA breached (take-charge), escalated to N2: Facturation bloquée",
			a.Key+" missed its take-charge target of 2 h: the deadline was 2027-03-01 11:00 CET.",
			"The ticket was escalated to N2.", "Level:     N2", url+a.Key)
		check("sla_breach "+b.Key+" "+opsFR.Email, opsdesk.LangFR, "["+b.Key+"] SLA dépassé (prise en charge), escaladé en N2 : Orders stuck",
			b.Key+" a dépassé son objectif de prise en charge (2 h) : l'échéance était le 2027-03-01 11:00 CET.",
			"Le ticket a été escaladé en N2.", "Niveau :     N2")
		check("sla_breach "+c.Key+" "+f.ops.Email, opsdesk.LangEN, "["+c.Key+"] SLA breached (take-charge): Typo in a label",
			c.Key+" missed its take-charge target of 4 h: the deadline was 2027-03-01 14:30 CET.",
			"Severity:  Minor anomaly", "Level:     N1")
		for _, key := range []string{"sla_breach " + c.Key + " " + f.ops.Email, "sla_breach " + c.Key + " " + opsFR.Email} {
			if m := mails[key]; m != nil && (strings.Contains(m.Text, "escala") || strings.Contains(m.HTML, "escala")) {
				t.Errorf("%s: a breach without escalation mentions one:\n%s", key, m.Text)
			}
		}
	})
}

// TestNotifySLAWarningDeadline: a warning whose clock stopped before its job ran (the agent took
// the ticket meanwhile) is still mailed — it is recorded in the history — but shows no deadline,
// and reads without a dangling sentence.
func TestNotifySLAWarningDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC) // Monday 09:00 in Paris
		db.Now = func() time.Time { return now }
		f := newFixture(t, db)
		if err := db.SeedSLADefaults(admin); err != nil {
			t.Fatal(err)
		}
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		w, err := slawatch.New(db, slawatch.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		tk := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Slow", Severity: "major", Category: "application"})
		if _, err := db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: &f.n1en.ID}); err != nil {
			t.Fatal(err)
		}
		if err := w.OnTicketEvent(context.Background(), opsdesk.TicketEvent{TicketID: tk.ID, Key: tk.Key}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(95 * time.Minute) // 10:35 Paris: past 75 % of the 2 h to take charge
		alerts, err := w.Tick(context.Background())
		if err != nil || len(alerts) != 1 || alerts[0].Kind != store.AlertWarn {
			t.Fatalf("alerts %v, %v; want one warning", alerts, err)
		}
		// Before the job runs, the agent takes the ticket: the take-charge clock stops for good.
		if _, err := db.Take(as(f.n1en), tk.Key); err != nil {
			t.Fatal(err)
		}
		if err := w.OnTicketEvent(context.Background(), opsdesk.TicketEvent{TicketID: tk.ID, Key: tk.Key}); err != nil {
			t.Fatal(err)
		}
		if err := n.NotifySLA(context.Background(), alerts[0]); err != nil {
			t.Fatal(err)
		}
		ms := outbox(t, db)
		var mine []*store.OutboxMail
		for _, m := range ms {
			if m.To == f.n1en.Email {
				mine = append(mine, m)
			}
		}
		if len(mine) != 1 {
			t.Fatalf("outbox: %d mails to the assignee among %d, want one", len(mine), len(ms))
		}
		ms = mine
		if want := tk.Key + " is about to miss its take-charge target of 2 h.\n"; !strings.Contains(ms[0].Text, want) ||
			strings.Contains(ms[0].Text, "Deadline") {
			t.Errorf("warning without deadline:\n%s\nwant %q and no deadline line", ms[0].Text, want)
		}
	})
}

// TestSLATemplatesListedAndPreviewed: the SLA kinds are in the admins' template list in both
// languages, and their preview renders the sample with the escalation branch.
func TestSLATemplatesListedAndPreviewed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		list, err := n.Templates(as(f.adm))
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, i := range list {
			listed[string(i.Kind)+"/"+string(i.Lang)] = true
		}
		for _, k := range []string{"sla_warning/en", "sla_warning/fr", "sla_breach/en", "sla_breach/fr"} {
			if !listed[k] {
				t.Errorf("template list lacks %s", k)
			}
		}
		for _, c := range []struct {
			kind notify.Kind
			lang opsdesk.Lang
			want []string
		}{
			{notify.KindSLAWarning, opsdesk.LangEN, []string{"OPS-1042 is about to miss its take-charge target of 4 h: the deadline is 2026-03-02 14:00 CET."}},
			{notify.KindSLAWarning, opsdesk.LangFR, []string{"OPS-1042 risque de dépasser son objectif de prise en charge (4 h) : l'échéance est le 2026-03-02 14:00 CET."}},
			{notify.KindSLABreach, opsdesk.LangEN, []string{"OPS-1042 missed its take-charge target of 4 h", "The ticket was escalated to N2."}},
			{notify.KindSLABreach, opsdesk.LangFR, []string{"OPS-1042 a dépassé son objectif de prise en charge (4 h)", "Le ticket a été escaladé en N2."}},
		} {
			_, text, html, err := n.Preview(as(f.adm), c.kind, c.lang)
			if err != nil {
				t.Errorf("preview %s/%s: %v", c.kind, c.lang, err)
				continue
			}
			for _, s := range c.want {
				if !strings.Contains(text, s) {
					t.Errorf("preview %s/%s lacks %q:\n%s", c.kind, c.lang, s, text)
				}
			}
			wantHTMLText(t, html, c.want...)
		}
	})
}
