package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one embedded schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the dialect's migrations in order. Files are named NNNN_name.sql.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migrations: %s: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations: version %d appears twice", ms[i].Version)
		}
	}
	return ms, nil
}

// Migrate applies every migration not yet recorded, each in its own transaction together with
// its record in schema_migrations. On PostgreSQL an advisory lock keeps two instances starting at
// once from migrating together. It returns the migrations it applied.
func (d *DB) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := Migrations(d.dialect)
	if err != nil {
		return nil, err
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if d.dialect == Postgres {
		// The lock is the schema's: opsdesk databases in other schemas of the same PostgreSQL
		// database (the tests' own, say) migrate without waiting for each other.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7401001, hashtext(current_schema()))`); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7401001, hashtext(current_schema()))`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done := map[int]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
		done[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []Migration
	for _, m := range all {
		if done[m.Version] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, fmt.Errorf("migrate %04d_%s: %w", m.Version, m.Name, err)
		}
		// Read again under the transaction's lock (SQLite's BEGIN IMMEDIATE; the advisory lock on
		// PostgreSQL): another process opening the same SQLite file may have applied it since.
		var again int
		if err := tx.QueryRowContext(ctx, d.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&again); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %04d_%s: read schema_migrations: %w", m.Version, m.Name, err)
		}
		if again > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, d.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %04d_%s: record: %w", m.Version, m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migrate %04d_%s: commit: %w", m.Version, m.Name, err)
		}
		applied = append(applied, m)
		for _, stmt := range afterCommit(m.SQL) {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migrate %04d_%s: after commit: %s: %w", m.Version, m.Name, stmt, err)
			}
		}
	}
	return applied, nil
}

// NewerMigrations returns the versions recorded in schema_migrations that this binary does not
// know: the database was migrated by a newer opsdesk. Opsdesk still starts (docs/operations.md,
// Upgrade), and says so.
func (d *DB) NewerMigrations(ctx context.Context) ([]int, error) {
	all, err := Migrations(d.dialect)
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, m := range all {
		known[m.Version] = true
	}
	versions, err := collect(scanInt64)(d.query(ctx, `SELECT version FROM schema_migrations ORDER BY version`))
	if err != nil {
		return nil, fmt.Errorf("newer migrations: %w", err)
	}
	var out []int
	for _, v := range versions {
		if !known[int(v)] {
			out = append(out, int(v))
		}
	}
	return out, nil
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := d.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// afterCommitMarker starts the part of a migration run after its transaction commits, one
// statement per line: upkeep that PostgreSQL refuses in a transaction (VACUUM) or that must see
// the rewrite committed (REINDEX, so that a table rewritten in the migration does not leave its
// indexes twice their size). Executing the whole file in the transaction runs none of it: it is
// written as SQL comments.
const afterCommitMarker = "-- after commit:"

// afterCommit returns the statements of a migration's after-commit part: each line "-- after
// commit: STATEMENT" gives one.
func afterCommit(sqlText string) []string {
	var out []string
	for _, line := range strings.Split(sqlText, "\n") {
		if stmt, ok := strings.CutPrefix(strings.TrimSpace(line), afterCommitMarker); ok {
			out = append(out, strings.TrimSpace(stmt))
		}
	}
	return out
}
