package store

import (
	"context"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// TicketClocks evaluates a ticket's three clocks (sla.ClockKinds order: take charge, work
// around, resolve) now, from its history, with its contract's calendar and targets. It reads
// only: the stored clocks are RefreshTicketClocks's. Customers reach their own organisation's
// tickets only. Errors: invalid (options), not found, unauthenticated.
func (d *DB) TicketClocks(ctx context.Context, key string, opt SLAOptions) ([]sla.Clock, error) {
	p, err := d.ticketPlan(ctx, key, opt)
	if err != nil {
		return nil, err
	}
	return p.clocks, nil
}

func (d *DB) ticketPlan(ctx context.Context, key string, opt SLAOptions) (*slaPlan, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	t, err := d.TicketByKey(ctx, key) // scoping
	if err != nil {
		return nil, err
	}
	var p *slaPlan
	err = d.inTx(ctx, "store.TicketClocks", func(tx *Tx) error {
		p, err = tx.refreshTicket(ctx, t.ID, opt, false)
		if err == nil && p == nil {
			err = opsdesk.NotFound("no ticket %s", key)
		}
		return err
	})
	return p, err
}

// SLAClock is one clock of a ticket as the API shows it (GET /api/v1/tickets/{number}/sla).
// Durations are business seconds; instants RFC 3339 in UTC, null when there is none.
type SLAClock struct {
	Clock            string  `json:"clock"`             // take_charge, workaround or resolve
	TargetSeconds    *int64  `json:"target_seconds"`    // null: no commitment for this clock
	Deadline         *string `json:"deadline"`          // the instant the target is (or was) exceeded; null when paused, met or no target
	WarnAt           *string `json:"warn_at"`           // the instant the warning share is (or was) reached
	ElapsedSeconds   int64   `json:"elapsed_seconds"`   // business time counted
	RemainingSeconds *int64  `json:"remaining_seconds"` // target − elapsed (negative once breached); null without target
	PausedSeconds    int64   `json:"paused_seconds"`    // business time spent in pausing statuses
	State            string  `json:"state"`             // ok, at_risk, breached or none
	Running          bool    `json:"running"`           // counting now
	Stopped          bool    `json:"stopped"`           // stopped for good (met or breached)
	StoppedAt        *string `json:"stopped_at"`        // when it stopped for good
	Calendar         string  `json:"calendar"`          // the calendar counted in
}

// TicketSLA returns a ticket's clocks as the API shows them, evaluated now. Same scoping and
// errors as TicketClocks.
func (d *DB) TicketSLA(ctx context.Context, key string, opt SLAOptions) ([]SLAClock, error) {
	p, err := d.ticketPlan(ctx, key, opt)
	if err != nil {
		return nil, err
	}
	out := make([]SLAClock, len(p.clocks))
	for i, c := range p.clocks {
		v := SLAClock{Clock: string(c.Kind), Deadline: rfc3339(c.Deadline), WarnAt: rfc3339(c.WarnAt),
			ElapsedSeconds: int64(c.Elapsed / time.Second), PausedSeconds: int64(c.Paused / time.Second),
			State: string(c.State), Running: c.Running, Stopped: c.Stopped, StoppedAt: rfc3339(p.rows[i].stoppedAt),
			Calendar: p.terms.calendarName}
		if c.Target > 0 {
			target, left := int64(c.Target/time.Second), int64((c.Target-c.Elapsed)/time.Second)
			v.TargetSeconds, v.RemainingSeconds = &target, &left
		}
		out[i] = v
	}
	return out, nil
}

// rfc3339 writes an instant the way the API does (RFC 3339, UTC, milliseconds); nil for zero.
func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

// EventWorkaround is the kind of the history line of a recorded workaround (MessageID: the
// public message that states it).
const EventWorkaround = "workaround"

// RecordWorkaround records that an agent found a way around the problem: it stops the
// work-around clock (at the first one recorded) and states the workaround to the customer in a
// public message ("Workaround: …", in the customer's language), since they are the ones who
// apply it. Like any public answer of the team, it takes a new ticket in charge. Staff only.
// Errors: invalid (workaround), forbidden, not found, conflict (resolved or closed ticket).
func (d *DB) RecordWorkaround(ctx context.Context, key, text string) (*opsdesk.Message, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team records workarounds")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, opsdesk.Invalid("workaround", "is required: say how to get around the problem")
	}
	if len(text) > 100_000 {
		return nil, opsdesk.Invalid("workaround", "is longer than 100,000 characters")
	}
	m := &opsdesk.Message{Channel: opsdesk.ChannelWeb, AuthorUserID: a.UserID, AuthorLabel: a.Label}
	err := d.inTx(ctx, "store.RecordWorkaround", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		if !t.Status.Active() {
			return opsdesk.Conflict("status", "%s is %s: reopen it first", t.Key, t.Status)
		}
		cust, err := tx.customerByID(ctx, t.CustomerID)
		if err != nil {
			return err
		}
		m.TicketID, m.Body = t.ID, "Workaround: "+text
		if cust.Lang == opsdesk.LangFR {
			m.Body = "Contournement : " + text
		}
		if err := tx.addMessage(ctx, m, nil, false); err != nil {
			return err
		}
		if err := tx.updateTicket(ctx, t.ID, []string{"workaround_at = COALESCE(workaround_at, ?)"}, []any{tx.now.UnixMilli()}); err != nil {
			return err
		}
		if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: EventWorkaround, Field: "workaround", New: "recorded", MessageID: m.ID}); err != nil {
			return err
		}
		if err := tx.emit(ctx, opsdesk.TicketMessage, t, m.ID, false); err != nil {
			return err
		}
		if t.Status == opsdesk.StatusNew {
			return tx.setStatus(ctx, t, opsdesk.StatusOpen, "first answer")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(strings.TrimSpace(key)), Kind: "message"})
	return m, nil
}
