package api

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// customer is a customer organisation. Notes are the vendor's own: staff only.
type customer struct {
	ID        int64    `json:"id"`
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Domains   []string `json:"domains" doc:"email domains that identify its people"`
	Lang      string   `json:"lang" enum:"fr,en"`
	Notes     string   `json:"notes,omitempty"`
	CreatedAt string   `json:"created_at" format:"date-time"`
	UpdatedAt string   `json:"updated_at" format:"date-time"`
}

// newCustomer is the body of POST /customers.
type newCustomer struct {
	Code    string   `json:"code" required:"true" doc:"2 to 20 capital letters, digits, - or _, e.g. ACME"`
	Name    string   `json:"name" required:"true"`
	Domains []string `json:"domains"`
	Lang    string   `json:"lang" enum:"fr,en"`
	Notes   string   `json:"notes"`
}

// contact is a person at a customer.
type contact struct {
	ID        int64  `json:"id"`
	Customer  string `json:"customer" doc:"customer code"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Lang      string `json:"lang" doc:"empty: the customer's language"`
	CreatedAt string `json:"created_at" format:"date-time"`
}

// newContact is the body of POST /customers/{code}/contacts.
type newContact struct {
	Email string `json:"email" required:"true"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Lang  string `json:"lang" enum:"fr,en,"`
}

func (a *API) customerJSON(r *http.Request, c *opsdesk.Customer) customer {
	j := customer{ID: c.ID, Code: c.Code, Name: c.Name, Domains: c.Domains, Lang: string(c.Lang),
		CreatedAt: apijson.Stamp(c.CreatedAt), UpdatedAt: apijson.Stamp(c.UpdatedAt)}
	if j.Domains == nil {
		j.Domains = []string{}
	}
	if opsdesk.ActorFrom(r.Context()).IsStaff() {
		j.Notes = c.Notes
	}
	return j
}

func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.db.ListCustomers(r.Context())
	if err != nil {
		return err
	}
	out := items[customer]{Items: []customer{}}
	for _, c := range cs {
		out.Items = append(out.Items, a.customerJSON(r, c))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in newCustomer
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c := &opsdesk.Customer{Code: in.Code, Name: in.Name, Domains: in.Domains, Lang: opsdesk.Lang(in.Lang), Notes: in.Notes}
	if err := a.db.CreateCustomer(r.Context(), c); err != nil {
		return err
	}
	return created(w, Prefix+"/customers/"+url.PathEscape(c.Code), a.customerJSON(r, c))
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.customerJSON(r, c))
}

func contactJSON(c *opsdesk.Contact, code string) contact {
	return contact{ID: c.ID, Customer: code, Email: c.Email, Name: c.Name, Phone: c.Phone, Lang: string(c.Lang),
		CreatedAt: apijson.Stamp(c.CreatedAt)}
}

func (a *API) listContacts(w http.ResponseWriter, r *http.Request) error {
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	cs, err := a.db.ListContacts(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := items[contact]{Items: []contact{}}
	for _, ct := range cs {
		out.Items = append(out.Items, contactJSON(ct, c.Code))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createContact(w http.ResponseWriter, r *http.Request) error {
	var in newContact
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	ct := &opsdesk.Contact{CustomerID: c.ID, Email: in.Email, Name: in.Name, Phone: in.Phone, Lang: opsdesk.Lang(in.Lang)}
	if err := a.db.CreateContact(r.Context(), ct); err != nil {
		return err
	}
	return created(w, Prefix+"/customers/"+url.PathEscape(c.Code)+"/contacts", contactJSON(ct, c.Code))
}
