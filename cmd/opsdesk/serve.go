package main

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/opsdesk/opsdesk/internal/app"
	"github.com/opsdesk/opsdesk/internal/config"
)

func serveCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("serve", "serve [flags]", e)
	demoFlag := c.fs.Bool("demo", false, "fill an empty database with the demo dataset first (see opsdesk demo)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	return serve(ctx, e, c, cfg, *demoFlag)
}

// serve runs opsdesk on cfg; with demo, it first fills the (empty) database with the demo dataset.
func serve(ctx context.Context, e env, c *cli, cfg config.Config, demo bool) error {
	if !cfg.Postgres() {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("OPSDESK_LISTEN %s: %w", cfg.Listen, err)
	}
	defer ln.Close()
	if cfg.BaseURL == "http://"+cfg.Listen {
		// The public URL was derived from the listen address: use the port actually bound.
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	db, logger, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if demo {
		if err := fillDemo(ctx, e, cfg, db); err != nil {
			return err
		}
	}
	a, err := app.New(cfg, db, logger, versionString())
	if err != nil {
		return err
	}
	logger.Info("opsdesk started", "version", versionString(), "listen", ln.Addr().String(),
		"database", cfg.RedactedDatabaseURL(), "data_dir", cfg.DataDir)
	if n, err := db.CountAdmins(ctx); err == nil && n == 0 {
		fmt.Fprintf(e.stdout, "No admin yet: open %s/setup to create the first one, or run 'opsdesk user create --role admin --email …'.\n", cfg.BaseURL)
	}
	if err := a.StartListeners(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "opsdesk is listening on %s\n", cfg.BaseURL)
	err = a.Serve(ctx, ln)
	logger.Info("opsdesk stopped")
	return err
}

func migrateCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("migrate", "migrate [flags]", e)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database %s is at schema version %d\n", cfg.RedactedDatabaseURL(), v)
	return nil
}

func backupCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("backup", "backup --to FILE [flags]", e)
	to := c.fs.String("to", "", "file to write the backup to (required)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "to"); err != nil {
		return err
	}
	if cfg.Postgres() {
		return usagef("opsdesk backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/operations.md)")
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", *to)
	return nil
}
