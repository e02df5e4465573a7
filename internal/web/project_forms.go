package web

import (
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the small forms of a project's page about the project, its items, its phase
// gates and its links. Each posts, redirects back to the page's section on success, and
// re-renders the page with the form's input and message on failure. The store decides who may
// do what (docs/projects.md, "Who reads and writes what"); a refusal is the 403 page.

// projectAction runs do on the project of the path with the form id; on failure the page is
// re-rendered with the message next to one of fields (or at the top of the form).
func (s *Server) projectAction(c *call, id string, fields []string, anchor, done string, do func(p *opsdesk.Project, f *form) error) {
	p, ok := s.projectFor(c)
	if !ok {
		return
	}
	f := newForm(id, c.r.PostForm)
	if err := do(p, f); err != nil {
		s.actionError(c, f, fields, err, func(status int) { s.showProject(c, status, p, f) })
		return
	}
	c.redirect(projectURL(p.ID) + "?done=" + done + "#" + anchor)
}

// itemID reads the item of the path; 0 when malformed (the store answers not found).
func itemID(c *call) int64 { id, _ := pathID(c, "item"); return id }

func itemAnchor(id int64) string { return "item-" + strconv.FormatInt(id, 10) }

// agreePriority records the user's side's agreement on a priority (proposing it when it differs).
func (s *Server) agreePriority(c *call) {
	s.projectAction(c, "agree", []string{"priority"}, "project-head", "project_agreed", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.AgreePriority(c.ctx, p.ID, opsdesk.ProjectPriority(f.Get("priority")))
		return err
	})
}

// validateItem validates an item: the user becomes its reviewer.
func (s *Server) validateItem(c *call) {
	id := itemID(c)
	s.projectAction(c, "validate-"+strconv.FormatInt(id, 10), nil, itemAnchor(id), "item_validated", func(p *opsdesk.Project, f *form) error {
		st := opsdesk.ItemValidated
		_, err := s.db.UpdateItem(c.ctx, p.ID, id, opsdesk.ItemPatch{Status: &st})
		return err
	})
}

// rejectItem sends an item back to to-do with a comment saying why.
func (s *Server) rejectItem(c *call) {
	id := itemID(c)
	s.projectAction(c, "reject-"+strconv.FormatInt(id, 10), []string{"body"}, itemAnchor(id), "item_rejected", func(p *opsdesk.Project, f *form) error {
		body := strings.TrimSpace(f.Get("body"))
		if body == "" {
			return opsdesk.Invalid("body", "is required")
		}
		st := opsdesk.ItemTodo
		if _, err := s.db.UpdateItem(c.ctx, p.ID, id, opsdesk.ItemPatch{Status: &st}); err != nil {
			return err
		}
		return s.db.CommentItem(c.ctx, p.ID, id, body)
	})
}

// waiveItem waives an item with a reason (ops managers and admins).
func (s *Server) waiveItem(c *call) {
	id := itemID(c)
	s.projectAction(c, "waive-"+strconv.FormatInt(id, 10), []string{"waive_reason"}, itemAnchor(id), "item_waived", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.WaiveItem(c.ctx, p.ID, id, f.Get("waive_reason"))
		return err
	})
}

// commentItem adds a comment on an item to the history.
func (s *Server) commentItem(c *call) {
	id := itemID(c)
	s.projectAction(c, "comment-"+strconv.FormatInt(id, 10), []string{"body"}, itemAnchor(id), "item_commented", func(p *opsdesk.Project, f *form) error {
		return s.db.CommentItem(c.ctx, p.ID, id, f.Get("body"))
	})
}

// closePhase closes a phase's gate; the refusal lists the open items.
func (s *Server) closePhase(c *call) {
	code := c.r.PathValue("code")
	s.projectAction(c, "close-"+code, nil, "phase-"+code, "phase_closed", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.ClosePhase(c.ctx, p.ID, code)
		return err
	})
}

// reopenPhase reopens a closed phase with a reason.
func (s *Server) reopenPhase(c *call) {
	code := c.r.PathValue("code")
	s.projectAction(c, "reopen-"+code, []string{"reason"}, "phase-"+code, "phase_reopened", func(p *opsdesk.Project, f *form) error {
		_, err := s.db.ReopenPhase(c.ctx, p.ID, code, f.Get("reason"))
		return err
	})
}

// linkProject links a ticket or problem (by key) to the project.
func (s *Server) linkProject(c *call) {
	s.projectAction(c, "link", []string{"key"}, "links", "project_linked", func(p *opsdesk.Project, f *form) error {
		key := strings.ToUpper(strings.TrimSpace(f.Get("key")))
		if key == "" {
			return opsdesk.Invalid("key", "is required")
		}
		return s.db.LinkProjectTicket(c.ctx, p.ID, key)
	})
}

// unlinkProject removes a link.
func (s *Server) unlinkProject(c *call) {
	key := c.r.PathValue("key")
	s.projectAction(c, "unlink-"+key, nil, "links", "project_unlinked", func(p *opsdesk.Project, f *form) error {
		return s.db.UnlinkProjectTicket(c.ctx, p.ID, key)
	})
}
