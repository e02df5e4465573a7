package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Webhook is a URL an admin registered to receive ticket events, each signed with its secret.
type Webhook struct {
	ID        int64
	URL       string
	Events    []string // event names (opsdesk.TicketCreated, …), or just "*" for every event
	Secret    string   // the HMAC key: set by CreateWebhook and for delivery, never listed
	Active    bool
	CreatedBy string
	CreatedAt time.Time
}

// WebhookEvents lists the ticket events a webhook may subscribe to.
var WebhookEvents = []string{opsdesk.TicketCreated, opsdesk.TicketUpdated, opsdesk.TicketMessage,
	opsdesk.TicketEscalated, opsdesk.TicketResolved, opsdesk.TicketClosed}

// Validate checks a webhook, normalising its URL and events.
func (w *Webhook) Validate() error {
	w.URL = strings.TrimSpace(w.URL)
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return opsdesk.Invalid("url", "must be an http or https URL")
	}
	if len(w.URL) > 2000 {
		return opsdesk.Invalid("url", "is longer than 2,000 characters")
	}
	var evs []string
	for _, e := range w.Events {
		e = strings.TrimSpace(e)
		if e != "*" && !slices.Contains(WebhookEvents, e) {
			return opsdesk.Invalid("events", "%q is not an event (%s, or *)", e, strings.Join(WebhookEvents, ", "))
		}
		if !slices.Contains(evs, e) {
			evs = append(evs, e)
		}
	}
	if len(evs) == 0 {
		return opsdesk.Invalid("events", "choose at least one event, or * for all")
	}
	if slices.Contains(evs, "*") {
		evs = []string{"*"}
	}
	slices.Sort(evs)
	w.Events = evs
	return nil
}

// Subscribed tells whether the webhook wants event.
func (w *Webhook) Subscribed(event string) bool {
	return w.Active && (slices.Contains(w.Events, "*") || slices.Contains(w.Events, event))
}

// WebhookDelivery is one event to send to one webhook; the payload is fixed when it is queued,
// so every attempt sends (and signs) the same bytes.
type WebhookDelivery struct {
	ID        int64
	WebhookID int64
	Event     string
	TicketKey string
	Payload   []byte
	CreatedAt time.Time
}

// WebhookAttempt is one try at a delivery, as the delivery log shows it.
type WebhookAttempt struct {
	ID         int64
	DeliveryID int64
	WebhookID  int64
	Event      string // filled on reads
	TicketKey  string // filled on reads
	Attempt    int
	StatusCode int // 0 when no answer came
	Error      string
	Duration   time.Duration
	At         time.Time
}

func mayManageWebhooks(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins manage webhooks")
	}
	return nil
}

const webhookColumns = `id, url, events, active, created_by, created_at`

func scanWebhook(sc scanner) (*Webhook, error) {
	var w Webhook
	var events string
	var created int64
	if err := sc.Scan(&w.ID, &w.URL, &events, &w.Active, &w.CreatedBy, &created); err != nil {
		return nil, err
	}
	w.Events = strings.Split(events, ",")
	w.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &w, nil
}

// CreateWebhook registers a webhook and generates its secret (w.Secret), which is shown once and
// never listed. Admins only. Errors: invalid, forbidden.
func (d *DB) CreateWebhook(ctx context.Context, w *Webhook) error {
	if err := mayManageWebhooks(ctx); err != nil {
		return err
	}
	if err := w.Validate(); err != nil {
		return err
	}
	w.Secret, w.Active, w.CreatedBy = "whsec_"+auth.NewSecret(), true, opsdesk.ActorFrom(ctx).Label
	return d.inTx(ctx, "store.CreateWebhook", func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO webhooks (url, events, secret, active, created_by, created_at) VALUES (?, ?, ?, TRUE, ?, ?)`,
			w.URL, strings.Join(w.Events, ","), w.Secret, w.CreatedBy, tx.now.UnixMilli())
		if err != nil {
			return err
		}
		w.ID, w.CreatedAt = id, tx.now
		return tx.audit(ctx, "webhook", id, "create", []opsdesk.Change{{Field: "url", New: w.URL},
			{Field: "events", New: strings.Join(w.Events, ",")}})
	})
}

// ListWebhooks lists the webhooks, oldest first, without their secrets. Admins only.
func (d *DB) ListWebhooks(ctx context.Context) ([]*Webhook, error) {
	if err := mayManageWebhooks(ctx); err != nil {
		return nil, err
	}
	out, err := collect(scanWebhook)(d.query(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY id`))
	return out, wrapErr("store.ListWebhooks", err)
}

// WebhookByID returns a webhook without its secret. Admins only. Errors: forbidden, not found.
func (d *DB) WebhookByID(ctx context.Context, id int64) (*Webhook, error) {
	if err := mayManageWebhooks(ctx); err != nil {
		return nil, err
	}
	w, err := scanWebhook(d.queryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no webhook %d", id)
	}
	return w, wrapErr("store.WebhookByID", err)
}

// DeleteWebhook removes a webhook with its deliveries and their log; deliveries still queued are
// dropped. Admins only. Errors: forbidden, not found.
func (d *DB) DeleteWebhook(ctx context.Context, id int64) error {
	if err := mayManageWebhooks(ctx); err != nil {
		return err
	}
	return d.inTx(ctx, "store.DeleteWebhook", func(tx *Tx) error {
		var u string
		err := tx.queryRow(ctx, `SELECT url FROM webhooks WHERE id = ?`, id).Scan(&u)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no webhook %d", id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, "webhook", id, "delete", []opsdesk.Change{{Field: "url", Old: u}})
	})
}

// WebhookAttempts returns the delivery log of a webhook, newest first, at most limit entries
// (default and maximum 500). Admins only. Errors: forbidden, not found.
func (d *DB) WebhookAttempts(ctx context.Context, webhookID int64, limit int) ([]*WebhookAttempt, error) {
	if _, err := d.WebhookByID(ctx, webhookID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	out, err := collect(func(sc scanner) (*WebhookAttempt, error) {
		var a WebhookAttempt
		var ms, at int64
		err := sc.Scan(&a.ID, &a.DeliveryID, &a.WebhookID, &a.Event, &a.TicketKey, &a.Attempt, &a.StatusCode, &a.Error, &ms, &at)
		a.Duration, a.At = time.Duration(ms)*time.Millisecond, fromMS(sql.NullInt64{Int64: at, Valid: true})
		return &a, err
	})(d.query(ctx, `SELECT a.id, a.delivery_id, a.webhook_id, d.event, d.ticket_key, a.attempt, a.status_code, a.error, a.duration_ms, a.at
		FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
		WHERE a.webhook_id = ? ORDER BY a.id DESC LIMIT ?`, webhookID, limit))
	return out, wrapErr("store.WebhookAttempts", err)
}

// HasWebhooksFor tells whether any active webhook subscribes to event, so that the fan-out
// builds a payload only when someone will receive it. System (admin) actor only.
func (d *DB) HasWebhooksFor(ctx context.Context, event string) (bool, error) {
	if err := mayManageWebhooks(ctx); err != nil {
		return false, err
	}
	hooks, err := collect(scanWebhook)(d.query(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE active`))
	if err != nil {
		return false, opsdesk.Internal("store.HasWebhooksFor", err)
	}
	return slices.ContainsFunc(hooks, func(w *Webhook) bool { return w.Subscribed(event) }), nil
}

// QueueWebhookDeliveries records one delivery of payload to every active webhook subscribed to
// event and enqueues, in the same transaction, the job that sends it (made by job from the new
// delivery's id). source names the cause (the ticket.event job): a delivery per webhook and
// source is recorded once, so a retried fan-out adds nothing. It returns how many deliveries
// were added. System (admin) actor only.
func (d *DB) QueueWebhookDeliveries(ctx context.Context, source, event, ticketKey string, payload []byte, job func(deliveryID int64) opsdesk.NewJob) (int, error) {
	if err := mayManageWebhooks(ctx); err != nil {
		return 0, err
	}
	added := 0
	err := d.inTx(ctx, "store.QueueWebhookDeliveries", func(tx *Tx) error {
		hooks, err := collect(scanWebhook)(tx.query(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE active ORDER BY id`))
		if err != nil {
			return err
		}
		for _, w := range hooks {
			if !w.Subscribed(event) {
				continue
			}
			var id int64
			err := tx.queryRow(ctx, `INSERT INTO webhook_deliveries (webhook_id, source, event, ticket_key, payload, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (webhook_id, source) DO NOTHING RETURNING id`,
				w.ID, source, event, ticketKey, string(payload), tx.now.UnixMilli()).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // queued by an earlier run of the same fan-out
			}
			if err != nil {
				return err
			}
			if _, err := tx.enqueue(ctx, job(id)); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	return added, err
}

// WebhookDelivery returns a delivery and its webhook, secret included, for the worker that
// sends it. System (admin) actor only. Errors: forbidden, not found (the webhook was deleted).
func (d *DB) WebhookDelivery(ctx context.Context, id int64) (*WebhookDelivery, *Webhook, error) {
	if err := mayManageWebhooks(ctx); err != nil {
		return nil, nil, err
	}
	var del WebhookDelivery
	var w Webhook
	var payload, events string
	var created, hookCreated int64
	err := d.queryRow(ctx, `SELECT d.id, d.webhook_id, d.event, d.ticket_key, d.payload, d.created_at,
		w.url, w.events, w.secret, w.active, w.created_by, w.created_at
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`, id).Scan(
		&del.ID, &del.WebhookID, &del.Event, &del.TicketKey, &payload, &created,
		&w.URL, &events, &w.Secret, &w.Active, &w.CreatedBy, &hookCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, opsdesk.NotFound("no webhook delivery %d", id)
	}
	if err != nil {
		return nil, nil, opsdesk.Internal("store.WebhookDelivery", err)
	}
	del.Payload = []byte(payload)
	del.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	w.ID, w.Events = del.WebhookID, strings.Split(events, ",")
	w.CreatedAt = fromMS(sql.NullInt64{Int64: hookCreated, Valid: true})
	return &del, &w, nil
}

// RecordWebhookAttempt adds an attempt to the delivery log. System (admin) actor only.
func (d *DB) RecordWebhookAttempt(ctx context.Context, a *WebhookAttempt) error {
	if err := mayManageWebhooks(ctx); err != nil {
		return err
	}
	return d.inTx(ctx, "store.RecordWebhookAttempt", func(tx *Tx) error {
		if a.At.IsZero() {
			a.At = tx.now
		}
		var err error
		a.ID, err = tx.insert(ctx, `INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, status_code, error, duration_ms, at)
			SELECT id, webhook_id, ?, ?, ?, ?, ? FROM webhook_deliveries WHERE id = ?`,
			a.Attempt, a.StatusCode, truncate(a.Error, 2000), a.Duration.Milliseconds(), a.At.UnixMilli(), a.DeliveryID)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no webhook delivery %d", a.DeliveryID)
		}
		return err
	})
}

// PruneWebhookDeliveries deletes deliveries (and their log) queued before the given instant.
func (d *DB) PruneWebhookDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := d.exec(ctx, `DELETE FROM webhook_deliveries WHERE created_at < ?`, before.UnixMilli())
	if err != nil {
		return 0, opsdesk.Internal("store.PruneWebhookDeliveries", err)
	}
	return res.RowsAffected()
}
