// Package store is the one database/sql implementation of opsdesk's services, for SQLite (the
// embedded default) and PostgreSQL. SQL is written by hand with `?` placeholders; the few
// differences between the two dialects sit behind small helpers in this file and in separate
// migration folders. All instants are stored as UTC Unix milliseconds (BIGINT), so the same SQL
// compares, sorts and indexes them on both databases.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open opsdesk database. It is safe for concurrent use.
type DB struct {
	db      *sql.DB
	dialect Dialect
	dsn     string // the database URL as given, without secrets removed; never logged

	// Now is the clock; tests replace it.
	Now func() time.Time
	// TicketPrefix starts every ticket's human number (OPS-1042).
	TicketPrefix string

	changes   broker
	listening atomic.Bool // a PostgreSQL LISTEN connection relays changes

	stmts  sync.Map // SQLite: query text → *sql.Stmt
	nstmts atomic.Int64

	// writeMu queues this process's SQLite writers in Go, first come first served, instead of
	// letting them collide on the database lock and back off in SQLite's busy handler (which
	// sleeps for milliseconds at a time). Other processes (the CLI) still meet the busy timeout.
	writeMu sync.Mutex
	group   groupCommit // SQLite write transactions, committed together
}

// Options tune how a database is opened.
type Options struct {
	// SQLiteSync is the SQLite synchronous pragma: "normal" (default: durable across a crash of
	// opsdesk, may lose the last commits on power loss) or "full" (durable on power loss, slower).
	SQLiteSync string
	// MaxOpenConns bounds the PostgreSQL pool (default 20).
	MaxOpenConns int
}

// IsPostgresURL tells whether a database URL names PostgreSQL rather than a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn — a SQLite file path (created if missing) or a
// postgres:// URL — and checks that it answers. It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	d := &DB{dsn: dsn, Now: time.Now, TicketPrefix: "OPS"}
	var err error
	if IsPostgresURL(dsn) {
		d.dialect = Postgres
		d.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		n := opt.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		d.db.SetMaxOpenConns(n)
		d.db.SetMaxIdleConns(n)
		d.db.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		d.dialect = SQLite
		if err := os.MkdirAll(filepath.Dir(dsn), 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: create directory: %w", err)
		}
		sync := strings.ToUpper(opt.SQLiteSync)
		if sync == "" {
			sync = "NORMAL"
		}
		if sync != "NORMAL" && sync != "FULL" {
			return nil, fmt.Errorf("open sqlite: synchronous must be normal or full, not %q", opt.SQLiteSync)
		}
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous("+sync+")")
		q.Add("_pragma", "cache_size(-32000)")
		q.Add("_pragma", "temp_store(MEMORY)") // group-commit savepoints journal in memory, not a temp file
		q.Set("_txlock", "immediate")
		d.db, err = sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One writer at a time is SQLite's rule; a handful of connections lets readers proceed in
		// WAL mode while BEGIN IMMEDIATE queues writers behind the busy timeout.
		d.db.SetMaxOpenConns(8)
		d.db.SetMaxIdleConns(8)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.db.PingContext(pctx); err != nil {
		d.db.Close()
		return nil, fmt.Errorf("open %s database: %w", d.dialect, err)
	}
	return d, nil
}

// Close closes the database and its prepared statements.
func (d *DB) Close() error {
	d.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	return d.db.Close()
}

// Dialect tells which engine this is.
func (d *DB) Dialect() Dialect { return d.dialect }

// SQL gives the underlying pool, for metrics and tests that check with independent SQL.
func (d *DB) SQL() *sql.DB { return d.db }

// Ping checks that the database answers; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }

// Rebind turns `?` placeholders into the dialect's own (`$1`, `$2`… for PostgreSQL). Question
// marks inside single-quoted literals are left alone.
func (d *DB) Rebind(q string) string {
	if d.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, inQuote := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// querier is what both *sql.DB and *sql.Tx offer; store helpers take one so that they compose
// inside a service method's transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction with the dialect's placeholders applied to every statement.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time // one instant for every row the transaction writes

	memo map[string]any // lookups repeated within the transaction (batch imports)
}

// remember returns the value cached under key in this transaction, computing it once with fn.
func remember[T any](tx *Tx, key string, fn func() (T, error)) (T, error) {
	if v, ok := tx.memo[key]; ok {
		return v.(T), nil
	}
	v, err := fn()
	if err != nil {
		return v, err
	}
	if tx.memo == nil {
		tx.memo = map[string]any{}
	}
	tx.memo[key] = v
	return v, nil
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.Rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and gives the new id.
func (t *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// stmt returns the prepared form of q bound to the transaction, on SQLite, whose driver would
// otherwise parse every statement anew (a third of a ticket's cost). PostgreSQL's driver keeps
// its own per-connection statement cache, so there it returns nil and queries run directly.
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	st := t.db.sqliteStmt(ctx, q)
	if st == nil {
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

// maxPrepared bounds the statement cache; queries built from filters come in a bounded number
// of shapes, but a bound keeps a mistake from growing it forever.
const maxPrepared = 512

// prepared returns the cached prepared statement for q, preparing it on first use; nil if it
// cannot be prepared (the caller then runs q directly and reports its error).
func (d *DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if v, ok := d.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if d.nstmts.Load() >= maxPrepared {
		return nil
	}
	st, err := d.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if prev, loaded := d.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	d.nstmts.Add(1)
	return st
}

// lock takes a lock named name until the transaction ends, for check-then-write rules that
// must hold across instances (PostgreSQL advisory lock). SQLite transactions begin IMMEDIATE and
// so already exclude every other writer.
func (t *Tx) lock(ctx context.Context, name string) error {
	if t.db.dialect != Postgres {
		return nil
	}
	_, err := t.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, name)
	return err
}

// inTx runs fn in one transaction, committing when it returns nil. It is the shape of every
// service method: one transaction, composed of helpers that take the *Tx.
func (d *DB) inTx(ctx context.Context, op string, fn func(tx *Tx) error) error {
	if d.dialect == SQLite {
		return d.group.do(ctx, d, op, fn)
	}
	sqlTx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return opsdesk.Internal(op, fmt.Errorf("begin: %w", err))
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, db: d, now: d.Now().UTC()}
	if err := fn(tx); err != nil {
		return wrapErr(op, err)
	}
	if err := sqlTx.Commit(); err != nil {
		return opsdesk.Internal(op, fmt.Errorf("commit: %w", err))
	}
	return nil
}

// read runs a read-only query outside any transaction.
func (d *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := d.sqliteStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.db.QueryRowContext(ctx, d.Rebind(q), args...)
}

func (d *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := d.sqliteStmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.db.QueryContext(ctx, d.Rebind(q), args...)
}

func (d *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := d.sqliteStmt(ctx, q); st != nil {
		d.writeMu.Lock()
		defer d.writeMu.Unlock()
		return st.ExecContext(ctx, args...)
	}
	return d.db.ExecContext(ctx, d.Rebind(q), args...)
}

// sqliteStmt is the cached prepared statement of q on SQLite, nil on PostgreSQL (see Tx.stmt).
func (d *DB) sqliteStmt(ctx context.Context, q string) *sql.Stmt {
	if d.dialect != SQLite {
		return nil
	}
	return d.prepared(ctx, q)
}

// wrapErr keeps domain errors as they are and turns anything else into an internal error of op.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *opsdesk.Error
	if errors.As(err, &de) {
		if de.Op == "" {
			de.Op = op
		}
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return opsdesk.Internal(op, err)
}

// isUniqueViolation tells whether err is a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// ms converts an instant to stored UTC milliseconds; the zero time is stored as NULL.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back to an instant; NULL gives the zero time.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// nullID stores 0 as NULL for optional foreign keys.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullStr stores "" as NULL for optional unique columns.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// scanner is a row or rows positioned on a row.
type scanner interface{ Scan(...any) error }

// collect reads every row of a query with scan, closing the rows. It returns a function that
// takes the query's results, so a list method is one expression: collect(scanX)(d.query(…)).
func collect[T any](scan func(scanner) (T, error)) func(*sql.Rows, error) ([]T, error) {
	return func(rows *sql.Rows, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
}
