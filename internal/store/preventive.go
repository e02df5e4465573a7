package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Preventive work (issue #9, docs/plan.md "Preventive work"): ops managers and admins write the
// schedules, the vendor's team reads them and moves their occurrences, and a customer reads the
// schedules of their own organisation and their occurrences, without the team's internal
// fields (description, assignee, estimate, notes). Another organisation's schedule, or one of
// the vendor's own platform, is not found for a customer.

// PreventiveHorizon is how far ahead occurrences are made by default: the 8 weeks of the plan's
// capacity horizon.
const PreventiveHorizon = 8 * 7 * 24 * time.Hour

// mayReadPreventive lets anyone logged in through; customers are then scoped in the query.
func mayReadPreventive(ctx context.Context) (opsdesk.Actor, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return a, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() && !a.IsCustomer() {
		return a, opsdesk.Forbidden("preventive work is for the vendor's team and its customers")
	}
	return a, nil
}

func mayManagePreventive(ctx context.Context) error {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.Role == "":
		return opsdesk.Unauthenticated("log in first")
	case !a.CanManage():
		return opsdesk.Forbidden("only an ops manager plans preventive work")
	}
	return nil
}

const scheduleSelect = `SELECT id, kind, title, description, COALESCE(customer_id, 0), COALESCE(environment_id, 0), every, unit,
	first_day, planned_from, estimate_hours, COALESCE(assignee_id, 0), level, active, created_by, created_at, updated_at
	FROM preventive_schedules`

func scanSchedule(sc scanner) (*opsdesk.PreventiveSchedule, error) {
	var s opsdesk.PreventiveSchedule
	var created, updated int64
	err := sc.Scan(&s.ID, &s.Kind, &s.Title, &s.Description, &s.CustomerID, &s.EnvironmentID, &s.Every, &s.Unit,
		&s.FirstDay, &s.PlannedFrom, &s.EstimateHours, &s.AssigneeID, &s.Level, &s.Active, &s.CreatedBy, &created, &updated)
	s.CreatedAt, s.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return &s, err
}

// redactSchedule hides from a customer what only the vendor's team reads.
func redactSchedule(s *opsdesk.PreventiveSchedule) {
	s.Description, s.AssigneeID, s.EstimateHours, s.CreatedBy = "", 0, 0, ""
}

func (tx *Tx) scheduleByID(ctx context.Context, id int64) (*opsdesk.PreventiveSchedule, error) {
	s, err := scanSchedule(tx.queryRow(ctx, scheduleSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no preventive schedule %d", id)
	}
	return s, err
}

// checkScheduleRefs checks that the customer exists, the environment is one of theirs and the
// assignee an active member of the team.
func (tx *Tx) checkScheduleRefs(ctx context.Context, s *opsdesk.PreventiveSchedule) error {
	if s.CustomerID != 0 {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE id = ?`, s.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.Invalid("customer", "no customer %d", s.CustomerID)
		}
	}
	if s.EnvironmentID != 0 {
		var cust int64
		err := tx.queryRow(ctx, `SELECT customer_id FROM environments WHERE id = ?`, s.EnvironmentID).Scan(&cust)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && cust != s.CustomerID) {
			return opsdesk.Invalid("environment", "must be an environment of the schedule's customer")
		}
		if err != nil {
			return err
		}
	}
	if s.AssigneeID != 0 {
		u, err := tx.userByID(ctx, s.AssigneeID)
		if opsdesk.IsKind(err, opsdesk.KindNotFound) || (err == nil && (!u.Role.Staff() || u.Disabled)) {
			return opsdesk.Invalid("assignee", "must be an active member of the vendor's team")
		}
		return err
	}
	return nil
}

// CreatePreventiveSchedule records a schedule and makes its occurrences due within
// PreventiveHorizon of now, from today on (earlier dates of the series are not made). Ops
// managers and admins. Errors: invalid, forbidden.
func (d *DB) CreatePreventiveSchedule(ctx context.Context, s *opsdesk.PreventiveSchedule) error {
	if err := mayManagePreventive(ctx); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	cal, err := d.businessDays(ctx, s.CustomerID)
	if err != nil {
		return wrapErr("store.CreatePreventiveSchedule", err)
	}
	by := opsdesk.ActorFrom(ctx).Label
	return d.inTx(ctx, "store.CreatePreventiveSchedule", func(tx *Tx) error {
		if err := tx.checkScheduleRefs(ctx, s); err != nil {
			return err
		}
		s.Active, s.PlannedFrom, s.CreatedBy = true, cal.today(tx.now), by
		id, err := tx.insert(ctx, `INSERT INTO preventive_schedules (kind, title, description, customer_id, environment_id, every, unit,
			first_day, planned_from, estimate_hours, assignee_id, level, active, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.Kind, s.Title, s.Description, nullID(s.CustomerID), nullID(s.EnvironmentID), s.Every, s.Unit, s.FirstDay,
			s.PlannedFrom, s.EstimateHours, nullID(s.AssigneeID), s.Level, true, by, tx.now.UnixMilli(), tx.now.UnixMilli())
		if err != nil {
			return err
		}
		s.ID, s.CreatedAt, s.UpdatedAt = id, tx.now.UTC().Truncate(time.Millisecond), tx.now.UTC().Truncate(time.Millisecond)
		_, err = tx.materialize(ctx, s, cal, tx.now, PreventiveHorizon)
		return err
	})
}

// UpdatePreventiveSchedule changes a schedule (s.ID) to s. When its recurrence changes (interval,
// first day, customer) or it is deactivated, its future occurrences still to do and not started
// (status todo, due today or later) are removed; an active schedule is then re-planned from
// today: the new series is made over PreventiveHorizon, skipping days that already have an
// occurrence (done, skipped, started or past). Otherwise the future todo occurrences take the
// new title, assignee and estimate. Ops managers and admins. Errors: invalid, not found,
// forbidden.
func (d *DB) UpdatePreventiveSchedule(ctx context.Context, s *opsdesk.PreventiveSchedule) error {
	if err := mayManagePreventive(ctx); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	cal, err := d.businessDays(ctx, s.CustomerID)
	if err != nil {
		return wrapErr("store.UpdatePreventiveSchedule", err)
	}
	return d.inTx(ctx, "store.UpdatePreventiveSchedule", func(tx *Tx) error {
		if err := tx.lock(ctx, "preventive:"+strconv.FormatInt(s.ID, 10)); err != nil {
			return err
		}
		old, err := tx.scheduleByID(ctx, s.ID)
		if err != nil {
			return err
		}
		if err := tx.checkScheduleRefs(ctx, s); err != nil {
			return err
		}
		today := cal.today(tx.now)
		replan := !s.SameRecurrence(old) || !s.Active || (s.Active && !old.Active)
		s.PlannedFrom, s.CreatedBy, s.CreatedAt = old.PlannedFrom, old.CreatedBy, old.CreatedAt
		if replan {
			s.PlannedFrom = today
			if _, err := tx.exec(ctx, `DELETE FROM preventive_tasks WHERE schedule_id = ? AND status = 'todo' AND due_day >= ?`,
				s.ID, today); err != nil {
				return err
			}
		} else if _, err := tx.exec(ctx, `UPDATE preventive_tasks SET title = ?, assignee_id = ?, estimate_hours = ?, updated_at = ?
			WHERE schedule_id = ? AND status = 'todo' AND due_day >= ?`,
			s.Title, nullID(s.AssigneeID), s.EstimateHours, tx.now.UnixMilli(), s.ID, today); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE preventive_schedules SET kind = ?, title = ?, description = ?, customer_id = ?,
			environment_id = ?, every = ?, unit = ?, first_day = ?, planned_from = ?, estimate_hours = ?, assignee_id = ?,
			level = ?, active = ?, updated_at = ? WHERE id = ?`,
			s.Kind, s.Title, s.Description, nullID(s.CustomerID), nullID(s.EnvironmentID), s.Every, s.Unit, s.FirstDay,
			s.PlannedFrom, s.EstimateHours, nullID(s.AssigneeID), s.Level, s.Active, tx.now.UnixMilli(), s.ID); err != nil {
			return err
		}
		s.UpdatedAt = tx.now.UTC().Truncate(time.Millisecond)
		if !s.Active {
			return nil
		}
		_, err = tx.materialize(ctx, s, cal, tx.now, PreventiveHorizon)
		return err
	})
}

// PreventiveSchedule reads one schedule. Staff read any; a customer reads their organisation's,
// without the team's fields. Errors: not found.
func (d *DB) PreventiveSchedule(ctx context.Context, id int64) (*opsdesk.PreventiveSchedule, error) {
	a, err := mayReadPreventive(ctx)
	if err != nil {
		return nil, err
	}
	s, err := scanSchedule(d.queryRow(ctx, scheduleSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && a.IsCustomer() && s.CustomerID != a.CustomerID) {
		return nil, opsdesk.NotFound("no preventive schedule %d", id)
	}
	if err != nil {
		return nil, wrapErr("store.PreventiveSchedule", err)
	}
	if a.IsCustomer() {
		redactSchedule(s)
	}
	return s, nil
}

// PreventiveSchedules lists the schedules, the active ones first, then by title: all of them
// for staff (of customerID only when it is not 0), a customer's own organisation's for a
// customer (customerID is then ignored).
func (d *DB) PreventiveSchedules(ctx context.Context, customerID int64) ([]*opsdesk.PreventiveSchedule, error) {
	a, err := mayReadPreventive(ctx)
	if err != nil {
		return nil, err
	}
	if a.IsCustomer() {
		customerID = a.CustomerID
	}
	out, err := collect(scanSchedule)(d.query(ctx, scheduleSelect+` WHERE (? = 0 OR customer_id = ?)
		ORDER BY CASE WHEN active THEN 0 ELSE 1 END, title, id`, customerID, customerID))
	if err != nil {
		return nil, wrapErr("store.PreventiveSchedules", err)
	}
	if a.IsCustomer() {
		for _, s := range out {
			redactSchedule(s)
		}
	}
	return out, nil
}
