package opsdesk

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AuditEntry records one change to users, customers, contacts, contracts or environments: who
// made it, when, and each field's old and new value.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorLabel string
	Entity     string // "user", "customer", "contract", …
	EntityID   int64
	Action     string // "create", "update", "delete", "password", …
	Changes    []Change
}

// Change is one field's old and new value in an audit entry. Secrets are never recorded, only
// the fact that they changed.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Diff builds the changes between two sets of field values, in the order of fields.
func Diff(fields []string, old, new map[string]string) []Change {
	var cs []Change
	for _, f := range fields {
		if old[f] != new[f] {
			cs = append(cs, Change{Field: f, Old: old[f], New: new[f]})
		}
	}
	return cs
}

// AuditFields returns the audited field values of a user.
func (u *User) AuditFields() map[string]string {
	return map[string]string{
		"email": u.Email, "name": u.Name, "role": string(u.Role), "level": string(u.Level),
		"domains": strings.Join(u.Domains, ","), "customer_id": idString(u.CustomerID),
		"lang": string(u.Lang), "disabled": fmt.Sprint(u.Disabled), "manager_id": idString(u.ManagerID),
	}
}

// UserAuditFields is the order in which user changes are listed.
var UserAuditFields = []string{"email", "name", "role", "level", "domains", "customer_id", "lang", "disabled", "manager_id"}

// AuditFields returns the audited field values of a customer.
func (c *Customer) AuditFields() map[string]string {
	return map[string]string{
		"code": c.Code, "name": c.Name, "domains": strings.Join(c.Domains, ","),
		"lang": string(c.Lang), "notes": c.Notes,
	}
}

// CustomerAuditFields is the order in which customer changes are listed.
var CustomerAuditFields = []string{"code", "name", "domains", "lang", "notes"}

// AuditFields returns the audited field values of a contract.
func (c *Contract) AuditFields() map[string]string {
	ls := make([]string, len(c.Levels))
	for i, l := range c.Levels {
		ls[i] = string(l)
	}
	return map[string]string{
		"levels": strings.Join(ls, ","), "tier": c.Tier, "starts_on": c.StartsOn,
		"ends_on": c.EndsOn, "notes": c.Notes,
	}
}

// ContractAuditFields is the order in which contract changes are listed.
var ContractAuditFields = []string{"levels", "tier", "starts_on", "ends_on", "notes"}

// AuditFields returns the audited field values of a contact.
func (c *Contact) AuditFields() map[string]string {
	return map[string]string{"email": c.Email, "name": c.Name, "phone": c.Phone, "lang": string(c.Lang)}
}

// ContactAuditFields is the order in which contact changes are listed.
var ContactAuditFields = []string{"email", "name", "phone", "lang"}

// AuditFields returns the audited field values of an environment.
func (e *Environment) AuditFields() map[string]string {
	return map[string]string{
		"kind": string(e.Kind), "name": e.Name, "url": e.URL, "status": string(e.Status), "notes": e.Notes,
	}
}

// EnvironmentAuditFields is the order in which environment changes are listed.
var EnvironmentAuditFields = []string{"kind", "name", "url", "status", "notes"}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprint(id)
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Entity   string
	EntityID int64
	Limit    int
	BeforeID int64 // for paging: entries older than this one
}

// AuditEntities are the kinds of records the audit log covers.
var AuditEntities = []string{"user", "customer", "contact", "contract", "environment", "token", "webhook", "mail_template", "calendar", "article", "problem"}

// ValidAuditEntity tells whether e is an audited entity kind.
func ValidAuditEntity(e string) bool { return e == "" || slices.Contains(AuditEntities, e) }
