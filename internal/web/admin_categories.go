package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// categoriesPage is the data of the category list, with the form adding one.
type categoriesPage struct {
	Categories []*opsdesk.Category
	Form       *form
	Levels     []option
	Groups     []option
}

// categoryPage is the data of a category's edit form.
type categoryPage struct {
	Category *opsdesk.Category
	Form     *form
	Levels   []option
	Groups   []option
}

// categories lists the categories, retired ones included, with their routing.
func (s *Server) categories(c *call) { s.showCategories(c, http.StatusOK, nil) }

func (s *Server) showCategories(c *call, status int, f *form) {
	cats, err := s.db.Categories(c.ctx, true)
	if err != nil {
		s.fail(c, err)
		return
	}
	groups, err := s.groupOptions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("category", url.Values{"level": {"N1"}, "active": {"on"}, "order": {strconv.Itoa(10 * (len(cats) + 1))}})
	}
	s.render(c, status, "categories", c.T("category.list_title"), categoriesPage{Categories: cats, Form: f,
		Levels: supportLevelOptions(c), Groups: groups})
}

// createCategory adds a category; a code already in use is refused rather than overwritten.
func (s *Server) createCategory(c *call) {
	f := newForm("category", c.r.PostForm)
	again := func(status int) { s.showCategories(c, status, f) }
	cat := categoryFromForm(f, strings.ToLower(strings.TrimSpace(f.Get("code"))))
	if cat.Code == "" {
		f.Fail("code", domainMessage(c, opsdesk.Invalid("code", "is required")))
		again(http.StatusUnprocessableEntity)
		return
	}
	if old, err := s.findCategory(c, cat.Code); err == nil && old != nil {
		f.Fail("code", c.T("catalog.code_taken", cat.Code))
		again(http.StatusConflict)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.SaveCategory(c.ctx, cat); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/categories?done=created")
}

// editCategory shows a category's form.
func (s *Server) editCategory(c *call) {
	cat, ok := s.category(c)
	if !ok {
		return
	}
	v := url.Values{"label_fr": {cat.LabelFR}, "label_en": {cat.LabelEN}, "level": {string(cat.Level)},
		"group": {cat.GroupCode}, "order": {strconv.Itoa(cat.DisplayOrder)}}
	if cat.Active {
		v.Set("active", "on")
	}
	s.showCategory(c, http.StatusOK, cat, newForm("category", v))
}

// updateCategory saves a category's labels, routing, order and whether it is offered.
func (s *Server) updateCategory(c *call) {
	cat, ok := s.category(c)
	if !ok {
		return
	}
	f := newForm("category", c.r.PostForm)
	if err := s.db.SaveCategory(c.ctx, categoryFromForm(f, cat.Code)); err != nil {
		s.formError(c, f, err, func(status int) { s.showCategory(c, status, cat, f) })
		return
	}
	c.redirect("/admin/categories?done=saved")
}

func (s *Server) showCategory(c *call, status int, cat *opsdesk.Category, f *form) {
	groups, err := s.groupOptions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "category", c.T("category.edit_title", cat.Code), categoryPage{Category: cat, Form: f,
		Levels: supportLevelOptions(c), Groups: groups})
}

// category finds the category of the path, answering not found itself.
func (s *Server) category(c *call) (*opsdesk.Category, bool) {
	cat, err := s.findCategory(c, c.r.PathValue("code"))
	if err == nil && cat == nil {
		err = opsdesk.NotFound("no category %q", c.r.PathValue("code"))
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return cat, true
}

func (s *Server) findCategory(c *call, code string) (*opsdesk.Category, error) {
	cats, err := s.db.Categories(c.ctx, true)
	for _, cat := range cats {
		if cat.Code == code {
			return cat, nil
		}
	}
	return nil, err
}

func categoryFromForm(f *form, code string) *opsdesk.Category {
	order, _ := strconv.Atoi(strings.TrimSpace(f.Get("order")))
	return &opsdesk.Category{Code: code, LabelFR: strings.TrimSpace(f.Get("label_fr")), LabelEN: strings.TrimSpace(f.Get("label_en")),
		Level: opsdesk.Level(f.Get("level")), GroupCode: f.Get("group"), Active: f.Get("active") != "", DisplayOrder: order}
}

// supportLevelOptions lists N1, N2, N3 (no "none" choice).
func supportLevelOptions(c *call) []option {
	var out []option
	for _, l := range opsdesk.Levels {
		out = append(out, option{Value: string(l), Label: c.T("level." + string(l))})
	}
	return out
}

// groupOptions lists the support groups after a "no group" choice.
func (s *Server) groupOptions(c *call) ([]option, error) {
	gs, err := s.db.Groups(c.ctx)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: c.T("category.no_group")}}
	for _, g := range gs {
		out = append(out, option{Value: g.Code, Label: g.Name + " (" + string(g.Level) + ")"})
	}
	return out, nil
}
