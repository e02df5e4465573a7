package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// probeHistory is how far back the demo's probes have been checking.
const probeHistory = 3 * 24 * time.Hour

// probes creates a probe on Harbour Bank's production that fails (its address refuses
// connections) and, when a healthy URL is given, one on Northwind's production that answers;
// then plays their checks hour by hour over the last three days, as the probe runner would
// record them. The failing one opens an incident ticket (channel probe) after three failures.
func (g *gen) probes() error {
	g.at(g.end.Add(-probeHistory))
	failing := &opsdesk.Probe{EnvironmentID: g.custs[3].envs[opsdesk.EnvProd].ID, Name: "Portal health",
		URL: g.opt.FailingProbeURL, Interval: time.Hour, Threshold: 3, Timeout: 5 * time.Second, Enabled: true}
	ps := []*opsdesk.Probe{failing}
	if g.opt.HealthyProbeURL != "" {
		ps = append(ps, &opsdesk.Probe{EnvironmentID: g.custs[2].envs[opsdesk.EnvProd].ID, Name: "Health",
			URL: g.opt.HealthyProbeURL, Interval: time.Hour, Threshold: 3, Timeout: 5 * time.Second, Enabled: true})
	}
	for _, p := range ps {
		if err := g.db.CreateProbe(g.as(g.ops), p); err != nil {
			return fmt.Errorf("probe %s: %w", p.Name, err)
		}
	}
	for t := g.now; !t.After(g.end); t = t.Add(time.Hour) {
		g.at(t)
		cs, err := g.db.ClaimDueProbes(g.ctx, "demo", len(ps), time.Minute)
		if err != nil {
			return err
		}
		for _, c := range cs {
			r := &opsdesk.ProbeResult{At: t, OK: true, StatusCode: 200, Latency: time.Duration(30+g.rnd.IntN(60)) * time.Millisecond}
			if c.Probe.ID == failing.ID && t.After(g.end.Add(-probeHistory/2)) {
				r = &opsdesk.ProbeResult{At: t, Latency: time.Millisecond,
					Error: "dial tcp 127.0.0.1:9: connect: connection refused"}
			}
			if _, err := g.db.RecordProbeResult(g.ctx, c, r, store.ProbeIncidentOptions{}); err != nil {
				return fmt.Errorf("probe %s: %w", c.Probe.Name, err)
			}
		}
	}
	return nil
}
