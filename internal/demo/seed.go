package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// SeedOptions tune a bulk seeding (Seed).
type SeedOptions struct {
	// Tickets is how many tickets to add (required, at least 1).
	Tickets int
	// Customers is how many new customers share them (default DefaultSeedCustomers(Tickets)).
	Customers int
	// Days is the span of the history the tickets are spread over, ending at Now (default 90).
	Days int
	// Seed makes the data reproducible: the same seed gives the same shape (default 1).
	Seed uint64
	// Now is the instant the history ends at (default: the store's clock when Seed starts).
	Now time.Time
	// Domain is the vendor's mail domain, for the agents Seed creates (default "opsdesk.example").
	Domain string
	// Progress, when set, is called after each ticket with how many are made so far.
	Progress func(done, total int)
}

// SeedResult is what a seeding added.
type SeedResult struct {
	Customers []*opsdesk.Customer // the new customers, by code
	Agents    []*opsdesk.User     // the agents created for levels that had none
	Articles  int                 // knowledge articles created (0 when the desk had them)
	Tickets   int                 // tickets made, each with its whole life
	From, To  time.Time           // the span of the history
}

// DefaultSeedCustomers is how many customers Seed creates when not told: one per 2,000
// tickets, at least one.
func DefaultSeedCustomers(tickets int) int { return max(1, tickets/2000) }

// DefaultSeedDays is the span of a seeding's history when not told.
const DefaultSeedDays = 90

// Seed adds bulk synthetic data to db, which must be migrated and may hold anything (an empty
// desk, the demo, an earlier seeding): new customers named SEED00001, SEED00002… after the
// highest such code already there, each with a contract on a business calendar, test, preprod
// and prod environments with servers, users and contacts; agents at every level that has none;
// the demo's knowledge articles unless published ones of the same titles exist; then
// opt.Tickets tickets spread over the last opt.Days days, each filed and played through its life
// (taken, answered, paused, escalated, resolved, rated, reopened, closed — or still open when
// recent) exactly as the demo does, through the store's own methods on a walking clock. Last,
// the SLA clocks of open tickets are brought to the end of the history and the deadlines passed
// processed, as opsdesk's start and SLA watcher do.
//
// When ctx is cancelled Seed stops between two tickets — the ticket under way is played to its
// end, so none is left half made — and returns what it made with an error wrapping ctx.Err().
// The store's clock is restored before it returns. Errors: invalid (an option, field named).
func Seed(ctx context.Context, db *store.DB, opt SeedOptions) (*SeedResult, error) {
	if opt.Tickets <= 0 {
		return nil, opsdesk.Invalid("tickets", "must be at least 1")
	}
	if opt.Customers == 0 {
		opt.Customers = DefaultSeedCustomers(opt.Tickets)
	}
	if opt.Customers < 0 {
		return nil, opsdesk.Invalid("customers", "must be at least 1")
	}
	if opt.Days == 0 {
		opt.Days = DefaultSeedDays
	}
	if opt.Days < 0 {
		return nil, opsdesk.Invalid("days", "must be at least 1")
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Domain == "" {
		opt.Domain = "opsdesk.example"
	}
	span := time.Duration(opt.Days) * 24 * time.Hour
	// The store calls run without the caller's cancellation, which is checked between steps
	// and between tickets instead: a ticket's life is never cut in the middle.
	g, restore := newGen(context.WithoutCancel(ctx), db, Options{Seed: opt.Seed, Now: opt.Now, Domain: opt.Domain}, "seed", span)
	defer restore()
	res := &SeedResult{From: g.res.From, To: g.res.To}
	g.at(g.end.Add(-span - 24*time.Hour))
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"catalogs", g.catalogs},
		{"team", func() error { return g.seedTeam(res) }},
		{"knowledge base", func() error { return g.seedKnowledge(res) }},
		{"customers", func() error { return g.seedCustomers(opt.Customers, res) }},
	} {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("seed: interrupted before the %s: %w", step.name, err)
		}
		if err := step.fn(); err != nil {
			return res, fmt.Errorf("seed: %s: %w", step.name, err)
		}
	}
	if err := g.seedTickets(ctx, opt, span, res); err != nil {
		return res, err
	}
	if err := g.clocks(); err != nil {
		return res, fmt.Errorf("seed: SLA clocks: %w", err)
	}
	return res, nil
}

// seedTickets files opt.Tickets tickets over the span ending at g.end, in order of time, each
// for a customer drawn by weight, and plays each one's life.
func (g *gen) seedTickets(ctx context.Context, opt SeedOptions, span time.Duration, res *SeedResult) error {
	total := 0
	for _, c := range g.custs {
		total += c.weight
	}
	n := opt.Tickets
	step := span / time.Duration(n)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("seed: interrupted after %d of %d tickets: %w", i, n, err)
		}
		c := g.weighted(total)
		at := g.office(c, g.end.Add(-span+step*time.Duration(i)+time.Duration(g.rnd.IntN(180))*time.Minute))
		if at.After(g.end) {
			// Out of business hours until after the end: filed in the last hours instead, so
			// that every ticket asked for is made.
			at = g.end.Add(-time.Duration(1+g.rnd.IntN(180)) * time.Minute)
		}
		if _, err := g.ticket(c, at); err != nil {
			return fmt.Errorf("seed: ticket %d of %d: %w", i+1, n, err)
		}
		res.Tickets = i + 1
		if opt.Progress != nil {
			opt.Progress(i+1, n)
		}
	}
	return nil
}
