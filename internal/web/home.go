package web

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// homePage is the data of the home page: the staff workspace or the customer portal.
type homePage struct {
	Staff     bool
	Customer  *opsdesk.Customer      // portal: the user's organisation
	Contract  *opsdesk.Contract      // portal: its support contract (nil if none)
	Envs      []*opsdesk.Environment // portal: its environments
	Customers []*opsdesk.Customer    // workspace: the customer directory
	Queues    []queueTab             // workspace: the ticket queues and their counts
	Active    int                    // portal: the organisation's requests in progress
}

// home shows the workspace of the vendor's team, or a customer's portal. Everything is read
// through the store with the user as actor, so a customer only ever sees their organisation.
func (s *Server) home(c *call) {
	if c.actor().IsStaff() {
		cs, err := s.db.ListCustomers(c.ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		qs, err := s.queueTabs(c, "")
		if err != nil {
			s.fail(c, err)
			return
		}
		s.render(c, http.StatusOK, "home", c.T("home.title"), homePage{Staff: true, Customers: cs, Queues: qs})
		return
	}
	p := homePage{}
	var err error
	if p.Customer, err = s.db.CustomerByID(c.ctx, c.user.CustomerID); err != nil {
		s.fail(c, err)
		return
	}
	if p.Contract, err = s.contractOrNil(c, p.Customer.ID); err != nil {
		s.fail(c, err)
		return
	}
	if p.Envs, err = s.db.ListEnvironments(c.ctx, p.Customer.ID); err != nil {
		s.fail(c, err)
		return
	}
	if p.Active, err = s.db.CountTickets(c.ctx, opsdesk.TicketFilter{Statuses: activeStatuses}); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "home", p.Customer.Name, p)
}

// contractOrNil reads a customer's contract; a customer without one is not an error here.
func (s *Server) contractOrNil(c *call, customerID int64) (*opsdesk.Contract, error) {
	ct, err := s.db.ContractOf(c.ctx, customerID)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		if _, cerr := s.db.CustomerByID(c.ctx, customerID); cerr != nil {
			return nil, cerr
		}
		return nil, nil
	}
	return ct, err
}
