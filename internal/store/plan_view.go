package store

import (
	"context"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
)

// PlanCustomer is the code and name a plan row shows for its customer.
type PlanCustomer struct {
	Code, Name string
}

// PlanView is the steering plan at an instant: the ranked rows matching a filter (each keeps its
// rank in the whole plan), the current overrides, the agents' capacity settings, the 8-week
// capacity plan over every open item, and the customers the rows name.
type PlanView struct {
	Now       time.Time
	Rows      []plan.Row
	Total     int // items in the whole plan, before the filter
	Overrides []*PlanOverride
	Agents    []*AgentCapacity
	Capacity  *plan.CapacityPlan
	Customers map[int64]PlanCustomer
}

// OverrideOf returns the current stored override of a row's item, nil when none.
func (v *PlanView) OverrideOf(r plan.Row) *PlanOverride {
	for i := len(v.Overrides) - 1; i >= 0; i-- {
		o := v.Overrides[i]
		if o.Override.Kind == r.Item.Kind && o.Override.ID == r.Item.ID {
			return o
		}
	}
	return nil
}

// Plan builds the steering plan at now (docs/plan.md): the open items (PlanItems) scored with the
// default weights and placed by the current overrides, filtered by f; and the capacity plan
// from the agents' settings, the 90-day handling times and every open item, on the default
// business calendar. Staff only. Errors: forbidden.
func (d *DB) Plan(ctx context.Context, now time.Time, f plan.Filter) (*PlanView, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	// The 90-day handling times are read on another connection meanwhile (a core each).
	type handlingResult struct {
		h   map[plan.HandlingKey]int64
		err error
	}
	hch := make(chan handlingResult, 1)
	go func() {
		h, err := d.PlanHandling(ctx, now)
		hch <- handlingResult{h, err}
	}()
	items, err := d.PlanItems(ctx, now)
	if err != nil {
		return nil, err
	}
	v := &PlanView{Now: now}
	if v.Overrides, err = d.PlanOverrides(ctx); err != nil {
		return nil, err
	}
	w := plan.DefaultWeights()
	rows, err := plan.Rank(items, Overrides(v.Overrides), &w, now)
	if err != nil {
		return nil, wrapErr("store.Plan", err)
	}
	v.Total, v.Rows = len(rows), f.Apply(rows)
	if v.Agents, err = d.PlanAgents(ctx); err != nil {
		return nil, err
	}
	hr := <-hch
	handling, err := hr.h, hr.err
	if err != nil {
		return nil, err
	}
	scal, err := d.queueCalendar(ctx, 0)
	if err != nil {
		return nil, wrapErr("store.Plan", err)
	}
	cal, err := plan.FromSLA(scal)
	if err != nil {
		return nil, wrapErr("store.Plan", err)
	}
	agents := make([]plan.Agent, len(v.Agents))
	for i, a := range v.Agents {
		agents[i] = a.Agent
	}
	if v.Capacity, err = plan.Capacity(plan.CapacityInput{Now: now, Calendar: cal, Agents: agents, Items: items, Handling: handling}); err != nil {
		return nil, wrapErr("store.Plan", err)
	}
	v.Customers = map[int64]PlanCustomer{}
	cs, err := collect(func(sc scanner) (struct {
		id int64
		c  PlanCustomer
	}, error) {
		var r struct {
			id int64
			c  PlanCustomer
		}
		err := sc.Scan(&r.id, &r.c.Code, &r.c.Name)
		return r, err
	})(d.query(ctx, `SELECT id, code, name FROM customers`))
	if err != nil {
		return nil, wrapErr("store.Plan", err)
	}
	for _, c := range cs {
		v.Customers[c.id] = c.c
	}
	return v, nil
}
