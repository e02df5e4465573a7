package api

import (
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// actionPatch is the body of PATCH /actions/{id}; absent fields are left as they are.
type actionPatch struct {
	Kind        *string  `json:"kind" enum:"corrective,preventive"`
	Title       *string  `json:"title"`
	Description *string  `json:"description"`
	Customer    nullable `json:"customer" doc:"customer code; null clears"`
	Owner       nullable `json:"owner" doc:"email of a member of the vendor's team, or me; null clears"`
	DueDay      *string  `json:"due_day" doc:"YYYY-MM-DD; empty clears"`
	CheckDay    *string  `json:"check_day" doc:"YYYY-MM-DD; empty clears"`
}

// actionMove is the body of POST /actions/{id}/status.
type actionMove struct {
	Status string `json:"status" required:"true" enum:"open,in_progress,done,cancelled,rejected"`
	Reason string `json:"reason" doc:"required to reject or cancel"`
}

// actionCheck is the body of POST /actions/{id}/effectiveness.
type actionCheck struct {
	Effective *bool  `json:"effective" required:"true" doc:"false when the cause recurred"`
	Note      string `json:"note" doc:"required when effective is false"`
}

func (a *API) patchAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := staffWrites(ctx); err != nil {
		return err
	}
	id, err := actionID(r)
	if err != nil {
		return err
	}
	var in actionPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	x, err := a.db.Action(ctx, id)
	if err != nil {
		return err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	kind := string(x.Kind)
	set(&kind, in.Kind)
	x.Kind = opsdesk.ActionKind(kind)
	set(&x.Title, in.Title)
	set(&x.Description, in.Description)
	set(&x.DueDay, in.DueDay)
	set(&x.CheckDay, in.CheckDay)
	if in.Customer.set {
		x.CustomerID = 0
		if s := strings.TrimSpace(in.Customer.value); !in.Customer.null && s != "" {
			c, err := a.customerRef(ctx, s)
			if err != nil {
				return invalidRef(err, "customer")
			}
			x.CustomerID = c.ID
		}
	}
	if in.Owner.set {
		x.OwnerID = 0
		if s := strings.TrimSpace(in.Owner.value); !in.Owner.null && s != "" {
			if x.OwnerID, err = a.ownerID(ctx, s); err != nil {
				return err
			}
		}
	}
	out, err := a.db.UpdateAction(ctx, x)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.actionNames(ctx).record(out))
}

func (a *API) moveAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := staffWrites(ctx); err != nil {
		return err
	}
	id, err := actionID(r)
	if err != nil {
		return err
	}
	var in actionMove
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Status) == "" {
		return opsdesk.Invalid("status", "is required")
	}
	out, err := a.db.MoveAction(ctx, id, opsdesk.ActionStatus(in.Status), in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.actionNames(ctx).record(out))
}

func (a *API) checkAction(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := staffWrites(ctx); err != nil {
		return err
	}
	id, err := actionID(r)
	if err != nil {
		return err
	}
	var in actionCheck
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Effective == nil {
		return opsdesk.Invalid("effective", "is required: true, or false when the cause recurred")
	}
	out, err := a.db.RecordEffectiveness(ctx, id, *in.Effective, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.actionNames(ctx).record(out))
}

// actionSuggest is the body of POST /actions/suggest: an empty object, or no body at all.
type actionSuggest struct{}

// suggestActions runs the suggestions now (ops managers and admins) and answers what was made.
func (a *API) suggestActions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only an ops manager runs the suggestions")
	}
	if r.ContentLength != 0 {
		if err := readJSON(w, r, &actionSuggest{}); err != nil {
			return err
		}
	}
	made, err := a.db.SuggestActions(ctx)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(made, a.actionNames(ctx).record))
}
