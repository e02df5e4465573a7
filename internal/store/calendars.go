package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// SLACalendar is a business calendar kept by name: the open time a contract's SLA clocks count.
// Its definition is the JSON form of docs/sla.md (export and import).
type SLACalendar struct {
	ID        int64
	Name      string
	Default   bool          // the calendar of every contract that names none
	Calendar  *sla.Calendar // valid; its own Name is not used (Name above is)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// The calendars seeded by SeedSLADefaults.
const (
	FrenchCalendarName = "France — jours ouvrés"
	AlwaysOpenName     = "24/7"
)

const calendarColumns = `id, name, definition, is_default, created_at, updated_at`

func scanCalendar(sc scanner) (*SLACalendar, error) {
	var c SLACalendar
	var def string
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.Name, &def, &c.Default, &created, &updated); err != nil {
		return nil, err
	}
	cal, err := sla.ParseCalendar([]byte(def))
	if err != nil {
		return nil, err // only written after validation: a stored calendar that does not parse is our fault
	}
	c.Calendar = cal
	c.CreatedAt = time.UnixMilli(created).UTC()
	c.UpdatedAt = time.UnixMilli(updated).UTC()
	return &c, nil
}

// Calendars lists the business calendars by name. Staff only. Errors: forbidden.
func (d *DB) Calendars(ctx context.Context) ([]*SLACalendar, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sees calendars")
	}
	out, err := collect(scanCalendar)(d.query(ctx, `SELECT `+calendarColumns+` FROM sla_calendars ORDER BY name`))
	return out, wrapErr("store.Calendars", err)
}

// CalendarByID returns one calendar. Staff only. Errors: forbidden, not found.
func (d *DB) CalendarByID(ctx context.Context, id int64) (*SLACalendar, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sees calendars")
	}
	c, err := scanCalendar(d.queryRow(ctx, `SELECT `+calendarColumns+` FROM sla_calendars WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no calendar %d", id)
	}
	return c, wrapErr("store.CalendarByID", err)
}

// SaveCalendar creates (ID 0) or updates a calendar. Setting Default makes it the calendar of
// every contract that names none (the previous default loses the flag). Clocks are recomputed in
// the background (a SLARecomputeJob). Admins and ops managers. Errors: invalid (name, or
// "calendar.FIELD" naming the offending part of the definition), forbidden, not found, conflict
// (name taken).
func (d *DB) SaveCalendar(ctx context.Context, c *SLACalendar) error {
	def, err := checkCalendar(ctx, c)
	if err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveCalendar", func(tx *Tx) error { return tx.saveCalendar(ctx, c, def) })
}

// checkCalendar applies the rules every saved calendar obeys and returns its stored definition.
func checkCalendar(ctx context.Context, c *SLACalendar) (string, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return "", opsdesk.Forbidden("only admins and ops managers manage calendars")
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 100 {
		return "", opsdesk.Invalid("name", "is required, at most 100 characters")
	}
	if c.Calendar == nil {
		return "", opsdesk.Invalid("calendar", "is required")
	}
	return calendarJSON(c.Calendar)
}

// saveCalendar writes a checked calendar and has the clocks recomputed.
func (tx *Tx) saveCalendar(ctx context.Context, c *SLACalendar, def string) error {
	if c.Default {
		if _, err := tx.exec(ctx, `UPDATE sla_calendars SET is_default = FALSE WHERE is_default AND id <> ?`, c.ID); err != nil {
			return err
		}
	}
	var err error
	action := "create"
	if c.ID == 0 {
		c.ID, err = tx.insert(ctx, `INSERT INTO sla_calendars (name, definition, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			c.Name, def, c.Default, tx.now.UnixMilli(), tx.now.UnixMilli())
		c.CreatedAt = tx.now
	} else {
		action = "update"
		var res sql.Result
		res, err = tx.exec(ctx, `UPDATE sla_calendars SET name = ?, definition = ?, is_default = is_default OR ?, updated_at = ? WHERE id = ?`,
			c.Name, def, c.Default, tx.now.UnixMilli(), c.ID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return opsdesk.NotFound("no calendar %d", c.ID)
			}
		}
	}
	if isUniqueViolation(err) {
		return opsdesk.Conflict("name", "a calendar is already named %q", c.Name)
	}
	if err != nil {
		return err
	}
	c.UpdatedAt = tx.now
	if err := tx.audit(ctx, "calendar", c.ID, action, []opsdesk.Change{{Field: "name", New: c.Name}, {Field: "definition", New: def}}); err != nil {
		return err
	}
	_, err = tx.enqueue(ctx, slaRecomputeJob())
	return err
}

// ImportCalendar reads a calendar in its JSON form and stores it under name (or, when name is
// empty, the document's "name"), replacing the definition of a calendar of that name if there
// is one. Admins and ops managers. Errors: invalid (name, or "calendar.FIELD"), forbidden.
func (d *DB) ImportCalendar(ctx context.Context, name string, data []byte) (*SLACalendar, error) {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return nil, opsdesk.Forbidden("only admins and ops managers manage calendars")
	}
	cal, err := sla.ParseCalendar(data)
	if err != nil {
		return nil, calendarInvalid(err)
	}
	c := &SLACalendar{Name: name, Calendar: cal}
	if strings.TrimSpace(name) == "" {
		c.Name = cal.Name
	}
	def, err := checkCalendar(ctx, c)
	if err != nil {
		return nil, err
	}
	err = d.inTx(ctx, "store.ImportCalendar", func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id, is_default FROM sla_calendars WHERE name = ?`, c.Name).Scan(&c.ID, &c.Default)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return tx.saveCalendar(ctx, c, def)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ExportCalendar returns a calendar in its JSON form, named, ready to import elsewhere. Staff
// only. Errors: forbidden, not found.
func (d *DB) ExportCalendar(ctx context.Context, id int64) ([]byte, error) {
	c, err := d.CalendarByID(ctx, id)
	if err != nil {
		return nil, err
	}
	out := cloneCalendar(c.Calendar)
	out.Name = c.Name
	return out.MarshalJSON()
}

// DeleteCalendar removes a calendar no contract names. Admins and ops managers. Errors:
// forbidden, not found, conflict (the default calendar, or one in use).
func (d *DB) DeleteCalendar(ctx context.Context, id int64) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage calendars")
	}
	return d.inTx(ctx, "store.DeleteCalendar", func(tx *Tx) error {
		var name string
		var def bool
		err := tx.queryRow(ctx, `SELECT name, is_default FROM sla_calendars WHERE id = ?`, id).Scan(&name, &def)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no calendar %d", id)
		}
		if err != nil {
			return err
		}
		if def {
			return opsdesk.Conflict("calendar", "%s is the default calendar: make another one the default first", name)
		}
		var users int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contracts WHERE calendar_id = ?`, id).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return opsdesk.Conflict("calendar", "%s is the calendar of %d contract(s)", name, users)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sla_calendars WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, "calendar", id, "delete", []opsdesk.Change{{Field: "name", Old: name}})
	})
}

// calendarJSON is the stored definition of a calendar: its JSON form without the name, which
// lives in its own column.
func calendarJSON(c *sla.Calendar) (string, error) {
	b, err := cloneCalendar(c).MarshalJSON()
	if err != nil {
		return "", calendarInvalid(err)
	}
	return string(b), nil
}

// cloneCalendar copies a calendar's fields, without its name, into a new one (a used Calendar
// must not be copied as a value).
func cloneCalendar(c *sla.Calendar) *sla.Calendar {
	return &sla.Calendar{Timezone: c.Timezone, Hours: c.Hours, Holidays: c.Holidays, HolidayRules: c.HolidayRules, AlwaysOpen: c.AlwaysOpen}
}

// calendarInvalid turns the sla package's field errors into an invalid error naming the first
// offending field as "calendar.FIELD" and listing every problem.
func calendarInvalid(err error) error {
	field := "calendar"
	var fe *sla.FieldError
	if errors.As(err, &fe) && fe.Field != "" {
		field += "." + fe.Field
	}
	return opsdesk.Invalid(field, "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
}
