package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// view is what the layout of every page reads; Page is the page's own data.
type view struct {
	Lang       opsdesk.Lang
	Title      string
	Path       string
	User       *opsdesk.User
	Manager    bool   // admin or ops manager: the admin section shows in the navigation
	Admin      bool   // admin: the admins-only entries show too
	CSRF       string // token of the page's forms
	LogoutCSRF string // token of the logout button (the session's)
	Flash      string // confirmation of the action that led here
	Version    string
	Page       any
}

// languages are the catalogs the templates are bound to.
var languages = []opsdesk.Lang{opsdesk.LangFR, opsdesk.LangEN}

// parseTemplates parses the layout and partials once, then each page on a clone of them, and
// binds each page to each language (the `t` function differs, the parse trees are shared).
func (s *Server) parseTemplates() (map[opsdesk.Lang]map[string]*template.Template, error) {
	base, err := template.New("layout").Funcs(s.funcs(opsdesk.LangEN)).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	names, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("web: no page templates: %v", err)
	}
	out := map[opsdesk.Lang]map[string]*template.Template{}
	for _, l := range languages {
		out[l] = map[string]*template.Template{}
	}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		page, err := clone.ParseFS(files, file)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		if page.Lookup("content") == nil {
			return nil, fmt.Errorf("web: template %s defines no content", name)
		}
		for _, l := range languages {
			t, err := page.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: template %s (%s): %w", name, l, err)
			}
			out[l][name] = t.Funcs(s.funcs(l))
		}
	}
	return out, nil
}

// funcs are the template functions, bound to one language.
func (s *Server) funcs(lang opsdesk.Lang) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"label": func(prefix string, v any) string {
			if str := fmt.Sprint(v); str != "" {
				return i18n.T(lang, prefix+"."+str)
			}
			return "—"
		},
		"field": func(f *form, name, label, typ string, flags ...string) fieldView {
			return f.field(lang, name, label, typ, flags...)
		},
		"select": func(f *form, name, label string, opts []option, flags ...string) fieldView {
			return f.field(lang, name, label, "select", flags...).choose(f, opts)
		},
		"dict":      dict,
		"css":       func() (string, error) { return s.assetURL("app.css") },
		"js":        func(name string) (string, error) { return s.assetURL(name + ".js") },
		"size":      func(n int64) string { return formatSize(lang, n) },
		"when":      when,
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
		"demo":      s.demoBanner,
	}
}

// dict builds the argument of a partial that needs several values: dict "Form" $f "Langs" $l.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// when formats an instant for tables: minutes, UTC, the same in both languages.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// render executes a page in the call's language and writes it with status, under a title
// already in that language. The page is rendered
// to a buffer first, so a template failure becomes a clean 500 rather than half a page.
func (s *Server) render(c *call, status int, name, title string, page any) {
	t := s.pages[c.lang][name]
	if t == nil {
		s.internal(c, fmt.Errorf("web: no template %q", name))
		return
	}
	v := view{
		Lang: c.lang, Title: title, Path: c.r.URL.Path, User: c.user,
		CSRF: c.csrf, Version: s.version, Page: page,
	}
	if c.user != nil {
		v.Manager = c.actor().CanManage()
		v.Admin = c.actor().IsAdmin()
		v.LogoutCSRF = c.sess.CSRFToken
	}
	if done := c.r.URL.Query().Get("done"); done != "" && i18n.Has("done."+done) {
		v.Flash = c.T("done." + done)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		if status >= 500 {
			// Already rendering an error: do not loop.
			s.log.Error("web: render error page", "template", name, "err", err)
			http.Error(c.w, http.StatusText(status), status)
			return
		}
		s.internal(c, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	c.w.Write(buf.Bytes())
}
