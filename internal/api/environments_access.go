package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// accessGrant is an access a member of the vendor's team holds to an environment.
type accessGrant struct {
	ID           int64   `json:"id"`
	Environment  int64   `json:"environment" doc:"environment id"`
	User         string  `json:"user" doc:"the holder's email"`
	Kind         string  `json:"kind" enum:"ssh,vpn,admin_console,database,app_admin,other"`
	Reason       string  `json:"reason,omitempty" doc:"staff only"`
	Ticket       string  `json:"ticket" doc:"the access_request ticket, empty if none"`
	GrantedBy    string  `json:"granted_by"`
	GrantedAt    string  `json:"granted_at" format:"date-time"`
	ExpiresAt    string  `json:"expires_at" format:"date-time"`
	RevokedAt    *string `json:"revoked_at" format:"date-time"`
	RevokedBy    string  `json:"revoked_by"`
	RevokeReason string  `json:"revoke_reason,omitempty" doc:"staff only"`
	Active       bool    `json:"active" doc:"held now: neither revoked nor expired"`
}

// newGrant is the body of POST /environments/{id}/access.
type newGrant struct {
	User      string `json:"user" required:"true" doc:"email of an enabled member of the vendor's team"`
	Kind      string `json:"kind" required:"true" enum:"ssh,vpn,admin_console,database,app_admin,other"`
	Reason    string `json:"reason" required:"true"`
	Ticket    string `json:"ticket" doc:"an access_request ticket of the environment's customer"`
	ExpiresAt string `json:"expires_at" required:"true" format:"date-time" doc:"in the future: every access ends"`
}

// grantRevoke is the body of POST /access/{gid}/revoke.
type grantRevoke struct {
	Reason string `json:"reason"`
}

func grantJSON(g *opsdesk.AccessGrant, now time.Time) accessGrant {
	return accessGrant{ID: g.ID, Environment: g.EnvironmentID, User: g.UserEmail, Kind: string(g.Kind), Reason: g.Reason, Ticket: g.TicketKey,
		GrantedBy: g.GrantedBy, GrantedAt: apijson.Stamp(g.GrantedAt), ExpiresAt: apijson.Stamp(g.ExpiresAt),
		RevokedAt: apijson.Time(g.RevokedAt), RevokedBy: g.RevokedBy, RevokeReason: g.RevokeReason, Active: g.Active(now)}
}

func (a *API) listGrants(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	all := false
	switch v := r.URL.Query().Get("all"); v {
	case "", "false":
	case "true":
		all = true
	default:
		return opsdesk.Invalid("all", "must be true or false")
	}
	gs, err := a.db.ListAccessGrants(r.Context(), e.ID, all)
	if err != nil {
		return err
	}
	now := a.db.Now()
	return writeJSON(w, http.StatusOK, itemsOf(gs, func(g *opsdesk.AccessGrant) accessGrant { return grantJSON(g, now) }))
}

func (a *API) grantAccess(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	var in newGrant
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(r.Context()).CanManage() {
		return opsdesk.Forbidden("only ops managers and admins grant access to environments")
	}
	g := &opsdesk.AccessGrant{EnvironmentID: e.ID, Kind: opsdesk.AccessKind(in.Kind), Reason: in.Reason, TicketKey: in.Ticket}
	if in.User == "" {
		return opsdesk.Invalid("user", "is required: the holder's email")
	}
	if g.UserID, err = a.agentID(r.Context(), in.User, "user"); err != nil {
		return err
	}
	if g.ExpiresAt, err = parseInstant("expires_at", in.ExpiresAt); err != nil {
		return err
	}
	if err := a.db.GrantAccess(r.Context(), g); err != nil {
		return err
	}
	return created(w, Prefix+"/access/"+strconv.FormatInt(g.ID, 10), grantJSON(g, a.db.Now()))
}

func (a *API) revokeAccess(w http.ResponseWriter, r *http.Request) error {
	gid, err := pathID(r, "gid")
	if err != nil {
		return err
	}
	var in grantRevoke
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	g, err := a.db.AccessGrantByID(r.Context(), gid)
	if err != nil {
		return err
	}
	if g, err = a.db.RevokeAccess(r.Context(), g.EnvironmentID, g.ID, in.Reason); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, grantJSON(g, a.db.Now()))
}

func (a *API) expiredGrants(w http.ResponseWriter, r *http.Request) error {
	at := a.db.Now()
	if v := r.URL.Query().Get("at"); v != "" {
		t, err := parseInstant("at", v)
		if err != nil {
			return err
		}
		at = t
	}
	gs, err := a.db.ListExpiredGrants(r.Context(), at)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(gs, func(g *opsdesk.AccessGrant) accessGrant { return grantJSON(g, at) }))
}

// maintenance is a planned maintenance window of an environment, covering [starts_at, ends_at).
type maintenance struct {
	ID          int64   `json:"id"`
	Environment int64   `json:"environment" doc:"environment id"`
	Title       string  `json:"title"`
	Notes       string  `json:"notes"`
	StartsAt    string  `json:"starts_at" format:"date-time"`
	EndsAt      string  `json:"ends_at" format:"date-time" doc:"excluded"`
	AnnouncedAt *string `json:"announced_at" format:"date-time" doc:"when the customer's contacts were told; null until then"`
	CreatedBy   string  `json:"created_by,omitempty" doc:"staff only"`
	CreatedAt   string  `json:"created_at" format:"date-time"`
	UpdatedAt   string  `json:"updated_at" format:"date-time"`
}

// newMaintenance is the body of POST /environments/{id}/maintenance.
type newMaintenance struct {
	Title    string `json:"title" required:"true"`
	Notes    string `json:"notes"`
	StartsAt string `json:"starts_at" required:"true" format:"date-time"`
	EndsAt   string `json:"ends_at" required:"true" format:"date-time"`
}

// maintenancePatch is the body of PATCH /environments/{id}/maintenance/{wid}; absent fields are
// kept. Changing the times clears announced_at: the customer is told again.
type maintenancePatch struct {
	Title    *string `json:"title"`
	Notes    *string `json:"notes"`
	StartsAt *string `json:"starts_at" format:"date-time"`
	EndsAt   *string `json:"ends_at" format:"date-time"`
}

func maintenanceJSON(m *opsdesk.MaintenanceWindow) maintenance {
	return maintenance{ID: m.ID, Environment: m.EnvironmentID, Title: m.Title, Notes: m.Notes, StartsAt: apijson.Stamp(m.StartsAt),
		EndsAt: apijson.Stamp(m.EndsAt), AnnouncedAt: apijson.Time(m.AnnouncedAt), CreatedBy: m.CreatedBy,
		CreatedAt: apijson.Stamp(m.CreatedAt), UpdatedAt: apijson.Stamp(m.UpdatedAt)}
}

func (a *API) listMaintenance(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	from := a.db.Now()
	if v := r.URL.Query().Get("from"); v != "" {
		if from, err = parseInstant("from", v); err != nil {
			return err
		}
	}
	ms, err := a.db.ListMaintenance(r.Context(), e.ID, from)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ms, maintenanceJSON))
}

func (a *API) createMaintenance(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	var in newMaintenance
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	m := &opsdesk.MaintenanceWindow{EnvironmentID: e.ID, Title: in.Title, Notes: in.Notes}
	if m.StartsAt, err = parseInstant("starts_at", in.StartsAt); err != nil {
		return err
	}
	if m.EndsAt, err = parseInstant("ends_at", in.EndsAt); err != nil {
		return err
	}
	if err := a.db.CreateMaintenance(r.Context(), m); err != nil {
		return err
	}
	return created(w, envPath(e.ID)+"/maintenance/"+strconv.FormatInt(m.ID, 10), maintenanceJSON(m))
}

func (a *API) patchMaintenance(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	wid, err := pathID(r, "wid")
	if err != nil {
		return err
	}
	var in maintenancePatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(r.Context()).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes environments")
	}
	ms, err := a.db.ListMaintenance(r.Context(), e.ID, time.Time{}) // every window, past ones included
	if err != nil {
		return err
	}
	var m *opsdesk.MaintenanceWindow
	for _, x := range ms {
		if x.ID == wid {
			m = x
		}
	}
	if m == nil {
		return opsdesk.NotFound("no maintenance window %d on environment %d", wid, e.ID)
	}
	if in.Title != nil {
		m.Title = *in.Title
	}
	if in.Notes != nil {
		m.Notes = *in.Notes
	}
	for _, t := range []struct {
		field string
		v     *string
		out   *time.Time
	}{{"starts_at", in.StartsAt, &m.StartsAt}, {"ends_at", in.EndsAt, &m.EndsAt}} {
		if t.v == nil {
			continue
		}
		if *t.out, err = parseInstant(t.field, *t.v); err != nil {
			return err
		}
	}
	if err := a.db.UpdateMaintenance(r.Context(), m); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, maintenanceJSON(m))
}

func (a *API) deleteMaintenance(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	wid, err := pathID(r, "wid")
	if err != nil {
		return err
	}
	if err := a.db.DeleteMaintenance(r.Context(), e.ID, wid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
