package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// clocks brings the SLA clocks of the tickets still open to the end of the history, as the
// start of opsdesk does, and records the deadlines passed (breach alerts, automatic escalations).
func (g *gen) clocks() error {
	g.at(g.end)
	if _, err := g.db.RecomputeClocks(g.sys, store.SLAOptions{}, 200); err != nil {
		return err
	}
	for more := true; more; {
		var err error
		if _, more, err = g.db.ProcessSLADue(g.sys, store.SLAOptions{}, 200); err != nil {
			return err
		}
	}
	return nil
}

// actions lets the store suggest the corrective actions its rules find (the problem, breached
// blocking tickets, low ratings, probe incidents), accepts some, and adds two manual ones.
func (g *gen) actions() error {
	g.at(g.end.Add(-2 * 24 * time.Hour))
	ctx := g.as(g.ops)
	sugg, err := g.db.SuggestActions(ctx)
	if err != nil {
		return err
	}
	for i, a := range sugg {
		if i%2 == 1 {
			continue // left proposed, for the ops manager to review
		}
		if _, err := g.db.MoveAction(ctx, a.ID, opsdesk.ActionOpen, ""); err != nil {
			return fmt.Errorf("accept action %d: %w", a.ID, err)
		}
	}
	due := g.end.AddDate(0, 0, 21).Format(time.DateOnly)
	for _, a := range []*opsdesk.Action{
		{Kind: opsdesk.ActionPreventive, Title: "Surveiller l'expiration des certificats de tous les environnements",
			Description: "Ajouter une sonde TLS avec alerte à 30 jours sur chaque production.", OwnerID: g.agents[opsdesk.LevelN2][0].ID},
		{Kind: opsdesk.ActionCorrective, Title: "Raise the import batch memory limit on every customer",
			Description: "Apply the fix made for the import problem to the batch servers of all customers.",
			OwnerID:     g.agents[opsdesk.LevelN3][0].ID, CustomerID: g.custs[2].ID},
	} {
		a.Source, a.DueDay = opsdesk.SourceManual, due
		if err := g.db.CreateAction(ctx, a); err != nil {
			return fmt.Errorf("action %q: %w", a.Title, err)
		}
	}
	return nil
}
