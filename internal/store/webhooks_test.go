package store_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestWebhookManagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		bad := []struct {
			name  string
			hook  store.Webhook
			field string
		}{
			{"ftp URL", store.Webhook{URL: "ftp://example.com/x", Events: []string{"*"}}, "url"},
			{"no host", store.Webhook{URL: "https:///x", Events: []string{"*"}}, "url"},
			{"unknown event", store.Webhook{URL: "https://example.com", Events: []string{"ticket.deleted"}}, "events"},
			{"no event", store.Webhook{URL: "https://example.com"}, "events"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				err := db.CreateWebhook(as(f.adm), &b.hook)
				wantKind(t, err, opsdesk.KindInvalid)
				if opsdesk.ErrorField(err) != b.field {
					t.Errorf("field = %q, want %q", opsdesk.ErrorField(err), b.field)
				}
			})
		}
		for _, u := range []*opsdesk.User{f.ops, f.agent, f.custA} {
			wantKind(t, db.CreateWebhook(as(u), &store.Webhook{URL: "https://example.com", Events: []string{"*"}}), opsdesk.KindForbidden)
			_, err := db.ListWebhooks(as(u))
			wantKind(t, err, opsdesk.KindForbidden)
		}

		h := &store.Webhook{URL: " https://hooks.example.com/opsdesk ", Events: []string{opsdesk.TicketClosed, opsdesk.TicketCreated, opsdesk.TicketClosed}}
		if err := db.CreateWebhook(as(f.adm), h); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h.Secret, "whsec_") || h.URL != "https://hooks.example.com/opsdesk" || strings.Join(h.Events, ",") != "ticket.closed,ticket.created" {
			t.Fatalf("created = %+v", h)
		}
		all := &store.Webhook{URL: "http://127.0.0.1:9/all", Events: []string{"ticket.updated", "*"}}
		if err := db.CreateWebhook(as(f.adm), all); err != nil || strings.Join(all.Events, ",") != "*" {
			t.Fatalf("* webhook = %+v, %v", all, err)
		}
		list, err := db.ListWebhooks(as(f.adm))
		if err != nil || len(list) != 2 || list[0].Secret != "" || list[0].CreatedBy != f.adm.Email || !list[0].Active {
			t.Fatalf("list = %+v, %v (secrets are never listed)", list, err)
		}
		if !h.Subscribed(opsdesk.TicketCreated) || h.Subscribed(opsdesk.TicketUpdated) || !all.Subscribed(opsdesk.TicketUpdated) {
			t.Error("Subscribed disagrees with the events")
		}
		if err := db.DeleteWebhook(as(f.adm), h.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.WebhookByID(as(f.adm), h.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		wantKind(t, db.DeleteWebhook(as(f.adm), h.ID), opsdesk.KindNotFound)
		audit, _ := db.ListAudit(admin, opsdesk.AuditFilter{})
		if len(audit) == 0 || audit[0].Action != "delete" {
			t.Errorf("webhook deletion not audited: %+v", audit)
		}
	})
}

func TestWebhookDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		closed := &store.Webhook{URL: "https://a.example/hook", Events: []string{opsdesk.TicketClosed}}
		every := &store.Webhook{URL: "https://b.example/hook", Events: []string{"*"}}
		for _, h := range []*store.Webhook{closed, every} {
			if err := db.CreateWebhook(as(f.adm), h); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := db.HasWebhooksFor(admin, opsdesk.TicketCreated); !ok || err != nil {
			t.Fatalf("HasWebhooksFor = %v, %v", ok, err)
		}
		job := func(id int64) opsdesk.NewJob {
			return opsdesk.NewJob{Kind: "webhook.deliver", Payload: map[string]int64{"delivery_id": id}}
		}
		n, err := db.QueueWebhookDeliveries(admin, "ticket.event:7", opsdesk.TicketCreated, "OPS-1001", []byte(`{"event":"ticket.created"}`), job)
		if err != nil || n != 1 {
			t.Fatalf("queued %d, %v; want 1 (only the * webhook wants ticket.created)", n, err)
		}
		// The same fan-out again (a retried job) adds nothing.
		if n, err := db.QueueWebhookDeliveries(admin, "ticket.event:7", opsdesk.TicketCreated, "OPS-1001", []byte(`{}`), job); err != nil || n != 0 {
			t.Fatalf("a retried fan-out queued %d, %v", n, err)
		}
		if n, _ := db.QueueWebhookDeliveries(admin, "ticket.event:8", opsdesk.TicketClosed, "OPS-1001", []byte(`{}`), job); n != 2 {
			t.Fatalf("closed event queued %d deliveries, want 2", n)
		}
		if c := countJobs(t, db, "webhook.deliver"); c != 3 {
			t.Fatalf("%d delivery jobs, want 3", c)
		}
		jobs, _ := db.ClaimJobs(admin, "w", 10, time.Minute, "webhook.deliver")
		del, hook, err := db.WebhookDelivery(admin, deliveryID(t, jobs[0]))
		if err != nil || hook.Secret != every.Secret || string(del.Payload) != `{"event":"ticket.created"}` || del.TicketKey != "OPS-1001" {
			t.Fatalf("delivery = %+v %+v, %v", del, hook, err)
		}
		_, _, err = db.WebhookDelivery(as(f.agent), del.ID)
		wantKind(t, err, opsdesk.KindForbidden)

		for i, code := range []int{500, 0, 204} {
			a := &store.WebhookAttempt{DeliveryID: del.ID, Attempt: i + 1, StatusCode: code, Duration: 15 * time.Millisecond}
			if code != 204 {
				a.Error = "failed"
			}
			if err := db.RecordWebhookAttempt(admin, a); err != nil {
				t.Fatal(err)
			}
		}
		log, err := db.WebhookAttempts(as(f.adm), every.ID, 0)
		if err != nil || len(log) != 3 || log[0].Attempt != 3 || log[0].StatusCode != 204 || log[0].Event != opsdesk.TicketCreated ||
			log[0].TicketKey != "OPS-1001" || log[0].Duration != 15*time.Millisecond || log[2].Error != "failed" {
			t.Fatalf("log = %+v, %v", log, err)
		}
		_, err = db.WebhookAttempts(as(f.ops), every.ID, 0)
		wantKind(t, err, opsdesk.KindForbidden)

		// Deleting the webhook drops its deliveries and log.
		if err := db.DeleteWebhook(as(f.adm), every.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.WebhookDelivery(admin, del.ID)
		wantKind(t, err, opsdesk.KindNotFound)
		wantKind(t, db.RecordWebhookAttempt(admin, &store.WebhookAttempt{DeliveryID: del.ID, Attempt: 4}), opsdesk.KindNotFound)
		if n, err := db.PruneWebhookDeliveries(admin, time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("pruned %d, %v; want the closed webhook's delivery", n, err)
		}
	})
}

func countJobs(t *testing.T, db *store.DB, kind string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(db.Rebind(`SELECT COUNT(*) FROM jobs WHERE kind = ?`), kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func deliveryID(t *testing.T, j *opsdesk.Job) int64 {
	t.Helper()
	var p struct {
		DeliveryID int64 `json:"delivery_id"`
	}
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.DeliveryID == 0 {
		t.Fatalf("job payload %s: %v", j.Payload, err)
	}
	return p.DeliveryID
}
