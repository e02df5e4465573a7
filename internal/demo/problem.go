package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// problem opens a problem for the nightly import failures (scenario 2) and links every incident
// of that kind to it, as an N2 agent would once the pattern shows.
func (g *gen) problem() error {
	// The import incidents since release 4.2.0 (the most recent eight), in production.
	since := g.end.AddDate(0, 0, -releases[1].daysAgo)
	var linked []*ticket
	for i := len(g.tks) - 1; i >= 0 && len(linked) < 8; i-- {
		t := g.tks[i]
		if t.scenario == 2 && t.created.After(since) && t.severity != "question" {
			linked = append(linked, t)
		}
	}
	if len(linked) < 2 {
		return fmt.Errorf("only %d import incidents: the seed gives too few to make a problem", len(linked))
	}
	g.at(g.end.Add(-20 * 24 * time.Hour))
	n2 := g.agents[opsdesk.LevelN2][0]
	p := &opsdesk.Problem{Title: "Échecs répétés du batch d'import des commandes (nightly order import)",
		Description: "Le batch d'import s'arrête en erreur 137 (mémoire) chez plusieurs clients depuis la 4.2.0.",
		Workaround:  "Rejouer les lots à partir du dernier lot traité (procédure « Relancer un traitement batch »).",
		OwnerID:     n2.ID}
	if err := g.db.CreateProblem(g.as(n2), p); err != nil {
		return err
	}
	for _, t := range linked {
		if _, err := g.db.LinkTicket(g.as(n2), p.ID, t.key); err != nil {
			return fmt.Errorf("link %s: %w", t.key, err)
		}
	}
	return nil
}
