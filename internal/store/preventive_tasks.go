package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// preventiveCalendar is a customer's business calendar as preventive work reads it: which local
// days are business days, and today's local date.
type preventiveCalendar struct {
	cal *sla.Calendar
	loc *time.Location
}

// businessDays loads the business calendar of a customer (their contract's, else the default;
// customer 0, the vendor's own platform, gets the default).
func (d *DB) businessDays(ctx context.Context, customerID int64) (*preventiveCalendar, error) {
	cal, err := d.queueCalendar(ctx, customerID)
	if err != nil {
		return nil, err
	}
	loc := cal.Location()
	if loc == nil {
		loc = time.UTC
	}
	return &preventiveCalendar{cal: cal, loc: loc}, nil
}

func (c *preventiveCalendar) today(now time.Time) string { return now.In(c.loc).Format(time.DateOnly) }

// open tells whether the civil date day (a UTC midnight) has business time on the calendar:
// closed weekdays and holidays have none.
func (c *preventiveCalendar) open(day time.Time) bool {
	y, m, dd := day.Date()
	start := time.Date(y, m, dd, 0, 0, 0, 0, c.loc)
	return c.cal.Elapsed(start, start.AddDate(0, 0, 1)) > 0
}

// materialize makes the occurrences of s due from its PlannedFrom day up to (not including) the
// local day of now+horizon, once: a day that already has an occurrence of s, whatever its
// status, is left alone. It returns how many it made.
func (tx *Tx) materialize(ctx context.Context, s *opsdesk.PreventiveSchedule, cal *preventiveCalendar, now time.Time, horizon time.Duration) (int, error) {
	until := now.Add(horizon).In(cal.loc).Format(time.DateOnly)
	days, err := opsdesk.PreventiveDays(s, s.PlannedFrom, until, cal.open)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, day := range days {
		res, err := tx.exec(ctx, `INSERT INTO preventive_tasks (schedule_id, title, due_day, status, assignee_id, estimate_hours,
			created_at, updated_at) VALUES (?, ?, ?, 'todo', ?, ?, ?, ?) ON CONFLICT (schedule_id, due_day) DO NOTHING`,
			s.ID, s.Title, day, nullID(s.AssigneeID), s.EstimateHours, tx.now.UnixMilli(), tx.now.UnixMilli())
		if err != nil {
			return made, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			made++
		}
	}
	return made, nil
}

// MaterializePreventive makes, for every active schedule, the occurrences due before now +
// horizon (PreventiveHorizon when horizon <= 0), each once (UNIQUE(schedule_id, due_day)): a
// done or skipped occurrence is never made again. It returns how many it made. Safe to run on
// several instances at once. Ops managers, admins and the system. Errors: forbidden.
func (d *DB) MaterializePreventive(ctx context.Context, now time.Time, horizon time.Duration) (int, error) {
	if err := mayManagePreventive(ctx); err != nil {
		return 0, err
	}
	if horizon <= 0 {
		horizon = PreventiveHorizon
	}
	all, err := collect(scanSchedule)(d.query(ctx, scheduleSelect+` WHERE active ORDER BY id`))
	if err != nil {
		return 0, wrapErr("store.MaterializePreventive", err)
	}
	cals := map[int64]*preventiveCalendar{}
	for _, s := range all {
		if cals[s.CustomerID] == nil {
			if cals[s.CustomerID], err = d.businessDays(ctx, s.CustomerID); err != nil {
				return 0, wrapErr("store.MaterializePreventive", err)
			}
		}
	}
	made := 0
	err = d.inTx(ctx, "store.MaterializePreventive", func(tx *Tx) error {
		for _, s := range all {
			// Read again under the schedule's lock, so a concurrent edit (which replans) is seen.
			if err := tx.lock(ctx, "preventive:"+strconv.FormatInt(s.ID, 10)); err != nil {
				return err
			}
			cur, err := tx.scheduleByID(ctx, s.ID)
			if err != nil {
				return err
			}
			cal := cals[cur.CustomerID]
			if !cur.Active || cal == nil {
				continue // deactivated, or moved to a customer whose calendar the next run loads
			}
			n, err := tx.materialize(ctx, cur, cal, now, horizon)
			if err != nil {
				return err
			}
			made += n
		}
		return nil
	})
	return made, err
}

const preventiveTaskSelect = `SELECT t.id, t.schedule_id, s.kind, t.title, t.due_day, t.status, COALESCE(s.customer_id, 0),
	COALESCE(s.environment_id, 0), s.level, COALESCE(t.assignee_id, 0), t.estimate_hours, t.done_at, t.done_by, t.note, t.created_at
	FROM preventive_tasks t JOIN preventive_schedules s ON s.id = t.schedule_id`

func scanPreventiveTask(sc scanner) (*opsdesk.PreventiveTask, error) {
	var t opsdesk.PreventiveTask
	var done sql.NullInt64
	var created int64
	err := sc.Scan(&t.ID, &t.ScheduleID, &t.Kind, &t.Title, &t.DueDay, &t.Status, &t.CustomerID, &t.EnvironmentID, &t.Level,
		&t.AssigneeID, &t.EstimateHours, &done, &t.DoneBy, &t.Note, &created)
	t.DoneAt, t.CreatedAt = fromMS(done), time.UnixMilli(created).UTC()
	return &t, err
}

// redactTask keeps for a customer the title, kind, due day and status of an occurrence.
func redactTask(t *opsdesk.PreventiveTask) {
	t.Level, t.AssigneeID, t.EstimateHours, t.DoneBy, t.Note = "", 0, 0, "", ""
}

// PreventiveTaskFilter narrows a list of occurrences; zero fields match everything. From and To
// are due days YYYY-MM-DD, both included.
type PreventiveTaskFilter struct {
	From, To   string
	CustomerID int64
	ScheduleID int64
	OpenOnly   bool // todo and in_progress only
}

// PreventiveTasks lists occurrences by due day: staff see all, a customer those of their own
// organisation's schedules only (f.CustomerID is then theirs), without the team's fields.
// Errors: invalid (from, to).
func (d *DB) PreventiveTasks(ctx context.Context, f PreventiveTaskFilter) ([]*opsdesk.PreventiveTask, error) {
	a, err := mayReadPreventive(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range []struct{ name, day string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, v.day); v.day != "" && err != nil {
			return nil, opsdesk.Invalid(v.name, "must be a date YYYY-MM-DD")
		}
	}
	if a.IsCustomer() {
		f.CustomerID = a.CustomerID
	}
	var where []string
	var args []any
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.From != "" {
		add("t.due_day >= ?", f.From)
	}
	if f.To != "" {
		add("t.due_day <= ?", f.To)
	}
	if f.CustomerID != 0 {
		add("s.customer_id = ?", f.CustomerID)
	}
	if f.ScheduleID != 0 {
		add("t.schedule_id = ?", f.ScheduleID)
	}
	q := preventiveTaskSelect
	if f.OpenOnly {
		where = append(where, "t.status IN ('todo', 'in_progress')")
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	out, err := collect(scanPreventiveTask)(d.query(ctx, q+" ORDER BY t.due_day, t.id", args...))
	if err != nil {
		return nil, wrapErr("store.PreventiveTasks", err)
	}
	if a.IsCustomer() {
		for _, t := range out {
			redactTask(t)
		}
	}
	return out, nil
}

// PreventiveTask reads one occurrence; a customer reads only those of their own organisation,
// without the team's fields. Errors: not found.
func (d *DB) PreventiveTask(ctx context.Context, id int64) (*opsdesk.PreventiveTask, error) {
	a, err := mayReadPreventive(ctx)
	if err != nil {
		return nil, err
	}
	t, err := scanPreventiveTask(d.queryRow(ctx, preventiveTaskSelect+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && a.IsCustomer() && (t.CustomerID == 0 || t.CustomerID != a.CustomerID)) {
		return nil, opsdesk.NotFound("no preventive task %d", id)
	}
	if err != nil {
		return nil, wrapErr("store.PreventiveTask", err)
	}
	if a.IsCustomer() {
		redactTask(t)
	}
	return t, nil
}

// MovePreventiveTask moves an occurrence to status to (opsdesk.CheckPreventiveMove): done and
// skipped record who and when, a skip needs a note, and starting an unassigned occurrence assigns
// it to whoever starts it. A non-empty note replaces the occurrence's note. Staff only; a
// customer gets not found for another organisation's occurrence and forbidden for their own.
// Errors: invalid (status, note), not found, forbidden.
func (d *DB) MovePreventiveTask(ctx context.Context, id int64, to opsdesk.PreventiveStatus, note string) (*opsdesk.PreventiveTask, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() {
		if _, err := d.PreventiveTask(ctx, id); err != nil {
			return nil, err
		}
		return nil, opsdesk.Forbidden("only the vendor's team works on preventive tasks")
	}
	note = strings.TrimSpace(note)
	var out *opsdesk.PreventiveTask
	err := d.inTx(ctx, "store.MovePreventiveTask", func(tx *Tx) error {
		if err := tx.lock(ctx, "preventive_task:"+strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		t, err := scanPreventiveTask(tx.queryRow(ctx, preventiveTaskSelect+` WHERE t.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no preventive task %d", id)
		}
		if err != nil {
			return err
		}
		if err := opsdesk.CheckPreventiveMove(t.Status, to, note); err != nil {
			return err
		}
		t.Status = to
		if note != "" {
			t.Note = note
		}
		if to == opsdesk.PreventiveInProgress && t.AssigneeID == 0 && a.UserID != 0 {
			t.AssigneeID = a.UserID
		}
		if to == opsdesk.PreventiveDone || to == opsdesk.PreventiveSkipped {
			t.DoneAt, t.DoneBy = tx.now.UTC().Truncate(time.Millisecond), a.Label
		}
		_, err = tx.exec(ctx, `UPDATE preventive_tasks SET status = ?, note = ?, assignee_id = ?, done_at = ?, done_by = ?, updated_at = ?
			WHERE id = ?`, t.Status, t.Note, nullID(t.AssigneeID), ms(t.DoneAt), t.DoneBy, tx.now.UnixMilli(), id)
		out = t
		return err
	})
	return out, err
}

// OpenPreventiveTasks lists the occurrences still to do (todo, in progress) of every schedule,
// the soonest due first, for the steering plan. Staff only. Errors: forbidden.
func (d *DB) OpenPreventiveTasks(ctx context.Context) ([]*opsdesk.PreventiveTask, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	out, err := collect(scanPreventiveTask)(d.query(ctx, preventiveTaskSelect+
		` WHERE t.status IN ('todo', 'in_progress') ORDER BY t.due_day, t.id`))
	return out, wrapErr("store.OpenPreventiveTasks", err)
}
