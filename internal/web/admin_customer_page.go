package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// customerPage is the data of a customer's admin page: its own form, the contract form, the
// contact and environment lists with their add forms, and its users.
type customerPage struct {
	Customer                     *opsdesk.Customer
	Edit, Contract, Contact, Env *form
	Contacts                     []*opsdesk.Contact
	Envs                         []*opsdesk.Environment
	Users                        []*opsdesk.User
	Langs, ContactLangs          []option
	Tiers, Kinds, Statuses       []option
	Levels                       []opsdesk.Level
	SLACalendar                  *store.SLACalendar // the calendar its SLA clocks count in; nil before any is seeded
	MonthlyReport                bool               // the scheduled monthly service report is on (report_monthly_setting.go)
}

// customerForms carries the forms a failed submission re-renders with its input and messages;
// the others are filled from the database.
type customerForms struct{ customer, contract, contact, env *form }

// customer shows a customer's admin page.
func (s *Server) customer(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	s.showCustomer(c, http.StatusOK, id, customerForms{})
}

func (s *Server) showCustomer(c *call, status int, id int64, forms customerForms) {
	cu, err := s.db.CustomerByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := customerPage{Customer: cu, Edit: forms.customer, Contract: forms.contract, Contact: forms.contact, Env: forms.env,
		Langs: langOptions(c, ""), ContactLangs: langOptions(c, "contact.lang_customer"),
		Tiers: tierOptions(c), Kinds: envKindOptions(c), Statuses: envStatusOptions(c), Levels: opsdesk.Levels}
	if p.Edit == nil {
		p.Edit = newForm("customer", customerValues(cu))
	}
	if p.Contract == nil {
		ct, err := s.contractOrNil(c, id)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.Contract = newForm("contract", url.Values{"tier": {"standard"}})
		if ct != nil {
			p.Contract = newForm("contract", contractValues(ct))
		}
	}
	if p.Contact == nil {
		p.Contact = newForm("contact", nil)
	}
	if p.Env == nil {
		p.Env = newForm("env", url.Values{"kind": {"prod"}, "status": {"active"}})
	}
	if p.Contacts, err = s.db.ListContacts(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	if p.Envs, err = s.db.ListEnvironments(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	if p.Users, err = s.db.ListUsers(c.ctx, store.UserFilter{CustomerID: id}); err != nil {
		s.fail(c, err)
		return
	}
	if p.SLACalendar, err = s.db.ContractCalendar(c.ctx, id); err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
		s.fail(c, err)
		return
	}
	if p.MonthlyReport, err = s.db.MonthlyReportEnabled(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "customer", cu.Code+" — "+cu.Name, p)
}
