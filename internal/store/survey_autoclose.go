package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// CloseUnanswered closes the resolved tickets whose survey got no answer within days business
// days of the customer's SLA calendar, marking the survey expired, and returns their numbers. It
// handles at most limit tickets (the caller loops while it returns limit of them). Each closure
// is a conditional UPDATE of the survey, so two instances running it at once, or a replayed job,
// close a ticket once. Staff and the system only. Errors: invalid (days), forbidden.
func (d *DB) CloseUnanswered(ctx context.Context, days, limit int) ([]string, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only opsdesk closes unanswered tickets")
	}
	if days < 1 {
		return nil, opsdesk.Invalid("days", "must be at least 1")
	}
	if limit <= 0 {
		limit = 200
	}
	reason := fmt.Sprintf("closed without an answer after %d business days", days)
	var closed []string
	err := d.inTx(ctx, "store.CloseUnanswered", func(tx *Tx) error {
		closed = closed[:0]
		// Business days are never shorter than calendar days: only surveys older than days
		// calendar days can be due.
		type cand struct {
			survey, ticket, customer, opened int64
		}
		cands, err := collect(func(sc scanner) (cand, error) {
			var c cand
			return c, sc.Scan(&c.survey, &c.ticket, &c.customer, &c.opened)
		})(tx.query(ctx, `SELECT s.id, s.ticket_id, s.customer_id, s.opened_at FROM surveys s JOIN tickets t ON t.id = s.ticket_id
			WHERE s.state = ? AND t.status = ? AND s.opened_at <= ? ORDER BY s.opened_at, s.id LIMIT ?`,
			opsdesk.SurveyOpen, opsdesk.StatusResolved, tx.now.AddDate(0, 0, -days).UnixMilli(), limit))
		if err != nil {
			return err
		}
		for _, c := range cands {
			terms, err := tx.slaTerms(ctx, c.customer)
			if err != nil {
				return err
			}
			if tx.now.Before(BusinessDaysEnd(terms.calendar, time.UnixMilli(c.opened), days)) {
				continue
			}
			res, err := tx.exec(ctx, `UPDATE surveys SET state = ?, ended_at = ? WHERE id = ? AND state = ?`,
				opsdesk.SurveyExpired, tx.now.UnixMilli(), c.survey, opsdesk.SurveyOpen)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				continue // another instance got there first
			}
			t, err := tx.ticketByID(ctx, c.ticket)
			if err != nil {
				return err
			}
			if err := tx.setStatus(ctx, t, opsdesk.StatusClosed, reason); err != nil {
				return err
			}
			closed = append(closed, t.Key)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range closed {
		d.notify(TicketChange{Key: strings.ToUpper(k), Kind: "updated"})
	}
	return closed, nil
}

// BusinessDaysEnd is when n business days after the instant from have passed: the start of the
// local day that follows the n-th business day after from's own day, in the calendar's zone. A
// business day is a day with opening hours that is not a holiday (every day, for a calendar open
// around the clock). Resolved on a Friday with n = 2 and a Monday holiday, the end is
// Thursday 00:00 (Tuesday and Wednesday counted).
func BusinessDaysEnd(cal *sla.Calendar, from time.Time, n int) time.Time {
	loc := cal.Location()
	if loc == nil {
		loc = time.UTC
	}
	f := from.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 12, 0, 0, 0, loc) // noon: clear of DST gaps
	for counted, guard := 0, 0; counted < n && guard < 3700; guard++ {
		day = day.AddDate(0, 0, 1)
		if isBusinessDay(cal, day) {
			counted++
		}
	}
	next := day.AddDate(0, 0, 1)
	return time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, loc)
}

var weekdayKeys = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func isBusinessDay(cal *sla.Calendar, day time.Time) bool {
	if cal.AlwaysOpen {
		return true
	}
	return len(cal.Hours[weekdayKeys[day.Weekday()]]) > 0 && !cal.IsHoliday(day)
}
