package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// lyonCalendar is a calendar written by hand for the import test: split and unordered windows,
// an explicit closed day, a one-off closure and two rules.
const lyonCalendar = `{
  "name": "Support Lyon",
  "timezone": "Europe/Paris",
  "hours": {"mon": [["13:30", "18:00"], ["08:30", "12:00"]], "tue": [["08:30", "18:00"]], "sat": []},
  "holidays": ["2027-12-24"],
  "holiday_rules": ["fixed:05-01", "easter_monday"],
  "always_open": false
}`

// calendarDoc is the meaning of a calendar's JSON form: windows sorted, closed days dropped, and
// empty lists as none, so that two documents compare by what they say.
type calendarDoc struct {
	Name, Timezone string
	Hours          map[string][][2]string
	Holidays       []string
	Rules          []string
	AlwaysOpen     bool
}

func readCalendarDoc(t *testing.T, data []byte) calendarDoc {
	t.Helper()
	var raw struct {
		Name         string                 `json:"name"`
		Timezone     string                 `json:"timezone"`
		Hours        map[string][][2]string `json:"hours"`
		Holidays     []string               `json:"holidays"`
		HolidayRules []string               `json:"holiday_rules"`
		AlwaysOpen   bool                   `json:"always_open"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("calendar JSON %s: %v", data, err)
	}
	d := calendarDoc{Name: raw.Name, Timezone: raw.Timezone, Hours: map[string][][2]string{}, AlwaysOpen: raw.AlwaysOpen,
		Holidays: slices.Sorted(slices.Values(raw.Holidays)), Rules: slices.Sorted(slices.Values(raw.HolidayRules))}
	for day, wins := range raw.Hours {
		if len(wins) > 0 {
			d.Hours[day] = slices.SortedFunc(slices.Values(wins), func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
		}
	}
	return d
}

func (d calendarDoc) String() string { b, _ := json.Marshal(d); return string(b) }

// postFile posts the multipart form of pagePath that sends to action, with a file in the input
// named field.
func (c *client) postFile(pagePath, action string, values url.Values, field, name string, content []byte) *page {
	c.t.Helper()
	f := c.get(pagePath).form(c.t, action)
	if attr(f, "enctype") != "multipart/form-data" {
		c.t.Fatalf("%s: the form posting to %s does not send files", pagePath, action)
	}
	v := formValues(f)
	for k, vs := range values {
		v[k] = vs
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", v.Get("csrf"))
	for k, vs := range v {
		if k == "csrf" || k == field {
			continue
		}
		for _, x := range vs {
			mw.WriteField(k, x)
		}
	}
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		c.t.Fatal(err)
	}
	w.Write(content)
	mw.Close()
	return c.send(http.MethodPost, action, mw.FormDataContentType(), &buf)
}

// calendarByName finds a calendar through the store.
func calendarByName(t *testing.T, db *store.DB, name string) *store.SLACalendar {
	t.Helper()
	cals, err := db.Calendars(system)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cals {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// cellsByAttr is the text of each cell of the row whose attribute has the value.
func cellsByAttr(p *page, key, value string) []string {
	var out []string
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, key) == value }) {
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				out = append(out, textOf(c))
			}
		}
		break
	}
	return out
}

// rowByAttr is the text of the row whose attribute has the value, or "".
func rowByAttr(p *page, key, value string) string {
	for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, key) == value }) {
		return textOf(tr)
	}
	return ""
}

func TestAdminCalendars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		ws := startSite(t, db)
		admin := ws.client()
		admin.login(d.admin.Email, password)

		// Import by upload: listed, and exported as the same definition.
		p := admin.postFile("/admin/calendars", "/admin/calendars", nil, "file", "lyon.json", []byte(lyonCalendar)).want(t, http.StatusSeeOther)
		lyon := calendarByName(t, db, "Support Lyon")
		if lyon == nil {
			t.Fatal("the uploaded calendar is not stored")
		}
		if want := "/admin/calendars/" + itoa(lyon.ID) + "?done=calendar_imported"; p.location() != want {
			t.Errorf("import leads to %s, want %s", p.location(), want)
		}
		list := admin.get("/admin/calendars").want(t, http.StatusOK)
		if row := rowByAttr(list, "data-calendar", "Support Lyon"); !containsAll(row, "Europe/Paris", "Mon 08:30–12:00, 13:30–18:00", "Tue 08:30–18:00") {
			t.Errorf("list row of the import: %q", row)
		}
		if row := rowByAttr(list, "data-calendar", store.FrenchCalendarName); !containsAll(row, "default", "Mon–Fri 09:00–12:30, 14:00–18:00") {
			t.Errorf("list row of the French calendar: %q", row)
		}
		if row := rowByAttr(list, "data-calendar", store.AlwaysOpenName); !strings.Contains(row, "24/7") {
			t.Errorf("list row of the 24/7 calendar: %q", row)
		}
		ex := admin.get("/admin/calendars/"+itoa(lyon.ID)+"/export").want(t, http.StatusOK)
		if got, want := ex.header.Get("Content-Disposition"), "attachment; filename*=UTF-8''Support%20Lyon.json"; got != want {
			t.Errorf("export Content-Disposition = %q, want %q", got, want)
		}
		if ct := ex.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("export Content-Type = %q", ct)
		}
		stored, err := db.ExportCalendar(system, lyon.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ex.body != string(stored) {
			t.Errorf("export body %s, want ExportCalendar's %s", ex.body, stored)
		}
		if got, want := readCalendarDoc(t, []byte(ex.body)), readCalendarDoc(t, []byte(lyonCalendar)); got.String() != want.String() {
			t.Errorf("exported %v\n     want %v", got, want)
		}

		// Invalid definitions are shown with the calendar package's messages next to the text
		// area, which keeps what was typed; nothing is stored.
		before, _ := db.Calendars(system)
		typed := `{"timezone": "Mars/Olympus", "hours": {"mon": [["09:00", "25:00"]]}}`
		p = admin.postFile("/admin/calendars", "/admin/calendars", url.Values{"name": {"Broken"}, "json": {typed}}, "file", "", nil).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "import-json-error", `timezone: unknown time zone "Mars/Olympus"`, `hours.mon[0]: close: bad time "25:00"`)
		if got := textOf(p.input("json")); got != typed {
			t.Errorf("the text area holds %q after the error, want what was typed", got)
		}
		if got := attr(p.input("name"), "value"); got != "Broken" {
			t.Errorf("the name input holds %q after the error", got)
		}
		if attr(p.input("json"), "aria-invalid") != "true" {
			t.Error("the text area is not marked invalid")
		}
		p = admin.postFile("/admin/calendars", "/admin/calendars", url.Values{"json": {""}}, "file", "bad.json", []byte(`{"timezone": "UTC",`)).
			want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "import-json-error", "invalid JSON")
		if got := textOf(p.input("json")); got != `{"timezone": "UTC",` {
			t.Errorf("an invalid upload is shown as %q", got)
		}
		admin.postFile("/admin/calendars", "/admin/calendars", url.Values{"json": {""}}, "file", "", nil).want(t, http.StatusUnprocessableEntity).
			wantText(t, "import-json-error", "Choose a JSON file or paste a calendar.")
		// A document without a name needs one in the form.
		admin.postFile("/admin/calendars", "/admin/calendars", url.Values{"json": {`{"timezone": "UTC", "always_open": true}`}}, "file", "", nil).
			want(t, http.StatusUnprocessableEntity).wantText(t, "import-name-error", "is required")
		if after, _ := db.Calendars(system); len(after) != len(before) {
			t.Errorf("%d calendars after refused imports, want %d", len(after), len(before))
		}

		// The preview of the French calendar's 2027 holidays, in French: the moveable feasts of
		// Easter 2027 (28 March) and the 14th of July, a Wednesday.
		admin.header.Set("Accept-Language", "fr")
		french := calendarByName(t, db, store.FrenchCalendarName)
		p = admin.get("/admin/calendars/"+itoa(french.ID)+"?year=2027").want(t, http.StatusOK)
		for date, want := range map[string][]string{
			"2027-03-29": {"Lundi 29 mars", "Lundi de Pâques"},
			"2027-05-06": {"Jeudi 6 mai", "Ascension"},
			"2027-05-17": {"Lundi 17 mai", "Lundi de Pentecôte"},
			"2027-07-14": {"Mercredi 14 juillet", "Fête nationale"},
			"2027-01-01": {"Vendredi 1er janvier", "Jour de l'an"},
		} {
			if row := rowByAttr(p, "data-date", date); !containsAll(row, want...) {
				t.Errorf("holiday %s: row %q, want %q", date, row, want)
			}
		}
		if n := len(findAll(byID(p.doc, "holiday-list"), func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-date") != "" })); n != 11 {
			t.Errorf("%d French holidays in 2027, want 11", n)
		}
		if row := rowByAttr(p, "data-day", "mon"); !strings.Contains(row, "09:00–12:30, 14:00–18:00") {
			t.Errorf("Monday: %q", row)
		}
		if row := rowByAttr(p, "data-day", "sat"); !strings.Contains(row, "Fermé") {
			t.Errorf("Saturday: %q", row)
		}
		p.wantText(t, "week", "37,5 h", "7,5 h")
		// The imported calendar in 2027: Easter Monday, 1 May and its one-off closure.
		p = admin.get("/admin/calendars/"+itoa(lyon.ID)+"?year=2027").want(t, http.StatusOK)
		var dates []string
		for _, tr := range findAll(byID(p.doc, "holiday-list"), func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-date") != "" }) {
			dates = append(dates, attr(tr, "data-date"))
		}
		if want := []string{"2027-03-29", "2027-05-01", "2027-12-24"}; !slices.Equal(dates, want) {
			t.Errorf("Support Lyon's 2027 holidays %v, want %v", dates, want)
		}
		admin.header.Del("Accept-Language")

		// Edit: a Saturday morning; an invalid edit keeps the text and changes nothing.
		edited := strings.Replace(lyonCalendar, `"sat": []`, `"sat": [["09:00", "12:00"]]`, 1)
		admin.submit("/admin/calendars/"+itoa(lyon.ID), "/admin/calendars/"+itoa(lyon.ID), url.Values{"json": {edited}}).want(t, http.StatusSeeOther)
		if c := calendarByName(t, db, "Support Lyon"); c == nil || len(c.Calendar.Hours["sat"]) != 1 || c.Calendar.Hours["sat"][0] != (sla.Window{Open: "09:00", Close: "12:00"}) {
			t.Errorf("after the edit: %+v", c)
		}
		bad := strings.Replace(edited, `"tue"`, `"tuesday"`, 1)
		p = admin.submit("/admin/calendars/"+itoa(lyon.ID), "/admin/calendars/"+itoa(lyon.ID), url.Values{"json": {bad}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "calendar-json-error", "hours.tuesday: unknown weekday key")
		if textOf(p.input("json")) != strings.Join(strings.Fields(bad), " ") { // textOf collapses white space
			t.Error("the edit form does not keep what was typed")
		}
		if c := calendarByName(t, db, "Support Lyon"); len(c.Calendar.Hours["tue"]) != 1 {
			t.Errorf("a refused edit changed the calendar: %+v", c.Calendar.Hours)
		}

		// Delete: refused while a contract uses it, and for the default calendar.
		admin.submit("/admin/customers/"+itoa(d.globex.ID)+"/sla", "/admin/customers/"+itoa(d.globex.ID)+"/sla/calendar",
			url.Values{"calendar": {itoa(lyon.ID)}}).want(t, http.StatusSeeOther)
		list = admin.get("/admin/calendars").want(t, http.StatusOK)
		for name, uses := range map[string]string{"Support Lyon": "1", store.FrenchCalendarName: "1", store.AlwaysOpenName: "0"} {
			if cells := cellsByAttr(list, "data-calendar", name); len(cells) < 5 || cells[4] != uses {
				t.Errorf("%s's row %q: want %s contract(s)", name, cells, uses)
			}
		}
		admin.submit("/admin/calendars/"+itoa(lyon.ID), "/admin/calendars/"+itoa(lyon.ID)+"/delete", nil).want(t, http.StatusConflict).
			wantText(t, "delete", "Support Lyon is the calendar of 1 contract(s)")
		admin.submit("/admin/calendars/"+itoa(french.ID), "/admin/calendars/"+itoa(french.ID)+"/delete", nil).want(t, http.StatusConflict).
			wantText(t, "delete", "is the default calendar")
		admin.submit("/admin/customers/"+itoa(d.globex.ID)+"/sla", "/admin/customers/"+itoa(d.globex.ID)+"/sla/calendar",
			url.Values{"calendar": {"0"}}).want(t, http.StatusSeeOther)
		p = admin.submit("/admin/calendars/"+itoa(lyon.ID), "/admin/calendars/"+itoa(lyon.ID)+"/delete", nil).want(t, http.StatusSeeOther)
		if p.location() != "/admin/calendars?done=calendar_deleted" || calendarByName(t, db, "Support Lyon") != nil {
			t.Errorf("delete: %s, still stored: %v", p.location(), calendarByName(t, db, "Support Lyon") != nil)
		}

		// The audit log lists the calendar's changes, and filters on them.
		p = admin.get("/admin/audit?entity=calendar").want(t, http.StatusOK)
		if got := selected(p, "entity"); got != "calendar" {
			t.Errorf("the audit filter shows entity %q", got)
		}
		var actions []string
		for _, tr := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-entity") != "" }) {
			if attr(tr, "data-entity") != "calendar" {
				t.Errorf("the calendar filter shows a %s entry", attr(tr, "data-entity"))
			}
			if strings.Contains(textOf(tr), "#"+itoa(lyon.ID)) {
				actions = append(actions, attr(tr, "data-action"))
			}
		}
		if want := []string{"delete", "update", "create"}; !slices.Equal(actions, want) {
			t.Errorf("Support Lyon's audit entries: %v, want %v", actions, want)
		}

		// The vendor's team reads calendars; only managers change them. Customers see none.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		p = agent.get("/admin/calendars").want(t, http.StatusOK)
		if len(findAll(p.doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/admin/calendars" })) != 0 {
			t.Error("an agent is offered the import form")
		}
		p = agent.get("/admin/calendars/"+itoa(french.ID)).want(t, http.StatusOK)
		if byID(p.doc, "edit") != nil || byID(p.doc, "delete") != nil {
			t.Error("an agent is offered the edit or delete forms")
		}
		agent.get("/admin/calendars/"+itoa(french.ID)+"/export").want(t, http.StatusOK)
		tok := agent.csrf()
		agent.post("/admin/calendars", url.Values{"csrf": {tok}, "json": {lyonCalendar}}).want(t, http.StatusForbidden)
		agent.post("/admin/calendars/"+itoa(french.ID), url.Values{"csrf": {tok}, "name": {"x"}, "json": {lyonCalendar}}).want(t, http.StatusForbidden)
		agent.post("/admin/calendars/"+itoa(french.ID)+"/delete", url.Values{"csrf": {tok}}).want(t, http.StatusForbidden)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		alice.get("/admin/calendars").want(t, http.StatusForbidden)
		alice.get("/admin/calendars/"+itoa(french.ID)+"/export").want(t, http.StatusForbidden)
		if calendarByName(t, db, "x") != nil {
			t.Error("a refused request stored a calendar")
		}
		// An ops manager imports.
		ops := ws.client()
		ops.login(d.ops.Email, password)
		ops.postFile("/admin/calendars", "/admin/calendars", url.Values{"name": {"Ops copy"}}, "file", "lyon.json", []byte(lyonCalendar)).
			want(t, http.StatusSeeOther)
		if calendarByName(t, db, "Ops copy") == nil {
			t.Error("the ops manager's import is not stored")
		}
	})
}

// targetsRows reads the targets table of the contract page: severity, environment, the three
// durations and the escalation box of each row.
func targetsRows(t *testing.T, p *page) [][]string {
	t.Helper()
	n, err := strconv.Atoi(attr(p.input("rows"), "value"))
	if err != nil {
		t.Fatalf("rows = %q", attr(p.input("rows"), "value"))
	}
	var out [][]string
	for i := range n {
		pre := "t" + strconv.Itoa(i) + "."
		esc := ""
		if hasAttr(p.input(pre+"escalate"), "checked") {
			esc = "escalates"
		}
		out = append(out, []string{selected(p, pre+"severity"), selected(p, pre+"env"), attr(p.input(pre+"take_charge"), "value"),
			attr(p.input(pre+"workaround"), "value"), attr(p.input(pre+"resolve"), "value"), esc})
	}
	return out
}

func TestContractSLA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		ws := startSite(t, db)
		admin := ws.client()
		admin.login(d.admin.Email, password)
		acme := "/admin/customers/" + itoa(d.acme.ID)
		base := acme + "/sla"

		// The customer page leads to the contract's service levels.
		cp := admin.get(acme).want(t, http.StatusOK)
		if !slices.Contains(cp.links(), base) {
			t.Errorf("the customer page has no link to %s", base)
		}
		cp.wantText(t, "service-levels", store.FrenchCalendarName)

		// As seeded: the defaults, in French business days (7.5 h), by severity rank.
		p := admin.get(base).want(t, http.StatusOK)
		p.wantText(t, "sla-targets-origin", "Same as the defaults")
		p.wantText(t, "sla-calendar-current", store.FrenchCalendarName, "the default calendar", "7.5 h")
		rows := targetsRows(t, p)
		want := [][]string{
			{"blocking", "prod", "1h", "4h", "2d", "escalates"},
			{"blocking", "", "2h", "1d", "5d", "escalates"},
			{"major", "", "2h", "1d", "5d", "escalates"},
			{"minor", "", "4h", "", "10d", ""},
			{"question", "", "1d", "", "5d", ""},
			{"evolution", "", "2d", "", "", ""},
			{"", "", "", "", "", ""},
			{"", "", "", "", "", ""},
		}
		if !slices.EqualFunc(rows, want, slices.Equal) {
			t.Fatalf("targets table:\n got %q\nwant %q", rows, want)
		}

		// Clear the pending recompute, to see the save ask for one.
		jobs, err := db.ClaimJobs(system, "test", 10, time.Minute, store.SLARecomputeJob)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if err := db.CompleteJob(system, j.ID, "test"); err != nil {
				t.Fatal(err)
			}
		}

		// Edit: faster blocking/prod take charge, a longer blocking resolve, evolution removed,
		// and a new minor/prod target in a blank row ("1j4h": a business day and 4 hours).
		p = admin.submit(base, base, url.Values{"t0.take_charge": {"30m"}, "t1.resolve": {"3d"}, "t5.remove": {"on"},
			"t6.severity": {"minor"}, "t6.env": {"prod"}, "t6.take_charge": {"1h30m"}, "t6.resolve": {"1j4h"}, "t6.escalate": {"on"}}).
			want(t, http.StatusSeeOther)
		if p.location() != base+"?done=targets_saved" {
			t.Errorf("save leads to %s", p.location())
		}
		day := 7*time.Hour + 30*time.Minute
		wantTargets := []sla.Target{
			{Severity: "blocking", EnvKind: "prod", TakeCharge: 30 * time.Minute, Workaround: 4 * time.Hour, Resolve: 2 * day, EscalateOnBreach: true},
			{Severity: "blocking", TakeCharge: 2 * time.Hour, Workaround: day, Resolve: 3 * day, EscalateOnBreach: true},
			{Severity: "major", TakeCharge: 2 * time.Hour, Workaround: day, Resolve: 5 * day, EscalateOnBreach: true},
			{Severity: "minor", TakeCharge: 4 * time.Hour, Resolve: 10 * day},
			{Severity: "question", TakeCharge: day, Resolve: 5 * day},
			{Severity: "minor", EnvKind: "prod", TakeCharge: 90 * time.Minute, Resolve: day + 4*time.Hour, EscalateOnBreach: true},
		}
		got, defaults, err := db.SLATargets(system, d.acme.ID)
		if err != nil || defaults {
			t.Fatalf("SLATargets: defaults %v, %v", defaults, err)
		}
		if len(got) != len(wantTargets) {
			t.Errorf("saved %d targets, want %d: %+v", len(got), len(wantTargets), got)
		}
		for _, w := range wantTargets {
			if !slices.Contains(got, w) {
				t.Errorf("target %+v not saved; saved %+v", w, got)
			}
		}
		pending, err := db.ListJobs(system, opsdesk.JobPending, 100)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(pending, func(j *opsdesk.Job) bool { return j.Kind == store.SLARecomputeJob }) {
			t.Error("saving the targets queued no clock recompute")
		}
		p = admin.get(base+"?done=targets_saved").want(t, http.StatusOK)
		p.wantText(t, "sla-targets-origin", "Customised")
		p.wantText(t, "main", "Targets saved.")
		if rows := targetsRows(t, p); !slices.Equal(rows[3], []string{"minor", "prod", "1h30m", "", "11h30m", "escalates"}) {
			t.Errorf("the new minor/prod row shows as %q", rows[3])
		}

		// Refused input: a word for a duration (next to it), a repeated target (the store's
		// message on its row); nothing changes.
		p = admin.submit(base, base, url.Values{"t2.resolve": {"soon"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "sla-2-resolve-error", `"soon" is not a duration`)
		if attr(p.input("t2.resolve"), "value") != "soon" {
			t.Error("the refused duration is not kept")
		}
		p = admin.submit(base, base, url.Values{"t6.severity": {"blocking"}, "t6.env": {"prod"}, "t6.take_charge": {"1h"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "sla-6-error", "repeats targets[0]")
		p = admin.submit(base, base, url.Values{"t0.resolve": {"9000h"}}).want(t, http.StatusUnprocessableEntity)
		p.wantText(t, "sla-0-resolve-error", "at most")
		if again, _, _ := db.SLATargets(system, d.acme.ID); len(again) != len(wantTargets) {
			t.Errorf("refused saves changed the targets: %+v", again)
		}
		// More rows: three blank rows are added, with what was typed kept.
		p = admin.submit(base, base, url.Values{"do": {"add"}, "t0.take_charge": {"45m"}}).want(t, http.StatusOK)
		if rows := targetsRows(t, p); len(rows) != 8+3 || rows[0][2] != "45m" {
			t.Errorf("after More rows: %d rows, first %q", len(rows), rows[0])
		}

		// The calendar: 24/7 makes a business day 24 h; back to the default.
		always := calendarByName(t, db, store.AlwaysOpenName)
		admin.submit(base, base+"/calendar", url.Values{"calendar": {itoa(always.ID)}}).want(t, http.StatusSeeOther)
		if id, err := db.ContractCalendarID(system, d.acme.ID); err != nil || id != always.ID {
			t.Errorf("contract calendar %d, %v; want %d", id, err, always.ID)
		}
		p = admin.get(base).want(t, http.StatusOK)
		p.wantText(t, "sla-calendar-current", "24/7", "24 h")
		if p.text("sla-calendar-current") == "" || strings.Contains(p.text("sla-calendar-current"), "the default calendar") {
			t.Errorf("calendar shown as %q", p.text("sla-calendar-current"))
		}
		admin.submit(base, base+"/calendar", url.Values{"calendar": {"999999"}}).want(t, http.StatusUnprocessableEntity).
			wantText(t, "slacal-calendar-error", "no calendar")
		admin.submit(base, base+"/calendar", url.Values{"calendar": {"0"}}).want(t, http.StatusSeeOther)
		if id, _ := db.ContractCalendarID(system, d.acme.ID); id != 0 {
			t.Errorf("back to the default: the contract names calendar %d", id)
		}

		// Restore the defaults: none stored, shown as the defaults.
		admin.submit(base, base+"/defaults", nil).want(t, http.StatusSeeOther)
		if _, defaults, _ := db.SLATargets(system, d.acme.ID); !defaults {
			t.Error("the defaults are not restored")
		}
		admin.get(base).want(t, http.StatusOK).wantText(t, "sla-targets-origin", "Default targets")

		// Managers only: an ops manager saves; an N1 agent and a customer are refused.
		ops := ws.client()
		ops.login(d.ops.Email, password)
		ops.submit(base, base, url.Values{"t0.take_charge": {"45m"}}).want(t, http.StatusSeeOther)
		if ts, _, _ := db.SLATargets(system, d.acme.ID); ts[0].Severity != "blocking" || !slices.ContainsFunc(ts, func(x sla.Target) bool { return x.TakeCharge == 45*time.Minute }) {
			t.Errorf("the ops manager's save: %+v", ts)
		}
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get(base).want(t, http.StatusForbidden)
		tok := agent.csrf()
		agent.post(base, url.Values{"csrf": {tok}, "rows": {"1"}, "t0.severity": {"minor"}, "t0.take_charge": {"1m"}}).want(t, http.StatusForbidden)
		agent.post(base+"/calendar", url.Values{"csrf": {tok}, "calendar": {itoa(always.ID)}}).want(t, http.StatusForbidden)
		agent.post(base+"/defaults", url.Values{"csrf": {tok}}).want(t, http.StatusForbidden)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		alice.get(base).want(t, http.StatusForbidden)
		if ts, _, _ := db.SLATargets(system, d.acme.ID); slices.ContainsFunc(ts, func(x sla.Target) bool { return x.TakeCharge == time.Minute }) {
			t.Error("a refused request changed the targets")
		}
	})
}

func TestContractSLADurations(t *testing.T) {
	// The duration syntax as the targets table reads it, through the page (French calendar:
	// 1 business day = 7.5 h).
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		ws := startSite(t, db)
		admin := ws.client()
		admin.login(d.admin.Email, password)
		base := "/admin/customers/" + itoa(d.globex.ID) + "/sla"
		for _, c := range []struct {
			typed string
			want  time.Duration
			ok    bool
		}{
			{"90m", 90 * time.Minute, true},
			{"1h30m", 90 * time.Minute, true},
			{"1.5h", 90 * time.Minute, true},
			{"1,5 h", 90 * time.Minute, true},
			{"2d", 15 * time.Hour, true},
			{"2J", 15 * time.Hour, true},
			{"1d 4h", 11*time.Hour + 30*time.Minute, true},
			{"", 0, true},
			{"0", 0, true},
			{"-1h", 0, false},
			{"4 hours", 0, false},
			{"h", 0, false},
			{"0.5s", 0, false},
		} {
			p := admin.submit(base, base, url.Values{"t0.take_charge": {c.typed}})
			if !c.ok {
				p.want(t, http.StatusUnprocessableEntity)
				continue
			}
			p.want(t, http.StatusSeeOther)
			ts, _, _ := db.SLATargets(system, d.globex.ID)
			if bp, _ := sla.ResolveTarget(ts, "blocking", "prod"); bp.TakeCharge != c.want {
				t.Errorf("%q saved as %v, want %v", c.typed, bp.TakeCharge, c.want)
			}
		}
	})
}
