package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// DeskOptions tune the desk's gauges; zero values take the defaults.
type DeskOptions struct {
	// TTL is how long one reading of the database serves scrapes (default 30 s), so that
	// scrapes, however frequent and from however many Prometheus servers, cost at most one set of
	// queries per TTL and instance.
	TTL time.Duration
	// Timeout bounds one reading (default 10 s).
	Timeout time.Duration
	// Now is the clock of the cache (default time.Now); the figures use the database's clock.
	Now func() time.Time
}

// RegisterDesk adds the desk's current values to the registry, read from db when scraped
// (docs/operations.md lists them): open tickets by severity and level, their age, SLA clocks
// past their target, open CAPA actions by status and overdue project tasks. Labels are bounded
// by the severity scale, the three levels, the three clocks and the action statuses: there is no
// customer label, so the series stay few whatever the number of customers.
func (m *Metrics) RegisterDesk(db *store.DB, opt DeskOptions) {
	if opt.TTL <= 0 {
		opt.TTL = 30 * time.Second
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	m.Registry.MustRegister(&deskCollector{opt: opt, read: func(ctx context.Context) (*store.DeskGauges, error) {
		return db.DeskGauges(opsdesk.WithActor(ctx, opsdesk.System("metrics")), db.Now())
	}})
}

var (
	descOpenTickets = prometheus.NewDesc("opsdesk_tickets_open",
		"Tickets open now (new, open, waiting for the customer), by severity code and support level.", []string{"severity", "level"}, nil)
	descBacklogAge = prometheus.NewDesc("opsdesk_tickets_open_by_age",
		"Tickets open now by age since creation: under_day, under_week (1-7 days), under_month (7-30 days), older.", []string{"age"}, nil)
	descBreached = prometheus.NewDesc("opsdesk_sla_clocks_breached",
		"SLA clocks not stopped (running or paused) whose target is exceeded now, by clock.", []string{"clock"}, nil)
	descActions = prometheus.NewDesc("opsdesk_capa_actions_open",
		"Corrective and preventive actions still to decide or do, by status (proposed, open, in_progress).", []string{"status"}, nil)
	descOverdue = prometheus.NewDesc("opsdesk_project_tasks_overdue",
		"Project tasks not done, of open projects, whose due day is past.", nil, nil)
	descUp = prometheus.NewDesc("opsdesk_desk_gauges_up",
		"Whether the last reading of the desk's gauges from the database succeeded (1) or failed (0).", nil, nil)
)

// deskCollector reads the desk's gauges on scrape, through a short cache.
type deskCollector struct {
	opt  DeskOptions
	read func(ctx context.Context) (*store.DeskGauges, error)

	mu   sync.Mutex
	last *store.DeskGauges // the last good reading
	at   time.Time         // when it was read (or last tried)
	ok   bool              // the last try succeeded
}

// Describe sends the descriptions of every gauge.
func (c *deskCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOpenTickets, descBacklogAge, descBreached, descActions, descOverdue, descUp} {
		ch <- d
	}
}

// Collect sends the gauges of the cached reading, reading the database again when it is older
// than the TTL. After a failed reading it sends the last good one (if any) and up 0.
func (c *deskCollector) Collect(ch chan<- prometheus.Metric) {
	g, ok := c.reading()
	up := 0.0
	if ok {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
	if g == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v int, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), labels...)
	}
	for k, n := range g.OpenTickets {
		gauge(descOpenTickets, n, k[0], k[1])
	}
	gauge(descBacklogAge, g.BacklogAge.UnderDay, "under_day")
	gauge(descBacklogAge, g.BacklogAge.UnderWeek, "under_week")
	gauge(descBacklogAge, g.BacklogAge.UnderMonth, "under_month")
	gauge(descBacklogAge, g.BacklogAge.Older, "older")
	for _, k := range sla.ClockKinds {
		gauge(descBreached, g.BreachedClocks[string(k)], string(k))
	}
	for _, st := range []string{"proposed", "open", "in_progress"} {
		gauge(descActions, g.OpenActions[st], st)
	}
	gauge(descOverdue, g.OverdueTasks)
}

// reading returns the reading to expose, refreshing it when the TTL ran out.
func (c *deskCollector) reading() (*store.DeskGauges, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.opt.Now()
	if !c.at.IsZero() && now.Sub(c.at) < c.opt.TTL {
		return c.last, c.ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.opt.Timeout)
	defer cancel()
	g, err := c.read(ctx)
	c.at, c.ok = now, err == nil
	if err == nil {
		c.last = g
	}
	return c.last, c.ok
}
