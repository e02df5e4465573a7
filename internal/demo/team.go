package demo

import (
	"fmt"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// catalogs seeds the severities, categories, cause codes and SLA calendars, as every start does.
func (g *gen) catalogs() error {
	if err := g.db.SeedDefaults(g.sys); err != nil {
		return err
	}
	return g.db.SeedSLADefaults(g.sys)
}

// staff is the vendor team: who, what role, which level.
var staff = []struct {
	login   bool // one login per role is printed
	role    opsdesk.Role
	level   opsdesk.Level
	email   string
	name    string
	lang    opsdesk.Lang
	domains []string // agents' expertise
}{
	{true, opsdesk.RoleAdmin, "", "admin", "Claire Admin", opsdesk.LangFR, nil},
	{true, opsdesk.RoleOpsManager, "", "sophie.martin", "Sophie Martin", opsdesk.LangFR, nil},
	{true, opsdesk.RoleProjectManager, "", "julien.petit", "Julien Petit", opsdesk.LangFR, nil},
	{false, opsdesk.RoleProjectManager, "", "emma.clarke", "Emma Clarke", opsdesk.LangEN, nil},
	{true, opsdesk.RoleAgent, opsdesk.LevelN1, "lucas.bernard", "Lucas Bernard", opsdesk.LangFR, []string{"application", "mobile"}},
	{false, opsdesk.RoleAgent, opsdesk.LevelN1, "chloe.dubois", "Chloé Dubois", opsdesk.LangFR, []string{"application", "security"}},
	{false, opsdesk.RoleAgent, opsdesk.LevelN1, "oliver.hughes", "Oliver Hughes", opsdesk.LangEN, []string{"application", "integration"}},
	{true, opsdesk.RoleAgent, opsdesk.LevelN2, "nadia.haddad", "Nadia Haddad", opsdesk.LangFR, []string{"integration", "database"}},
	{false, opsdesk.RoleAgent, opsdesk.LevelN2, "thomas.leroy", "Thomas Leroy", opsdesk.LangFR, []string{"infrastructure", "security"}},
	{true, opsdesk.RoleAgent, opsdesk.LevelN3, "marc.fontaine", "Marc Fontaine", opsdesk.LangFR, []string{"database", "integration"}},
	{false, opsdesk.RoleAgent, opsdesk.LevelN3, "priya.shah", "Priya Shah", opsdesk.LangEN, []string{"application", "mobile"}},
}

// roleLabel is how a login is named when printed.
func roleLabel(r opsdesk.Role, l opsdesk.Level) string {
	switch r {
	case opsdesk.RoleOpsManager:
		return "ops manager"
	case opsdesk.RoleProjectManager:
		return "project manager"
	case opsdesk.RoleAgent:
		return "agent " + string(l)
	}
	return string(r)
}

// team creates the vendor's users; those printed get a generated password.
func (g *gen) team() error {
	g.agents = map[opsdesk.Level][]*opsdesk.User{}
	for _, s := range staff {
		u := &opsdesk.User{Email: s.email + "@" + g.opt.Domain, Name: s.name, Role: s.role, Level: s.level, Lang: s.lang,
			Domains: s.domains}
		if err := g.createUser(u, s.login, roleLabel(s.role, s.level)); err != nil {
			return err
		}
		switch s.role {
		case opsdesk.RoleAdmin:
			g.admin = u
		case opsdesk.RoleOpsManager:
			g.ops = u
		case opsdesk.RoleProjectManager:
			g.pms = append(g.pms, u)
		case opsdesk.RoleAgent:
			g.agents[s.level] = append(g.agents[s.level], u)
		}
	}
	g.pm = g.pms[0]
	return nil
}

// createUser creates u, with a generated password recorded in the logins when login is set.
func (g *gen) createUser(u *opsdesk.User, login bool, label string) error {
	hash, password := "", ""
	if login {
		password = auth.GeneratePassword()
		var err error
		if hash, err = auth.HashPassword(password, auth.DefaultParams); err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
	}
	if err := g.db.CreateUser(g.sys, u, hash); err != nil {
		return fmt.Errorf("user %s: %w", u.Email, err)
	}
	if login {
		g.res.Logins = append(g.res.Logins, Login{Role: label, Email: u.Email, Password: password, User: u})
	}
	return nil
}
