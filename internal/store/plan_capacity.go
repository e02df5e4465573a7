package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
)

// DefaultWeeklyMinutes is an agent's weekly capacity until an ops manager sets it: 35 hours.
const DefaultWeeklyMinutes = 35 * 60

// AgentAbsence is a leave of an agent, both days included, with its reason.
type AgentAbsence struct {
	ID     int64     `json:"id"`
	UserID int64     `json:"user_id"`
	From   time.Time `json:"from"` // local day, midnight UTC
	To     time.Time `json:"to"`
	Reason string    `json:"reason"`
}

// AgentCapacity is an agent's capacity settings as the plan reads them.
type AgentCapacity struct {
	Agent    plan.Agent
	Email    string
	Set      bool // false: the defaults (DefaultWeeklyMinutes, 100 %) apply
	Absences []AgentAbsence
}

// SetAgentCapacity sets an agent's weekly contract minutes and the share given to Ops work
// (percent, 1..100). Ops managers and admins only. Errors: forbidden, invalid (weekly_minutes,
// percent, user).
func (d *DB) SetAgentCapacity(ctx context.Context, userID, weeklyMinutes, percent int64) error {
	a := opsdesk.ActorFrom(ctx)
	if !a.CanManage() {
		return opsdesk.Forbidden("only an ops manager sets capacities")
	}
	if weeklyMinutes <= 0 || weeklyMinutes > 7*24*60 {
		return opsdesk.Invalid("weekly_minutes", "must be between 1 and %d minutes", 7*24*60)
	}
	if percent < 1 || percent > 100 {
		return opsdesk.Invalid("percent", "must be between 1 and 100")
	}
	return d.inTx(ctx, "store.SetAgentCapacity", func(tx *Tx) error {
		if err := tx.staffUser(ctx, "user", userID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO agent_capacity (user_id, weekly_minutes, percent, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET weekly_minutes = excluded.weekly_minutes,
			percent = excluded.percent, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			userID, weeklyMinutes, percent, a.Label, tx.now.UnixMilli())
		return err
	})
}

// AddAgentAbsence records a leave of an agent, from and to being local days (YYYY-MM-DD), both
// included. Ops managers and admins only. Errors: forbidden, invalid (from, to, reason, user).
func (d *DB) AddAgentAbsence(ctx context.Context, userID int64, from, to, reason string) (*AgentAbsence, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.CanManage() {
		return nil, opsdesk.Forbidden("only an ops manager records absences")
	}
	f, err := time.Parse(time.DateOnly, strings.TrimSpace(from))
	if err != nil {
		return nil, opsdesk.Invalid("from", "must be a day such as 2027-01-07")
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(to))
	if err != nil {
		return nil, opsdesk.Invalid("to", "must be a day such as 2027-01-12")
	}
	if t.Before(f) {
		return nil, opsdesk.Invalid("to", "must not be before from")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, opsdesk.Invalid("reason", "is required")
	}
	out := &AgentAbsence{UserID: userID, From: f, To: t, Reason: reason}
	err = d.inTx(ctx, "store.AddAgentAbsence", func(tx *Tx) error {
		if err := tx.staffUser(ctx, "user", userID); err != nil {
			return err
		}
		out.ID, err = tx.insert(ctx, `INSERT INTO agent_absences (user_id, from_day, to_day, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, userID, f.Format(time.DateOnly), t.Format(time.DateOnly), reason, a.Label, tx.now.UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveAgentAbsence deletes a recorded absence. Ops managers and admins only. Errors:
// forbidden, not found.
func (d *DB) RemoveAgentAbsence(ctx context.Context, id int64) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only an ops manager records absences")
	}
	return d.inTx(ctx, "store.RemoveAgentAbsence", func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM agent_absences WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return opsdesk.NotFound("absence %d not found", id)
		}
		return nil
	})
}

// PlanAgents lists the agents of the plan — the staff users with a support level — with their
// capacity settings (the defaults when none were set) and absences, by level then name. Staff
// only. Errors: forbidden.
func (d *DB) PlanAgents(ctx context.Context) ([]*AgentCapacity, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	list, err := collect(func(sc scanner) (*AgentCapacity, error) {
		var c AgentCapacity
		var weekly, pct sql.NullInt64
		err := sc.Scan(&c.Agent.ID, &c.Agent.Name, &c.Email, &c.Agent.Level, &weekly, &pct)
		c.Set = weekly.Valid
		c.Agent.WeeklyMinutes, c.Agent.Percent = DefaultWeeklyMinutes, 100
		if c.Set {
			c.Agent.WeeklyMinutes, c.Agent.Percent = weekly.Int64, pct.Int64
		}
		return &c, err
	})(d.query(ctx, `SELECT u.id, COALESCE(NULLIF(u.name, ''), u.email), u.email, u.level, c.weekly_minutes, c.percent
		FROM users u LEFT JOIN agent_capacity c ON c.user_id = u.id
		WHERE u.role <> 'customer' AND u.level <> '' AND NOT u.disabled
		ORDER BY u.level, u.name, u.id`))
	if err != nil {
		return nil, wrapErr("store.PlanAgents", err)
	}
	byID := map[int64]*AgentCapacity{}
	for _, c := range list {
		byID[c.Agent.ID] = c
	}
	abs, err := collect(func(sc scanner) (AgentAbsence, error) {
		var ab AgentAbsence
		var f, t string
		err := sc.Scan(&ab.ID, &ab.UserID, &f, &t, &ab.Reason)
		if err == nil {
			ab.From, _ = time.Parse(time.DateOnly, f)
			ab.To, _ = time.Parse(time.DateOnly, t)
		}
		return ab, err
	})(d.query(ctx, `SELECT id, user_id, from_day, to_day, reason FROM agent_absences ORDER BY user_id, from_day, id`))
	if err != nil {
		return nil, wrapErr("store.PlanAgents", err)
	}
	for _, ab := range abs {
		if c := byID[ab.UserID]; c != nil {
			c.Absences = append(c.Absences, ab)
			c.Agent.Absences = append(c.Agent.Absences, plan.Absence{From: ab.From, To: ab.To})
		}
	}
	return list, nil
}
