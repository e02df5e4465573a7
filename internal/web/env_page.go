package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file renders an environment's page (GET /environments/{id}) for staff and for the
// customer: identity, current versions, deployment history, servers, twin check, access grants,
// maintenance windows and availability. The store scopes every read: another customer's
// environment is not found, and a part the vendor does not show a customer is simply left out
// here rather than asked for. The staff forms of the page are in env_forms.go and env_access.go.

// envView is the data of an environment's page.
type envView struct {
	Env      *opsdesk.Environment
	Customer *opsdesk.Customer
	Staff    bool // the vendor's team: forms, notes, who and emergency reasons
	Manager  bool // ops managers and admins: grants, visibility, emergency reasons

	// The parts, each nil (and its Show* false) when the reader may not see it.
	ShowServers, ShowVersions, ShowAccess, ShowAvailability bool
	Servers                                                 []*opsdesk.Server
	Components                                              []*opsdesk.Component
	Deployments                                             []*opsdesk.Deployment
	Twin                                                    []opsdesk.TwinDiff // staff, preprod and prod pages
	Grants                                                  []*opsdesk.AccessGrant
	Windows                                                 []*opsdesk.MaintenanceWindow
	Probes                                                  []*opsdesk.Probe
	Availability                                            []availRow
	Chart                                                   *responseChart
	Now                                                     time.Time
	ProbeSection                                            *probeSection // staff: the probes with their state and forms (env_probes.go)

	// The staff forms, kept with their input and errors after a failed submission.
	ServerForm, DeployForm, GrantForm, WindowForm, VisibilityForm *form
	GrantOpen                                                     bool  // opened from an access request: the grant form shows, prefilled
	AdvanceForm                                                   *form // the advance form that failed
	AdvanceID                                                     int64 // its deployment
	RevokeForm                                                    *form
	RevokeID                                                      int64
	Roles, Outcomes, Advances, AccessKinds, Holders               []option
	Flags                                                         []string // the visibility checkboxes
}

// envFlags are the names of the visibility checkboxes, in the order shown.
var envFlags = []string{"show_servers", "show_versions", "show_availability", "show_access"}

// envForms are the forms of a page being re-rendered after a failure; nil ones start empty.
type envForms struct {
	server, deploy, grant, window, visibility *form
	advance                                   *form
	advanceID                                 int64
	revoke                                    *form
	revokeID                                  int64
	probe                                     *form // the probe add form (env_probes.go)
}

// environmentPage shows environment id to staff and to its customer.
func (s *Server) environmentPage(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	e, err := s.db.EnvironmentByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.showEnv(c, http.StatusOK, e, envForms{})
}

// envFor reads the environment of the path for a staff form; another customer's is not found.
func (s *Server) envFor(c *call) (*opsdesk.Environment, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return nil, false
	}
	e, err := s.db.EnvironmentByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return e, true
}

// showEnv renders the page of e with status, its forms as given.
func (s *Server) showEnv(c *call, status int, e *opsdesk.Environment, fs envForms) {
	v, err := s.loadEnv(c, e)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.ServerForm = orForm(fs.server, "server", nil)
	v.DeployForm = orForm(fs.deploy, "deploy", map[string][]string{"outcome": {string(opsdesk.DeploySuccess)}})
	prefill, fromTicket := s.grantPrefill(c, e)
	v.GrantForm, v.GrantOpen = orForm(fs.grant, "grant", prefill), fromTicket
	v.WindowForm = orForm(fs.window, "window", nil)
	v.VisibilityForm = orForm(fs.visibility, "visibility", visibilityValues(e.EnvVisibility))
	v.AdvanceForm, v.AdvanceID = fs.advance, fs.advanceID
	v.RevokeForm, v.RevokeID = fs.revoke, fs.revokeID
	v.Flags = envFlags
	if v.ProbeSection, err = s.probeSectionFor(c, v, fs.probe); err != nil {
		s.fail(c, err)
		return
	}
	if v.Staff {
		v.Roles = serverRoleOptions(c)
		v.Outcomes = outcomeOptions(c, opsdesk.DeployOutcomes)
		v.Advances = outcomeOptions(c, []opsdesk.DeployOutcome{opsdesk.DeployInProgress, opsdesk.DeploySuccess, opsdesk.DeployFailed, opsdesk.DeployRolledBack})
		v.AccessKinds = accessKindOptions(c)
	}
	if v.Manager {
		if v.Holders, err = s.holderOptions(c); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, "environment", e.Name, v)
}

func orForm(f *form, id string, initial map[string][]string) *form {
	if f != nil {
		return f
	}
	return newForm(id, initial)
}

// loadEnv reads every part of e the caller may see.
func (s *Server) loadEnv(c *call, e *opsdesk.Environment) (*envView, error) {
	a := c.actor()
	v := &envView{Env: e, Staff: a.IsStaff(), Manager: a.CanManage(), Now: s.db.Now()}
	v.ShowServers = v.Staff || e.ShowServers
	v.ShowVersions = v.Staff || e.ShowVersions
	v.ShowAccess = v.Staff || e.ShowAccess
	v.ShowAvailability = v.Staff || e.ShowAvailability
	var err error
	if v.Customer, err = s.db.CustomerByID(c.ctx, e.CustomerID); err != nil {
		return nil, err
	}
	if v.ShowServers {
		if v.Servers, err = s.db.ListServers(c.ctx, e.ID); err != nil {
			return nil, err
		}
	}
	if v.ShowVersions {
		if v.Components, err = s.db.ListComponents(c.ctx, e.ID); err != nil {
			return nil, err
		}
		if v.Deployments, err = s.db.ListDeployments(c.ctx, e.ID, 100); err != nil {
			return nil, err
		}
	}
	if v.Staff && (e.Kind == opsdesk.EnvPreprod || e.Kind == opsdesk.EnvProd) {
		diffs, err := s.db.TwinCheck(c.ctx, e.CustomerID)
		if err != nil {
			return nil, err
		}
		for _, d := range diffs {
			if d.PreprodID == e.ID || d.ProdID == e.ID {
				v.Twin = append(v.Twin, d)
			}
		}
	}
	if v.ShowAccess {
		if v.Grants, err = s.db.ListAccessGrants(c.ctx, e.ID, false); err != nil {
			return nil, err
		}
	}
	if v.Windows, err = s.db.ListMaintenance(c.ctx, e.ID, v.Now); err != nil {
		return nil, err
	}
	if v.ShowAvailability {
		if err := s.loadAvailability(c, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// loadAvailability reads the probes of the environment, their availability and the response
// times of the last 24 hours, when it has probes.
func (s *Server) loadAvailability(c *call, v *envView) error {
	var err error
	if v.Probes, err = s.db.ListProbes(c.ctx, v.Env.ID); err != nil || len(v.Probes) == 0 {
		return err
	}
	av, err := s.db.Availability(c.ctx, v.Env.ID, 0)
	if err != nil {
		return err
	}
	for i, a := range av {
		r := availRow{Label: c.T(periodKeys[min(i, len(periodKeys)-1)]), Checks: a.Checks, Percent: "—"}
		if a.Checks > 0 {
			r.Percent = formatPercent(c.lang, a.Percent)
		}
		v.Availability = append(v.Availability, r)
	}
	to := v.Now.Truncate(chartBucket).Add(chartBucket)
	from := to.Add(-chartSpan)
	series, err := s.db.ResponseSeries(c.ctx, v.Env.ID, 0, from, to, chartBucket)
	if err != nil {
		return err
	}
	v.Chart = newResponseChart(c, series, from, to)
	return nil
}

// ExpiresSoon tells whether a grant held now ends within three days: the page highlights it.
func (v *envView) ExpiresSoon(g *opsdesk.AccessGrant) bool {
	return g.ExpiresAt.Sub(v.Now) < 3*24*time.Hour
}

// Running tells whether a maintenance window covers now.
func (v *envView) Running(w *opsdesk.MaintenanceWindow) bool {
	return !v.Now.Before(w.StartsAt) && v.Now.Before(w.EndsAt)
}

// Open tells whether a deployment can still be advanced.
func (v *envView) Open(d *opsdesk.Deployment) bool { return !d.Outcome.Final() }

// availRow is one period of the availability table.
type availRow struct {
	Label, Percent string
	Checks         int
}

// periodKeys name store.AvailabilityPeriods in the catalogs, in its order.
var periodKeys = []string{"env.avail.24h", "env.avail.7d", "env.avail.30d"}

// formatPercent writes a percentage with two decimals, in the language's style.
func formatPercent(lang opsdesk.Lang, p float64) string {
	s := strconv.FormatFloat(p, 'f', 2, 64)
	if lang == opsdesk.LangFR {
		return strings.Replace(s, ".", ",", 1) + "\u00a0%"
	}
	return s + "%"
}

// AdvanceFormFor is the advance form of deployment id: the failed one with its message, or an
// empty one.
func (v *envView) AdvanceFormFor(id int64) *form {
	if v.AdvanceForm != nil && v.AdvanceID == id {
		return v.AdvanceForm
	}
	return newForm("advance-"+strconv.FormatInt(id, 10), nil)
}

// RevokeFormFor is the revoke form of grant id, like AdvanceFormFor.
func (v *envView) RevokeFormFor(id int64) *form {
	if v.RevokeForm != nil && v.RevokeID == id {
		return v.RevokeForm
	}
	return newForm("revoke-"+strconv.FormatInt(id, 10), nil)
}
