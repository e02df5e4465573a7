package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// customersPage is the data of the customer list.
type customersPage struct{ Customers []*opsdesk.Customer }

// customers lists the customer organisations.
func (s *Server) customers(c *call) {
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "customers", c.T("customer.list_title"), customersPage{Customers: cs})
}

// customerNewPage is the data of the customer creation form.
type customerNewPage struct {
	Form  *form
	Langs []option
}

func (s *Server) showNewCustomer(c *call, status int, f *form) {
	s.render(c, status, "customer_new", c.T("customer.new_title"), customerNewPage{Form: f, Langs: langOptions(c, "")})
}

// newCustomer shows the creation form.
func (s *Server) newCustomer(c *call) {
	s.showNewCustomer(c, http.StatusOK, newForm("customer", url.Values{"lang": {string(s.cfg.Lang)}}))
}

// createCustomer creates an organisation (with a default contract the admin then adjusts).
func (s *Server) createCustomer(c *call) {
	f := newForm("customer", c.r.PostForm)
	cu := customerFromForm(f)
	if err := s.db.CreateCustomer(c.ctx, cu); err != nil {
		s.formError(c, f, err, func(status int) { s.showNewCustomer(c, status, f) })
		return
	}
	c.redirect("/admin/customers/" + strconv.FormatInt(cu.ID, 10) + "?done=created")
}

// updateCustomer saves an organisation's own fields.
func (s *Server) updateCustomer(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("customer", c.r.PostForm)
	cu := customerFromForm(f)
	cu.ID = id
	if err := s.db.UpdateCustomer(c.ctx, cu); err != nil {
		s.formError(c, f, err, func(status int) { s.showCustomer(c, status, id, customerForms{customer: f}) })
		return
	}
	c.redirect(customerURL(id) + "?done=saved")
}

func customerFromForm(f *form) *opsdesk.Customer {
	return &opsdesk.Customer{
		Code: f.Get("code"), Name: f.Get("name"), Domains: splitList(f.Get("domains")),
		Lang: opsdesk.Lang(f.Get("lang")), Notes: strings.TrimSpace(f.Get("notes")),
	}
}

func customerValues(cu *opsdesk.Customer) url.Values {
	return url.Values{"code": {cu.Code}, "name": {cu.Name}, "domains": {strings.Join(cu.Domains, ", ")},
		"lang": {string(cu.Lang)}, "notes": {cu.Notes}}
}

func customerURL(id int64) string { return "/admin/customers/" + strconv.FormatInt(id, 10) }

// saveContract replaces the customer's support contract.
func (s *Server) saveContract(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("contract", c.r.PostForm)
	ct := &opsdesk.Contract{CustomerID: id, Tier: f.Get("tier"), StartsOn: strings.TrimSpace(f.Get("starts_on")),
		EndsOn: strings.TrimSpace(f.Get("ends_on")), Notes: strings.TrimSpace(f.Get("notes"))}
	for _, l := range f.Values["levels"] {
		ct.Levels = append(ct.Levels, opsdesk.Level(l))
	}
	if err := s.db.SetContract(c.ctx, ct); err != nil {
		s.formError(c, f, err, func(status int) { s.showCustomer(c, status, id, customerForms{contract: f}) })
		return
	}
	c.redirect(customerURL(id) + "?done=saved#contract")
}

func contractValues(ct *opsdesk.Contract) url.Values {
	v := url.Values{"tier": {ct.Tier}, "starts_on": {ct.StartsOn}, "ends_on": {ct.EndsOn}, "notes": {ct.Notes}}
	for _, l := range ct.Levels {
		v.Add("levels", string(l))
	}
	return v
}
