// Package webhook delivers ticket events to the URLs admins registered. It is one consumer of
// ticket events (see internal/events): it fans each event out — one "webhook.deliver" job per
// subscribed webhook, recorded once per event even when the fan-out is retried — and each
// delivery POSTs the event as JSON, signed with HMAC-SHA256, retried with back-off by the job
// runner until the receiver answers 2xx. Every attempt is logged.
package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/events"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// DeliverJob is the kind of the job that sends one event to one webhook.
const DeliverJob = "webhook.deliver"

// Options tune the delivery; zero values take the defaults.
type Options struct {
	BaseURL     string        // public URL of opsdesk, for the links in the ticket JSON
	Client      *http.Client  // default: NewClient()
	Timeout     time.Duration // per attempt (default 10s)
	MaxAttempts int           // per delivery (default 8; the runner's back-off spaces them)
	Logger      *slog.Logger
}

// Payload is the JSON body POSTed to a webhook.
type Payload struct {
	Event   string           `json:"event"`
	Number  string           `json:"number"`
	Ticket  apijson.Ticket   `json:"ticket"`
	Message *apijson.Message `json:"message,omitempty"` // message events, unless the message is an internal note
	Actor   string           `json:"actor"`
	At      string           `json:"at"`
}

// deliverPayload is the payload of a DeliverJob.
type deliverPayload struct {
	DeliveryID int64 `json:"delivery_id"`
}

// service holds what the two job handlers need.
type service struct {
	db     *store.DB
	runner *jobs.Runner
	opt    Options
}

// Register installs the "webhook.deliver" handler on the runner and returns the consumer of
// ticket events that fans them out, for events.Register. Call it before r.Run.
func Register(r *jobs.Runner, db *store.DB, opt Options) events.Consumer {
	if opt.Client == nil {
		opt.Client = NewClient()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 8
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &service{db: db, runner: r, opt: opt}
	r.Handle(DeliverJob, s.deliver)
	return s.fanOut
}

// fanOut queues one delivery of the event per subscribed webhook. The deliveries are recorded
// with the event job's id as their cause, so running it again for the same job adds nothing.
func (s *service) fanOut(ctx context.Context, jobID int64, ev opsdesk.TicketEvent) error {
	wanted, err := s.db.HasWebhooksFor(ctx, ev.Event)
	if err != nil || !wanted {
		return err
	}
	body, err := s.payload(ctx, ev)
	if err != nil {
		return err
	}
	n, err := s.db.QueueWebhookDeliveries(ctx, "ticket.event:"+strconv.FormatInt(jobID, 10), ev.Event, ev.Key, body,
		func(id int64) opsdesk.NewJob {
			return opsdesk.NewJob{Kind: DeliverJob, Payload: deliverPayload{DeliveryID: id}, MaxAttempts: s.opt.MaxAttempts,
				UniqueKey: DeliverJob + ":" + strconv.FormatInt(id, 10)}
		})
	if err != nil {
		return err
	}
	if n > 0 {
		s.runner.Notify()
	}
	return nil
}

// payload builds the body sent for an event: the ticket as it stands now, read as the system,
// and the message for a message event unless it is an internal note.
func (s *service) payload(ctx context.Context, ev opsdesk.TicketEvent) ([]byte, error) {
	t, err := s.db.TicketByKey(ctx, ev.Key)
	if err != nil {
		return nil, err
	}
	p := Payload{Event: ev.Event, Number: t.Key, Ticket: apijson.TicketOf(t, s.opt.BaseURL),
		Actor: ev.Actor, At: apijson.Stamp(ev.At)}
	if ev.Event == opsdesk.TicketMessage && ev.MessageID != 0 && !ev.Internal {
		m, err := s.db.MessageByID(ctx, t.Key, ev.MessageID)
		if err != nil {
			return nil, err
		}
		if !m.Internal {
			j := apijson.MessageOf(m, t.Key, s.opt.BaseURL)
			p.Message = &j
		}
	}
	return json.Marshal(p)
}
