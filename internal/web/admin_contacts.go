package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// addContact adds a contact to the customer of the page.
func (s *Server) addContact(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("contact", c.r.PostForm)
	ct := contactFromForm(f, id)
	if err := s.db.CreateContact(c.ctx, ct); err != nil {
		s.formError(c, f, err, func(status int) { s.showCustomer(c, status, id, customerForms{contact: f}) })
		return
	}
	c.redirect(customerURL(id) + "?done=contact_added#contacts")
}

// contactPage is the data of a contact's edit form.
type contactPage struct {
	Customer *opsdesk.Customer
	Contact  *opsdesk.Contact
	Form     *form
	Langs    []option
}

// findContact returns the contact cid of customer id; a contact of another customer is not
// found (the URL must name the record's own customer).
func (s *Server) findContact(c *call) (*opsdesk.Customer, *opsdesk.Contact, bool) {
	id, ok1 := pathID(c, "id")
	cid, ok2 := pathID(c, "cid")
	if !ok1 || !ok2 {
		s.notFound(c)
		return nil, nil, false
	}
	cu, err := s.db.CustomerByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	cs, err := s.db.ListContacts(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	for _, ct := range cs {
		if ct.ID == cid {
			return cu, ct, true
		}
	}
	s.notFound(c)
	return nil, nil, false
}

func (s *Server) showContact(c *call, status int, cu *opsdesk.Customer, ct *opsdesk.Contact, f *form) {
	s.render(c, status, "contact", c.T("contact.edit_title", ct.Email), contactPage{
		Customer: cu, Contact: ct, Form: f, Langs: langOptions(c, "contact.lang_customer"),
	})
}

// editContact shows a contact's form.
func (s *Server) editContact(c *call) {
	cu, ct, ok := s.findContact(c)
	if !ok {
		return
	}
	v := url.Values{"email": {ct.Email}, "name": {ct.Name}, "phone": {ct.Phone}, "lang": {string(ct.Lang)}}
	s.showContact(c, http.StatusOK, cu, ct, newForm("contact", v))
}

// updateContact saves a contact.
func (s *Server) updateContact(c *call) {
	cu, ct, ok := s.findContact(c)
	if !ok {
		return
	}
	f := newForm("contact", c.r.PostForm)
	upd := contactFromForm(f, cu.ID)
	upd.ID = ct.ID
	if err := s.db.UpdateContact(c.ctx, upd); err != nil {
		s.formError(c, f, err, func(status int) { s.showContact(c, status, cu, ct, f) })
		return
	}
	c.redirect(customerURL(cu.ID) + "?done=saved#contacts")
}

func contactFromForm(f *form, customerID int64) *opsdesk.Contact {
	return &opsdesk.Contact{CustomerID: customerID, Email: f.Get("email"), Name: f.Get("name"),
		Phone: f.Get("phone"), Lang: opsdesk.Lang(f.Get("lang"))}
}
