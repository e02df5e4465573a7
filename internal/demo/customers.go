package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// customer is a demo customer with what the tickets need: its people, environments and the
// zone of its business hours.
type customer struct {
	*opsdesk.Customer
	lang     opsdesk.Lang
	zone     *time.Location
	alwaysOn bool // on the 24/7 calendar: requests come at any hour
	users    []*opsdesk.User
	contacts []string // mail-only requesters
	envs     map[opsdesk.EnvKind]*opsdesk.Environment
	weight   int // share of the tickets
}

// customerSpec describes a customer to create: who, in which language, tier, levels and
// calendar, its people, and its share of the tickets.
type customerSpec struct {
	code, name, domain string
	lang               opsdesk.Lang
	tier               string
	levels             []opsdesk.Level
	calendar           string // "" the default (French), "london", "always"
	users              [][2]string
	contacts           []string
	weight             int
}

// customerSpecs are the four customers: two French on the French calendar, an English one on a
// London calendar, an English one on 24/7.
var customerSpecs = []customerSpec{
	{"HORIZON", "Mutuelle Horizon", "mutuelle-horizon.example", opsdesk.LangFR, "premium",
		[]opsdesk.Level{opsdesk.LevelN1, opsdesk.LevelN2, opsdesk.LevelN3}, "",
		[][2]string{{"amelie.roux", "Amélie Roux"}, {"pierre.garnier", "Pierre Garnier"}}, []string{"dsi", "exploitation"}, 35},
	{"VALTRANS", "Transports de la Vallée", "transports-vallee.example", opsdesk.LangFR, "standard",
		[]opsdesk.Level{opsdesk.LevelN2, opsdesk.LevelN3}, "",
		[][2]string{{"karim.benali", "Karim Benali"}}, []string{"support-it"}, 20},
	{"NORTHWIND", "Northwind Logistics", "northwind.example", opsdesk.LangEN, "premium",
		[]opsdesk.Level{opsdesk.LevelN1, opsdesk.LevelN2, opsdesk.LevelN3}, "london",
		[][2]string{{"sarah.jones", "Sarah Jones"}, {"david.miller", "David Miller"}}, []string{"it-ops"}, 30},
	{"HARBOUR", "Harbour Bank", "harbour-bank.example", opsdesk.LangEN, "critical",
		[]opsdesk.Level{opsdesk.LevelN1, opsdesk.LevelN2, opsdesk.LevelN3}, "always",
		[][2]string{{"james.wright", "James Wright"}}, []string{"noc"}, 15},
}

// londonCalendar is the business week of the English customer: Monday to Friday 09:00–17:30 in
// London, closed on the fixed-date bank holidays and at Easter.
func londonCalendar() *sla.Calendar {
	day := func() []sla.Window { return []sla.Window{{Open: "09:00", Close: "17:30"}} }
	return &sla.Calendar{Timezone: "Europe/London",
		Hours:        map[string][]sla.Window{"mon": day(), "tue": day(), "wed": day(), "thu": day(), "fri": day()},
		HolidayRules: []string{"fixed:01-01", "good_friday", "easter_monday", "fixed:12-25", "fixed:12-26"}}
}

// customers creates the customers, their contracts and calendars, and their people.
func (g *gen) customers() error {
	cals, err := g.calendars()
	if err != nil {
		return err
	}
	seen := map[opsdesk.Lang]bool{}
	for _, s := range customerSpecs {
		// One login per language: the first user of the first customer speaking it.
		c, err := g.addCustomer(s, cals, !seen[s.lang])
		if err != nil {
			return err
		}
		seen[s.lang] = true
		g.custs = append(g.custs, c)
		g.res.Customers = append(g.res.Customers, c.Customer)
	}
	// The SLA targets of the new contracts: the defaults, in each contract's calendar.
	return g.db.SeedSLADefaults(g.sys)
}

// calendarRef is a calendar customers are put on: its id (0: the default calendar) and the zone
// of its business hours.
type calendarRef struct {
	id   int64
	zone *time.Location
}

// calendarSet leads a customerSpec's calendar name to its calendar.
type calendarSet map[string]calendarRef

// calendars finds the calendars customers are put on — the default (French) one, the London
// business week, created unless a calendar of its name exists, and 24/7 — after SeedSLADefaults.
func (g *gen) calendars() (calendarSet, error) {
	london := &store.SLACalendar{Name: "United Kingdom — business days", Calendar: londonCalendar()}
	cals, err := g.db.Calendars(g.sys)
	if err != nil {
		return nil, err
	}
	var always int64
	for _, c := range cals {
		switch c.Name {
		case store.AlwaysOpenName:
			always = c.ID
		case london.Name:
			london.ID = c.ID
		}
	}
	if london.ID == 0 {
		if err := g.db.SaveCalendar(g.sys, london); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
	}
	if always == 0 {
		return nil, fmt.Errorf("no %q calendar: the default calendars were changed", store.AlwaysOpenName)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	ldn, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, err
	}
	return calendarSet{"": {0, paris}, "london": {london.ID, ldn}, "always": {always, ldn}}, nil
}

// addCustomer creates the customer s describes, its contract on its calendar, its users (the
// first with a printed login when login is set) and its mail-only contacts.
func (g *gen) addCustomer(s customerSpec, cals calendarSet, login bool) (*customer, error) {
	cal := cals[s.calendar]
	c := &customer{Customer: &opsdesk.Customer{Code: s.code, Name: s.name, Domains: []string{s.domain}, Lang: s.lang},
		lang: s.lang, zone: cal.zone, alwaysOn: s.calendar == "always", weight: s.weight,
		envs: map[opsdesk.EnvKind]*opsdesk.Environment{}}
	if err := g.db.CreateCustomer(g.sys, c.Customer); err != nil {
		return nil, fmt.Errorf("customer %s: %w", s.code, err)
	}
	start := g.now.AddDate(-1, 0, 0).Format(time.DateOnly)
	if err := g.db.SetContract(g.sys, &opsdesk.Contract{CustomerID: c.ID, Levels: s.levels, Tier: s.tier, StartsOn: start}); err != nil {
		return nil, fmt.Errorf("contract %s: %w", s.code, err)
	}
	if cal.id != 0 {
		if err := g.db.SetContractCalendar(g.sys, c.ID, cal.id); err != nil {
			return nil, fmt.Errorf("calendar of %s: %w", s.code, err)
		}
	}
	for i, u := range s.users {
		cu := &opsdesk.User{Email: u[0] + "@" + s.domain, Name: u[1], Role: opsdesk.RoleCustomer, CustomerID: c.ID, Lang: s.lang}
		if err := g.createUser(cu, login && i == 0, fmt.Sprintf("customer %s (%s)", s.code, s.lang)); err != nil {
			return nil, err
		}
		c.users = append(c.users, cu)
	}
	for _, m := range s.contacts {
		ct := &opsdesk.Contact{CustomerID: c.ID, Email: m + "@" + s.domain}
		if err := g.db.CreateContact(g.sys, ct); err != nil {
			return nil, fmt.Errorf("contact %s: %w", ct.Email, err)
		}
		c.contacts = append(c.contacts, ct.Email)
	}
	return c, nil
}
