package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// release is a version of the vendor's two components, deployed to every customer through the
// promotion path (test, preprod, prod) on the day given (days before the end of the history).
type release struct {
	app, batch string
	daysAgo    int
}

var releases = []release{{"4.1.2", "2.7.0", 88}, {"4.2.0", "2.8.1", 52}, {"4.2.3", "2.8.2", 20}}

// aheadRelease is deployed to the preprod of the customer whose preprod is no longer a twin of
// its prod: under acceptance, not promoted yet.
var aheadRelease = release{"4.3.0-rc1", "2.9.0", 4}

// environments creates each customer's test, preprod and prod environments with their servers,
// and deploys the releases through them.
func (g *gen) environments() error {
	g.at(g.end.Add(-Period - 24*time.Hour))
	for _, c := range g.custs {
		if err := g.customerEnvironments(c); err != nil {
			return err
		}
	}
	for _, r := range releases {
		for _, c := range g.custs {
			if err := g.deploy(c, r, opsdesk.EnvTest, opsdesk.EnvPreprod, opsdesk.EnvProd); err != nil {
				return err
			}
		}
	}
	return g.deploy(g.custs[1], aheadRelease, opsdesk.EnvTest, opsdesk.EnvPreprod)
}

// customerEnvironments creates c's test, preprod and prod environments, named in its language,
// with their app and database servers.
func (g *gen) customerEnvironments(c *customer) error {
	host := strings.ToLower(c.Code)
	for _, k := range []opsdesk.EnvKind{opsdesk.EnvTest, opsdesk.EnvPreprod, opsdesk.EnvProd} {
		name := map[opsdesk.EnvKind]string{opsdesk.EnvTest: "Recette", opsdesk.EnvPreprod: "Préproduction", opsdesk.EnvProd: "Production"}[k]
		if c.lang == opsdesk.LangEN {
			name = map[opsdesk.EnvKind]string{opsdesk.EnvTest: "Test", opsdesk.EnvPreprod: "Pre-production", opsdesk.EnvProd: "Production"}[k]
		}
		sub := map[opsdesk.EnvKind]string{opsdesk.EnvTest: "test.", opsdesk.EnvPreprod: "preprod.", opsdesk.EnvProd: ""}[k]
		e := &opsdesk.Environment{CustomerID: c.ID, Kind: k, Name: name, URL: "https://" + sub + c.Domains[0] + "/"}
		if err := g.db.CreateEnvironment(g.sys, e); err != nil {
			return fmt.Errorf("environment %s %s: %w", c.Code, k, err)
		}
		c.envs[k] = e
		apps := 1
		if k == opsdesk.EnvProd || k == opsdesk.EnvPreprod {
			apps = 2
		}
		for i := 1; i <= apps; i++ {
			if err := g.server(e, fmt.Sprintf("%s-%s-app%d", host, k, i), opsdesk.ServerApp, "12.7"); err != nil {
				return err
			}
		}
		db := "12.7"
		if c.Code == "VALTRANS" && k == opsdesk.EnvPreprod {
			db = "13.1" // the preprod's database server was upgraded ahead of prod
		}
		if err := g.server(e, fmt.Sprintf("%s-%s-db1", host, k), opsdesk.ServerDatabase, db); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) server(e *opsdesk.Environment, host string, role opsdesk.ServerRole, osVersion string) error {
	s := &opsdesk.Server{EnvironmentID: e.ID, Hostname: host, Role: role, OS: "Debian", OSVersion: osVersion,
		CPUCores: 4, MemoryMB: 16384, DiskGB: 200, Location: "Paris DC2"}
	if role == opsdesk.ServerDatabase {
		s.CPUCores, s.MemoryMB, s.DiskGB = 8, 65536, 1000
	}
	if err := g.db.CreateServer(g.sys, s); err != nil {
		return fmt.Errorf("server %s: %w", host, err)
	}
	return nil
}

// deploy records a release's deployments to the kinds given, in order, a day apart, at 20:00
// in the customer's zone.
func (g *gen) deploy(c *customer, r release, kinds ...opsdesk.EnvKind) error {
	day := g.end.In(c.zone).AddDate(0, 0, -r.daysAgo)
	for i, k := range kinds {
		d := day.AddDate(0, 0, i)
		start := time.Date(d.Year(), d.Month(), d.Day(), 20, 0, 0, 0, c.zone)
		g.at(start.Add(45 * time.Minute))
		for _, comp := range [][2]string{{"app", r.app}, {"batch", r.batch}} {
			dep := &opsdesk.Deployment{EnvironmentID: c.envs[k].ID, Component: comp[0], ToVersion: comp[1],
				Outcome: opsdesk.DeploySuccess, StartedAt: start, FinishedAt: start.Add(40 * time.Minute),
				Notes: "Release " + r.app}
			if err := g.db.RecordDeployment(g.as(g.ops), dep); err != nil {
				return fmt.Errorf("deploy %s %s to %s %s: %w", comp[0], comp[1], c.Code, k, err)
			}
		}
	}
	return nil
}
