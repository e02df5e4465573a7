package web

import (
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// portalSLA is what the customer sees of a request's service levels: the committed instants to
// take it in charge and to resolve it, and whether they were kept — no warning share, no
// work-around clock, no escalation, no business-time arithmetic.
type portalSLA struct {
	Zone   string // the IANA zone of the instants
	Clocks []portalClock
}

// portalClock is one commitment of the portal's panel.
type portalClock struct {
	Clock   string    // take_charge or resolve
	Outcome string    // running (not exceeded yet), paused, met or missed
	At      time.Time // the deadline; for a met commitment, when it was met
	Local   string    // At in Zone
}

// requestSLA reads the commitments of a request for its customer: the store scopes the clocks
// to the customer's organisation like the request itself. Nil when nothing is committed.
func (s *Server) requestSLA(c *call, t *opsdesk.Ticket) (*portalSLA, error) {
	p, err := s.ticketSLA(c, t)
	if err != nil {
		return nil, err
	}
	out := &portalSLA{Zone: p.Zone}
	for _, k := range p.Clocks {
		if k.Clock == string(sla.Workaround) || k.State == string(sla.StateNone) {
			continue
		}
		v := portalClock{Clock: k.Clock, At: k.At, Local: k.Local}
		switch {
		case k.State == string(sla.StateBreached):
			v.Outcome = "missed"
		case k.State == "met":
			v.Outcome = "met"
		case k.Paused:
			v.Outcome = "paused"
		default:
			v.Outcome = "running"
		}
		out.Clocks = append(out.Clocks, v)
	}
	if len(out.Clocks) == 0 {
		return nil, nil
	}
	return out, nil
}
