package web

import (
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// catalog is the severity scale and the categories, named in the call's language: the pages
// of tickets show codes through it.
type catalog struct {
	lang       opsdesk.Lang
	Severities []*opsdesk.Severity // active, most severe first
	Categories []*opsdesk.Category // all, in display order
}

// loadCatalog reads the severity scale and the categories.
func (s *Server) loadCatalog(c *call) (*catalog, error) {
	k := &catalog{lang: c.lang}
	var err error
	if k.Severities, err = s.db.Severities(c.ctx); err != nil {
		return nil, err
	}
	if k.Categories, err = s.db.Categories(c.ctx, true); err != nil {
		return nil, err
	}
	return k, nil
}

// Severity is the name of a severity code in the page's language (the code when unknown).
func (k *catalog) Severity(code string) string {
	if sv := k.severity(code); sv != nil {
		return sv.Label(k.lang)
	}
	return code
}

// Category is the name of a category code in the page's language (the code when unknown).
func (k *catalog) Category(code string) string {
	for _, ct := range k.Categories {
		if ct.Code == code {
			return ct.Label(k.lang)
		}
	}
	return code
}

func (k *catalog) severity(code string) *opsdesk.Severity {
	for _, sv := range k.Severities {
		if sv.Code == code {
			return sv
		}
	}
	return nil
}

// activeCategory tells whether code names a category requests may be filed under.
func (k *catalog) activeCategory(code string) bool {
	for _, ct := range k.Categories {
		if ct.Code == code {
			return ct.Active
		}
	}
	return false
}

// severityOptions lists the scale, after an optional first choice (empty key: none).
func (k *catalog) severityOptions(c *call, first string) []option {
	var out []option
	if first != "" {
		out = append(out, option{Value: "", Label: c.T(first)})
	}
	for _, sv := range k.Severities {
		out = append(out, option{Value: sv.Code, Label: sv.Label(c.lang)})
	}
	return out
}

// categoryOptions lists the active categories, after an optional first choice.
func (k *catalog) categoryOptions(c *call, first string) []option {
	var out []option
	if first != "" {
		out = append(out, option{Value: "", Label: c.T(first)})
	}
	for _, ct := range k.Categories {
		if ct.Active {
			out = append(out, option{Value: ct.Code, Label: ct.Label(c.lang)})
		}
	}
	return out
}

// statusOptions lists statuses after an optional first choice.
func statusOptions(c *call, first string, ss []opsdesk.Status) []option {
	var out []option
	if first != "" {
		out = append(out, option{Value: "", Label: c.T(first)})
	}
	for _, st := range ss {
		out = append(out, option{Value: string(st), Label: c.T("status." + string(st))})
	}
	return out
}

func typeOptions(c *call) []option {
	var out []option
	for _, ty := range opsdesk.TicketTypes {
		out = append(out, option{Value: string(ty), Label: c.T("type." + string(ty))})
	}
	return out
}

// envOptions lists a customer's environments that still run, after a "none" choice.
func envOptions(c *call, envs []*opsdesk.Environment, none string) []option {
	out := []option{{Value: "", Label: c.T(none)}}
	for _, e := range envs {
		if e.Status == opsdesk.EnvRetired {
			continue
		}
		out = append(out, option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name + " (" + c.T("env.kind."+string(e.Kind)) + ")"})
	}
	return out
}

func id64(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
