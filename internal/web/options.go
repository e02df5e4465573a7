package web

import (
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The choices of the UI's select inputs, labelled in the call's language.

func roleOptions(c *call, withAll bool) []option {
	var out []option
	if withAll {
		out = append(out, option{Value: "", Label: c.T("filter.all_roles")})
	}
	for _, r := range opsdesk.Roles {
		out = append(out, option{Value: string(r), Label: c.T("role." + string(r))})
	}
	return out
}

func levelOptions(c *call) []option {
	out := []option{{Value: "", Label: c.T("level.none")}}
	for _, l := range opsdesk.Levels {
		out = append(out, option{Value: string(l), Label: c.T("level." + string(l))})
	}
	return out
}

// langOptions lists the languages; empty names the choice of "no preference" (browser for a
// user, the customer's language for a contact), or "" to offer only the two languages.
func langOptions(c *call, empty string) []option {
	var out []option
	if empty != "" {
		out = append(out, option{Value: "", Label: c.T(empty)})
	}
	return append(out, option{Value: "fr", Label: c.T("lang.fr")}, option{Value: "en", Label: c.T("lang.en")})
}

func customerOptions(c *call, cs []*opsdesk.Customer) []option {
	out := []option{{Value: "", Label: c.T("user.no_customer")}}
	for _, cu := range cs {
		out = append(out, option{Value: strconv.FormatInt(cu.ID, 10), Label: cu.Code + " — " + cu.Name})
	}
	return out
}

func tierOptions(c *call) []option {
	var out []option
	for _, t := range opsdesk.ContractTiers {
		out = append(out, option{Value: t, Label: c.T("tier." + t)})
	}
	return out
}

func envKindOptions(c *call) []option {
	var out []option
	for _, k := range opsdesk.EnvKinds {
		out = append(out, option{Value: string(k), Label: c.T("env.kind." + string(k))})
	}
	return out
}

func envStatusOptions(c *call) []option {
	var out []option
	for _, st := range []opsdesk.EnvStatus{opsdesk.EnvActive, opsdesk.EnvMaintenance, opsdesk.EnvRetired} {
		out = append(out, option{Value: string(st), Label: c.T("env.status." + string(st))})
	}
	return out
}

func entityOptions(c *call) []option {
	out := []option{{Value: "", Label: c.T("filter.all_entities")}}
	for _, e := range opsdesk.AuditEntities {
		out = append(out, option{Value: e, Label: c.T("entity." + e)})
	}
	return out
}

func expiryOptions(c *call) []option {
	out := []option{{Value: "", Label: c.T("token.never")}}
	for _, d := range []string{"30", "90", "365"} {
		out = append(out, option{Value: d, Label: c.T("token.days", d)})
	}
	return out
}
