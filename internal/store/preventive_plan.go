package store

import (
	"context"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// PreventiveRef is how the plan names an occurrence of preventive work: "PV-12".
func PreventiveRef(id int64) string { return "PV-" + strconv.FormatInt(id, 10) }

// planPreventive turns the open occurrences of preventive work (OpenPreventiveTasks) into plan
// items: ref PV-<id>, the schedule's kind as the domain and its level, the occurrence's assignee
// and estimate (hours × 60), and the business hours from now to the end of the due day on the
// customer's calendar (negative once the day is over). calendar is PlanItems' cache.
func (d *DB) planPreventive(ctx context.Context, now time.Time, calendar func(int64) (*sla.Calendar, error)) ([]plan.Item, error) {
	tasks, err := d.OpenPreventiveTasks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]plan.Item, 0, len(tasks))
	for _, t := range tasks {
		cal, err := calendar(t.CustomerID)
		if err != nil {
			return nil, wrapErr("store.PlanItems", err)
		}
		loc := cal.Location()
		if loc == nil {
			loc = time.UTC
		}
		day, err := time.ParseInLocation(time.DateOnly, t.DueDay, loc)
		if err != nil {
			return nil, wrapErr("store.PlanItems", err)
		}
		end := day.AddDate(0, 0, 1)
		out = append(out, plan.Item{Kind: plan.KindPreventive, ID: t.ID, Ref: PreventiveRef(t.ID), Title: t.Title,
			Created: t.CreatedAt, Level: t.Level, Domain: string(t.Kind), Assignee: t.AssigneeID, Customer: t.CustomerID,
			Preventive: &plan.PreventiveFacts{Kind: string(t.Kind), Day: day, End: end,
				LeftHours: int64(businessLeft(cal, now, end) / time.Hour), RemainingMinutes: int64(t.EstimateHours * 60)}})
	}
	return out, nil
}
