package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// auditPageSize is the number of entries per page of the audit log.
const auditPageSize = 50

// auditPage is the data of the audit log page.
type auditPage struct {
	Filter   *form
	Entities []option
	Rows     []auditRow
	Older    string // the URL of the next (older) page; "" on the last one
}

// auditRow is an entry with its field names translated and a link to the record when one exists.
type auditRow struct {
	opsdesk.AuditEntry
	Link    string
	Changes []opsdesk.Change // Field holds the translated field name
}

// audit shows the audit log, newest first, filtered by entity (and record), paged by id.
func (s *Server) audit(c *call) {
	q := c.r.URL.Query()
	f := newForm("audit", url.Values{"entity": {q.Get("entity")}, "id": {q.Get("id")}})
	filter := opsdesk.AuditFilter{Entity: q.Get("entity"), EntityID: queryID(c, "id"),
		BeforeID: queryID(c, "before"), Limit: auditPageSize}
	p := auditPage{Filter: f, Entities: entityOptions(c)}
	entries, err := s.db.ListAudit(c.ctx, filter)
	if err != nil {
		s.formError(c, f, err, func(status int) { s.render(c, status, "audit", c.T("audit.title"), p) })
		return
	}
	for _, e := range entries {
		p.Rows = append(p.Rows, auditRow{AuditEntry: e, Link: auditLink(e), Changes: translateChanges(c.lang, e.Changes)})
	}
	if len(entries) == auditPageSize {
		v := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if filter.Entity != "" {
			v.Set("entity", filter.Entity)
		}
		if filter.EntityID != 0 {
			v.Set("id", strconv.FormatInt(filter.EntityID, 10))
		}
		p.Older = "/admin/audit?" + v.Encode()
	}
	s.render(c, http.StatusOK, "audit", c.T("audit.title"), p)
}

// auditLink is the page of an audited record, when the UI has one.
func auditLink(e opsdesk.AuditEntry) string {
	id := strconv.FormatInt(e.EntityID, 10)
	switch e.Entity {
	case "user":
		return "/admin/users/" + id
	case "customer", "contract": // a contract's id is its customer's
		return "/admin/customers/" + id
	case "environment":
		return "/environments/" + id
	case "calendar":
		return "/admin/calendars/" + id
	case "problem":
		return "/problems/" + id
	}
	return ""
}

func translateChanges(lang opsdesk.Lang, cs []opsdesk.Change) []opsdesk.Change {
	out := make([]opsdesk.Change, len(cs))
	for i, ch := range cs {
		if key := "audit.field." + ch.Field; i18n.Has(key) {
			ch.Field = i18n.T(lang, key)
		}
		out[i] = ch
	}
	return out
}
