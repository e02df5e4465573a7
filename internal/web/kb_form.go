package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbFormPage is the data of the form writing a new article or editing one.
type kbFormPage struct {
	Article      *opsdesk.Article // nil for a new article
	Form         *form
	Action       string
	Kinds        []option
	Visibilities []option
	Cats         []option
	Customers    []option // the customers a restricted article may name, ticked from the form
	Texts        []kbTextForm
}

// kbTextForm is the part of the form for one language: title, body and, for a procedure, its
// steps as rows of instruction and expected result.
type kbTextForm struct {
	Lang      opsdesk.Lang
	Steps     []kbStepRow
	ShowSteps bool // a procedure, or a new article (whose kind the form chooses)
	Removable bool // the article has both texts: this one may be dropped
}

// kbStepRow is one row of a procedure's steps in the form.
type kbStepRow struct {
	N                     int
	Instruction, Expected string
}

// blankSteps is how many empty rows the form offers to add steps without JavaScript.
const blankSteps = 3

// kbLangs are the languages of an article's texts, in the order the form shows them.
var kbLangs = []opsdesk.Lang{opsdesk.LangFR, opsdesk.LangEN}

// kbNew shows the form writing a new article.
func (s *Server) kbNew(c *call) {
	s.showKBForm(c, http.StatusOK, nil, newForm("kb", url.Values{"kind": {string(opsdesk.ArticlePlain)},
		"visibility": {string(opsdesk.VisibleInternal)}}))
}

// kbEdit shows the form editing an article's texts and settings.
func (s *Server) kbEdit(c *call) {
	a, ok := s.articleFor(c)
	if !ok {
		return
	}
	v := url.Values{"kind": {string(a.Kind)}, "category": {a.Category}, "tags": {strings.Join(a.Tags, ", ")},
		"visibility": {string(a.Visibility)}, "customers": a.Customers, "version": {strconv.FormatInt(a.Version, 10)}}
	for _, t := range a.Texts {
		l := string(t.Lang)
		v.Set(l+"_title", t.Title)
		v.Set(l+"_body", t.Body)
		for _, st := range t.Steps {
			v.Add(l+"_instruction", st.Instruction)
			v.Add(l+"_expected", st.Expected)
		}
	}
	s.showKBForm(c, http.StatusOK, a, newForm("kb", v))
}

func (s *Server) showKBForm(c *call, status int, a *opsdesk.Article, f *form) {
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := kbFormPage{Article: a, Form: f, Action: "/kb", Kinds: kbKindOptions(c), Cats: kbCategoryOptions(c, k, "kb.no_category"),
		Visibilities: []option{{Value: string(opsdesk.VisibleInternal), Label: c.T("kb.vis.internal")},
			{Value: string(opsdesk.VisibleCustomers), Label: c.T("kb.vis.customers")},
			{Value: string(opsdesk.VisibleRestricted), Label: c.T("kb.vis.restricted")}}}
	for _, cu := range cs {
		pg.Customers = append(pg.Customers, option{Value: cu.Code, Label: cu.Code + " — " + cu.Name, Selected: f.Has("customers", cu.Code)})
	}
	title := c.T("kb.new_title")
	if a != nil {
		pg.Action, title = kbURL(a.ID), c.T("kb.edit_title", a.Text(c.lang).Title)
	}
	for _, l := range kbLangs {
		tf := kbTextForm{Lang: l, ShowSteps: a == nil || a.Kind == opsdesk.ArticleProcedure, Removable: a != nil && len(a.Texts) == 2}
		ins, exp := f.Values[string(l)+"_instruction"], f.Values[string(l)+"_expected"]
		for i := 0; i < max(len(ins), len(exp)); i++ {
			tf.Steps = append(tf.Steps, kbStepRow{Instruction: at(ins, i), Expected: at(exp, i)})
		}
		tf.Steps = append(tf.Steps, make([]kbStepRow, blankSteps)...)
		for i := range tf.Steps {
			tf.Steps[i].N = i + 1
		}
		pg.Texts = append(pg.Texts, tf)
	}
	s.render(c, status, "kb_form", title, pg)
}

// at is the i-th value, "" past the end.
func at(vs []string, i int) string {
	if i < len(vs) {
		return vs[i]
	}
	return ""
}

// kbCreate saves a new article as a draft and goes to its page.
func (s *Server) kbCreate(c *call) {
	f := newForm("kb", c.r.PostForm)
	again := func(status int) { s.showKBForm(c, status, nil, f) }
	kind := opsdesk.ArticleKind(f.Get("kind"))
	n := &opsdesk.NewArticle{Kind: kind, Visibility: opsdesk.Visibility(f.Get("visibility")), Category: f.Get("category"),
		Tags: splitList(f.Get("tags")), Customers: kbAudience(f), Note: f.Get("note")}
	for _, l := range kbLangs {
		if t, given := kbTextFrom(f, l); given {
			n.Texts = append(n.Texts, t)
		}
	}
	if !kbCheckTexts(c, f, kind, n.Texts) {
		again(http.StatusUnprocessableEntity)
		return
	}
	if len(n.Texts) == 0 {
		f.Fail("fr_title", c.T("kb.need_text"))
		again(http.StatusUnprocessableEntity)
		return
	}
	a, err := s.db.CreateArticle(c.ctx, n)
	if err != nil {
		s.actionError(c, f, kbFields, err, again)
		return
	}
	c.redirect(kbURL(a.ID) + "?done=kb_created")
}

// kbFields are the form's fields a store error may name; other errors show atop the form.
var kbFields = []string{"kind", "visibility", "customers", "category", "tags", "note"}

// kbUpdate saves the edit form: settings and texts in one change, checked against the version
// the editor read.
func (s *Server) kbUpdate(c *call) {
	a, ok := s.articleFor(c)
	if !ok {
		return
	}
	id := a.ID
	f := newForm("kb", c.r.PostForm)
	f.Values.Set("kind", string(a.Kind))
	again := func(status int) { s.showKBForm(c, status, a, f) }
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	cat, tags, vis, aud := f.Get("category"), splitList(f.Get("tags")), opsdesk.Visibility(f.Get("visibility")), kbAudience(f)
	p := &opsdesk.ArticlePatch{Version: version, Category: &cat, Tags: &tags, Visibility: &vis, Customers: &aud, Note: f.Get("note")}
	var texts []opsdesk.ArticleText
	for _, l := range kbLangs {
		t, given := kbTextFrom(f, l)
		has := a.Text(l) != nil && a.Text(l).Lang == l
		if has && f.Get("remove_"+string(l)) != "" {
			p.RemoveLang = l
			continue
		}
		if !has && !given {
			continue
		}
		texts = append(texts, t)
		tp := opsdesk.TextPatch{Lang: l, Title: &t.Title, Body: &t.Body}
		if a.Kind == opsdesk.ArticleProcedure {
			tp.Steps = &t.Steps
		}
		p.Texts = append(p.Texts, tp)
	}
	if f.Get("remove_fr") != "" && f.Get("remove_en") != "" {
		f.Fail("", c.T("kb.keep_one"))
	}
	if !kbCheckTexts(c, f, a.Kind, texts) {
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := s.db.UpdateArticle(c.ctx, id, p); err != nil {
		if opsdesk.IsKind(err, opsdesk.KindConflict) && opsdesk.ErrorField(err) == "version" {
			if cur, rerr := s.db.ArticleByID(c.ctx, id); rerr == nil {
				a = cur
				f.Values.Set("version", strconv.FormatInt(cur.Version, 10))
			}
			f.Fail("", c.T("kb.version_conflict"))
			again(http.StatusConflict)
			return
		}
		s.actionError(c, f, kbFields, err, again)
		return
	}
	c.redirect(kbURL(id) + "?done=kb_saved")
}

// kbAudience is the customers ticked for a restricted article; the ticks mean nothing for
// another visibility, and are dropped.
func kbAudience(f *form) []string {
	if opsdesk.Visibility(f.Get("visibility")) != opsdesk.VisibleRestricted {
		return []string{}
	}
	return f.Values["customers"]
}

// kbTextFrom reads one language's text from the form; given is false when none of it is
// filled in. Rows of steps left blank are skipped.
func kbTextFrom(f *form, l opsdesk.Lang) (t opsdesk.ArticleText, given bool) {
	p := string(l) + "_"
	t = opsdesk.ArticleText{Lang: l, Title: f.Get(p + "title"), Body: lf(f.Get(p + "body"))}
	ins, exp := f.Values[p+"instruction"], f.Values[p+"expected"]
	for i := 0; i < max(len(ins), len(exp)); i++ {
		st := opsdesk.Step{Instruction: lf(strings.TrimSpace(at(ins, i))), Expected: lf(strings.TrimSpace(at(exp, i)))}
		if st.Instruction != "" || st.Expected != "" {
			t.Steps = append(t.Steps, st)
		}
	}
	return t, strings.TrimSpace(t.Title) != "" || strings.TrimSpace(t.Body) != "" || len(t.Steps) > 0
}

// kbCheckTexts checks each text as the store will, so that a message names the language's own
// field (fr_title, en_steps…); it reports whether all are valid.
func kbCheckTexts(c *call, f *form, kind opsdesk.ArticleKind, texts []opsdesk.ArticleText) bool {
	if !kind.Valid() {
		kind = opsdesk.ArticlePlain // the store names the kind itself
	}
	for _, t := range texts {
		if err := t.Validate(kind); err != nil {
			field := opsdesk.ErrorField(err)
			if field == "title" || field == "body" || field == "steps" {
				field = string(t.Lang) + "_" + field
			} else {
				field = ""
			}
			f.Fail(field, domainMessage(c, err))
		}
	}
	return !f.Failed()
}

// lf turns the CRLF line breaks browsers send for textareas into the LF the texts are stored
// with, so that saving an unchanged text changes nothing (and writes no revision).
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
