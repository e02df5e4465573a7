// Package report turns opsdesk's records into things people read: indicators, charts and
// exports. Its code is pure: it takes plain values and never touches the database, so the web UI,
// the API and the monthly report draw the same charts from what their store calls returned.
package report

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Level is a row's depth in a project timeline: it sets the indentation and the bar's weight.
type Level int

// The levels of a timeline: a project, a phase of it, an item (task, milestone) of a phase.
const (
	LevelProject Level = iota
	LevelPhase
	LevelItem
)

// State is where a row's work stands; it decides the class, hence the colour, of its bar.
type State string

// The states a bar can show: late ones are red, done ones filled, waived ones greyed out.
const (
	StateTodo       State = "todo"
	StateInProgress State = "in_progress"
	StateDone       State = "done"
	StateLate       State = "late"
	StateWaived     State = "waived"
	StateClosed     State = "closed"
)

// Valid tells whether s is one of the known states.
func (s State) Valid() bool {
	switch s {
	case StateTodo, StateInProgress, StateDone, StateLate, StateWaived, StateClosed:
		return true
	}
	return false
}

// Row is one line of a timeline. Dates are days: only the calendar date of Start and End counts,
// read in their own location (give them in the customer's time zone), and End is included. A
// milestone is drawn at Start as a diamond; a row without dates shows its label only.
type Row struct {
	Label     string
	URL       string // when set, the row's label and bar link there
	Level     Level
	Start     time.Time
	End       time.Time // the last day of the work, included; ignored for a milestone
	Milestone bool
	State     State   // empty means StateTodo
	Progress  float64 // the part done, 0 to 1; 0 draws no progress mark
	Detail    string  // added to the bar's tooltip, e.g. the state's name and the owner
}

// Chart is a timeline to draw. Title and Desc are what a screen reader says of it; Empty is the
// text shown when there are no rows; TodayLabel names the today line. They come from the i18n
// catalogs of the caller, as every visible word. From and To, when both set, fix the range shown
// (To included); otherwise it spans the rows' dates.
type Chart struct {
	ID         string // prefix of the ids inside the SVG, unique in the page; "gantt" when empty
	Title      string
	Desc       string
	Empty      string
	TodayLabel string
	Locale     Locale    // English when zero
	Today      time.Time // the today line; none when zero or outside the range
	From, To   time.Time
	Rows       []Row
}

// Validate checks the chart's input, naming the offending field.
func (c *Chart) Validate() error {
	if c.Title == "" {
		return opsdesk.Invalid("title", "a chart needs a title for screen readers")
	}
	if c.From.IsZero() != c.To.IsZero() {
		return opsdesk.Invalid("to", "give both ends of the range or neither")
	}
	if !c.From.IsZero() && Day(c.To).Before(Day(c.From)) {
		return opsdesk.Invalid("to", "the range ends before it starts")
	}
	for i, r := range c.Rows {
		if err := r.validate(); err != nil {
			var e *opsdesk.Error
			if errors.As(err, &e) {
				e.Field = fmt.Sprintf("rows[%d].%s", i, e.Field)
			}
			return err
		}
	}
	return nil
}

func (r *Row) validate() error {
	switch {
	case r.Level < LevelProject || r.Level > LevelItem:
		return opsdesk.Invalid("level", "level %d is not a project (0), a phase (1) or an item (2)", r.Level)
	case r.State != "" && !r.State.Valid():
		return opsdesk.Invalid("state", "%q is not a state", r.State)
	case math.IsNaN(r.Progress) || r.Progress < 0 || r.Progress > 1:
		return opsdesk.Invalid("progress", "progress is a fraction between 0 and 1")
	case r.Milestone && r.Start.IsZero():
		return opsdesk.Invalid("start", "a milestone needs a date")
	case !r.Milestone && r.Start.IsZero() != r.End.IsZero():
		return opsdesk.Invalid("end", "a bar needs both a start and an end")
	case !r.Milestone && Day(r.End).Before(Day(r.Start)):
		return opsdesk.Invalid("end", "the bar ends before it starts")
	}
	return nil
}

// dated tells whether the row has something to draw on the time axis.
func (r *Row) dated() bool { return !r.Start.IsZero() }

// span is the row's [first day, day after the last) interval.
func (r *Row) span() (time.Time, time.Time) {
	from := Day(r.Start)
	if r.Milestone {
		return from, from.AddDate(0, 0, 1)
	}
	return from, Day(r.End).AddDate(0, 0, 1)
}

// Span gives the first and the last day (included) covered by the rows' bars and milestones,
// for a table's "from … to …" column; ok is false when no row has a date.
func Span(rows []Row) (first, last time.Time, ok bool) {
	for _, r := range rows {
		if !r.dated() {
			continue
		}
		from, to := r.span()
		if !ok || from.Before(first) {
			first = from
		}
		if !ok || to.After(last) {
			last = to
		}
		ok = true
	}
	if ok {
		last = last.AddDate(0, 0, -1)
	}
	return first, last, ok
}
