package web

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// orgPage is the data of an organisation's read-only page.
type orgPage struct {
	Customer *opsdesk.Customer
	Contract *opsdesk.Contract
	Envs     []*opsdesk.Environment
	Contacts []*opsdesk.Contact
}

// organisation shows a customer organisation: its contract, environments and contacts. Staff
// see any; a customer user only their own — the store answers not found for any other.
func (s *Server) organisation(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	p := orgPage{}
	var err error
	if p.Customer, err = s.db.CustomerByID(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	if p.Contract, err = s.contractOrNil(c, id); err != nil {
		s.fail(c, err)
		return
	}
	if p.Envs, err = s.db.ListEnvironments(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	if p.Contacts, err = s.db.ListContacts(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "organisation", p.Customer.Name, p)
}
