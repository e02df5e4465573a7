package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
)

// slaCmd is the admins' business-time calculator: it reads a calendar in its JSON export form
// (docs/sla.md) and needs no database.
func slaCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("sla: missing subcommand: deadline or elapsed")
	}
	switch args[0] {
	case "deadline":
		return slaDeadline(e, args[1:])
	case "elapsed":
		return slaElapsed(e, args[1:])
	}
	return usagef("sla: unknown subcommand %q: deadline or elapsed", args[0])
}

func slaFlags(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: opsdesk %s\n\nThe calendar file is the JSON form described in docs/sla.md.\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func loadCalendar(path string) (*sla.Calendar, error) {
	if path == "" {
		return nil, usagef("--calendar is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("--calendar: %v", err)
	}
	c, err := sla.ParseCalendar(b)
	if err != nil {
		return nil, usagef("--calendar %s: %v", path, err)
	}
	return c, nil
}

func parseInstant(flagName, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("--%s: %q is not an RFC 3339 instant such as 2027-03-01T09:30:00+01:00", flagName, v)
	}
	return t, nil
}

// parseBusinessDuration reads a Go duration (4h, 90m, 1h30m) or a number of seconds.
func parseBusinessDuration(v string) (time.Duration, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, usagef("--duration: %q is not a duration such as 4h, 90m or a number of seconds", v)
	}
	return d, nil
}

func slaDeadline(e env, args []string) error {
	fs := slaFlags("sla deadline", "sla deadline --calendar FILE --start RFC3339 --duration 4h", e)
	cal := fs.String("calendar", "", "calendar JSON file (required)")
	start := fs.String("start", "", "start instant, RFC 3339 (required)")
	dur := fs.String("duration", "", "business time to add: 4h, 90m, or seconds (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	c, err := loadCalendar(*cal)
	if err != nil {
		return err
	}
	s, err := parseInstant("start", *start)
	if err != nil {
		return err
	}
	if *dur == "" {
		return usagef("--duration is required")
	}
	d, err := parseBusinessDuration(*dur)
	if err != nil {
		return err
	}
	dl := c.Deadline(s, d)
	if dl.IsZero() {
		return fmt.Errorf("no deadline within ten years: the calendar has no open time after %s", s.Format(time.RFC3339))
	}
	fmt.Fprintln(e.stdout, dl.In(c.Location()).Format(time.RFC3339))
	return nil
}

func slaElapsed(e env, args []string) error {
	fs := slaFlags("sla elapsed", "sla elapsed --calendar FILE --from RFC3339 --to RFC3339", e)
	cal := fs.String("calendar", "", "calendar JSON file (required)")
	from := fs.String("from", "", "first instant, RFC 3339 (required)")
	to := fs.String("to", "", "second instant, RFC 3339 (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	c, err := loadCalendar(*cal)
	if err != nil {
		return err
	}
	f, err := parseInstant("from", *from)
	if err != nil {
		return err
	}
	t, err := parseInstant("to", *to)
	if err != nil {
		return err
	}
	d := c.Elapsed(f, t)
	fmt.Fprintf(e.stdout, "%d\t%s\n", int64(d/time.Second), d)
	return nil
}
