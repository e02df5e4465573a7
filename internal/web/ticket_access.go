package web

import (
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ticketAccess is the "Access" box of an access-request ticket: the grants approved for it, and
// for ops managers and admins the way to grant one on the ticket's environment.
type ticketAccess struct {
	Grants   []*opsdesk.AccessGrant
	GrantURL string // the environment page's grant form, prefilled from the ticket; "" without environment or right
	NoEnv    bool   // the ticket names no environment yet: qualify it first
}

// ticketAccessBox reads the box of t, or nil when t is not an access request.
func (s *Server) ticketAccessBox(c *call, t *opsdesk.Ticket) (*ticketAccess, error) {
	if t.Type != opsdesk.TypeAccessRequest {
		return nil, nil
	}
	grants, err := s.db.TicketAccessGrants(c.ctx, t.Key)
	if err != nil {
		return nil, err
	}
	b := &ticketAccess{Grants: grants, NoEnv: t.EnvironmentID == 0}
	if !b.NoEnv && opsdesk.ActorFrom(c.ctx).CanManage() {
		b.GrantURL = envURL(t.EnvironmentID) + "?grant_ticket=" + url.QueryEscape(t.Key) + "#grant-form"
	}
	return b, nil
}

// grantPrefill fills the grant form of an environment page opened from an access request:
// the ticket, and its subject as the reason. Anything else leaves the form empty.
func (s *Server) grantPrefill(c *call, e *opsdesk.Environment) (map[string][]string, bool) {
	key := c.r.URL.Query().Get("grant_ticket")
	if key == "" {
		return nil, false
	}
	t, err := s.db.TicketByKey(c.ctx, key)
	if err != nil || t.EnvironmentID != e.ID || t.Type != opsdesk.TypeAccessRequest {
		return nil, false
	}
	v := map[string][]string{"ticket": {t.Key}, "reason": {t.Subject}}
	if u, err := s.db.UserByEmail(c.ctx, t.RequesterMail); err == nil && u.Role.Staff() && !u.Disabled {
		v["user"] = []string{strconv.FormatInt(u.ID, 10)} // a colleague asked for it
	}
	return v, true
}
