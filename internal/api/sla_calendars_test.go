package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type calendarInfo struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Default    bool   `json:"default"`
	Timezone   string `json:"timezone"`
	AlwaysOpen bool   `json:"always_open"`
	UpdatedAt  string `json:"updated_at"`
}

// calendars lists the calendars by name.
func (e *env) calendars(user string) map[string]calendarInfo {
	e.t.Helper()
	var list struct{ Items []calendarInfo }
	e.do(user, "GET", "/api/v1/calendars", nil).want(e.t, http.StatusOK, &list)
	out := map[string]calendarInfo{}
	for _, c := range list.Items {
		out[c.Name] = c
	}
	return out
}

// sameJSON fails unless two JSON documents hold the same values.
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	must(t, json.Unmarshal([]byte(want), &w))
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// nParis is a calendar in its JSON form with every key given, as the export writes them all.
const nParis = `{"name": "N1 Paris", "timezone": "Europe/Paris",
	"hours": {"mon": [["08:30", "12:30"], ["13:30", "18:00"]], "tue": [["08:30", "18:00"]]},
	"holidays": ["2027-07-14"], "holiday_rules": ["fixed:05-01", "easter_monday"], "always_open": false}`

func TestCalendars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		seeded := e.calendars("n1")
		fr, always := seeded["France — jours ouvrés"], seeded["24/7"]
		if len(seeded) != 2 || !fr.Default || fr.Timezone != "Europe/Paris" || fr.AlwaysOpen ||
			always.Default || always.Timezone != "UTC" || !always.AlwaysOpen {
			t.Fatalf("seeded calendars: %+v", seeded)
		}
		if _, err := time.Parse(time.RFC3339, fr.UpdatedAt); err != nil {
			t.Errorf("updated_at %q: %v", fr.UpdatedAt, err)
		}

		// Import, then export: the same calendar, which the CLI's parser reads and counts with.
		r := e.do("root", "POST", "/api/v1/calendars", nParis).want(t, http.StatusCreated, nil)
		var made calendarInfo
		must(t, json.Unmarshal(r.body, &made))
		loc := r.header.Get("Location")
		if made.Name != "N1 Paris" || made.Default || made.Timezone != "Europe/Paris" || made.ID == 0 ||
			loc != "/api/v1/calendars/"+strconv.FormatInt(made.ID, 10) {
			t.Fatalf("created %+v at %q", made, loc)
		}
		exported := e.do("n1", "GET", loc, nil).want(t, http.StatusOK, nil)
		if ct := exported.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		sameJSON(t, exported.body, nParis)
		cal, err := sla.ParseCalendar(exported.body)
		must(t, err)
		monday := time.Date(2027, 3, 1, 12, 0, 0, 0, paris)
		if got, want := cal.Deadline(monday, time.Hour), time.Date(2027, 3, 1, 14, 0, 0, 0, paris); !got.Equal(want) {
			t.Errorf("Monday 12:00 + 1 h = %v, want %v", got, want)
		}
		if !cal.IsHoliday(time.Date(2028, 5, 1, 10, 0, 0, 0, paris)) || cal.IsOpen(time.Date(2027, 3, 3, 10, 0, 0, 0, paris)) {
			t.Error("the exported calendar lost its holidays or opens on Wednesday")
		}

		// The export imports again, under another name.
		var cp calendarInfo
		e.do("ops", "POST", "/api/v1/calendars?name=Copy", exported.body).want(t, http.StatusCreated, &cp)
		copied := e.do("n1", "GET", "/api/v1/calendars/"+strconv.FormatInt(cp.ID, 10), nil).want(t, http.StatusOK, nil)
		sameJSON(t, copied.body, strings.Replace(nParis, `"N1 Paris"`, `"Copy"`, 1))
		e.do("root", "POST", "/api/v1/calendars", nParis).problem(t, http.StatusConflict, "name")

		// PUT replaces the definition; the name stays unless one is given.
		var put calendarInfo
		e.do("root", "PUT", loc, `{"timezone": "UTC", "always_open": true}`).want(t, http.StatusOK, &put)
		if put.ID != made.ID || put.Name != "N1 Paris" || put.Timezone != "UTC" || !put.AlwaysOpen || put.Default {
			t.Errorf("after PUT: %+v", put)
		}
		var doc map[string]any
		e.do("n1", "GET", loc, nil).want(t, http.StatusOK, &doc)
		if doc["name"] != "N1 Paris" || doc["timezone"] != "UTC" || doc["always_open"] != true {
			t.Errorf("after PUT the export is %v", doc)
		}
		e.do("root", "PUT", loc+"?name=N2%20Lyon&default=true", nParis).want(t, http.StatusOK, &put)
		list := e.calendars("root")
		if len(list) != 4 || !list["N2 Lyon"].Default || list["France — jours ouvrés"].Default || list["N2 Lyon"].ID != made.ID {
			t.Errorf("after renaming and making it the default: %+v", list)
		}
		sameJSON(t, e.do("n1", "GET", loc, nil).want(t, http.StatusOK, nil).body, strings.Replace(nParis, `"N1 Paris"`, `"N2 Lyon"`, 1))
		e.do("root", "PUT", loc+"?default=maybe", nParis).problem(t, http.StatusBadRequest, "default")

		// Delete: not the default, not one a contract counts in.
		e.do("root", "DELETE", loc, nil).problem(t, http.StatusConflict, "calendar")
		cpPath := "/api/v1/calendars/" + strconv.FormatInt(cp.ID, 10)
		e.do("root", "PUT", "/api/v1/customers/GLOBEX/sla", map[string]any{"calendar": map[string]any{"id": cp.ID}, "targets": []any{}}).
			want(t, http.StatusOK, nil)
		e.do("root", "DELETE", cpPath, nil).problem(t, http.StatusConflict, "calendar")
		always = list["24/7"]
		alwaysPath := "/api/v1/calendars/" + strconv.FormatInt(always.ID, 10)
		e.do("n1", "DELETE", alwaysPath, nil).problem(t, http.StatusForbidden, "")
		r = e.do("ops", "DELETE", alwaysPath, nil)
		if r.status != http.StatusNoContent || len(r.body) != 0 {
			t.Errorf("DELETE: %d %s", r.status, r.body)
		}
		e.do("root", "GET", alwaysPath, nil).problem(t, http.StatusNotFound, "")
		e.do("root", "DELETE", alwaysPath, nil).problem(t, http.StatusNotFound, "")
		e.do("root", "PUT", alwaysPath, nParis).problem(t, http.StatusNotFound, "")
		e.do("root", "GET", "/api/v1/calendars/abc", nil).problem(t, http.StatusNotFound, "")

		// Who may: staff read; admins and ops managers write; customers neither.
		e.do("alice", "GET", "/api/v1/calendars", nil).problem(t, http.StatusForbidden, "")
		e.do("alice", "GET", loc, nil).problem(t, http.StatusForbidden, "")
		e.do("n1", "POST", "/api/v1/calendars?name=Mine", nParis).problem(t, http.StatusForbidden, "")
		e.do("alice", "PUT", loc, nParis).problem(t, http.StatusForbidden, "")
		if len(e.calendars("root")) != 3 {
			t.Errorf("calendars now: %v", e.calendars("root"))
		}
	})
}

func TestCalendarInvalid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fr := e.calendars("root")["France — jours ouvrés"]
		frPath := "/api/v1/calendars/" + strconv.FormatInt(fr.ID, 10)
		mon := `"hours": {"mon": [["09:00", "17:00"]]}`
		cases := []struct {
			name, body string
			status     int
			field      string
			detail     []string // words the detail must hold
		}{
			{"unknown zone", `{"timezone": "Mars/Olympus", ` + mon + `}`, 400, "timezone", []string{"Mars/Olympus"}},
			{"no zone", `{` + mon + `}`, 400, "timezone", nil},
			{"bad time", `{"timezone": "Europe/Paris", "hours": {"mon": [["09:00", "25:00"]]}}`, 400, "hours.mon[0]", []string{"25:00"}},
			{"close before open", `{"timezone": "Europe/Paris", "hours": {"tue": [["18:00", "09:00"]]}}`, 400, "hours.tue[0]", nil},
			{"overlap", `{"timezone": "Europe/Paris", "hours": {"wed": [["08:00", "13:30"], ["13:00", "18:00"]]}}`, 400, "hours.wed", []string{"overlap"}},
			{"bad weekday", `{"timezone": "Europe/Paris", "hours": {"monday": [["09:00", "17:00"]]}}`, 400, "hours.monday", nil},
			{"bad date", `{"timezone": "Europe/Paris", ` + mon + `, "holidays": ["2027-01-01", "2027-02-30"]}`, 400, "holidays[1]", []string{"2027-02-30"}},
			{"bad rule", `{"timezone": "Europe/Paris", ` + mon + `, "holiday_rules": ["easter"]}`, 400, "holiday_rules[0]", nil},
			{"unknown key", `{"timezone": "Europe/Paris", ` + mon + `, "holiday": ["2027-01-01"]}`, 400, "holiday", nil},
			{"never open", `{"timezone": "Europe/Paris"}`, 400, "hours", nil},
			{"two problems", `{"timezone": "Mars/Olympus", "hours": {"mon": [["09:00", "25:00"]]}}`, 400, "*", []string{"Mars/Olympus", "25:00"}},
			{"malformed", `{"timezone": "Europe/Paris",`, 400, "", nil},
			{"not an object", `["Europe/Paris"]`, 400, "", nil},
			{"empty", ``, 400, "", nil},
			{"no name", `{"timezone": "UTC", "always_open": true}`, 422, "name", nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				for _, req := range []struct{ method, path string }{{"POST", "/api/v1/calendars"}, {"PUT", frPath}} {
					if c.name == "no name" && req.method == "PUT" {
						continue // PUT keeps the current name
					}
					var body any = c.body
					if c.body == "" {
						body = []byte{}
					}
					p := e.do("root", req.method, req.path, body).problem(t, c.status, c.field)
					for _, w := range c.detail {
						if !strings.Contains(p.Detail, w) {
							t.Errorf("%s: detail %q does not say %q", req.method, p.Detail, w)
						}
					}
				}
			})
		}
		r := e.do("root", "POST", "/api/v1/calendars", nil)
		r.problem(t, http.StatusBadRequest, "")
		req := mustRequest(t, "POST", e.srv.URL+"/api/v1/calendars")
		req.Header.Set("Content-Type", "text/plain")
		e.send("root", req).problem(t, http.StatusUnsupportedMediaType, "Content-Type")
		if n := len(e.calendars("root")); n != 2 {
			t.Errorf("%d calendars after refused requests, want the 2 seeded", n)
		}
		// The French calendar, target of the refused PUTs, is unchanged.
		var doc map[string]any
		e.do("root", "GET", frPath, nil).want(t, http.StatusOK, &doc)
		if doc["timezone"] != "Europe/Paris" || doc["name"] != "France — jours ouvrés" || e.calendars("root")["France — jours ouvrés"].UpdatedAt != fr.UpdatedAt {
			t.Errorf("the French calendar changed: %v", doc)
		}
	})
}
