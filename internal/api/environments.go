package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The environment routes (docs/environments.md, "API"). Every route under /environments/{id}
// reads the environment first with the caller's scope, so another customer's environment is
// not found (404) before any permission is checked; the store then decides what the caller
// may read (a part the vendor does not show is 403) and write (customers: 403).

// environment is one of a customer's installations.
type environment struct {
	ID           int64         `json:"id"`
	Customer     string        `json:"customer" doc:"customer code"`
	Kind         string        `json:"kind" enum:"test,preprod,prod"`
	Name         string        `json:"name"`
	URL          string        `json:"url"`
	Status       string        `json:"status" enum:"active,maintenance,retired"`
	Notes        string        `json:"notes,omitempty" doc:"the vendor's notes: staff only"`
	CustomerSees envVisibility `json:"customer_sees" doc:"what the customer's people are shown of it besides name, kind, URL, status and maintenance windows"`
	CreatedAt    string        `json:"created_at" format:"date-time"`
	UpdatedAt    string        `json:"updated_at" format:"date-time"`
}

// envVisibility is what the vendor shows the customer of an environment.
type envVisibility struct {
	Servers      bool `json:"servers"`
	Versions     bool `json:"versions" doc:"components with their versions, and the deployment history"`
	Availability bool `json:"availability" doc:"probe results and availability"`
	Access       bool `json:"access" doc:"who at the vendor holds which access"`
}

// envVisibilityPatch changes some of the flags; absent ones are left as they are.
type envVisibilityPatch struct {
	Servers      *bool `json:"servers"`
	Versions     *bool `json:"versions"`
	Availability *bool `json:"availability"`
	Access       *bool `json:"access"`
}

// newEnvironment is the body of POST /customers/{code}/environments.
type newEnvironment struct {
	Kind         string              `json:"kind" required:"true" enum:"test,preprod,prod"`
	Name         string              `json:"name" required:"true" doc:"unique for the customer"`
	URL          string              `json:"url" doc:"http(s) address of the installation"`
	Status       string              `json:"status" enum:"active,maintenance,retired" doc:"default active"`
	Notes        string              `json:"notes"`
	CustomerSees *envVisibilityPatch `json:"customer_sees" doc:"default: everything hidden"`
}

// environmentPatch is the body of PATCH /environments/{id}; absent fields are left as they are.
type environmentPatch struct {
	Kind         *string             `json:"kind" enum:"test,preprod,prod"`
	Name         *string             `json:"name"`
	URL          *string             `json:"url"`
	Status       *string             `json:"status" enum:"active,maintenance,retired"`
	Notes        *string             `json:"notes"`
	CustomerSees *envVisibilityPatch `json:"customer_sees" doc:"admins and ops managers; only the flags given change"`
}

func (p *envVisibilityPatch) apply(v *opsdesk.EnvVisibility) {
	for _, f := range []struct {
		in  *bool
		out *bool
	}{{p.Servers, &v.ShowServers}, {p.Versions, &v.ShowVersions}, {p.Availability, &v.ShowAvailability}, {p.Access, &v.ShowAccess}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
}

func environmentJSON(r *http.Request, e *opsdesk.Environment, code string) environment {
	j := environment{ID: e.ID, Customer: code, Kind: string(e.Kind), Name: e.Name, URL: e.URL, Status: string(e.Status),
		CustomerSees: envVisibility{Servers: e.ShowServers, Versions: e.ShowVersions, Availability: e.ShowAvailability, Access: e.ShowAccess},
		CreatedAt:    apijson.Stamp(e.CreatedAt), UpdatedAt: apijson.Stamp(e.UpdatedAt)}
	if opsdesk.ActorFrom(r.Context()).IsStaff() {
		j.Notes = e.Notes
	}
	return j
}

// envPath is where environment id lives.
func envPath(id int64) string { return Prefix + "/environments/" + strconv.FormatInt(id, 10) }

// environment reads the {id} environment of the path, with the caller's scope, and its
// customer's code. Errors: not found.
func (a *API) environment(r *http.Request) (*opsdesk.Environment, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, "", opsdesk.NotFound("no environment %q", r.PathValue("id"))
	}
	e, err := a.db.EnvironmentByID(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	c, err := a.db.CustomerByID(r.Context(), e.CustomerID)
	if err != nil {
		return nil, "", err
	}
	return e, c.Code, nil
}

// parseInstant reads an optional RFC 3339 instant of a body; "" is the zero time.
func parseInstant(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, opsdesk.Invalid(field, "must be an RFC 3339 instant, e.g. 2026-11-26T14:00:00Z")
	}
	return t, nil
}

func (a *API) listEnvironments(w http.ResponseWriter, r *http.Request) error {
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	envs, err := a.db.ListEnvironments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(envs, func(e *opsdesk.Environment) environment { return environmentJSON(r, e, c.Code) }))
}

func (a *API) createEnvironment(w http.ResponseWriter, r *http.Request) error {
	var in newEnvironment
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.db.CustomerByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	e := &opsdesk.Environment{CustomerID: c.ID, Kind: opsdesk.EnvKind(in.Kind), Name: in.Name, URL: in.URL,
		Status: opsdesk.EnvStatus(in.Status), Notes: in.Notes}
	if in.CustomerSees != nil {
		in.CustomerSees.apply(&e.EnvVisibility)
	}
	if err := a.db.CreateEnvironment(r.Context(), e); err != nil {
		return err
	}
	return created(w, envPath(e.ID), environmentJSON(r, e, c.Code))
}

func (a *API) getEnvironment(w http.ResponseWriter, r *http.Request) error {
	e, code, err := a.environment(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, environmentJSON(r, e, code))
}

func (a *API) patchEnvironment(w http.ResponseWriter, r *http.Request) error {
	e, code, err := a.environment(r)
	if err != nil {
		return err
	}
	if !opsdesk.ActorFrom(r.Context()).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes environments")
	}
	var in environmentPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Kind != nil || in.Name != nil || in.URL != nil || in.Status != nil || in.Notes != nil {
		n := *e
		for _, f := range []struct {
			in  *string
			out *string
		}{{in.Name, &n.Name}, {in.URL, &n.URL}, {in.Notes, &n.Notes}} {
			if f.in != nil {
				*f.out = *f.in
			}
		}
		if in.Kind != nil {
			n.Kind = opsdesk.EnvKind(*in.Kind)
		}
		if in.Status != nil {
			n.Status = opsdesk.EnvStatus(*in.Status)
		}
		if err := a.db.UpdateEnvironment(r.Context(), &n); err != nil {
			return err
		}
		e = &n
	}
	if in.CustomerSees != nil {
		v := e.EnvVisibility
		in.CustomerSees.apply(&v)
		if e, err = a.db.SetEnvironmentVisibility(r.Context(), e.ID, v); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, environmentJSON(r, e, code))
}

// server is a machine of an environment.
type server struct {
	ID          int64  `json:"id"`
	Environment int64  `json:"environment" doc:"environment id"`
	Hostname    string `json:"hostname"`
	Role        string `json:"role" enum:"app,database,proxy,cache,search,batch,other"`
	OS          string `json:"os"`
	OSVersion   string `json:"os_version"`
	CPUCores    int    `json:"cpu_cores"`
	MemoryMB    int64  `json:"memory_mb"`
	DiskGB      int64  `json:"disk_gb"`
	Location    string `json:"location"`
	Notes       string `json:"notes,omitempty" doc:"staff only"`
	CreatedAt   string `json:"created_at" format:"date-time"`
	UpdatedAt   string `json:"updated_at" format:"date-time"`
}

// newServer is the body of POST /environments/{id}/servers.
type newServer struct {
	Hostname  string `json:"hostname" required:"true" doc:"unique in the environment; stored lower-cased"`
	Role      string `json:"role" enum:"app,database,proxy,cache,search,batch,other" doc:"default app"`
	OS        string `json:"os"`
	OSVersion string `json:"os_version"`
	CPUCores  int    `json:"cpu_cores"`
	MemoryMB  int64  `json:"memory_mb"`
	DiskGB    int64  `json:"disk_gb"`
	Location  string `json:"location"`
	Notes     string `json:"notes"`
}

// serverPatch is the body of PATCH /environments/{id}/servers/{sid}; absent fields are kept.
type serverPatch struct {
	Hostname  *string `json:"hostname"`
	Role      *string `json:"role" enum:"app,database,proxy,cache,search,batch,other"`
	OS        *string `json:"os"`
	OSVersion *string `json:"os_version"`
	CPUCores  *int    `json:"cpu_cores"`
	MemoryMB  *int64  `json:"memory_mb"`
	DiskGB    *int64  `json:"disk_gb"`
	Location  *string `json:"location"`
	Notes     *string `json:"notes"`
}

func serverJSON(s *opsdesk.Server) server {
	return server{ID: s.ID, Environment: s.EnvironmentID, Hostname: s.Hostname, Role: string(s.Role), OS: s.OS, OSVersion: s.OSVersion,
		CPUCores: s.CPUCores, MemoryMB: s.MemoryMB, DiskGB: s.DiskGB, Location: s.Location, Notes: s.Notes,
		CreatedAt: apijson.Stamp(s.CreatedAt), UpdatedAt: apijson.Stamp(s.UpdatedAt)}
}

func (a *API) listServers(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	ss, err := a.db.ListServers(r.Context(), e.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(ss, serverJSON))
}

func (a *API) createServer(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	var in newServer
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	s := &opsdesk.Server{EnvironmentID: e.ID, Hostname: in.Hostname, Role: opsdesk.ServerRole(in.Role), OS: in.OS, OSVersion: in.OSVersion,
		CPUCores: in.CPUCores, MemoryMB: in.MemoryMB, DiskGB: in.DiskGB, Location: in.Location, Notes: in.Notes}
	if err := a.db.CreateServer(r.Context(), s); err != nil {
		return err
	}
	return created(w, envPath(e.ID)+"/servers/"+strconv.FormatInt(s.ID, 10), serverJSON(s))
}

func (a *API) patchServer(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid")
	if err != nil {
		return err
	}
	var in serverPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	// Writing is staff only: a customer learns nothing of the servers from this route.
	if !opsdesk.ActorFrom(r.Context()).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team changes environments")
	}
	ss, err := a.db.ListServers(r.Context(), e.ID)
	if err != nil {
		return err
	}
	var s *opsdesk.Server
	for _, x := range ss {
		if x.ID == sid {
			s = x
		}
	}
	if s == nil {
		return opsdesk.NotFound("no server %d in environment %d", sid, e.ID)
	}
	for _, f := range []struct {
		in  *string
		out *string
	}{{in.Hostname, &s.Hostname}, {in.OS, &s.OS}, {in.OSVersion, &s.OSVersion}, {in.Location, &s.Location}, {in.Notes, &s.Notes}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if in.Role != nil {
		s.Role = opsdesk.ServerRole(*in.Role)
	}
	if in.CPUCores != nil {
		s.CPUCores = *in.CPUCores
	}
	if in.MemoryMB != nil {
		s.MemoryMB = *in.MemoryMB
	}
	if in.DiskGB != nil {
		s.DiskGB = *in.DiskGB
	}
	if err := a.db.UpdateServer(r.Context(), s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, serverJSON(s))
}

func (a *API) deleteServer(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid")
	if err != nil {
		return err
	}
	if err := a.db.DeleteServer(r.Context(), e.ID, sid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// component is a piece of software installed on an environment, with its current version.
type component struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Deployment *int64 `json:"deployment" doc:"the successful deployment that set the version; null when set by hand"`
	UpdatedAt  string `json:"updated_at" format:"date-time"`
}

func (a *API) listComponents(w http.ResponseWriter, r *http.Request) error {
	e, _, err := a.environment(r)
	if err != nil {
		return err
	}
	cs, err := a.db.ListComponents(r.Context(), e.ID)
	if err != nil {
		return err
	}
	out := items[component]{Items: []component{}}
	for _, c := range cs {
		j := component{Name: c.Name, Version: c.Version, UpdatedAt: apijson.Stamp(c.UpdatedAt)}
		if c.DeploymentID != 0 {
			j.Deployment = &c.DeploymentID
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}
