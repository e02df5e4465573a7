package web

import (
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// dashOptions fills the choices of the dashboard's filter form, the current values selected.
func (s *Server) dashOptions(c *call, p *dashboardPage) error {
	f := p.Filter
	kind := f.Get("period")
	if kind == "" {
		kind = periodMonth
	}
	for _, k := range []string{periodWeek, periodMonth, periodCustom} {
		p.Periods = append(p.Periods, option{Value: k, Label: c.T("dashboard.period." + k), Selected: k == kind})
	}
	all := option{Value: "", Label: c.T("dashboard.all")}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return err
	}
	p.Customers = []option{all}
	for _, cu := range cs {
		p.Customers = append(p.Customers, option{Value: cu.Code, Label: cu.Code + " — " + cu.Name, Selected: cu.Code == f.Get("customer")})
	}
	p.EnvKinds = []option{all}
	for _, k := range opsdesk.EnvKinds {
		p.EnvKinds = append(p.EnvKinds, option{Value: string(k), Label: c.T("env.kind." + string(k)), Selected: string(k) == f.Get("env_kind")})
	}
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		return err
	}
	p.Severities = []option{all}
	for _, sv := range sevs {
		p.Severities = append(p.Severities, option{Value: sv.Code, Label: sv.Label(c.lang), Selected: sv.Code == f.Get("severity")})
	}
	p.Levels = []option{all}
	for _, l := range opsdesk.Levels {
		p.Levels = append(p.Levels, option{Value: string(l), Label: string(l), Selected: string(l) == f.Get("level")})
	}
	p.Channels = []option{all}
	for _, ch := range []opsdesk.Channel{opsdesk.ChannelWeb, opsdesk.ChannelMail, opsdesk.ChannelAPI, opsdesk.ChannelProbe} {
		p.Channels = append(p.Channels, option{Value: string(ch), Label: c.T("channel." + string(ch)), Selected: string(ch) == f.Get("channel")})
	}
	return nil
}
