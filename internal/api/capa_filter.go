package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// actionFilter reads the filters of GET /actions.
func (a *API) actionFilter(ctx context.Context, r *http.Request) (opsdesk.ActionFilter, error) {
	q := r.URL.Query()
	var f opsdesk.ActionFilter
	valid := func(name, v string, allowed ...string) error {
		for _, s := range allowed {
			if v == s {
				return nil
			}
		}
		return opsdesk.Invalid(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	for _, s := range queryList(r, "status") {
		if err := valid("status", s, "proposed", "open", "in_progress", "done", "cancelled", "rejected"); err != nil {
			return f, err
		}
		f.Status = append(f.Status, opsdesk.ActionStatus(s))
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"open", &f.Open}, {"overdue", &f.Overdue}} {
		if v := q.Get(b.name); v != "" {
			v, err := strconv.ParseBool(v)
			if err != nil {
				return f, opsdesk.Invalid(b.name, "must be true or false")
			}
			*b.dst = v
		}
	}
	if s := strings.TrimSpace(q.Get("kind")); s != "" {
		if err := valid("kind", s, "corrective", "preventive"); err != nil {
			return f, err
		}
		f.Kind = opsdesk.ActionKind(s)
	}
	if s := strings.TrimSpace(q.Get("source")); s != "" {
		if err := valid("source", s, "problem", "sla_breach", "survey", "audit", "probe", "quality_target", "manual"); err != nil {
			return f, err
		}
		f.Source = opsdesk.ActionSource(s)
	}
	if s := strings.TrimSpace(q.Get("customer")); s != "" {
		c, err := a.customerRef(ctx, s)
		if err != nil {
			return f, err
		}
		f.CustomerID = c.ID
	}
	if s := strings.TrimSpace(q.Get("owner")); s != "" {
		id, err := a.ownerID(ctx, s)
		if err != nil {
			return f, err
		}
		f.OwnerID = id
	}
	limit, err := queryInt(r, "limit")
	f.Limit = limit
	return f, err
}
