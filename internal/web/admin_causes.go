package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// causesPage is the data of the cause-code catalog, with the form adding one.
type causesPage struct {
	Causes []*opsdesk.CauseCode
	Form   *form
}

// causePage is the data of a cause code's edit form.
type causePage struct {
	Cause *opsdesk.CauseCode
	Form  *form
}

// causes lists the cause codes agents choose from when resolving, retired ones included.
func (s *Server) causes(c *call) { s.showCauses(c, http.StatusOK, nil) }

func (s *Server) showCauses(c *call, status int, f *form) {
	list, err := s.db.CauseCodes(c.ctx, true)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("cause", url.Values{"active": {"on"}, "position": {strconv.Itoa(10 * (len(list) + 1))}})
	}
	s.render(c, status, "causes", c.T("cause.list_title"), causesPage{Causes: list, Form: f})
}

// createCause adds a cause code; a code already in use is refused rather than overwritten.
func (s *Server) createCause(c *call) {
	f := newForm("cause", c.r.PostForm)
	again := func(status int) { s.showCauses(c, status, f) }
	cc := causeFromForm(f, f.Get("code"))
	if old, err := s.findCause(c, strings.ToLower(strings.TrimSpace(cc.Code))); err != nil {
		s.fail(c, err)
		return
	} else if old != nil {
		f.Fail("code", c.T("catalog.code_taken", old.Code))
		again(http.StatusConflict)
		return
	}
	if err := s.db.SaveCauseCode(c.ctx, cc); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/causes?done=created")
}

// editCause shows a cause code's form.
func (s *Server) editCause(c *call) {
	cc, ok := s.cause(c)
	if !ok {
		return
	}
	v := url.Values{"label_fr": {cc.LabelFR}, "label_en": {cc.LabelEN}, "position": {strconv.Itoa(cc.Position)}}
	if cc.Active {
		v.Set("active", "on")
	}
	s.showCause(c, http.StatusOK, cc, newForm("cause", v))
}

// updateCause saves a cause code's labels, position and whether it is offered.
func (s *Server) updateCause(c *call) {
	cc, ok := s.cause(c)
	if !ok {
		return
	}
	f := newForm("cause", c.r.PostForm)
	if err := s.db.SaveCauseCode(c.ctx, causeFromForm(f, cc.Code)); err != nil {
		s.formError(c, f, err, func(status int) { s.showCause(c, status, cc, f) })
		return
	}
	c.redirect("/admin/causes?done=saved")
}

func (s *Server) showCause(c *call, status int, cc *opsdesk.CauseCode, f *form) {
	s.render(c, status, "cause", c.T("cause.edit_title", cc.Code), causePage{Cause: cc, Form: f})
}

// cause finds the cause code of the path, answering not found itself.
func (s *Server) cause(c *call) (*opsdesk.CauseCode, bool) {
	cc, err := s.findCause(c, c.r.PathValue("code"))
	if err == nil && cc == nil {
		err = opsdesk.NotFound("no cause code %q", c.r.PathValue("code"))
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return cc, true
}

func (s *Server) findCause(c *call, code string) (*opsdesk.CauseCode, error) {
	list, err := s.db.CauseCodes(c.ctx, true)
	for _, cc := range list {
		if cc.Code == code {
			return cc, nil
		}
	}
	return nil, err
}

func causeFromForm(f *form, code string) *opsdesk.CauseCode {
	pos, _ := strconv.Atoi(strings.TrimSpace(f.Get("position")))
	return &opsdesk.CauseCode{Code: code, LabelFR: f.Get("label_fr"), LabelEN: f.Get("label_en"), Position: pos, Active: f.Get("active") != ""}
}
