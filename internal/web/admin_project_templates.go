package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The project template editor (/admin/project-templates). The store lets only admins change
// templates (SaveProjectTemplate), so the pages are for admins. A project copies its template's
// phases and items when it is created: editing a template never changes an existing project.

// ptemplatesPage is the data of the template list, with the form creating a template by copy.
type ptemplatesPage struct {
	Templates []ptemplateRow
	Form      *form
	Sources   []option // the templates a new one may copy
}

// ptemplateRow is a template of the list with its number of checklist items.
type ptemplateRow struct {
	*opsdesk.ProjectTemplate
	Items int
}

// ptemplatePage is the data of a template's editor: the flat form of its rows and the layout of
// those rows (see ptemplateForm).
type ptemplatePage struct {
	Template *opsdesk.ProjectTemplate
	Name     string // the template's name in the reader's language
	Form     *form
	Phases   []ptplRows
	Kinds    []option
	Sides    []option
}

// ptplRows names the form fields of one phase row ("p<i>") and of its item rows ("p<i>-i<j>").
type ptplRows struct {
	P     string
	Items []string
}

// Blank rows the editor offers for additions.
const (
	blankPhases = 1
	blankItems  = 2
)

// projectTemplates lists the templates with their phase and item counts.
func (s *Server) projectTemplates(c *call) { s.showProjectTemplates(c, http.StatusOK, nil) }

func (s *Server) showProjectTemplates(c *call, status int, f *form) {
	tpls, err := s.db.ProjectTemplates(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("ptpl-new", nil)
	}
	var rows []ptemplateRow
	var sources []option
	for _, t := range tpls {
		row := ptemplateRow{ProjectTemplate: t}
		for _, p := range t.Phases {
			row.Items += len(p.Items)
		}
		rows = append(rows, row)
		sources = append(sources, option{Value: t.Code, Label: t.Code + " — " + templateName(c, t)})
	}
	s.render(c, status, "project_templates", c.T("ptpl.list_title"), ptemplatesPage{Templates: rows, Form: f, Sources: sources})
}

// createProjectTemplate makes a template as a copy of another one (the default when none is
// chosen) under a new code and names, then opens its editor.
func (s *Server) createProjectTemplate(c *call) {
	f := newForm("ptpl-new", c.r.PostForm)
	again := func(status int) { s.showProjectTemplates(c, status, f) }
	src, err := s.db.ProjectTemplate(c.ctx, f.Get("from"))
	if err != nil {
		s.actionError(c, f, nil, err, again)
		return
	}
	tpl := &opsdesk.ProjectTemplate{Code: f.Get("code"), NameFR: f.Get("name_fr"), NameEN: f.Get("name_en"), Phases: src.Phases}
	if err := s.db.SaveProjectTemplate(c.ctx, tpl); err != nil {
		s.fieldError(c, f, newTemplateField(err), err, again)
		return
	}
	c.redirect(ptemplateURL(tpl.Code) + "?done=created")
}

// newTemplateField places a store message about a new template: the code, the names, or the top.
func newTemplateField(err error) string {
	switch opsdesk.ErrorField(err) {
	case "code":
		return "code"
	case "name":
		return "name_fr"
	}
	return ""
}

// defaultProjectTemplate makes a template the one projects use when none is named.
func (s *Server) defaultProjectTemplate(c *call) {
	tpl, ok := s.ptemplate(c)
	if !ok {
		return
	}
	tpl.IsDefault = true
	if err := s.db.SaveProjectTemplate(c.ctx, tpl); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/admin/project-templates?done=saved")
}

// editProjectTemplate shows a template's editor, with blank rows to add phases and items.
func (s *Server) editProjectTemplate(c *call) {
	tpl, ok := s.ptemplate(c)
	if !ok {
		return
	}
	s.showProjectTemplate(c, http.StatusOK, tpl, newForm("ptpl", templateValues(tpl)))
}

// updateProjectTemplate saves the names, phases and items of the editor as a whole. Blank rows
// are ignored, ticked rows removed, rows ordered by their order field; any invalid row re-renders
// the whole editor with what was typed and the message next to the field.
func (s *Server) updateProjectTemplate(c *call) {
	tpl, ok := s.ptemplate(c)
	if !ok {
		return
	}
	f := newForm("ptpl", c.r.PostForm)
	again := func(status int) { s.showProjectTemplate(c, status, tpl, f) }
	edited, valid := templateFromForm(c, f)
	if !valid {
		again(http.StatusUnprocessableEntity)
		return
	}
	edited.ID, edited.Code, edited.IsDefault = tpl.ID, tpl.Code, tpl.IsDefault
	if err := s.db.SaveProjectTemplate(c.ctx, edited); err != nil {
		s.actionError(c, f, nil, err, again)
		return
	}
	c.redirect(ptemplateURL(tpl.Code) + "?done=saved")
}

func (s *Server) showProjectTemplate(c *call, status int, tpl *opsdesk.ProjectTemplate, f *form) {
	var kinds, sides []option
	for _, k := range []opsdesk.ItemKind{opsdesk.ItemPrerequisite, opsdesk.ItemDeliverable, opsdesk.ItemTask} {
		kinds = append(kinds, option{Value: string(k), Label: c.T("project.kind." + string(k))})
	}
	for _, sd := range []opsdesk.OwnerSide{opsdesk.SideVendor, opsdesk.SideCustomer} {
		sides = append(sides, option{Value: string(sd), Label: c.T("project.side." + string(sd))})
	}
	s.render(c, status, "project_template", c.T("ptpl.edit_title", tpl.Code),
		ptemplatePage{Template: tpl, Name: templateName(c, tpl), Form: f, Phases: formRows(f), Kinds: kinds, Sides: sides})
}

// ptemplate reads the template of the path, answering not found itself.
func (s *Server) ptemplate(c *call) (*opsdesk.ProjectTemplate, bool) {
	code := c.r.PathValue("code")
	tpl, err := s.db.ProjectTemplate(c.ctx, code)
	if code == "" || opsdesk.IsKind(err, opsdesk.KindInvalid) {
		s.notFound(c)
		return nil, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return tpl, true
}

// templateName is a template's name in the call's language.
func templateName(c *call, t *opsdesk.ProjectTemplate) string {
	if c.lang == opsdesk.LangFR {
		return t.NameFR
	}
	return t.NameEN
}

func ptemplateURL(code string) string { return "/admin/project-templates/" + url.PathEscape(code) }

// formRows reads the row layout the form's "phases" and "p<i>-items" counts describe.
func formRows(f *form) []ptplRows {
	var out []ptplRows
	for i := range formCount(f, "phases", 100) {
		p := ptplRows{P: "p" + strconv.Itoa(i)}
		for j := range formCount(f, p.P+"-items", 200) {
			p.Items = append(p.Items, p.P+"-i"+strconv.Itoa(j))
		}
		out = append(out, p)
	}
	return out
}

// formCount reads a row count, bounded so a crafted form cannot make the page huge.
func formCount(f *form, name string, most int) int {
	n, err := strconv.Atoi(f.Get(name))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, most)
}
