package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/demo"
)

// seedCmd adds bulk synthetic data to the configured database, through the store's own methods
// as the demo does: new customers and N tickets over the last days, each played through its life.
func seedCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("seed", "seed --tickets N [--customers M] [--days D] [--seed S] [flags]", e)
	tickets := c.fs.String("tickets", "", "how many tickets to add (required)")
	customers := c.fs.String("customers", "", "how many new customers share them (default: one per 2,000 tickets, at least one)")
	days := c.fs.String("days", strconv.Itoa(demo.DefaultSeedDays), "the tickets are spread over this many days, up to now")
	seedFlag := c.fs.String("seed", "1", "random seed: the same seed gives the same data shape")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	opt, err := seedOptions(*tickets, *customers, *days, *seedFlag)
	if err != nil {
		return err
	}
	where := cfg.RedactedDatabaseURL()
	if cfg.Postgres() {
		cfg.DatabaseURL = bulkURL(cfg.DatabaseURL)
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(e.stdout, "Seeding %s tickets over %d days on %s into %s…\n", thousands(opt.Tickets), opt.Days,
		plural(opt.Customers, "new customer"), where)
	bar := newProgressBar(e.stderr, opt.Tickets, time.Now)
	opt.Progress = func(done, _ int) { bar.update(done) }
	start := time.Now()
	res, err := demo.Seed(ctx, db, opt)
	bar.end()
	if res != nil {
		printSeeded(e.stdout, res, time.Since(start))
	}
	if err != nil && errors.Is(err, context.Canceled) && res != nil {
		return fmt.Errorf("seed interrupted: %s of %s tickets made, each whole; run it again to add more",
			thousands(res.Tickets), thousands(opt.Tickets))
	}
	return err
}

// bulkURL is a PostgreSQL URL whose sessions commit without waiting for the server to flush its
// log (synchronous_commit=off, a setting of the seed's own connections only), unless the URL
// already says: seeding commits some fifteen transactions per ticket, and waiting for each flush
// halves the rate. A crash of the server may lose the last moments of seeding; what it keeps is
// consistent, as after any crash.
func bulkURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // opening it reports the mistake
	}
	q := u.Query()
	if q.Has("synchronous_commit") {
		return dsn
	}
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// seedOptions reads the seed's own flags, each a whole number, naming the flag at fault.
func seedOptions(tickets, customers, days, seed string) (demo.SeedOptions, error) {
	var opt demo.SeedOptions
	if strings.TrimSpace(tickets) == "" {
		return opt, usagef("--tickets is required: how many tickets to add")
	}
	var err error
	if opt.Tickets, err = wholeFlag("tickets", tickets, 1, 100_000_000); err != nil {
		return opt, err
	}
	opt.Customers = demo.DefaultSeedCustomers(opt.Tickets)
	if strings.TrimSpace(customers) != "" {
		if opt.Customers, err = wholeFlag("customers", customers, 1, 99_999); err != nil {
			return opt, err
		}
	}
	if opt.Days, err = wholeFlag("days", days, 1, 3650); err != nil {
		return opt, err
	}
	s, err := strconv.ParseUint(strings.TrimSpace(seed), 10, 64)
	if err != nil || s == 0 {
		return opt, usagef("--seed: %q is not a whole number greater than 0", seed)
	}
	opt.Seed = s
	return opt, nil
}

// wholeFlag parses the value of --name as a whole number from lo to hi.
func wholeFlag(name, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, usagef("--%s: %q is not a whole number from %s to %s", name, v, thousands(lo), thousands(hi))
	}
	return n, nil
}

// printSeeded writes the summary of a seeding on standard output.
func printSeeded(w io.Writer, res *demo.SeedResult, took time.Duration) {
	codes := make([]string, len(res.Customers))
	for i, c := range res.Customers {
		codes[i] = c.Code
	}
	list := strings.Join(codes, ", ")
	if len(codes) > 8 {
		list = codes[0] + " … " + codes[len(codes)-1]
	}
	fmt.Fprintf(w, "customers created: %d (%s)\n", len(codes), list)
	if len(res.Agents) > 0 {
		fmt.Fprintf(w, "agents created: %d (no password; an admin can set one)\n", len(res.Agents))
	}
	if res.Articles > 0 {
		fmt.Fprintf(w, "knowledge articles created: %d\n", res.Articles)
	}
	fmt.Fprintf(w, "tickets created: %s, from %s to %s\n", thousands(res.Tickets),
		res.From.Format(time.DateOnly), res.To.Format(time.DateOnly))
	fmt.Fprintf(w, "elapsed: %s (%s tickets/s)\n", took.Round(100*time.Millisecond), thousands(int(rate(res.Tickets, took))))
}

// plural writes n things: "1 new customer", "3 new customers".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return thousands(n) + " " + thing + "s"
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// thousands writes n with a comma between groups of three digits: 10,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// progressBar shows a seeding's progress on standard error: on a terminal, one line redrawn in
// place (at most ten times a second); otherwise a plain line at every tenth of the work and at
// least every five seconds, the last at 100 %.
type progressBar struct {
	w        io.Writer
	tty      bool
	total    int
	now      func() time.Time
	start    time.Time
	last     time.Time // when a line was last written
	lastTen  int       // the tenth of the work last reported (plain lines)
	done     int
	finished bool
}

// progressEvery is the longest a plain progress report waits between two lines.
const progressEvery = 5 * time.Second

func newProgressBar(w io.Writer, total int, now func() time.Time) *progressBar {
	t := now()
	return &progressBar{w: w, tty: isTerminal(w), total: total, now: now, start: t, last: t}
}

// isTerminal tells whether w is a character device (a terminal) rather than a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update records that done tickets are made, and draws when it is time.
func (p *progressBar) update(done int) {
	p.done = done
	t := p.now()
	if p.tty {
		if done == p.total || t.Sub(p.last) >= 100*time.Millisecond {
			p.last = t
			fmt.Fprintf(p.w, "\r%s\033[K", p.line(t)) // the rest of a longer earlier line is cleared
		}
		return
	}
	ten := done * 10 / p.total
	if ten > p.lastTen || t.Sub(p.last) >= progressEvery {
		p.last, p.lastTen = t, ten
		fmt.Fprintln(p.w, p.line(t))
	}
}

// end closes the bar: the terminal's line is ended so that what follows starts on its own.
func (p *progressBar) end() {
	if p.finished {
		return
	}
	p.finished = true
	if p.tty && p.done > 0 {
		fmt.Fprintln(p.w)
	}
}

// line is the progress at t: bar (on a terminal), count, percentage, rate and time left.
func (p *progressBar) line(t time.Time) string {
	elapsed := t.Sub(p.start)
	r := rate(p.done, elapsed)
	eta := "?"
	if r > 0 {
		eta = time.Duration(float64(p.total-p.done) / r * float64(time.Second)).Round(time.Second).String()
	}
	pct := p.done * 100 / p.total
	counts := fmt.Sprintf("%s/%s tickets  %3d %%  %s/s  eta %s", thousands(p.done), thousands(p.total), pct,
		thousands(int(r)), eta)
	if !p.tty {
		return "seeding: " + counts
	}
	const width = 30
	fill := p.done * width / p.total
	return fmt.Sprintf("seeding  [%s%s]  %s", strings.Repeat("#", fill), strings.Repeat(".", width-fill), counts)
}
