package web

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// blankTargetRows is how many empty rows the targets table offers for new targets.
const blankTargetRows = 2

// maxTargetRows bounds the rows read from a posted targets table.
const maxTargetRows = 200

// contractSLAPage is the data of a contract's service levels: the calendar its clocks count in
// and its targets table.
type contractSLAPage struct {
	Customer   *opsdesk.Customer
	Calendar   *store.SLACalendar // in force: the one the contract names, or the default
	Named      bool               // the contract names its calendar (else it follows the default)
	CalForm    *form
	Calendars  []option
	Day        string // the calendar's business day, what "1d" means
	Defaults   bool   // the contract holds no targets: the defaults apply, in the calendar's days
	AsDefaults bool   // its own targets are the defaults' (as seeded)
	Targets    *form
	Rows       []targetRow
}

// targetRow is one row of the targets table as the form shows it.
type targetRow struct {
	Prefix                          string // of its fields' names: "t3."
	ID                              string // of its fields' ids: "sla-3"
	Severities, Envs                []option
	TakeCharge, Workaround, Resolve string
	Escalate                        bool
	Errors                          map[string]string // by field, and "row" for the row as a whole
}

// targetClocks are the duration fields of a targets row, in the order of the table.
var targetClocks = []string{"take_charge", "workaround", "resolve"}

// contractSLA shows a customer contract's calendar and targets.
func (s *Server) contractSLA(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	s.showContractSLA(c, http.StatusOK, id, nil, nil)
}

// showContractSLA renders the page; a nil form is filled from the database.
func (s *Server) showContractSLA(c *call, status int, id int64, calForm, targets *form) {
	cu, err := s.db.CustomerByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := contractSLAPage{Customer: cu, CalForm: calForm, Targets: targets}
	named, err := s.db.ContractCalendarID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Named = named != 0
	if p.Calendar, err = s.db.ContractCalendar(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	cals, err := s.db.Calendars(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, cal := range cals {
		if cal.Default {
			p.Calendars = append(p.Calendars, option{Value: "0", Label: c.T("contract_sla.follow_default", cal.Name)})
		}
	}
	for _, cal := range cals {
		p.Calendars = append(p.Calendars, option{Value: strconv.FormatInt(cal.ID, 10), Label: cal.Name})
	}
	if p.CalForm == nil {
		p.CalForm = newForm("slacal", url.Values{"calendar": {strconv.FormatInt(named, 10)}})
	}
	day := p.Calendar.Calendar.DayLength()
	p.Day = hoursText(c.lang, day)
	ts, defaults, err := s.db.SLATargets(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Defaults, p.AsDefaults = defaults, !defaults && sameTargets(ts, sla.DefaultTargets(day))
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if p.Targets == nil {
		p.Targets = targetsForm(sevs, ts, day)
	}
	p.Rows = targetRows(c, p.Targets, sevs)
	s.render(c, status, "contract_sla", c.T("contract_sla.title", cu.Code), p)
}

// targetsForm holds a list of targets as the table's fields, by severity rank and with the
// targets of an environment kind before the one for any, then blank rows.
func targetsForm(sevs []*opsdesk.Severity, ts []sla.Target, day time.Duration) *form {
	rank := func(code string) int {
		if i := slices.IndexFunc(sevs, func(s *opsdesk.Severity) bool { return s.Code == code }); i >= 0 {
			return i
		}
		return len(sevs)
	}
	envRank := func(kind string) int {
		if i := slices.Index(opsdesk.EnvKinds, opsdesk.EnvKind(kind)); i >= 0 {
			return len(opsdesk.EnvKinds) - i // prod first
		}
		return len(opsdesk.EnvKinds) + 1 // any environment last
	}
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b sla.Target) int {
		return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(envRank(a.EnvKind), envRank(b.EnvKind)))
	})
	v := url.Values{}
	for i, t := range ts {
		p := "t" + strconv.Itoa(i) + "."
		v.Set(p+"severity", t.Severity)
		v.Set(p+"env", t.EnvKind)
		v.Set(p+"take_charge", businessText(t.TakeCharge, day))
		v.Set(p+"workaround", businessText(t.Workaround, day))
		v.Set(p+"resolve", businessText(t.Resolve, day))
		if t.EscalateOnBreach {
			v.Set(p+"escalate", "on")
		}
	}
	v.Set("rows", strconv.Itoa(len(ts)+blankTargetRows))
	return newForm("targets", v)
}

// targetRows builds the rows of the table from the form's values and messages.
func targetRows(c *call, f *form, sevs []*opsdesk.Severity) []targetRow {
	n := min(max(atoiOr(f.Get("rows"), 0), 0), maxTargetRows)
	rows := make([]targetRow, 0, n)
	for i := range n {
		p := "t" + strconv.Itoa(i) + "."
		r := targetRow{Prefix: p, ID: "sla-" + strconv.Itoa(i), TakeCharge: f.Get(p + "take_charge"),
			Workaround: f.Get(p + "workaround"), Resolve: f.Get(p + "resolve"), Escalate: f.Get(p+"escalate") != "",
			Errors: map[string]string{}}
		sev, env := f.Get(p+"severity"), f.Get(p+"env")
		r.Severities = []option{{Value: "", Label: c.T("contract_sla.no_severity"), Selected: sev == ""}}
		known := false
		for _, s := range sevs {
			known = known || s.Code == sev
			r.Severities = append(r.Severities, option{Value: s.Code, Label: s.Label(c.lang), Selected: s.Code == sev})
		}
		if !known && sev != "" { // a retired severity still shows what it is
			r.Severities = append(r.Severities, option{Value: sev, Label: sev, Selected: true})
		}
		r.Envs = []option{{Value: "", Label: c.T("contract_sla.any_env"), Selected: env == ""}}
		for _, k := range opsdesk.EnvKinds {
			r.Envs = append(r.Envs, option{Value: string(k), Label: c.T("env.kind." + string(k)), Selected: string(k) == env})
		}
		for _, name := range append([]string{"row", "severity", "env", "escalate"}, targetClocks...) {
			if msg := f.Err(p + name); msg != "" {
				r.Errors[name] = msg
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// saveTargets replaces the contract's targets with the table's rows (a row without severity, or
// ticked for removal, is left out). "Add rows" only shows the table again with more blank rows.
// The store recomputes the open tickets' clocks in the background.
func (s *Server) saveTargets(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("targets", c.r.PostForm)
	n := min(max(atoiOr(f.Get("rows"), 0), 0), maxTargetRows)
	if c.r.PostForm.Get("do") == "add" {
		f.Values.Set("rows", strconv.Itoa(min(n+3, maxTargetRows)))
		s.showContractSLA(c, http.StatusOK, id, nil, f)
		return
	}
	again := func(status int) { s.showContractSLA(c, status, id, nil, f) }
	cal, err := s.db.ContractCalendar(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	day := cal.Calendar.DayLength()
	var ts []sla.Target
	var rowOf []int // the table row of each target
	for i := range n {
		p := "t" + strconv.Itoa(i) + "."
		if f.Get(p+"severity") == "" || f.Get(p+"remove") != "" {
			continue
		}
		t := sla.Target{Severity: f.Get(p + "severity"), EnvKind: f.Get(p + "env"), EscalateOnBreach: f.Get(p+"escalate") != ""}
		for _, k := range targetClocks {
			d, ok := parseBusiness(f.Get(p+k), day)
			if !ok {
				f.Fail(p+k, c.T("contract_sla.bad_duration", strings.TrimSpace(f.Get(p+k))))
				continue
			}
			switch k {
			case "take_charge":
				t.TakeCharge = d
			case "workaround":
				t.Workaround = d
			case "resolve":
				t.Resolve = d
			}
		}
		ts = append(ts, t)
		rowOf = append(rowOf, i)
	}
	if f.Failed() {
		f.Fail("", c.T("contract_sla.not_saved"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if len(ts) == 0 {
		f.Fail("", c.T("contract_sla.none_left"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if err := s.db.SetSLATargets(c.ctx, id, ts); err != nil {
		if !opsdesk.IsKind(err, opsdesk.KindInvalid) {
			s.fail(c, err)
			return
		}
		msg := domainMessage(c, err)
		if m := targetField.FindStringSubmatch(opsdesk.ErrorField(err)); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(rowOf) {
				field := cmp.Or(m[2], "row")
				f.Fail("t"+strconv.Itoa(rowOf[i])+"."+field, msg)
				msg = c.T("contract_sla.not_saved")
			}
		}
		f.Fail("", msg)
		again(http.StatusUnprocessableEntity)
		return
	}
	c.redirect(customerURL(id) + "/sla?done=targets_saved")
}

// targetField reads the field of a store error about a target: "targets[2].resolve", "targets[3]".
var targetField = regexp.MustCompile(`^targets\[(\d+)\](?:\.(\w+))?$`)

// restoreDefaultTargets removes the contract's own targets: the defaults apply again, counted in
// its calendar's business days.
func (s *Server) restoreDefaultTargets(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.SetSLATargets(c.ctx, id, nil); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(customerURL(id) + "/sla?done=targets_defaults")
}

// saveContractCalendar names the calendar the contract's clocks count in (0: the default one).
func (s *Server) saveContractCalendar(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("slacal", c.r.PostForm)
	calID, err := strconv.ParseInt(f.Get("calendar"), 10, 64)
	if err != nil || calID < 0 {
		err = opsdesk.Invalid("calendar", "no calendar %q", f.Get("calendar"))
	} else {
		err = s.db.SetContractCalendar(c.ctx, id, calID)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showContractSLA(c, status, id, f, nil) })
		return
	}
	c.redirect(customerURL(id) + "/sla?done=contract_calendar")
}

// parseBusiness reads a target typed in the table: "" or "0" for none; else amounts with units,
// such as "4h", "30m", "1h30m", "7.5h", "2d" (d, or j in French, is a business day of the
// contract's calendar: its DayLength), "1d4h". ok is false for anything else, or a negative or
// fractional number of seconds.
func parseBusiness(s string, day time.Duration) (d time.Duration, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if s == "" || s == "0" {
		return 0, true
	}
	if !businessDuration.MatchString(s) {
		return 0, false
	}
	var total float64
	for _, part := range businessPart.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseFloat(strings.ReplaceAll(part[1], ",", "."), 64)
		if err != nil {
			return 0, false
		}
		unit := map[string]time.Duration{"d": day, "j": day, "h": time.Hour, "m": time.Minute, "min": time.Minute, "s": time.Second}[part[2]]
		total += n * float64(unit)
	}
	if total > float64(400*24*time.Hour) || total != float64(time.Duration(total)/time.Second*time.Second) {
		return 0, false
	}
	return time.Duration(total), true
}

// businessDuration is a whole business duration, businessPart one of its amounts: "2d", "1.5h",
// "30min".
var (
	businessDuration = regexp.MustCompile(`^(?:\d+(?:[.,]\d+)?(?:min|d|j|h|m|s))+$`)
	businessPart     = regexp.MustCompile(`(\d+(?:[.,]\d+)?)(min|d|j|h|m|s)`)
)

// businessText writes a target for the table: whole business days as "2d", else hours and
// minutes ("4h", "1h30m"); none as "".
func businessText(d, day time.Duration) string {
	if d <= 0 {
		return ""
	}
	return sla.FormatBusiness(d, day)
}

// sameTargets tells whether two lists hold the same targets, in any order.
func sameTargets(a, b []sla.Target) bool {
	if len(a) != len(b) {
		return false
	}
	for _, t := range a {
		if !slices.Contains(b, t) {
			return false
		}
	}
	return true
}

// atoiOr reads a number, or gives def.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}
