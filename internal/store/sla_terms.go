package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// slaTerms is what a customer's contract says about service levels: the calendar its clocks
// count in, its targets, and the support levels it provides (for escalation).
type slaTerms struct {
	calendar     *sla.Calendar
	calendarName string
	day          time.Duration // the calendar's business day
	targets      []sla.Target
	defaults     bool // the contract has no targets of its own: sla.DefaultTargets apply
	levels       []opsdesk.Level
}

// target is the target that applies to a ticket of a severity in an environment kind.
func (s *slaTerms) target(severity, envKind string) sla.Target {
	t, _ := sla.ResolveTarget(s.targets, severity, envKind)
	return t
}

// slaTerms reads a customer's terms once per transaction.
func (tx *Tx) slaTerms(ctx context.Context, customerID int64) (*slaTerms, error) {
	return remember(tx, fmt.Sprint("sla-terms:", customerID), func() (*slaTerms, error) {
		var levels string
		var calID sql.NullInt64
		err := tx.queryRow(ctx, `SELECT levels, calendar_id FROM contracts WHERE customer_id = ?`, customerID).Scan(&levels, &calID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		s := &slaTerms{}
		for _, l := range strings.Split(levels, ",") {
			if l != "" {
				s.levels = append(s.levels, opsdesk.Level(l))
			}
		}
		cal, err := tx.slaCalendar(ctx, calID.Int64)
		if err != nil {
			return nil, err
		}
		s.calendar, s.calendarName = cal.cal, cal.name
		s.day = s.calendar.DayLength()
		if s.targets, err = tx.slaTargets(ctx, customerID); err != nil {
			return nil, err
		}
		if len(s.targets) == 0 {
			s.targets, s.defaults = sla.DefaultTargets(s.day), true
		}
		return s, nil
	})
}

// namedCalendar is a compiled calendar and its name.
type namedCalendar struct {
	cal  *sla.Calendar
	name string
}

// slaCalendar reads and compiles a calendar once per transaction: the one of id, or the default
// calendar for 0 — the French calendar when the database has none yet.
func (tx *Tx) slaCalendar(ctx context.Context, id int64) (*namedCalendar, error) {
	return remember(tx, fmt.Sprint("sla-calendar:", id), func() (*namedCalendar, error) {
		q, args := `SELECT name, definition FROM sla_calendars WHERE id = ?`, []any{id}
		if id == 0 {
			q, args = `SELECT name, definition FROM sla_calendars WHERE is_default`, nil
		}
		var name, def string
		err := tx.queryRow(ctx, q, args...).Scan(&name, &def)
		if errors.Is(err, sql.ErrNoRows) && id == 0 {
			return &namedCalendar{sla.FrenchCalendar(), FrenchCalendarName}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("calendar %d: %w", id, err)
		}
		cal, err := sla.ParseCalendar([]byte(def))
		return &namedCalendar{cal, name}, err
	})
}

// slaTargets reads the targets a contract holds itself (none: the defaults apply).
func (tx *Tx) slaTargets(ctx context.Context, customerID int64) ([]sla.Target, error) {
	return collect(func(sc scanner) (sla.Target, error) {
		var t sla.Target
		var take, work, resolve sql.NullInt64
		err := sc.Scan(&t.Severity, &t.EnvKind, &take, &work, &resolve, &t.EscalateOnBreach)
		t.TakeCharge = time.Duration(take.Int64) * time.Second
		t.Workaround = time.Duration(work.Int64) * time.Second
		t.Resolve = time.Duration(resolve.Int64) * time.Second
		return t, err
	})(tx.query(ctx, `SELECT severity, env_kind, take_charge_s, workaround_s, resolve_s, escalate_on_breach
		FROM sla_targets WHERE customer_id = ? ORDER BY severity, env_kind`, customerID))
}

// ContractCalendar returns the calendar a customer's SLA clocks count in: the one its contract
// names, or the default calendar. Staff, and the customer's own users. Errors: not found.
func (d *DB) ContractCalendar(ctx context.Context, customerID int64) (*SLACalendar, error) {
	if !canSeeCustomer(opsdesk.ActorFrom(ctx), customerID) {
		return nil, opsdesk.NotFound("no customer %d", customerID)
	}
	c, err := scanCalendar(d.queryRow(ctx, `SELECT `+calendarColumns+` FROM sla_calendars
		WHERE id = COALESCE((SELECT calendar_id FROM contracts WHERE customer_id = ?), (SELECT id FROM sla_calendars WHERE is_default))`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no calendar for customer %d: seed the defaults first", customerID)
	}
	return c, wrapErr("store.ContractCalendar", err)
}

// SetContractCalendar names the calendar a customer's contract counts in (0: the default
// calendar) and has the clocks recomputed. Admins and ops managers. Errors: invalid (calendar),
// forbidden, not found (customer or contract).
func (d *DB) SetContractCalendar(ctx context.Context, customerID, calendarID int64) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage contracts")
	}
	return d.inTx(ctx, "store.SetContractCalendar", func(tx *Tx) error {
		var old sql.NullInt64
		err := tx.queryRow(ctx, `SELECT calendar_id FROM contracts WHERE customer_id = ?`, customerID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("customer %d has no contract", customerID)
		}
		if err != nil {
			return err
		}
		if calendarID != 0 {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM sla_calendars WHERE id = ?`, calendarID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return opsdesk.Invalid("calendar", "no calendar %d", calendarID)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE contracts SET calendar_id = ?, updated_at = ? WHERE customer_id = ?`,
			nullID(calendarID), tx.now.UnixMilli(), customerID); err != nil {
			return err
		}
		change := opsdesk.Change{Field: "calendar_id", Old: idText(old.Int64), New: idText(calendarID)}
		if err := tx.audit(ctx, "contract", customerID, "update", []opsdesk.Change{change}); err != nil {
			return err
		}
		_, err = tx.enqueue(ctx, slaRecomputeJob())
		return err
	})
}

// idText writes an optional id for audit lines ("" for none).
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprint(id)
}

// interner shares the strings of repeated values (statuses, severities) read in bulk.
type interner map[string]string

func (in interner) of(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// fillNewEnvKinds reads the environments again when a ticket names one created since they were
// read (a recompute shares them across its transactions).
func (tx *Tx) fillNewEnvKinds(ctx context.Context, list []*slaTicket) error {
	for _, t := range list {
		if t.envID != 0 && t.envKind == "" {
			delete(tx.memo, "sla-env-kinds")
			envs, err := tx.envKinds(ctx)
			if err != nil {
				return err
			}
			for _, t := range list {
				t.envKind = envs[t.envID]
			}
			return nil
		}
	}
	return nil
}

// envKinds maps every environment to its kind, once per transaction.
func (tx *Tx) envKinds(ctx context.Context) (map[int64]string, error) {
	return remember(tx, "sla-env-kinds", func() (map[int64]string, error) {
		rows, err := tx.query(ctx, `SELECT id, kind FROM environments`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id int64
			var kind string
			if err := rows.Scan(&id, &kind); err != nil {
				return nil, err
			}
			out[id] = kind
		}
		return out, rows.Err()
	})
}
