package api

import (
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// phase is a phase of a project with its checklist and the state of its gate.
type phase struct {
	Code      string      `json:"code" doc:"preframing, framing, deployment, operations, improvement in the default template"`
	NameFR    string      `json:"name_fr"`
	NameEN    string      `json:"name_en"`
	Position  int         `json:"position"`
	Status    string      `json:"status" enum:"open,closed"`
	ClosedAt  *string     `json:"closed_at" format:"date-time"`
	ClosedBy  string      `json:"closed_by,omitempty"`
	CanClose  bool        `json:"can_close" doc:"every item is validated or waived: the gate may close"`
	OpenItems []int64     `json:"open_items" doc:"ids of the items that hold the gate"`
	Items     []checkItem `json:"items"`
}

// phaseClose is the body of POST /projects/{id}/phases/{phase}/close: it has no fields, and may
// be left out.
type phaseClose struct{}

// phaseReopen is the body of POST /projects/{id}/phases/{phase}/reopen.
type phaseReopen struct {
	Reason string `json:"reason" required:"true"`
}

func phaseJSON(p *opsdesk.Phase, its []*opsdesk.Item) phase {
	j := phase{Code: p.Code, NameFR: p.NameFR, NameEN: p.NameEN, Position: p.Position, Status: string(p.Status),
		ClosedAt: apijson.Time(p.ClosedAt), ClosedBy: p.ClosedBy, OpenItems: []int64{}, Items: []checkItem{}}
	for _, it := range its {
		if it.PhaseID != p.ID {
			continue
		}
		j.Items = append(j.Items, itemJSON(it))
		if !it.Status.Complete() {
			j.OpenItems = append(j.OpenItems, it.ID)
		}
	}
	j.CanClose = p.Status == opsdesk.PhaseOpen && len(j.OpenItems) == 0
	return j
}

func (a *API) listPhases(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	phases, err := a.db.Phases(r.Context(), p.ID)
	if err != nil {
		return err
	}
	its, err := a.db.Items(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(phases, func(ph *opsdesk.Phase) phase { return phaseJSON(ph, its) }))
}

// writePhase answers one phase of project id with its items.
func (a *API) writePhase(w http.ResponseWriter, r *http.Request, projectID int64, ph *opsdesk.Phase) error {
	its, err := a.db.Items(r.Context(), projectID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, phaseJSON(ph, its))
}

func (a *API) closePhase(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	ph, err := a.db.ClosePhase(r.Context(), p.ID, r.PathValue("phase"))
	if err != nil {
		return err
	}
	return a.writePhase(w, r, p.ID, ph)
}

func (a *API) reopenPhase(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.project(r)
	if err != nil {
		return err
	}
	var in phaseReopen
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ph, err := a.db.ReopenPhase(r.Context(), p.ID, r.PathValue("phase"), in.Reason)
	if err != nil {
		return err
	}
	return a.writePhase(w, r, p.ID, ph)
}

// itemPath is where an item of a project lives.
func itemPath(projectID, itemID int64) string {
	return projectPath(projectID) + "/items/" + strconv.FormatInt(itemID, 10)
}
