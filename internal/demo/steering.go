package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// steering sets the ops manager's quality targets, the recurring preventive work and the agents'
// capacity, 60 days into the history, and evaluates the targets at its end as the hourly job
// does (a target missed proposes a corrective action).
func (g *gen) steering() error {
	g.at(g.end.Add(-60 * 24 * time.Hour))
	ctx := g.as(g.ops)
	for _, t := range []*opsdesk.QualityTarget{
		{Indicator: opsdesk.QualitySLATakeCharge, Comparator: "ge", Threshold: 95, Period: "month", Active: true},
		{Indicator: opsdesk.QualityCSATAverage, Comparator: "ge", Threshold: 4.2, Period: "month", Active: true},
		{Indicator: opsdesk.QualityReopen, Comparator: "le", Threshold: 5, Period: "week", Active: true},
		{Indicator: opsdesk.QualitySLAResolve, Severity: "blocking", CustomerID: g.custs[3].ID, Comparator: "ge", Threshold: 98,
			Period: "month", Active: true},
	} {
		if err := g.db.SaveQualityTarget(ctx, t); err != nil {
			return fmt.Errorf("quality target %s: %w", t.Indicator, err)
		}
	}
	first := g.now.Format(time.DateOnly)
	for _, s := range []*opsdesk.PreventiveSchedule{
		{Kind: opsdesk.PreventiveCertificateRenewal, Title: "Revue des certificats TLS", CustomerID: g.custs[0].ID,
			EnvironmentID: g.custs[0].envs[opsdesk.EnvProd].ID, Every: 1, Unit: opsdesk.UnitMonths, EstimateHours: 2,
			AssigneeID: g.agents[opsdesk.LevelN2][0].ID, Level: opsdesk.LevelN2},
		{Kind: opsdesk.PreventivePerformanceReview, Title: "Quarterly performance review", CustomerID: g.custs[2].ID,
			EnvironmentID: g.custs[2].envs[opsdesk.EnvProd].ID, Every: 3, Unit: opsdesk.UnitMonths, EstimateHours: 6,
			AssigneeID: g.agents[opsdesk.LevelN3][1].ID, Level: opsdesk.LevelN3},
		{Kind: opsdesk.PreventiveAccessReview, Title: "Revue des accès d'administration", Every: 2, Unit: opsdesk.UnitWeeks,
			EstimateHours: 1, AssigneeID: g.agents[opsdesk.LevelN1][0].ID, Level: opsdesk.LevelN1},
	} {
		s.FirstDay, s.Active = first, true
		if err := g.db.CreatePreventiveSchedule(ctx, s); err != nil {
			return fmt.Errorf("preventive schedule %q: %w", s.Title, err)
		}
	}
	// The agents' capacity for the plan: a 35-hour week, the N3 agents half on projects; one
	// agent away next week.
	for _, l := range opsdesk.Levels {
		for _, a := range g.agents[l] {
			percent := int64(90)
			if l == opsdesk.LevelN3 {
				percent = 50
			}
			if err := g.db.SetAgentCapacity(ctx, a.ID, 35*60, percent); err != nil {
				return fmt.Errorf("capacity of %s: %w", a.Email, err)
			}
		}
	}
	away := g.agents[opsdesk.LevelN1][1]
	from := g.end.AddDate(0, 0, 7)
	if _, err := g.db.AddAgentAbsence(ctx, away.ID, from.Format(time.DateOnly), from.AddDate(0, 0, 4).Format(time.DateOnly),
		"Congés / leave"); err != nil {
		return fmt.Errorf("absence of %s: %w", away.Email, err)
	}
	g.at(g.end)
	_, err := g.db.EvaluateQualityTargets(g.sys, g.end)
	return err
}
