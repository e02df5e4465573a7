package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// deployment is the delivery of a version of a component to an environment.
type deployment struct {
	ID              int64   `json:"id"`
	Environment     int64   `json:"environment" doc:"environment id"`
	Component       string  `json:"component"`
	FromVersion     string  `json:"from_version" doc:"the version before; empty when the component was not installed"`
	Version         string  `json:"version" doc:"the version delivered"`
	Outcome         string  `json:"outcome" enum:"planned,in_progress,success,failed,rolled_back"`
	PlannedAt       *string `json:"planned_at" format:"date-time"`
	StartedAt       *string `json:"started_at" format:"date-time"`
	FinishedAt      *string `json:"finished_at" format:"date-time"`
	By              string  `json:"by,omitempty" doc:"who recorded it: staff only"`
	Ticket          string  `json:"ticket" doc:"linked ticket number, empty if none"`
	Notes           string  `json:"notes,omitempty" doc:"staff only"`
	EmergencyReason string  `json:"emergency_reason,omitempty" doc:"why a prod deployment skipped the promotion path: staff only"`
	CreatedAt       string  `json:"created_at" format:"date-time"`
}

// deploymentList is a page of an environment's deployment history.
type deploymentList struct {
	Items      []deployment `json:"items"`
	NextCursor *string      `json:"next_cursor" doc:"pass it as cursor for the next page; null on the last page"`
}

// newDeployment is the body of POST /environments/{id}/deployments.
type newDeployment struct {
	Component       string `json:"component" required:"true" doc:"lower case, no spaces, e.g. app"`
	Version         string `json:"version" required:"true" doc:"the version delivered, e.g. 4.2.0"`
	FromVersion     string `json:"from_version" doc:"default: the environment's current version of the component"`
	Outcome         string `json:"outcome" enum:"planned,in_progress,success,failed,rolled_back" doc:"default success"`
	PlannedAt       string `json:"planned_at" format:"date-time"`
	StartedAt       string `json:"started_at" format:"date-time" doc:"default now for in_progress"`
	FinishedAt      string `json:"finished_at" format:"date-time" doc:"default now for a final outcome"`
	Ticket          string `json:"ticket" doc:"a ticket of the same customer, e.g. OPS-12"`
	Notes           string `json:"notes"`
	EmergencyReason string `json:"emergency_reason" doc:"prod only, ops managers and admins: deploy a version that has not succeeded on preprod"`
}

// deploymentAdvance is the body of PATCH /environments/{id}/deployments/{did}.
type deploymentAdvance struct {
	Outcome         string `json:"outcome" required:"true" enum:"in_progress,success,failed,rolled_back"`
	EmergencyReason string `json:"emergency_reason" doc:"as for POST, when a planned prod deployment starts"`
}

func deploymentJSON(d *opsdesk.Deployment) deployment {
	return deployment{ID: d.ID, Environment: d.EnvironmentID, Component: d.Component, FromVersion: d.FromVersion, Version: d.ToVersion,
		Outcome: string(d.Outcome), PlannedAt: apijson.Time(d.PlannedAt), StartedAt: apijson.Time(d.StartedAt),
		FinishedAt: apijson.Time(d.FinishedAt), By: d.By, Ticket: d.TicketKey, Notes: d.Notes, EmergencyReason: d.EmergencyReason,
		CreatedAt: apijson.Stamp(d.CreatedAt)}
}

func (a *API) listDeployments(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	if limit > 500 {
		return opsdesk.Invalid("limit", "is at most 500")
	}
	ds, next, err := a.db.ListDeploymentsPage(r.Context(), e.ID, limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	out := deploymentList{Items: []deployment{}}
	for _, d := range ds {
		out.Items = append(out.Items, deploymentJSON(d))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createDeployment(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	var in newDeployment
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	d := &opsdesk.Deployment{EnvironmentID: e.ID, Component: in.Component, ToVersion: in.Version, FromVersion: in.FromVersion,
		Outcome: opsdesk.DeployOutcome(in.Outcome), TicketKey: in.Ticket, Notes: in.Notes, EmergencyReason: in.EmergencyReason}
	for _, t := range []struct {
		field, v string
		out      *time.Time
	}{{"planned_at", in.PlannedAt, &d.PlannedAt}, {"started_at", in.StartedAt, &d.StartedAt}, {"finished_at", in.FinishedAt, &d.FinishedAt}} {
		if *t.out, err = parseInstant(t.field, t.v); err != nil {
			return err
		}
	}
	if err := a.db.RecordDeployment(r.Context(), d); err != nil {
		return err
	}
	return created(w, envPath(e.ID)+"/deployments/"+strconv.FormatInt(d.ID, 10), deploymentJSON(d))
}

func (a *API) advanceDeployment(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	did, err := pathID(r, "did")
	if err != nil {
		return err
	}
	var in deploymentAdvance
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.db.AdvanceDeployment(r.Context(), e.ID, did, opsdesk.DeployOutcome(in.Outcome), in.EmergencyReason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, deploymentJSON(d))
}

// twinDiff is one difference between a customer's preprod and its prod twin.
type twinDiff struct {
	Kind        string `json:"kind" enum:"component_version,server_count,os_version,missing_twin"`
	Subject     string `json:"subject" doc:"component name or server role; empty for missing_twin"`
	PreprodID   *int64 `json:"preprod_id" doc:"null when a prod has no preprod twin"`
	PreprodName string `json:"preprod_name"`
	ProdID      *int64 `json:"prod_id" doc:"null when a preprod has no prod twin"`
	ProdName    string `json:"prod_name"`
	Preprod     string `json:"preprod" doc:"value on preprod: a version (empty: not installed), a server count, or OS versions"`
	Prod        string `json:"prod" doc:"value on prod"`
}

// twinCheck is the answer of GET /customers/{code}/twin-check.
type twinCheck struct {
	Customer    string     `json:"customer" doc:"customer code"`
	Twins       bool       `json:"twins" doc:"true when nothing differs (or the customer has no preprod or no prod)"`
	Differences []twinDiff `json:"differences"`
}

func (a *API) twinCheck(w http.ResponseWriter, r *http.Request) error {
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	ds, err := a.db.TwinCheck(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := twinCheck{Customer: c.Code, Twins: len(ds) == 0, Differences: []twinDiff{}}
	for _, d := range ds {
		j := twinDiff{Kind: string(d.Kind), Subject: d.Subject, PreprodName: d.PreprodName, ProdName: d.ProdName, Preprod: d.Preprod, Prod: d.Prod}
		if d.PreprodID != 0 {
			j.PreprodID = &d.PreprodID
		}
		if d.ProdID != 0 {
			j.ProdID = &d.ProdID
		}
		out.Differences = append(out.Differences, j)
	}
	return writeJSON(w, http.StatusOK, out)
}
