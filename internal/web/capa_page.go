package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// actionPage is the data of an action's page.
type actionPage struct {
	Action   *opsdesk.Action
	Base     string
	Source   store.ActionSourceRef
	Customer string // code
	Owner    string // name
	Late     bool
	Moves    []actionMoveView // the moves the viewer may make
	Editable bool             // not done, cancelled or rejected
	CanCheck bool             // done, and its check day (if any) has come
	History  []opsdesk.ActionChange
	Forms    actionForms
	Choices  actionChoices
	Verdict  string // the catalog key of the recorded check, "" until checked
}

// actionMoveView is one status button, with a reason field when the move needs one.
type actionMoveView struct {
	To         opsdesk.ActionStatus
	Label      string
	NeedReason bool
	Form       *form
}

// actionForms are the forms of an action's page; a failed one is re-rendered with its input.
type actionForms struct {
	Edit, Check *form
	Move        *form // the move that failed; its status names which
}

// action shows an action's page.
func (s *Server) action(c *call) { s.showAction(c, http.StatusOK, actionForms{}) }

func (s *Server) showAction(c *call, status int, forms actionForms) {
	id, ok := pathID(c, "id")
	if !ok {
		s.fail(c, opsdesk.NotFound("no action %q", c.r.PathValue("id")))
		return
	}
	a, err := s.db.Action(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pg := actionPage{Action: a, Base: actionURL(a.ID), Forms: forms}
	var codes, names map[int64]string
	if pg.Choices, codes, names, err = s.actionChoicesFor(c, "capa.none"); err != nil {
		s.fail(c, err)
		return
	}
	pg.Customer, pg.Owner = codes[a.CustomerID], names[a.OwnerID]
	if pg.Source, err = s.db.ActionSource(c.ctx, a); err != nil {
		s.fail(c, err)
		return
	}
	if pg.History, err = s.db.ActionHistory(c.ctx, a.ID); err != nil {
		s.fail(c, err)
		return
	}
	today := s.db.Now().UTC().Format("2006-01-02")
	pg.Late = actionLate(a, today)
	for _, to := range actionStatuses {
		if opsdesk.CheckActionMove(c.actor(), a.Status, to) != nil {
			continue
		}
		mv := actionMoveView{To: to, Label: c.T(actionMoveLabel(a.Status, to)),
			NeedReason: to == opsdesk.ActionRejected || to == opsdesk.ActionCancelled, Form: newForm("move-"+string(to), nil)}
		if forms.Move != nil && forms.Move.Get("status") == string(to) {
			mv.Form = forms.Move
		}
		pg.Moves = append(pg.Moves, mv)
	}
	switch a.Status {
	case opsdesk.ActionDone, opsdesk.ActionCancelled, opsdesk.ActionRejected:
	default:
		pg.Editable = true
	}
	if a.Effective != nil {
		pg.Verdict = "capa.check.recurred"
		if *a.Effective {
			pg.Verdict = "capa.check.effective"
		}
	}
	pg.CanCheck = a.Status == opsdesk.ActionDone && (a.CheckDay == "" || a.CheckDay <= today)
	if pg.Forms.Edit == nil {
		pg.Forms.Edit = newForm("edit", url.Values{"kind": {string(a.Kind)}, "title": {a.Title}, "description": {a.Description},
			"customer": {id64(a.CustomerID)}, "owner": {id64(a.OwnerID)}, "due_day": {a.DueDay}, "check_day": {a.CheckDay}})
	}
	if pg.Forms.Check == nil {
		pg.Forms.Check = newForm("check", url.Values{"effective": {"yes"}})
	}
	s.render(c, status, "action", a.Title, pg)
}

// actionMoveLabel is the catalog key of the button moving an action from one status to another.
func actionMoveLabel(from, to opsdesk.ActionStatus) string {
	if from == opsdesk.ActionProposed && to == opsdesk.ActionOpen {
		return "capa.move.accept"
	}
	if from == opsdesk.ActionInProgress && to == opsdesk.ActionOpen {
		return "capa.move.reopen"
	}
	return "capa.move." + string(to)
}

// updateAction saves the edit form.
func (s *Server) updateAction(c *call) {
	f := newForm("edit", c.r.PostForm)
	id, ok := pathID(c, "id")
	if !ok {
		s.fail(c, opsdesk.NotFound("no action"))
		return
	}
	in := &opsdesk.Action{ID: id, Kind: opsdesk.ActionKind(f.Get("kind")), Title: f.Get("title"), Description: f.Get("description"),
		CustomerID: formID(f, "customer"), OwnerID: formID(f, "owner"), DueDay: f.Get("due_day"), CheckDay: f.Get("check_day")}
	if _, err := s.db.UpdateAction(c.ctx, in); err != nil {
		s.actionError(c, f, []string{"kind", "title", "description", "customer", "owner", "due_day", "check_day"}, err,
			func(status int) { s.showAction(c, status, actionForms{Edit: f}) })
		return
	}
	c.redirect(actionURL(id) + "?done=action_saved")
}

// moveAction moves the action to the status of the form, with its reason.
func (s *Server) moveAction(c *call) {
	f := newForm("move-"+c.r.PostForm.Get("status"), c.r.PostForm)
	id, ok := pathID(c, "id")
	if !ok {
		s.fail(c, opsdesk.NotFound("no action"))
		return
	}
	if _, err := s.db.MoveAction(c.ctx, id, opsdesk.ActionStatus(f.Get("status")), f.Get("reason")); err != nil {
		s.actionError(c, f, []string{"reason"}, err, func(status int) { s.showAction(c, status, actionForms{Move: f}) })
		return
	}
	c.redirect(actionURL(id) + "?done=action_moved")
}

// checkAction records the effectiveness check.
func (s *Server) checkAction(c *call) {
	f := newForm("check", c.r.PostForm)
	id, ok := pathID(c, "id")
	if !ok {
		s.fail(c, opsdesk.NotFound("no action"))
		return
	}
	effective := f.Get("effective") == "yes"
	if _, err := s.db.RecordEffectiveness(c.ctx, id, effective, f.Get("note")); err != nil {
		s.actionError(c, f, []string{"note"}, err, func(status int) { s.showAction(c, status, actionForms{Check: f}) })
		return
	}
	c.redirect(actionURL(id) + "?done=action_checked#check")
}
