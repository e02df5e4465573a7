package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Mailbox is an IMAP mailbox opsdesk reads requests from, and the defaults of the tickets its
// mail opens. Its Name is the Source of its messages: the scope of duplicate detection. A
// mailbox row named "smtp" gives the SMTP/LMTP listener's defaults (its connection fields are
// then unused).
type Mailbox struct {
	ID           int64
	Name         string // short and stable: support, urgent
	Host         string
	Port         int
	Security     string // tls, starttls, or none (local tests only)
	Username     string
	Password     string // secret: never shown back in the UI
	XOAuth2Token string // secret: used instead of the password when set
	Folder       string // the folder watched, INBOX by default
	Action       string // after intake: "move" to MoveTo, or "seen" (flag as seen)
	MoveTo       string
	Category     string // new tickets' category and severity; "" for the intake defaults
	Severity     string
	PollSeconds  int  // polling interval, and the fall-back when IDLE is not available
	UseIDLE      bool // wait for new mail with IMAP IDLE
	Active       bool
	LastPollAt   time.Time
	LastError    string
	LastErrorAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

var mailboxNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,39}$`)

// Validate checks a mailbox, filling defaults.
func (m *Mailbox) Validate() error {
	m.Name = strings.ToLower(strings.TrimSpace(m.Name))
	m.Host = strings.TrimSpace(m.Host)
	if !mailboxNameRE.MatchString(m.Name) {
		return opsdesk.Invalid("name", "must be 1 to 40 lower-case letters, digits, '.', '_' or '-'")
	}
	if m.Security == "" {
		m.Security = "tls"
	}
	if m.Security != "tls" && m.Security != "starttls" && m.Security != "none" {
		return opsdesk.Invalid("security", "must be tls, starttls or none")
	}
	if m.Port == 0 {
		m.Port = map[string]int{"tls": 993, "starttls": 143, "none": 143}[m.Security]
	}
	if m.Port < 1 || m.Port > 65535 {
		return opsdesk.Invalid("port", "must be from 1 to 65535")
	}
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	if m.Action == "" {
		m.Action = "seen"
	}
	if m.Action != "move" && m.Action != "seen" {
		return opsdesk.Invalid("action", "must be move or seen")
	}
	if m.Action == "move" && strings.TrimSpace(m.MoveTo) == "" {
		return opsdesk.Invalid("move_to", "is required to move processed messages")
	}
	if m.PollSeconds == 0 {
		m.PollSeconds = 60
	}
	if m.PollSeconds < 5 || m.PollSeconds > 86400 {
		return opsdesk.Invalid("poll_seconds", "must be from 5 to 86400")
	}
	if m.Name != "smtp" && (m.Host == "" || m.Username == "") {
		return opsdesk.Invalid("host", "an IMAP mailbox needs a host and a user name")
	}
	return nil
}

const mailboxColumns = `id, name, host, port, security, username, password, xoauth2_token, folder, action, move_to, category,
	severity, poll_seconds, use_idle, active, last_poll_at, last_error, last_error_at, created_at, updated_at`

func scanMailbox(sc scanner) (*Mailbox, error) {
	var m Mailbox
	var poll, errAt sql.NullInt64
	var created, updated int64
	err := sc.Scan(&m.ID, &m.Name, &m.Host, &m.Port, &m.Security, &m.Username, &m.Password, &m.XOAuth2Token, &m.Folder,
		&m.Action, &m.MoveTo, &m.Category, &m.Severity, &m.PollSeconds, &m.UseIDLE, &m.Active, &poll, &m.LastError, &errAt,
		&created, &updated)
	if err != nil {
		return nil, err
	}
	m.LastPollAt, m.LastErrorAt = fromMS(poll), fromMS(errAt)
	m.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	m.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	return &m, nil
}

func adminOnly(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins manage mailboxes")
	}
	return nil
}

// SaveMailbox creates a mailbox (ID 0) or updates one. Admins only. Errors: invalid, forbidden,
// not found, conflict (name taken).
func (d *DB) SaveMailbox(ctx context.Context, m *Mailbox) error {
	if err := adminOnly(ctx); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveMailbox", func(tx *Tx) error {
		if m.Category != "" {
			if _, err := tx.category(ctx, m.Category); err != nil {
				return err
			}
		}
		if m.Severity != "" {
			if _, err := tx.severity(ctx, m.Severity); err != nil {
				return err
			}
		}
		args := []any{m.Name, m.Host, m.Port, m.Security, m.Username, m.Password, m.XOAuth2Token, m.Folder, m.Action, m.MoveTo,
			m.Category, m.Severity, m.PollSeconds, m.UseIDLE, m.Active, tx.now.UnixMilli()}
		var err error
		if m.ID == 0 {
			m.ID, err = tx.insert(ctx, `INSERT INTO mailboxes (name, host, port, security, username, password, xoauth2_token, folder,
				action, move_to, category, severity, poll_seconds, use_idle, active, updated_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, tx.now.UnixMilli())...)
			m.CreatedAt = tx.now
		} else {
			var res sql.Result
			res, err = tx.exec(ctx, `UPDATE mailboxes SET name = ?, host = ?, port = ?, security = ?, username = ?, password = ?,
				xoauth2_token = ?, folder = ?, action = ?, move_to = ?, category = ?, severity = ?, poll_seconds = ?, use_idle = ?,
				active = ?, updated_at = ? WHERE id = ?`, append(args, m.ID)...)
			if n, _ := rowsAffected(res, err); err == nil && n == 0 {
				return opsdesk.NotFound("no mailbox %d", m.ID)
			}
		}
		if isUniqueViolation(err) {
			return opsdesk.Conflict("name", "a mailbox named %s already exists", m.Name)
		}
		m.UpdatedAt = tx.now
		return err
	})
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Mailbox returns a mailbox by name, with its secrets (for the poller). Staff only. Errors:
// forbidden, not found.
func (d *DB) Mailbox(ctx context.Context, name string) (*Mailbox, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	m, err := scanMailbox(d.queryRow(ctx, `SELECT `+mailboxColumns+` FROM mailboxes WHERE name = ?`, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no mailbox %s", name)
	}
	return m, wrapErr("store.Mailbox", err)
}

// ListMailboxes lists the mailboxes by name, with their secrets (the UI must not show them).
// Staff only. Errors: forbidden.
func (d *DB) ListMailboxes(ctx context.Context) ([]*Mailbox, error) {
	if err := staffOnly(ctx); err != nil {
		return nil, err
	}
	out, err := collect(scanMailbox)(d.query(ctx, `SELECT `+mailboxColumns+` FROM mailboxes ORDER BY name`))
	return out, wrapErr("store.ListMailboxes", err)
}

// DeleteMailbox removes a mailbox; the messages it delivered stay. Admins only. Errors:
// forbidden, not found.
func (d *DB) DeleteMailbox(ctx context.Context, id int64) error {
	if err := adminOnly(ctx); err != nil {
		return err
	}
	return d.inTx(ctx, "store.DeleteMailbox", func(tx *Tx) error {
		n, err := rowsAffected(tx.exec(ctx, `DELETE FROM mailboxes WHERE id = ?`, id))
		if err == nil && n == 0 {
			return opsdesk.NotFound("no mailbox %d", id)
		}
		return err
	})
}

// RecordMailboxPoll notes the outcome of a poll of a mailbox for admins: the time, and the error
// (nil clears it). System and staff. Errors: forbidden, not found.
func (d *DB) RecordMailboxPoll(ctx context.Context, id int64, pollErr error) error {
	if err := staffOnly(ctx); err != nil {
		return err
	}
	return d.inTx(ctx, "store.RecordMailboxPoll", func(tx *Tx) error {
		q, args := `UPDATE mailboxes SET last_poll_at = ?, last_error = '', last_error_at = NULL WHERE id = ?`, []any{tx.now.UnixMilli(), id}
		if pollErr != nil {
			q = `UPDATE mailboxes SET last_poll_at = ?, last_error = ?, last_error_at = ? WHERE id = ?`
			args = []any{tx.now.UnixMilli(), clip(pollErr.Error(), 2000), tx.now.UnixMilli(), id}
		}
		n, err := rowsAffected(tx.exec(ctx, q, args...))
		if err == nil && n == 0 {
			return opsdesk.NotFound("no mailbox %d", id)
		}
		return err
	})
}
