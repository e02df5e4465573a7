package opsdesk

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Customer is a customer organisation of the vendor: it has contacts, users, a support contract
// and environments, and it is the unit of isolation — a customer never sees another's data.
type Customer struct {
	ID        int64
	Code      string // short, stable, upper case: ACME
	Name      string
	Domains   []string // email domains that identify its people: acme.example
	Lang      Lang     // preferred language of its contacts
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

var codeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_-]{1,19}$`)
var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// Validate checks a customer, normalising its code, domains and language.
func (c *Customer) Validate() error {
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	c.Name = strings.TrimSpace(c.Name)
	if !codeRE.MatchString(c.Code) {
		return Invalid("code", "must be 2 to 20 letters, digits, - or _, starting with a letter (e.g. ACME)")
	}
	if c.Name == "" {
		return Invalid("name", "is required")
	}
	if len(c.Name) > 200 {
		return Invalid("name", "is longer than 200 characters")
	}
	c.Domains = normalizeList(c.Domains)
	for _, d := range c.Domains {
		if !domainRE.MatchString(d) {
			return Invalid("domains", "%q is not a domain name", d)
		}
	}
	if c.Lang == "" {
		c.Lang = LangFR
	}
	if !c.Lang.Valid() {
		return Invalid("lang", "must be fr or en")
	}
	return nil
}

// Contact is a person at a customer: a requester of tickets, a recipient of mail. A customer user
// always has a contact with the same address.
type Contact struct {
	ID         int64
	CustomerID int64
	Email      string
	Name       string
	Phone      string
	Lang       Lang // "" means: the customer's language
	CreatedAt  time.Time
}

// Validate checks a contact.
func (c *Contact) Validate() error {
	c.Email = NormalizeEmail(c.Email)
	c.Name = strings.TrimSpace(c.Name)
	c.Phone = strings.TrimSpace(c.Phone)
	if c.CustomerID == 0 {
		return Invalid("customer", "is required")
	}
	if err := ValidateEmail("email", c.Email); err != nil {
		return err
	}
	if c.Lang != "" && !c.Lang.Valid() {
		return Invalid("lang", "must be fr or en")
	}
	return nil
}

// Contract is a customer's support contract: which support levels the vendor provides them.
// Service-level targets and the business calendar are attached to it.
type Contract struct {
	CustomerID int64
	Levels     []Level // the levels the vendor provides, e.g. N2 and N3
	Tier       string  // commercial tier, used by steering to weigh priorities: standard, premium…
	StartsOn   string  // YYYY-MM-DD, optional
	EndsOn     string  // YYYY-MM-DD, optional
	Notes      string
	UpdatedAt  time.Time
}

// ContractTiers are the commercial tiers a contract may have.
var ContractTiers = []string{"standard", "premium", "critical"}

// Validate checks a contract.
func (c *Contract) Validate() error {
	if len(c.Levels) == 0 {
		return Invalid("levels", "a contract provides at least one support level")
	}
	var ls []Level
	for _, l := range c.Levels {
		if !l.Valid() {
			return Invalid("levels", "%q is not a support level (N1, N2, N3)", l)
		}
		if !slices.Contains(ls, l) {
			ls = append(ls, l)
		}
	}
	slices.Sort(ls)
	c.Levels = ls
	if c.Tier == "" {
		c.Tier = "standard"
	}
	if !slices.Contains(ContractTiers, c.Tier) {
		return Invalid("tier", "must be one of standard, premium, critical")
	}
	for _, f := range []struct{ name, v string }{{"starts_on", c.StartsOn}, {"ends_on", c.EndsOn}} {
		if f.v != "" {
			if _, err := time.Parse(time.DateOnly, f.v); err != nil {
				return Invalid(f.name, "must be a date YYYY-MM-DD")
			}
		}
	}
	if c.StartsOn != "" && c.EndsOn != "" && c.EndsOn < c.StartsOn {
		return Invalid("ends_on", "is before starts_on")
	}
	return nil
}

// Provides tells whether the contract includes support level l.
func (c *Contract) Provides(l Level) bool { return slices.Contains(c.Levels, l) }

// EnvKind is the kind of a customer environment.
type EnvKind string

// The environment kinds, from least to most critical.
const (
	EnvTest    EnvKind = "test"
	EnvPreprod EnvKind = "preprod"
	EnvProd    EnvKind = "prod"
)

// EnvKinds lists the environment kinds in promotion order.
var EnvKinds = []EnvKind{EnvTest, EnvPreprod, EnvProd}

// Valid tells whether k is a known environment kind.
func (k EnvKind) Valid() bool { return slices.Contains(EnvKinds, k) }

// EnvStatus is whether an environment is in service.
type EnvStatus string

// The environment statuses.
const (
	EnvActive      EnvStatus = "active"
	EnvMaintenance EnvStatus = "maintenance"
	EnvRetired     EnvStatus = "retired"
)

// Environment is one of a customer's isolated installations of the vendor's software.
type Environment struct {
	ID         int64
	CustomerID int64
	Kind       EnvKind
	Name       string
	URL        string
	Status     EnvStatus
	Notes      string
	CreatedAt  time.Time
	UpdatedAt  time.Time

	EnvVisibility // what the customer is shown (environment.go); all off by default
}

// Validate checks an environment.
func (e *Environment) Validate() error {
	e.Name = strings.TrimSpace(e.Name)
	e.URL = strings.TrimSpace(e.URL)
	if e.CustomerID == 0 {
		return Invalid("customer", "is required")
	}
	if !e.Kind.Valid() {
		return Invalid("kind", "must be test, preprod or prod")
	}
	if e.Name == "" {
		return Invalid("name", "is required")
	}
	if e.URL != "" {
		u, err := url.Parse(e.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Invalid("url", "must be an http(s) URL")
		}
	}
	if e.Status == "" {
		e.Status = EnvActive
	}
	if e.Status != EnvActive && e.Status != EnvMaintenance && e.Status != EnvRetired {
		return Invalid("status", "must be active, maintenance or retired")
	}
	return nil
}
