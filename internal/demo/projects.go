package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// projectSpecs are the projects, one in each phase of the default template: the i-th has its
// first i phases done; the last one has them all done and is closed.
var projectSpecs = []struct {
	cust int
	name string
}{
	{0, "Migration vers la version 4.3"},
	{2, "New warehouse site roll-out"},
	{1, "Raccordement du nouvel ERP"},
	{3, "Payment gateway upgrade"},
	{0, "Mise en place de l'authentification unique"},
	{2, "Customer portal go-live"}, // every phase done: closed on time
}

// projects creates the projects from the default template and advances their phases: every item
// of a finished phase validated with its evidence by the ops manager, then the phase closed.
func (g *gen) projects() error {
	for i, s := range projectSpecs {
		c := g.custs[s.cust]
		start := g.end.Add(-time.Duration(30+15*i) * 24 * time.Hour)
		g.at(start)
		p := &opsdesk.Project{CustomerID: c.ID, Name: s.name, ManagerID: g.pms[i%len(g.pms)].ID,
			OpsLeadID: g.agents[opsdesk.LevelN3][0].ID, StartOn: opsdesk.Day(start),
			TargetOn: opsdesk.Day(start.AddDate(0, 3, 0)), EnvironmentIDs: []int64{c.envs[opsdesk.EnvPreprod].ID, c.envs[opsdesk.EnvProd].ID}}
		if err := g.db.CreateProject(g.as(g.pm), p, ""); err != nil {
			return fmt.Errorf("project %q: %w", s.name, err)
		}
		phases, err := g.db.Phases(g.as(g.pm), p.ID)
		if err != nil {
			return err
		}
		items, err := g.db.Items(g.as(g.pm), p.ID)
		if err != nil {
			return err
		}
		for k := 0; k < i && k < len(phases); k++ {
			g.at(start.Add(time.Duration(k+1) * 6 * 24 * time.Hour))
			for _, it := range items {
				if it.PhaseCode != phases[k].Code || it.Status == opsdesk.ItemValidated || it.Status == opsdesk.ItemWaived {
					continue
				}
				st, ev := opsdesk.ItemValidated, "Validé en comité de pilotage / approved at the steering meeting"
				if _, err := g.db.UpdateItem(g.as(g.ops), p.ID, it.ID, opsdesk.ItemPatch{Status: &st, Evidence: &ev}); err != nil {
					return fmt.Errorf("project %q item %q: %w", s.name, it.TitleEN, err)
				}
			}
			if _, err := g.db.ClosePhase(g.as(g.ops), p.ID, phases[k].Code); err != nil {
				return fmt.Errorf("project %q phase %s: %w", s.name, phases[k].Code, err)
			}
		}
		if i < len(phases) {
			if err := g.projectTasks(c, p, phases[i].Code); err != nil {
				return fmt.Errorf("project %q: %w", s.name, err)
			}
		}
		if i >= len(phases) {
			if err := g.db.SetProjectClosed(g.as(g.pm), p.ID, true, ""); err != nil {
				return fmt.Errorf("close project %q: %w", s.name, err)
			}
		}
	}
	return nil
}

// projectTasks plans the work of a project's current phase: two estimated tasks for the team,
// due in the coming weeks, so that the plan shows project work beside the tickets.
func (g *gen) projectTasks(c *customer, p *opsdesk.Project, phase string) error {
	g.at(g.end.Add(-3 * 24 * time.Hour))
	titles := []text{
		{"Préparer l'environnement de préproduction", "Prepare the pre-production environment"},
		{"Revue de charge avec l'équipe du client", "Load review with the customer's team"},
	}
	for k, title := range titles {
		t := &opsdesk.Task{ProjectID: p.ID, PhaseCode: phase, Title: title.in(c.lang), EstimateHours: float64(6 + 6*k),
			AssigneeID: g.agents[opsdesk.LevelN2][k%len(g.agents[opsdesk.LevelN2])].ID,
			DueOn:      opsdesk.Day(g.end.AddDate(0, 0, 7+14*k))}
		if err := g.db.SaveTask(g.as(g.pm), t); err != nil {
			return fmt.Errorf("task %q: %w", t.Title, err)
		}
	}
	return nil
}
