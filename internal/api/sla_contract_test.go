package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type target struct {
	Severity          string `json:"severity"`
	EnvKind           string `json:"env_kind"`
	TakeChargeSeconds *int64 `json:"take_charge_seconds"`
	WorkaroundSeconds *int64 `json:"workaround_seconds"`
	ResolveSeconds    *int64 `json:"resolve_seconds"`
	EscalateOnBreach  bool   `json:"escalate_on_breach"`
}

type contractSLA struct {
	Customer string `json:"customer"`
	Calendar struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Default bool   `json:"default"`
	} `json:"calendar"`
	DefaultTargets bool     `json:"default_targets"`
	Targets        []target `json:"targets"`
}

// sorted orders targets by severity and environment kind, to compare lists.
func sorted(ts []target) []target {
	out := slices.Clone(ts)
	slices.SortFunc(out, func(a, b target) int {
		return strings.Compare(a.Severity+"/"+a.EnvKind, b.Severity+"/"+b.EnvKind)
	})
	return out
}

func (e *env) contract(user, code string) contractSLA {
	e.t.Helper()
	var c contractSLA
	e.do(user, "GET", "/api/v1/customers/"+code+"/sla", nil).want(e.t, http.StatusOK, &c)
	return c
}

func TestContractSLA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// The defaults of docs/sla.md in the French calendar (a business day is 7.5 h), which
		// the seeding wrote for every contract.
		frenchDefaults := []target{
			{"blocking", "prod", i64(3600), i64(14400), i64(54000), true},
			{"blocking", "", i64(7200), i64(27000), i64(135000), true},
			{"major", "", i64(7200), i64(27000), i64(135000), true},
			{"minor", "", i64(14400), nil, i64(270000), false},
			{"question", "", i64(27000), nil, i64(135000), false},
			{"evolution", "", i64(54000), nil, nil, false},
		}
		got := e.contract("alice", "ACME")
		if got.Customer != "ACME" || got.Calendar.Name != "France — jours ouvrés" || !got.Calendar.Default || got.Calendar.ID == 0 || got.DefaultTargets {
			t.Errorf("ACME's contract: %+v", got)
		}
		if !reflect.DeepEqual(sorted(got.Targets), sorted(frenchDefaults)) {
			t.Errorf("ACME's targets\n got %s\nwant %s", js(got.Targets), js(frenchDefaults))
		}
		if staff := e.contract("n1", "acme"); !reflect.DeepEqual(staff, got) {
			t.Errorf("staff see %+v, the customer %+v", staff, got)
		}
		e.do("bob", "GET", "/api/v1/customers/ACME/sla", nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", "/api/v1/customers/NOPE/sla", nil).problem(t, http.StatusNotFound, "")

		always := e.calendars("root")["24/7"]
		mine := []target{
			{"major", "prod", i64(1800), i64(3600), i64(14400), true},
			{"minor", "", i64(7200), nil, nil, false},
		}
		body := map[string]any{"calendar": map[string]any{"id": always.ID}, "targets": mine}
		var put contractSLA
		e.do("ops", "PUT", "/api/v1/customers/ACME/sla", body).want(t, http.StatusOK, &put)
		got = e.contract("alice", "ACME")
		if !reflect.DeepEqual(put, got) {
			t.Errorf("PUT answered %+v, GET says %+v", put, got)
		}
		if got.Calendar.ID != always.ID || got.Calendar.Name != "24/7" || got.Calendar.Default || got.DefaultTargets ||
			!reflect.DeepEqual(sorted(got.Targets), sorted(mine)) {
			t.Errorf("after PUT: %+v, targets %s", got, js(got.Targets))
		}
		if g := e.contract("n1", "GLOBEX"); g.Calendar.Name != "France — jours ouvrés" || len(g.Targets) != 6 {
			t.Errorf("GLOBEX changed too: %+v", g)
		}

		// A GET answer goes back as it is.
		raw := e.do("root", "GET", "/api/v1/customers/ACME/sla", nil).want(t, http.StatusOK, nil).body
		e.do("root", "PUT", "/api/v1/customers/ACME/sla", raw).want(t, http.StatusOK, nil)
		if again := e.contract("root", "ACME"); !reflect.DeepEqual(again, got) {
			t.Errorf("sending the answer back changed it: %+v", again)
		}

		// Refused requests change nothing.
		refused := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"unknown severity", `{"calendar": {"id": 0}, "targets": [{"severity": "urgent"}]}`, 422, "targets[0].severity"},
			{"env kind", `{"calendar": {"id": 0}, "targets": [{"severity": "minor", "env_kind": "dev"}]}`, 422, "targets[0].env_kind"},
			{"negative", `{"calendar": {"id": 0}, "targets": [{"severity": "minor"}, {"severity": "major", "resolve_seconds": -1}]}`, 422, "targets[1].resolve_seconds"},
			{"too long", `{"calendar": {"id": 0}, "targets": [{"severity": "minor", "take_charge_seconds": 1000000000000000}]}`, 422, "targets[0].take_charge_seconds"},
			{"repeated", `{"calendar": {"id": 0}, "targets": [{"severity": "minor"}, {"severity": "minor", "env_kind": ""}]}`, 422, "targets[1]"},
			{"no calendar", `{"targets": []}`, 422, "calendar"},
			{"unknown calendar", `{"calendar": {"id": 987654}, "targets": []}`, 422, "calendar.id"},
			{"no targets", `{"calendar": {"id": 0}}`, 422, "targets"},
			{"other customer", `{"customer": "GLOBEX", "calendar": {"id": 0}, "targets": []}`, 422, "customer"},
			{"seconds as text", `{"calendar": {"id": 0}, "targets": [{"severity": "minor", "resolve_seconds": "1h"}]}`, 400, "targets.resolve_seconds"},
			{"unknown key", `{"calendar": {"id": 0}, "targets": [], "sla": 1}`, 400, "sla"},
		}
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				e.do("root", "PUT", "/api/v1/customers/ACME/sla", c.body).problem(t, c.status, c.field)
				if now := e.contract("root", "ACME"); !reflect.DeepEqual(now, got) {
					t.Errorf("a refused PUT changed the contract: %+v", now)
				}
			})
		}
		e.do("alice", "PUT", "/api/v1/customers/ACME/sla", body).problem(t, http.StatusForbidden, "")
		e.do("n1", "PUT", "/api/v1/customers/ACME/sla", body).problem(t, http.StatusForbidden, "")
		e.do("bob", "PUT", "/api/v1/customers/ACME/sla", body).problem(t, http.StatusNotFound, "")

		// No targets and the default calendar: the defaults, now counted in business days of 24 h.
		e.do("root", "PUT", "/api/v1/customers/ACME/sla", map[string]any{"customer": "ACME", "calendar": map[string]any{"id": 0}, "targets": []any{}}).
			want(t, http.StatusOK, nil)
		got = e.contract("alice", "ACME")
		if !got.DefaultTargets || got.Calendar.Name != "France — jours ouvrés" || !reflect.DeepEqual(sorted(got.Targets), sorted(frenchDefaults)) {
			t.Errorf("defaults restored: %+v %s", got, js(got.Targets))
		}
		e.do("root", "PUT", "/api/v1/customers/ACME/sla", map[string]any{"calendar": map[string]any{"id": always.ID}, "targets": []any{}}).
			want(t, http.StatusOK, &got)
		var major target
		for _, tg := range got.Targets {
			if tg.Severity == "major" {
				major = tg
			}
		}
		if !got.DefaultTargets || !reflect.DeepEqual(major, target{"major", "", i64(7200), i64(86400), i64(432000), true}) {
			t.Errorf("defaults in the 24/7 calendar: %+v", got)
		}
	})
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
