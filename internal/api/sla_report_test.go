package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type reportRow struct {
	CustomerCode  string  `json:"customer_code"`
	CustomerName  string  `json:"customer_name"`
	Severity      string  `json:"severity"`
	Clock         string  `json:"clock"`
	WithTarget    int     `json:"with_target"`
	Met           int     `json:"met"`
	Breached      int     `json:"breached"`
	CompliancePct float64 `json:"compliance_pct"`
}

type report struct {
	Month string      `json:"month"`
	Items []reportRow `json:"items"`
}

func (e *env) report(user, query string) report {
	e.t.Helper()
	var r report
	e.do(user, "GET", "/api/v1/reports/sla?"+query, nil).want(e.t, http.StatusOK, &r)
	return r
}

func TestSLAReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		clk := freeze(t, db, "2027-03-01 09:00")
		// Four tickets at 09:00 on Monday 1 March. Take charge: 2 h for major, 4 h for minor.
		a := e.file("alice", map[string]any{"severity": "major"}).Number
		b := e.file("alice", map[string]any{"severity": "major"}).Number
		d := e.file("alice", map[string]any{"severity": "major"}).Number
		c := e.file("bob", map[string]any{"severity": "minor"}).Number
		take := func(at, number string) {
			clk.set(t, at)
			e.do("n1", "POST", "/api/v1/tickets/"+number+"/take", nil).want(t, http.StatusOK, nil)
			e.refresh(number)
		}
		take("2027-03-01 09:30", c) // met
		take("2027-03-01 10:00", a) // met
		take("2027-03-01 10:30", d) // met
		clk.set(t, "2027-03-01 12:00")
		e.refresh(a, b, c, d) // b was not taken by 11:00: breached
		// At 12:00 no other clock has an outcome: the work-around and resolve clocks run on.

		want := report{Month: "2027-03", Items: []reportRow{
			{"ACME", "Acme", "major", "take_charge", 3, 2, 1, 66.7},
			{"GLOBEX", "Globex", "minor", "take_charge", 1, 1, 0, 100},
		}}
		got := e.report("n1", "month=2027-03")
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("report\n got %+v\nwant %+v", got, want)
		}
		acmeOnly := report{Month: "2027-03", Items: want.Items[:1]}
		globexOnly := report{Month: "2027-03", Items: want.Items[1:]}
		for _, c := range []struct {
			user, query string
			want        report
		}{
			{"root", "month=2027-03&customer=ACME", acmeOnly},
			{"alice", "month=2027-03", acmeOnly},
			{"alice", "month=2027-03&customer=ACME", acmeOnly},
			{"bob", "month=2027-03", globexOnly},
			{"n1", "month=2027-02", report{Month: "2027-02", Items: []reportRow{}}},
			{"n1", "month=2027-04&format=json", report{Month: "2027-04", Items: []reportRow{}}},
		} {
			if got := e.report(c.user, c.query); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s ?%s = %+v, want %+v", c.user, c.query, got, c.want)
			}
		}
		if b := e.do("n1", "GET", "/api/v1/reports/sla?month=2027-02", nil).body; !bytes.Contains(b, []byte(`"items":[]`)) {
			t.Errorf("an empty month: %s", b)
		}

		// The CSV holds the same lines.
		csvReport := func(user, query, accept string) *resp {
			t.Helper()
			req := mustRequest(t, "GET", e.srv.URL+"/api/v1/reports/sla?"+query)
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			return e.send(user, req).want(t, http.StatusOK, nil)
		}
		r := csvReport("n1", "month=2027-03", "text/csv")
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("Content-Type = %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "2027-03") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		records, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		must(t, err)
		header := []string{"month", "customer_code", "customer_name", "severity", "clock", "with_target", "met", "breached", "compliance_pct"}
		if len(records) == 0 || !reflect.DeepEqual(records[0], header) {
			t.Fatalf("CSV header: %v", records)
		}
		if len(records)-1 != len(got.Items) {
			t.Fatalf("%d CSV lines, %d JSON lines:\n%s", len(records)-1, len(got.Items), r.body)
		}
		for i, row := range got.Items {
			line := []string{got.Month, row.CustomerCode, row.CustomerName, row.Severity, row.Clock, strconv.Itoa(row.WithTarget),
				strconv.Itoa(row.Met), strconv.Itoa(row.Breached), fmt.Sprintf("%.1f", row.CompliancePct)}
			if !reflect.DeepEqual(records[i+1], line) {
				t.Errorf("CSV line %d = %v, JSON says %v", i+1, records[i+1], line)
			}
		}
		if byFormat := csvReport("n1", "month=2027-03&format=csv", ""); !bytes.Equal(byFormat.body, r.body) {
			t.Errorf("format=csv gives\n%s\nAccept: text/csv gives\n%s", byFormat.body, r.body)
		}
		if own := csvReport("alice", "month=2027-03&format=CSV", ""); strings.Contains(string(own.body), "GLOBEX") ||
			!strings.Contains(string(own.body), "ACME,Acme,major,take_charge,3,2,1,66.7") {
			t.Errorf("alice's CSV:\n%s", own.body)
		}
		for _, accept := range []string{"application/json, text/csv", "text/csv;q=0, application/json", "*/*", ""} {
			if r := csvReport("n1", "month=2027-03", accept); !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("Accept %q gives %s", accept, r.header.Get("Content-Type"))
			}
		}
		if r := csvReport("n1", "month=2027-03&format=json", "text/csv"); !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("format=json with Accept: text/csv gives %s", r.header.Get("Content-Type"))
		}

		for _, c := range []struct {
			user, query string
			status      int
			field       string
		}{
			{"n1", "", 400, "month"},
			{"n1", "month=2027-13", 400, "month"},
			{"n1", "month=2027-3", 400, "month"},
			{"n1", "month=March", 400, "month"},
			{"n1", "month=1999-12", 400, "month"},
			{"n1", "month=2027-03&format=xml", 400, "format"},
			{"n1", "month=2027-03&customer=NOPE", 404, "customer"},
			{"alice", "month=2027-03&customer=GLOBEX", 404, "customer"},
			{"", "month=2027-03", 401, ""},
		} {
			e.do(c.user, "GET", "/api/v1/reports/sla?"+c.query, nil).problem(t, c.status, c.field)
		}
	})
}
