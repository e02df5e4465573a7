package main

import (
	"context"
	"errors"

	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/demo"
	"github.com/opsdesk/opsdesk/internal/store"
)

// demoCmd starts opsdesk on a fresh data directory filled with the demo dataset: a temporary one
// unless --data names an empty or missing directory.
func demoCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("demo", "demo [--data DIR] [--addr HOST:PORT] [flags]", e)
	data := c.fs.String("data", "", "data directory to create the demo in: missing or empty (default: a new temporary directory)")
	addr := c.fs.String("addr", "", "address to listen on (default: the listen setting)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if cfg.Postgres() {
		return usagef("opsdesk demo makes its own SQLite database; for PostgreSQL use 'opsdesk serve --demo' on an empty database")
	}
	dir := *data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "opsdesk-demo-"); err != nil {
			return fmt.Errorf("demo data directory: %w", err)
		}
	} else if err := emptyDir(dir); err != nil {
		return err
	}
	cfg.DataDir, cfg.DatabaseURL = dir, filepath.Join(dir, "opsdesk.db")
	if *addr != "" {
		if cfg.BaseURL == "http://"+cfg.Listen {
			cfg.BaseURL = "http://" + *addr
		}
		cfg.Listen = *addr
	}
	fmt.Fprintf(e.stdout, "Demo data directory: %s\n", dir)
	return serve(ctx, e, c, cfg, true)
}

// emptyDir accepts a missing or empty directory, and refuses anything else.
func emptyDir(dir string) error {
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return usagef("--data %s: %v", dir, err)
	}
	if len(es) > 0 {
		return usagef("--data %s is not empty: the demo needs a new or empty directory", dir)
	}
	return nil
}

// fillDemo generates the demo dataset into db, which must hold no user and no customer, and
// prints the URL and one login per role.
func fillDemo(ctx context.Context, e env, cfg config.Config, db *store.DB) error {
	sys := cliActor(ctx, e.getenv)
	users, err := db.ListUsers(sys, store.UserFilter{})
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return usagef("the database %s already holds %d users: --demo needs an empty database", cfg.RedactedDatabaseURL(), len(users))
	}
	// The instance's attachment store: the demo's mail keeps its raw messages and files there.
	blobs, err := blob.Open(filepath.Join(cfg.DataDir, "attachments"))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Generating the demo dataset (90 days of a service desk)…")
	res, err := demo.Generate(ctx, db, demo.Options{HealthyProbeURL: cfg.BaseURL + "/healthz", Blobs: blobs})
	if err != nil {
		return err
	}
	printLogins(e, cfg.BaseURL, res)
	return nil
}

func printLogins(e env, url string, res *demo.Result) {
	fmt.Fprintf(e.stdout, "\nopsdesk demo: %d customers, %d tickets. Open %s and sign in as:\n\n", len(res.Customers), res.Tickets, url)
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, l := range res.Logins {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", l.Role, l.Email, l.Password)
	}
	w.Flush()
	fmt.Fprintln(e.stdout)
}
