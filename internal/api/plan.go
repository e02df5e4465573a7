package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/store"
)

// planRow is one ranked item of the steering plan (docs/plan.md).
type planRow struct {
	Rank     int           `json:"rank" doc:"place in the whole plan, the same on every filtered view"`
	Kind     string        `json:"kind" enum:"ticket,task,preventive"`
	ID       int64         `json:"id" doc:"the ticket's, the project task's or the preventive occurrence's id"`
	Ref      string        `json:"ref" doc:"the ticket's number, P{project}/{task}, or PV-{occurrence}"`
	Title    string        `json:"title"`
	Customer string        `json:"customer" doc:"the customer's code, empty when none"`
	Level    string        `json:"level" doc:"the ticket's support level, empty for a task"`
	Domain   string        `json:"domain" doc:"the ticket's category or the task's component"`
	Assignee int64         `json:"assignee_id" doc:"the assigned agent's user id, 0 when unassigned"`
	Score    int64         `json:"score"`
	Terms    []planTerm    `json:"terms" doc:"the terms whose contributions sum to the score, each with its reason key"`
	Override *planOverride `json:"override" doc:"the pin or move that placed the row, null when none"`
}

// planTerm is one term of an item's score.
type planTerm struct {
	Name         string `json:"name"`
	Value        string `json:"value"`
	Weight       int64  `json:"weight"`
	Contribution int64  `json:"contribution"`
	Reason       string `json:"reason" doc:"plan.reason.* key of the explanation"`
}

// planOverride is an ops manager's pin or move of a plan item.
type planOverride struct {
	ID           int64   `json:"id"`
	Kind         string  `json:"kind" enum:"ticket,task,preventive"`
	ItemID       int64   `json:"item_id" doc:"the ticket's, the project task's or the preventive occurrence's id"`
	Pin          bool    `json:"pin"`
	Position     int     `json:"position" doc:"1-based place for a move, 0 for a pin"`
	Reason       string  `json:"reason"`
	By           string  `json:"by"`
	At           string  `json:"at" format:"date-time"`
	SupersededAt *string `json:"superseded_at" format:"date-time" doc:"null while current"`
}

// planList is the answer of GET /plan.
type planList struct {
	Items []planRow `json:"items"`
	Total int       `json:"total" doc:"open items in the whole plan, before the filters"`
	At    string    `json:"at" format:"date-time" doc:"the instant the plan was computed at"`
}

// newPlanOverride is the body of POST /plan/overrides.
type newPlanOverride struct {
	Kind     string `json:"kind" required:"true" enum:"ticket,task,preventive"`
	ID       int64  `json:"id" required:"true" doc:"the ticket's, the project task's or the preventive occurrence's id; it must be open"`
	Pin      bool   `json:"pin" doc:"pin to the top; exclusive with position"`
	Position int    `json:"position" doc:"move to this 1-based place; exclusive with pin"`
	Reason   string `json:"reason" required:"true"`
}

func planOverrideJSON(o *store.PlanOverride) *planOverride {
	out := &planOverride{ID: o.ID, Kind: string(o.Override.Kind), ItemID: o.Override.ID, Pin: o.Override.Pin,
		Position: o.Override.Position, Reason: o.Override.Reason, By: o.Override.By, At: apijson.Stamp(o.Override.At),
		SupersededAt: apijson.Time(o.SupersededAt)}
	return out
}

// planFilter reads the filters of GET /plan: level, domain, agent (an email or me), customer (a code).
func (a *API) planFilter(ctx context.Context, r *http.Request) (plan.Filter, error) {
	q := r.URL.Query()
	var f plan.Filter
	if s := strings.TrimSpace(q.Get("level")); s != "" {
		l, ok := opsdesk.ParseLevel(s)
		if !ok {
			return f, opsdesk.Invalid("level", "%q is not a level (N1, N2, N3)", s)
		}
		f.Level = l
	}
	f.Domain = strings.TrimSpace(q.Get("domain"))
	if s := strings.TrimSpace(q.Get("agent")); s != "" {
		if strings.EqualFold(s, "me") {
			f.Agent = opsdesk.ActorFrom(ctx).UserID
		} else {
			id, err := a.agentID(ctx, s, "agent")
			if err != nil {
				return f, err
			}
			f.Agent = id
		}
	}
	if code := strings.TrimSpace(q.Get("customer")); code != "" {
		c, err := a.db.CustomerByCode(ctx, code)
		if err != nil {
			return f, withField(err, "customer")
		}
		f.Customer = c.ID
	}
	return f, nil
}

func (a *API) getPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team reads the plan")
	}
	f, err := a.planFilter(ctx, r)
	if err != nil {
		return err
	}
	v, err := a.db.Plan(ctx, a.db.Now(), f)
	if err != nil {
		return err
	}
	out := planList{Items: make([]planRow, 0, len(v.Rows)), Total: v.Total, At: apijson.Stamp(v.Now)}
	for _, row := range v.Rows {
		it := row.Item
		pr := planRow{Rank: row.Rank, Kind: string(it.Kind), ID: it.ID, Ref: it.Ref, Title: it.Title,
			Customer: v.Customers[it.Customer].Code, Level: string(it.Level), Domain: it.Domain, Assignee: it.Assignee,
			Score: row.Score, Terms: make([]planTerm, len(row.Terms))}
		for i, t := range row.Terms {
			pr.Terms[i] = planTerm(t)
		}
		if row.Override != nil {
			if o := v.OverrideOf(row); o != nil {
				pr.Override = planOverrideJSON(o)
			}
		}
		out.Items = append(out.Items, pr)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listPlanOverrides(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.PlanOverrideHistory(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(list, func(o *store.PlanOverride) planOverride { return *planOverrideJSON(o) }))
}

func (a *API) createPlanOverride(w http.ResponseWriter, r *http.Request) error {
	if !opsdesk.ActorFrom(r.Context()).CanManage() {
		return opsdesk.Forbidden("only an ops manager pins or moves plan items")
	}
	var in newPlanOverride
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	o, err := a.db.AddPlanOverride(r.Context(), plan.Override{Kind: plan.Kind(in.Kind), ID: in.ID, Pin: in.Pin,
		Position: in.Position, Reason: strings.TrimSpace(in.Reason)})
	if err != nil {
		return err
	}
	return created(w, Prefix+"/plan/overrides/"+strconv.FormatInt(o.ID, 10), planOverrideJSON(o))
}

func (a *API) deletePlanOverride(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return opsdesk.NotFound("no plan override %q", r.PathValue("id"))
	}
	if err := a.db.RemovePlanOverride(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
