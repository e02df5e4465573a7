// Package demo fills a fresh opsdesk database with a realistic, coherent desk — a vendor team,
// four customers (two French, two English), 90 days of tickets with their conversations,
// escalations, surveys, knowledge base, a problem, deployments, probes, projects and corrective
// actions — through the store's own public methods, the calls the web, API and mail handlers
// make. Nothing is written to a table directly: what the demo shows is what the product computes.
//
// The store's clock is walked through the last 90 days while the history is written, so every
// event has a realistic timestamp and the SLA clocks come out met, paused or breached on their
// own. The same seed gives the same desk (up to the instant it is generated at).
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Options tune a generation.
type Options struct {
	// Seed makes the desk reproducible (default 1).
	Seed uint64
	// Now is the instant the history ends at (default: the store's clock when Generate starts).
	Now time.Time
	// Tickets is roughly how many tickets the 90 days hold (default 240).
	Tickets int
	// Domain is the vendor's mail domain, for the team's logins (default "opsdesk.example").
	Domain string
	// FailingProbeURL is the address of the probe that fails (default http://127.0.0.1:9/health,
	// which refuses connections); HealthyProbeURL the one that answers (default "", no healthy
	// probe is created: give opsdesk's own /healthz).
	FailingProbeURL string
	HealthyProbeURL string
	// Blobs is the instance's attachment store (the data directory's attachments). With it, the
	// mail-channel requests arrive as real messages through the mail intake, which keeps their
	// raw form and attachments there; without it they are filed directly, like the portal's.
	Blobs *blob.Store
}

// Login is a user created by the demo, with its generated password.
type Login struct {
	Role     string // what the user does, as printed: "ops manager", "agent N2", "customer (FR)"…
	Email    string
	Password string
	User     *opsdesk.User
}

// Result is what a generation made, for printing and for tests.
type Result struct {
	Logins    []Login
	Customers []*opsdesk.Customer
	Tickets   int       // every ticket, the probe's incidents included
	From, To  time.Time // the span of the history
}

// Period is the span of the demo's history, ending at the generation instant.
const Period = 90 * 24 * time.Hour

// Generate fills db, which must be migrated and hold no customer yet, and marks it as a demo
// database. It returns the logins it created. The store's clock is restored before it returns.
func Generate(ctx context.Context, db *store.DB, opt Options) (*Result, error) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Tickets <= 0 {
		opt.Tickets = 240
	}
	if opt.Domain == "" {
		opt.Domain = "opsdesk.example"
	}
	if opt.FailingProbeURL == "" {
		opt.FailingProbeURL = "http://127.0.0.1:9/health"
	}
	g, restore := newGen(ctx, db, opt, "demo", Period)
	defer restore()
	cs, err := db.ListCustomers(g.sys)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if len(cs) > 0 {
		return nil, opsdesk.Conflict("database", "the database already holds %d customers: the demo needs an empty one", len(cs))
	}
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"catalogs", g.catalogs},
		{"team", g.team},
		{"customers", g.customers},
		{"environments", g.environments},
		{"knowledge base", g.knowledge},
		{"tickets", g.tickets},
		{"deflections", g.deflections},
		{"problem", g.problem},
		{"probes", g.probes},
		{"projects", g.projects},
		{"SLA clocks", g.clocks},
		{"steering", g.steering},
		{"corrective actions", g.actions},
		{"demo mark", func() error { return db.MarkDemo(g.sys) }},
	} {
		if err := step.fn(); err != nil {
			return nil, fmt.Errorf("demo: %s: %w", step.name, err)
		}
	}
	if g.res.Tickets, err = db.CountTickets(g.sys, opsdesk.TicketFilter{}); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return &g.res, nil
}

// gen holds a generation's state: the store, its walking clock, the random source and what was
// made so far.
type gen struct {
	db  *store.DB
	opt Options
	rnd *rand.Rand
	ctx context.Context // the caller's, without an actor
	sys context.Context // the CLI operator: creates what an admin would
	now time.Time       // the store's clock while generating
	end time.Time       // the end of the history (the real now)
	res Result

	ops, admin, pm *opsdesk.User
	pms            []*opsdesk.User
	agents         map[opsdesk.Level][]*opsdesk.User
	custs          []*customer
	articles       []*opsdesk.Article // published, linked to resolutions
	tks            []*ticket
}

// newGen starts a generation acting as the system actor named actor, whose history spans period
// and ends at opt.Now (default: the store's clock now). It walks the store's clock from the
// start of the history; the function it returns gives the store its own clock back.
func newGen(ctx context.Context, db *store.DB, opt Options, actor string, period time.Duration) (*gen, func()) {
	realNow := db.Now
	if opt.Now.IsZero() {
		opt.Now = realNow()
	}
	g := &gen{db: db, opt: opt, rnd: rand.New(rand.NewPCG(opt.Seed, 0x0d35)), end: opt.Now.UTC(),
		ctx: ctx, sys: opsdesk.WithActor(ctx, opsdesk.System(actor))}
	g.now = g.end.Add(-period)
	g.res.From, g.res.To = g.now, g.end
	db.Now = func() time.Time { return g.now }
	return g, func() { db.Now = realNow }
}

// at moves the store's clock to t.
func (g *gen) at(t time.Time) { g.now = t.UTC() }

// as is the context of u acting.
func (g *gen) as(u *opsdesk.User) context.Context {
	return opsdesk.WithActor(g.ctx, opsdesk.ActorOf(u))
}

// pick returns one of xs at random.
func pick[T any](g *gen, xs []T) T { return xs[g.rnd.IntN(len(xs))] }
