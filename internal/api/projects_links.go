package api

import (
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// projectLink is a ticket or problem linked to a project.
type projectLink struct {
	Kind     string `json:"kind" enum:"ticket,problem"`
	Key      string `json:"key" doc:"ticket number or problem key (PRB-12)"`
	Subject  string `json:"subject"`
	Status   string `json:"status"`
	LinkedBy string `json:"linked_by"`
	LinkedAt string `json:"linked_at" format:"date-time"`
}

// newProjectLink is the body of POST /projects/{id}/links.
type newProjectLink struct {
	Key string `json:"key" required:"true" doc:"a ticket of the project's customer (OPS-1042) or a problem (PRB-12)"`
}

// projectEvent is one line of a project's history.
type projectEvent struct {
	At     string `json:"at" format:"date-time"`
	Actor  string `json:"actor"`
	Action string `json:"action" doc:"created, updated, priority_agreed, closed, reopened, phase_closed, phase_reopened, item_updated, item_waived, comment, task_created, task_updated, task_status, link, unlink"`
	Phase  int64  `json:"phase,omitempty" doc:"phase id"`
	Item   int64  `json:"item,omitempty" doc:"item id"`
	Task   int64  `json:"task,omitempty" doc:"task id"`
	Detail string `json:"detail" doc:"a comment's text, a reason, what changed"`
}

func projectLinkJSON(l *opsdesk.ProjectLink) projectLink {
	return projectLink{Kind: l.Kind, Key: l.Key, Subject: l.Subject, Status: l.Status, LinkedBy: l.LinkedBy,
		LinkedAt: apijson.Stamp(l.LinkedAt)}
}

func (a *API) listProjectLinks(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	ls, err := a.db.ProjectLinks(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ls, projectLinkJSON))
}

func (a *API) linkProject(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	var in newProjectLink
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.LinkProjectTicket(ctx, p.ID, in.Key); err != nil {
		return err
	}
	ls, err := a.db.ProjectLinks(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if strings.EqualFold(l.Key, strings.TrimSpace(in.Key)) {
			return created(w, projectPath(p.ID)+"/links/"+l.Key, projectLinkJSON(l))
		}
	}
	return opsdesk.NotFound("the link to %s is gone", in.Key)
}

func (a *API) unlinkProject(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	if err := a.db.UnlinkProjectTicket(r.Context(), p.ID, r.PathValue("key")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) projectHistory(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	evs, err := a.db.ProjectHistory(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(evs, func(e *opsdesk.ProjectEvent) projectEvent {
		return projectEvent{At: apijson.Stamp(e.At), Actor: e.Actor, Action: e.Action, Phase: e.PhaseID, Item: e.ItemID,
			Task: e.TaskID, Detail: e.Detail}
	}))
}
