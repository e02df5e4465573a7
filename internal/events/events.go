// Package events carries ticket events to their consumers — webhooks, mail notifications, SLA
// clocks — each in a job of its own. The store enqueues one "ticket.event" job in the transaction
// of every ticket change; its handler here fans it out into one job per consumer, recorded
// atomically with its own completion (jobs.Then), so a consumer that fails is retried alone and
// never holds the others back, and a consumer runs once per event (keyed by the event's job id,
// which consumers use to make their own work idempotent).
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Consumer handles one ticket event. eventID is the id of the ticket.event job: the same for
// every retry, a key for idempotency.
type Consumer func(ctx context.Context, eventID int64, ev opsdesk.TicketEvent) error

// payload is what a consumer's job carries.
type payload struct {
	EventID int64               `json:"event_id"`
	Event   opsdesk.TicketEvent `json:"event"`
}

// Register installs the ticket.event fan-out and one job kind per consumer,
// "ticket.event:<name>", on the runner. Call it once, before r.Run, with every consumer.
func Register(r *jobs.Runner, consumers map[string]Consumer) {
	names := make([]string, 0, len(consumers))
	for name := range consumers {
		names = append(names, name)
	}
	slices.Sort(names)
	r.Handle(opsdesk.TicketEventJob, func(ctx context.Context, j *opsdesk.Job) error {
		var ev opsdesk.TicketEvent
		if err := json.Unmarshal(j.Payload, &ev); err != nil {
			return jobs.Permanent(fmt.Errorf("ticket event %d: %w", j.ID, err))
		}
		for _, name := range names {
			jobs.Then(ctx, opsdesk.NewJob{Kind: kind(name), Payload: payload{EventID: j.ID, Event: ev},
				UniqueKey: kind(name) + ":" + strconv.FormatInt(j.ID, 10), MaxAttempts: 8})
		}
		return nil
	})
	for _, name := range names {
		consume := consumers[name]
		r.Handle(kind(name), func(ctx context.Context, j *opsdesk.Job) error {
			var p payload
			if err := json.Unmarshal(j.Payload, &p); err != nil {
				return jobs.Permanent(fmt.Errorf("%s %d: %w", kind(name), j.ID, err))
			}
			return consume(opsdesk.WithActor(ctx, opsdesk.System(name)), p.EventID, p.Event)
		})
	}
}

func kind(name string) string { return opsdesk.TicketEventJob + ":" + name }
