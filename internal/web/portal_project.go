package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// myProjectPage is the data of a project's portal page: its phases with their checklist items;
// the items the customer's side owes carry the forms to give evidence and to comment.
type myProjectPage struct {
	Project   *opsdesk.Project
	Status    opsdesk.ProjectStatus
	Target    string
	Phases    []*myPhaseView
	MaxUpload string
}

// myPhaseView is one phase of the portal page.
type myPhaseView struct {
	Code, Name  string
	Closed      bool
	Done, Total int // complete items out of all
	Items       []*myItemView
}

// myItemView is one checklist item of the portal page. Only what the customer may read: no
// reviewer, no waive reason (an internal decision of the vendor's ops managers).
type myItemView struct {
	ID          int64
	Title       string
	Description string
	Kind        opsdesk.ItemKind
	Customer    bool // the customer's side owes it
	Owner       string
	Due         string
	Late        bool
	Status      opsdesk.ItemStatus
	Evidence    string
	SubmittedBy string
	SubmittedAt string
	Files       []opsdesk.ItemAttachment
	Comments    []*opsdesk.ProjectEvent
	Actionable  bool  // customer-owned, not complete, in an open phase of an open project
	EvidenceF   *form // the evidence form (prefilled with the evidence given so far)
	CommentF    *form
}

// myProject shows one project of the organisation; any other number is not found.
func (s *Server) myProject(c *call) { s.showMyProject(c, http.StatusOK, 0, nil) }

// showMyProject renders the project page; failed, when not nil, is the form of item itemID that
// was refused, shown with its input and message.
func (s *Server) showMyProject(c *call, status int, itemID int64, failed *form) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	p, err := s.loadMyProject(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, ph := range p.Phases {
		for _, it := range ph.Items {
			if it.ID != itemID || failed == nil {
				continue
			}
			if strings.HasPrefix(failed.ID, "comment-") {
				it.CommentF = failed
			} else {
				it.EvidenceF = failed
			}
		}
	}
	s.render(c, status, "my_project", p.Project.Name, p)
}

// loadMyProject reads the project, its phases, items, status and item comments.
func (s *Server) loadMyProject(c *call, id int64) (*myProjectPage, error) {
	pr, err := s.db.Project(c.ctx, id)
	if err != nil {
		return nil, err
	}
	phases, err := s.db.Phases(c.ctx, id)
	if err != nil {
		return nil, err
	}
	items, err := s.db.Items(c.ctx, id)
	if err != nil {
		return nil, err
	}
	history, err := s.db.ProjectHistory(c.ctx, id)
	if err != nil {
		return nil, err
	}
	rep, err := s.db.ProjectStatusReport(c.ctx, id)
	if err != nil {
		return nil, err
	}
	comments := map[int64][]*opsdesk.ProjectEvent{}
	for _, e := range history {
		if e.Action == "comment" && e.ItemID != 0 {
			comments[e.ItemID] = append(comments[e.ItemID], e)
		}
	}
	now := s.db.Now()
	p := &myProjectPage{Project: pr, Status: rep.Status, Target: myDayText(pr.TargetOn), MaxUpload: formatSize(c.lang, s.cfg.MaxUpload)}
	byPhase := map[int64]*myPhaseView{}
	for _, ph := range phases {
		v := &myPhaseView{Code: ph.Code, Name: ph.Name(c.lang), Closed: ph.Status == opsdesk.PhaseClosed}
		byPhase[ph.ID] = v
		p.Phases = append(p.Phases, v)
	}
	for _, it := range items {
		ph := byPhase[it.PhaseID]
		if ph == nil {
			continue
		}
		v := &myItemView{ID: it.ID, Title: it.Title(c.lang), Description: pickLang(c.lang, it.DescriptionFR, it.DescriptionEN),
			Kind: it.Kind, Customer: it.OwnerSide == opsdesk.SideCustomer, Owner: it.Owner, Due: myDayText(it.DueOn),
			Late:   !it.Status.Complete() && it.Status != opsdesk.ItemSubmitted && opsdesk.PastDay(it.DueOn, now),
			Status: it.Status, Evidence: it.Evidence, SubmittedBy: it.SubmittedBy, Files: it.Attachments,
			Comments: comments[it.ID]}
		if !it.SubmittedAt.IsZero() {
			v.SubmittedAt = when(it.SubmittedAt)
		}
		v.Actionable = v.Customer && !it.Status.Complete() && !ph.Closed && !pr.Closed()
		key := strconv.FormatInt(it.ID, 10)
		v.EvidenceF = newForm("evidence-"+key, nil)
		v.EvidenceF.Values.Set("evidence", it.Evidence)
		v.CommentF = newForm("comment-"+key, nil)
		ph.Items = append(ph.Items, v)
		ph.Total++
		if it.Status.Complete() {
			ph.Done++
		}
	}
	return p, nil
}

// pickLang is fr in French when there is one, else en.
func pickLang(lang opsdesk.Lang, fr, en string) string {
	if lang == opsdesk.LangFR && fr != "" || en == "" {
		return fr
	}
	return en
}

// myItem reads the item of the posted form, which must be one the customer's side owes: another
// organisation's project or a missing item is not found, a vendor item forbidden, a validated or
// waived item a conflict (it is frozen). It answers the request itself when it returns nil.
func (s *Server) myItem(c *call, f *form, again func(int)) (int64, *opsdesk.Item) {
	pid, ok1 := pathID(c, "id")
	iid, ok2 := pathID(c, "item")
	if !ok1 || !ok2 {
		s.notFound(c)
		return 0, nil
	}
	it, err := s.db.Item(c.ctx, pid, iid)
	if err != nil {
		s.fail(c, err)
		return 0, nil
	}
	if it.OwnerSide != opsdesk.SideCustomer {
		s.fail(c, opsdesk.Forbidden("item %q is the vendor's", it.TitleEN))
		return 0, nil
	}
	if it.Status.Complete() {
		s.fieldError(c, f, "", opsdesk.Conflict("status", "item %q is already %s", it.TitleEN, it.Status), again)
		return 0, nil
	}
	return pid, it
}

// mySubmitEvidence submits an item the customer owes: its evidence text and files (at least one
// of them). The files are written to the attachment store first, so the item only ever names
// stored content.
func (s *Server) mySubmitEvidence(c *call) {
	iid, _ := pathID(c, "item")
	f := newForm("evidence-"+strconv.FormatInt(iid, 10), c.r.PostForm)
	again := func(status int) {
		keepFilesHint(c, f)
		s.showMyProject(c, status, iid, f)
	}
	pid, it := s.myItem(c, f, again)
	if it == nil {
		return
	}
	ev := strings.TrimSpace(f.Get("evidence"))
	if ev == "" && len(uploadedFiles(c)) == 0 {
		f.Fail("evidence", c.T("myproj.evidence_required"))
		again(http.StatusUnprocessableEntity)
		return
	}
	atts, err := s.storeUploads(c, f)
	if err != nil {
		s.internal(c, err)
		return
	}
	if f.Failed() {
		again(http.StatusUnprocessableEntity)
		return
	}
	submitted := opsdesk.ItemSubmitted
	if _, err := s.db.UpdateItem(c.ctx, pid, it.ID, opsdesk.ItemPatch{Status: &submitted, Evidence: &ev, Attachments: atts}); err != nil {
		s.actionError(c, f, []string{"evidence", attachmentsField}, err, again)
		return
	}
	c.redirect(fmt.Sprintf("%s?done=myproj_submitted#item-%d", myProjectURL(pid), it.ID))
}

// myCommentItem adds the customer's comment on an item their side owes.
func (s *Server) myCommentItem(c *call) {
	iid, _ := pathID(c, "item")
	f := newForm("comment-"+strconv.FormatInt(iid, 10), c.r.PostForm)
	again := func(status int) { s.showMyProject(c, status, iid, f) }
	pid, it := s.myItem(c, f, again)
	if it == nil {
		return
	}
	if strings.TrimSpace(f.Get("body")) == "" {
		f.Fail("body", i18n.Domain(c.lang, "is required"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if err := s.db.CommentItem(c.ctx, pid, it.ID, f.Get("body")); err != nil {
		s.actionError(c, f, []string{"body"}, err, again)
		return
	}
	c.redirect(fmt.Sprintf("%s?done=myproj_commented#item-%d", myProjectURL(pid), it.ID))
}
