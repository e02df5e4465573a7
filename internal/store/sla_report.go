package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// SLAReportRow is one line of the monthly SLA compliance report: one customer's tickets of one
// severity, for one clock.
type SLAReportRow struct {
	CustomerID   int64
	CustomerCode string
	CustomerName string
	Severity     string
	Clock        sla.ClockKind
	WithTarget   int // clocks with a target whose outcome fell in the month: Met + Breached
	Met          int
	Breached     int
}

// Compliance is the share of clocks that met their target, in percent (100 when none counted).
func (r SLAReportRow) Compliance() float64 {
	if r.WithTarget == 0 {
		return 100
	}
	return 100 * float64(r.Met) / float64(r.WithTarget)
}

// SLAReport computes the SLA compliance of a month, per customer, severity and clock, from the
// stored clocks (docs/sla.md, "Monthly compliance report", defines it in SQL terms). A clock
// counts once, in the month of its outcome, read in the zone of the customer's calendar:
//
//   - breached: its target was exceeded at an instant (sla_clocks.deadline, not null) inside the
//     month and before now — whether it stopped since or still runs;
//   - met: it stopped for good (stopped, stopped_at inside the month) without exceeding it
//     (deadline null).
//
// Clocks without a target, and running or paused ones not yet breached, do not count. Targets
// and severities are the current ones (the retroactive rule). customerID 0 reports every
// customer; customers only ever get their own. Rows come by customer code, severity rank and
// clock. Errors: invalid (month), unauthenticated.
func (d *DB) SLAReport(ctx context.Context, year int, month time.Month, customerID int64) ([]SLAReportRow, error) {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.Role == "":
		return nil, opsdesk.Unauthenticated("log in first")
	case a.IsCustomer():
		customerID = a.CustomerID
	}
	if month < time.January || month > time.December || year < 2000 || year > 9999 {
		return nil, opsdesk.Invalid("month", "must be a month such as 2027-03")
	}
	// A UTC window wide enough for every zone; each customer's own bounds are applied below.
	lo := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Add(-48 * time.Hour)
	hi := time.Date(year, month+1, 1, 0, 0, 0, 0, time.UTC).Add(48 * time.Hour)
	q := `SELECT t.customer_id, cu.code, cu.name, t.severity, COALESCE(s.rank, 999), c.clock, c.deadline, c.stopped_at
		FROM sla_clocks c JOIN tickets t ON t.id = c.ticket_id JOIN customers cu ON cu.id = t.customer_id
		LEFT JOIN severities s ON s.code = t.severity
		WHERE c.target_s > 0 AND ((c.deadline >= ? AND c.deadline < ?) OR (c.deadline IS NULL AND c.stopped AND c.stopped_at >= ? AND c.stopped_at < ?))`
	args := []any{lo.UnixMilli(), hi.UnixMilli(), lo.UnixMilli(), hi.UnixMilli()}
	if customerID != 0 {
		q += ` AND t.customer_id = ?`
		args = append(args, customerID)
	}
	type key struct {
		customer int64
		severity string
		clock    sla.ClockKind
	}
	rows := map[key]*SLAReportRow{}
	ranks := map[string]int{}
	err := d.inTx(ctx, "store.SLAReport", func(tx *Tx) error {
		now := tx.now
		rs, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		type line struct {
			row               SLAReportRow
			deadline, stopped sql.NullInt64
		}
		var lines []line
		for rs.Next() {
			var l line
			var rank int
			if err := rs.Scan(&l.row.CustomerID, &l.row.CustomerCode, &l.row.CustomerName, &l.row.Severity, &rank, &l.row.Clock,
				&l.deadline, &l.stopped); err != nil {
				rs.Close()
				return err
			}
			ranks[l.row.Severity] = rank
			lines = append(lines, l)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		for _, l := range lines {
			terms, err := tx.slaTerms(ctx, l.row.CustomerID)
			if err != nil {
				return err
			}
			loc := terms.calendar.Location()
			start := time.Date(year, month, 1, 0, 0, 0, 0, loc)
			end := time.Date(year, month+1, 1, 0, 0, 0, 0, loc)
			in := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
			breached := l.deadline.Valid && in(fromMS(l.deadline)) && fromMS(l.deadline).Before(now)
			met := !l.deadline.Valid && in(fromMS(l.stopped))
			if !breached && !met {
				continue
			}
			k := key{l.row.CustomerID, l.row.Severity, l.row.Clock}
			r := rows[k]
			if r == nil {
				r = &l.row
				rows[k] = r
			}
			r.WithTarget++
			if met {
				r.Met++
			} else {
				r.Breached++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]SLAReportRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b SLAReportRow) int {
		return cmp.Or(cmp.Compare(a.CustomerCode, b.CustomerCode), cmp.Compare(ranks[a.Severity], ranks[b.Severity]),
			cmp.Compare(a.Severity, b.Severity), cmp.Compare(slices.Index(sla.ClockKinds, a.Clock), slices.Index(sla.ClockKinds, b.Clock)))
	})
	return out, nil
}
