package web

import (
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// queueRow is a ticket of a queue with where it stands against its service levels.
type queueRow struct {
	*opsdesk.Ticket
	SLA *slaCell // nil when its clocks were never computed
}

// slaCell is the SLA column of a queue row: the next deadline, the business time left until
// it, and the ticket's worst state.
type slaCell struct {
	State  string    // ok, at_risk, breached, met or none: the badge, and the row's class
	At     time.Time // the next deadline; zero when no clock runs
	Local  string    // At in the zone of the ticket's calendar
	Left   string    // "2 h 15 min left", "overdue by 1 h 05 min"
	Clock  string    // the clock whose deadline it is
	Paused bool      // no clock runs, one waits in a pausing status
}

// queueRows joins the tickets of a page with their SLA standing now, read from the stored
// clocks in one query.
func (s *Server) queueRows(c *call, list []*opsdesk.Ticket) ([]queueRow, error) {
	ids := make([]int64, len(list))
	for i, t := range list {
		ids[i] = t.ID
	}
	states, err := s.db.ClockStates(c.ctx, ids, s.db.Now(), s.sla.Warn)
	if err != nil {
		return nil, err
	}
	rows := make([]queueRow, len(list))
	for i, t := range list {
		rows[i].Ticket = t
		q, ok := states[t.ID]
		if !ok {
			continue
		}
		cell := &slaCell{State: string(q.State), Clock: string(q.Clock), Paused: q.Paused}
		if q.Stopped && q.State == sla.StateOK {
			cell.State = "met"
		}
		if q.Clock != "" {
			cell.At, cell.Local = q.Deadline, localTime(q.Deadline, q.Location)
			if q.Remaining < 0 {
				cell.Left = c.T("sla.overdue_by", businessTime(-q.Remaining))
			} else {
				cell.Left = c.T("sla.left", businessTime(q.Remaining))
			}
		}
		rows[i].SLA = cell
	}
	return rows, nil
}
