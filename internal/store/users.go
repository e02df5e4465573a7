package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const userColumns = `id, email, name, role, level, domains, customer_id, lang, disabled, created_at, updated_at, manager_id`

func scanUser(sc scanner) (*opsdesk.User, error) {
	var u opsdesk.User
	var domains string
	var customer, manager sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Level, &domains, &customer, &u.Lang,
		&u.Disabled, &created, &updated, &manager); err != nil {
		return nil, err
	}
	u.ManagerID = manager.Int64
	if domains != "" {
		u.Domains = strings.Split(domains, ",")
	}
	u.CustomerID = customer.Int64
	u.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	u.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &u, nil
}

// mayManageUser tells whether actor a may create or change a user of role r: admins any user,
// ops managers the team below them and customers' users.
func mayManageUser(a opsdesk.Actor, r opsdesk.Role) bool {
	switch a.Role {
	case opsdesk.RoleAdmin:
		return true
	case opsdesk.RoleOpsManager:
		return r == opsdesk.RoleAgent || r == opsdesk.RoleProjectManager || r == opsdesk.RoleCustomer
	}
	return false
}

// CreateUser creates a user with the given password hash (see auth.HashPassword; "" leaves the
// account without a password until one is set). A customer user also becomes a contact of their
// organisation. Errors: invalid, forbidden, conflict (email taken).
func (d *DB) CreateUser(ctx context.Context, u *opsdesk.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if !mayManageUser(opsdesk.ActorFrom(ctx), u.Role) {
		return opsdesk.Forbidden("you may not create a user with role %s", u.Role)
	}
	return d.inTx(ctx, "store.CreateUser", func(tx *Tx) error {
		if u.CustomerID != 0 {
			if _, err := tx.customerByID(ctx, u.CustomerID); err != nil {
				return opsdesk.Invalid("customer", "no such customer")
			}
		}
		if err := tx.checkManager(ctx, u); err != nil {
			return err
		}
		u.CreatedAt, u.UpdatedAt = tx.now, tx.now
		id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, level, domains, customer_id, lang, password_hash, disabled, created_at,
			updated_at, manager_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, u.Role, u.Level, strings.Join(u.Domains, ","),
			nullID(u.CustomerID), u.Lang, passwordHash, u.Disabled, tx.now.UnixMilli(), tx.now.UnixMilli(), nullID(u.ManagerID))
		if isUniqueViolation(err) {
			return opsdesk.Conflict("email", "a user with address %s already exists", u.Email)
		}
		if err != nil {
			return err
		}
		u.ID = id
		if u.Role == opsdesk.RoleCustomer {
			c := &opsdesk.Contact{CustomerID: u.CustomerID, Email: u.Email, Name: u.Name, Lang: u.Lang}
			if err := tx.ensureContact(ctx, c); err != nil {
				return err
			}
		}
		return tx.audit(ctx, "user", id, "create", opsdesk.Diff(opsdesk.UserAuditFields, nil, u.AuditFields()))
	})
}

// UpdateUser saves a user's fields (not the password). Errors: invalid, forbidden, not found,
// conflict (email taken).
func (d *DB) UpdateUser(ctx context.Context, u *opsdesk.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	a := opsdesk.ActorFrom(ctx)
	return d.inTx(ctx, "store.UpdateUser", func(tx *Tx) error {
		old, err := tx.userByID(ctx, u.ID)
		if err != nil {
			return err
		}
		if !mayManageUser(a, old.Role) || !mayManageUser(a, u.Role) {
			return opsdesk.Forbidden("you may not change this user")
		}
		if old.Role == opsdesk.RoleAdmin && (u.Role != opsdesk.RoleAdmin || u.Disabled) {
			if err := tx.keepOneAdmin(ctx, u.ID); err != nil {
				return err
			}
		}
		if err := tx.checkManager(ctx, u); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE users SET email = ?, name = ?, role = ?, level = ?, domains = ?, customer_id = ?,
			lang = ?, disabled = ?, updated_at = ?, manager_id = ? WHERE id = ?`, u.Email, u.Name, u.Role, u.Level,
			strings.Join(u.Domains, ","), nullID(u.CustomerID), u.Lang, u.Disabled, tx.now.UnixMilli(), nullID(u.ManagerID), u.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("email", "a user with address %s already exists", u.Email)
		}
		if err != nil {
			return err
		}
		if u.Disabled && !old.Disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		u.CreatedAt, u.UpdatedAt = old.CreatedAt, tx.now
		return tx.audit(ctx, "user", u.ID, "update", opsdesk.Diff(opsdesk.UserAuditFields, old.AuditFields(), u.AuditFields()))
	})
}

// checkManager refuses a manager that is not another enabled member of the vendor's team (field
// manager); 0 is no manager. A customer's user has none: a user who becomes one loses theirs.
func (tx *Tx) checkManager(ctx context.Context, u *opsdesk.User) error {
	if !u.Role.Staff() {
		u.ManagerID = 0
	}
	if u.ManagerID == 0 {
		return nil
	}
	if u.ManagerID == u.ID {
		return opsdesk.Invalid("manager", "a user is not their own manager")
	}
	var role opsdesk.Role
	var disabled bool
	err := tx.queryRow(ctx, `SELECT role, disabled FROM users WHERE id = ?`, u.ManagerID).Scan(&role, &disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!role.Staff() || disabled)) {
		return opsdesk.Invalid("manager", "must be an enabled member of the vendor's team")
	}
	return err
}

// keepOneAdmin refuses a change that would leave no enabled admin besides user id.
func (tx *Tx) keepOneAdmin(ctx context.Context, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Conflict("role", "opsdesk needs at least one enabled admin")
	}
	return nil
}

// UpdateProfile lets users change their own name and language.
func (d *DB) UpdateProfile(ctx context.Context, name string, lang opsdesk.Lang) error {
	a := opsdesk.ActorFrom(ctx)
	if a.UserID == 0 {
		return opsdesk.Unauthenticated("log in first")
	}
	return d.inTx(ctx, "store.UpdateProfile", func(tx *Tx) error {
		u, err := tx.userByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		old := u.AuditFields()
		u.Name, u.Lang = name, lang
		if err := u.Validate(); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, lang = ?, updated_at = ? WHERE id = ?`,
			u.Name, u.Lang, tx.now.UnixMilli(), u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, "user", u.ID, "update", opsdesk.Diff(opsdesk.UserAuditFields, old, u.AuditFields()))
	})
}

// SetPassword stores a new password hash for a user and ends their other sessions (keepSession,
// if not 0, survives: the one that changed the password). Users change their own; admins and ops
// managers set those of the users they manage.
func (d *DB) SetPassword(ctx context.Context, userID int64, hash string, keepSession int64) error {
	a := opsdesk.ActorFrom(ctx)
	return d.inTx(ctx, "store.SetPassword", func(tx *Tx) error {
		u, err := tx.userByID(ctx, userID)
		if err != nil {
			return err
		}
		if a.UserID != userID && !mayManageUser(a, u.Role) {
			return opsdesk.Forbidden("you may not change this user's password")
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.now.UnixMilli(), userID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepSession); err != nil {
			return err
		}
		return tx.audit(ctx, "user", userID, "password", []opsdesk.Change{{Field: "password", Old: "***", New: "***"}})
	})
}

// Authenticate checks an email and password. It answers the same unauthenticated error for an
// unknown address, a disabled account and a wrong password, so the answer leaks nothing. The
// argon2id check runs outside any transaction.
func (d *DB) Authenticate(ctx context.Context, email, password string) (*opsdesk.User, error) {
	email = opsdesk.NormalizeEmail(email)
	var hash string
	row := d.queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, email)
	u, err := scanUserHash(row, &hash)
	bad := opsdesk.Unauthenticated("wrong email or password")
	if errors.Is(err, sql.ErrNoRows) {
		auth.CheckPassword(dummyHash(), password) // same cost as a real check
		return nil, bad
	}
	if err != nil {
		return nil, opsdesk.Internal("store.Authenticate", err)
	}
	if hash == "" || u.Disabled {
		auth.CheckPassword(dummyHash(), password)
		return nil, bad
	}
	if err := auth.CheckPassword(hash, password); err != nil {
		if errors.Is(err, auth.ErrMismatch) {
			return nil, bad
		}
		return nil, opsdesk.Internal("store.Authenticate", err)
	}
	return u, nil
}

// dummyHash gives unknown addresses the cost of a real check; made on first use, not at start.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("opsdesk-dummy-password", auth.DefaultParams)
	return h
})

// withExtra scans the columns of a row and then extra destinations after them.
type withExtra struct {
	sc    scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.extra...)...) }

func scanUserHash(row *sql.Row, hash *string) (*opsdesk.User, error) {
	return scanUser(withExtra{row, []any{hash}})
}

func (tx *Tx) userByID(ctx context.Context, id int64) (*opsdesk.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no user %d", id)
	}
	return u, err
}

// UserByID returns a user. Staff read any user; customers only themselves and the users of
// their organisation. Errors: not found.
func (d *DB) UserByID(ctx context.Context, id int64) (*opsdesk.User, error) {
	u, err := scanUser(d.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no user %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.UserByID", err)
	}
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() && (a.CustomerID == 0 || u.CustomerID != a.CustomerID) {
		return nil, opsdesk.NotFound("no user %d", id)
	}
	return u, nil
}

// UserByEmail returns a user by address, with the same visibility as UserByID.
func (d *DB) UserByEmail(ctx context.Context, email string) (*opsdesk.User, error) {
	var id int64
	err := d.queryRow(ctx, `SELECT id FROM users WHERE email = ?`, opsdesk.NormalizeEmail(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no user with address %s", email)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.UserByEmail", err)
	}
	return d.UserByID(ctx, id)
}

// UserFilter selects users; zero fields select all.
type UserFilter struct {
	Role       opsdesk.Role
	Level      opsdesk.Level
	CustomerID int64
	Query      string // matches email or name
	Limit      int
}

// ListUsers lists users by email. Customers see only their organisation's users.
func (d *DB) ListUsers(ctx context.Context, f UserFilter) ([]*opsdesk.User, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if a.IsCustomer() {
		f.CustomerID = a.CustomerID
	}
	q := `SELECT ` + userColumns + ` FROM users WHERE 1=1`
	var args []any
	if f.Role != "" {
		q += ` AND role = ?`
		args = append(args, f.Role)
	}
	if f.Level != "" {
		q += ` AND level = ?`
		args = append(args, f.Level)
	}
	if f.CustomerID != 0 {
		q += ` AND customer_id = ?`
		args = append(args, f.CustomerID)
	}
	if f.Query != "" {
		q += ` AND (LOWER(email) LIKE ? OR LOWER(name) LIKE ?)`
		like := "%" + strings.ToLower(f.Query) + "%"
		args = append(args, like, like)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	q += ` ORDER BY email LIMIT ?`
	args = append(args, f.Limit)
	out, err := collect(scanUser)(d.query(ctx, q, args...))
	return out, wrapErr("store.ListUsers", err)
}

// CountAdmins returns the number of enabled admins; the first-run page exists only while it is 0.
func (d *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled`).Scan(&n); err != nil {
		return 0, opsdesk.Internal("store.CountAdmins", err)
	}
	return n, nil
}

// CreateFirstAdmin creates the first admin, only while there is none: the check and the insert
// share one transaction, so two racing first-run forms cannot both succeed. Errors: invalid,
// conflict (an admin exists).
func (d *DB) CreateFirstAdmin(ctx context.Context, u *opsdesk.User, passwordHash string) error {
	u.Role = opsdesk.RoleAdmin
	if err := u.Validate(); err != nil {
		return err
	}
	ctx = opsdesk.WithActor(ctx, opsdesk.System("first-run"))
	return d.inTx(ctx, "store.CreateFirstAdmin", func(tx *Tx) error {
		if err := tx.lock(ctx, "first-admin"); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return opsdesk.Conflict("", "an admin already exists: log in instead")
		}
		id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, level, domains, customer_id, lang, password_hash, disabled, created_at, updated_at)
			VALUES (?, ?, 'admin', '', '', NULL, ?, ?, FALSE, ?, ?)`, u.Email, u.Name, u.Lang, passwordHash, tx.now.UnixMilli(), tx.now.UnixMilli())
		if isUniqueViolation(err) {
			return opsdesk.Conflict("email", "a user with address %s already exists", u.Email)
		}
		if err != nil {
			return err
		}
		u.ID, u.CreatedAt, u.UpdatedAt = id, tx.now, tx.now
		return tx.audit(ctx, "user", id, "create", opsdesk.Diff(opsdesk.UserAuditFields, nil, u.AuditFields()))
	})
}
