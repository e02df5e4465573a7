package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// groupsPage is the data of the support groups list, with the form adding one.
type groupsPage struct {
	Groups  []*opsdesk.Group
	Members map[int64]*opsdesk.User
	Form    *form
	Levels  []option
}

// groupPage is the data of a group's edit form: its members are chosen among the agents of its
// level.
type groupPage struct {
	Group  *opsdesk.Group
	Form   *form
	Levels []option
	Agents []*opsdesk.User
}

// groups lists the support groups and their members.
func (s *Server) groups(c *call) { s.showGroups(c, http.StatusOK, nil) }

func (s *Server) showGroups(c *call, status int, f *form) {
	gs, err := s.db.Groups(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	agents, err := s.db.ListUsers(c.ctx, store.UserFilter{Role: opsdesk.RoleAgent})
	if err != nil {
		s.fail(c, err)
		return
	}
	members := map[int64]*opsdesk.User{}
	for _, u := range agents {
		members[u.ID] = u
	}
	if f == nil {
		f = newForm("group", url.Values{"level": {"N1"}})
	}
	s.render(c, status, "groups", c.T("group.list_title"), groupsPage{Groups: gs, Members: members, Form: f, Levels: supportLevelOptions(c)})
}

// createGroup adds a group (its members are chosen on its page, among the agents of its level).
func (s *Server) createGroup(c *call) {
	f := newForm("group", c.r.PostForm)
	again := func(status int) { s.showGroups(c, status, f) }
	g := &opsdesk.Group{Code: f.Get("code"), Name: f.Get("name"), Level: opsdesk.Level(f.Get("level"))}
	if err := g.Validate(); err != nil {
		s.formError(c, f, err, again)
		return
	}
	if old, err := s.findGroup(c, g.Code); err != nil {
		s.fail(c, err)
		return
	} else if old != nil {
		f.Fail("code", c.T("catalog.code_taken", g.Code))
		again(http.StatusConflict)
		return
	}
	if err := s.db.SaveGroup(c.ctx, g); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/groups/" + url.PathEscape(g.Code) + "?done=created")
}

// editGroup shows a group's form.
func (s *Server) editGroup(c *call) {
	g, ok := s.group(c)
	if !ok {
		return
	}
	v := url.Values{"name": {g.Name}, "level": {string(g.Level)}}
	for _, id := range g.MemberIDs {
		v.Add("members", strconv.FormatInt(id, 10))
	}
	s.showGroup(c, http.StatusOK, g, newForm("group", v))
}

// updateGroup saves a group's name, level and members.
func (s *Server) updateGroup(c *call) {
	g, ok := s.group(c)
	if !ok {
		return
	}
	f := newForm("group", c.r.PostForm)
	upd := &opsdesk.Group{Code: g.Code, Name: f.Get("name"), Level: opsdesk.Level(f.Get("level"))}
	for _, v := range f.Values["members"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			upd.MemberIDs = append(upd.MemberIDs, id)
		}
	}
	if err := s.db.SaveGroup(c.ctx, upd); err != nil {
		s.formError(c, f, err, func(status int) { s.showGroup(c, status, g, f) })
		return
	}
	c.redirect("/admin/groups/" + url.PathEscape(g.Code) + "?done=saved")
}

func (s *Server) showGroup(c *call, status int, g *opsdesk.Group, f *form) {
	agents, err := s.db.ListUsers(c.ctx, store.UserFilter{Role: opsdesk.RoleAgent, Level: g.Level})
	if err != nil {
		s.fail(c, err)
		return
	}
	agents = slices.DeleteFunc(agents, func(u *opsdesk.User) bool { return u.Disabled && !slices.Contains(g.MemberIDs, u.ID) })
	s.render(c, status, "group", c.T("group.edit_title", g.Name), groupPage{Group: g, Form: f, Levels: supportLevelOptions(c), Agents: agents})
}

// group finds the group of the path, answering not found itself.
func (s *Server) group(c *call) (*opsdesk.Group, bool) {
	g, err := s.findGroup(c, c.r.PathValue("code"))
	if err == nil && g == nil {
		err = opsdesk.NotFound("no group %q", c.r.PathValue("code"))
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return g, true
}

func (s *Server) findGroup(c *call, code string) (*opsdesk.Group, error) {
	gs, err := s.db.Groups(c.ctx)
	for _, g := range gs {
		if g.Code == code {
			return g, nil
		}
	}
	return nil, err
}
