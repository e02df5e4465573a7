package api

import (
	"bytes"
	"math"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/slawatch"
)

// slaReport is the monthly SLA compliance report.
type slaReport struct {
	Month string         `json:"month" doc:"YYYY-MM"`
	Items []slaReportRow `json:"items" doc:"by customer code, severity rank and clock; only lines where some clock counted"`
}

// slaReportRow is one line of the report: one customer's tickets of one severity, for one
// clock. The names are the CSV columns'.
type slaReportRow struct {
	CustomerCode  string  `json:"customer_code"`
	CustomerName  string  `json:"customer_name"`
	Severity      string  `json:"severity"`
	Clock         string  `json:"clock" enum:"take_charge,workaround,resolve"`
	WithTarget    int     `json:"with_target" doc:"clocks with a target whose outcome fell in the month: met + breached"`
	Met           int     `json:"met" doc:"stopped in the month without exceeding the target"`
	Breached      int     `json:"breached" doc:"exceeded the target in the month"`
	CompliancePct float64 `json:"compliance_pct" doc:"100 × met / with_target, to one decimal"`
}

// slaReport answers the compliance report of ?month=YYYY-MM (months read in the zone of each
// customer's calendar), for every customer or ?customer=CODE, as JSON or, for Accept: text/csv or
// ?format=csv, as the CSV of slawatch.WriteReportCSV. A customer's token gets its own
// organisation's lines only; naming another organisation is not found, as everywhere.
func (a *API) slaReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	m, err := time.Parse("2006-01", strings.TrimSpace(q.Get("month")))
	if err != nil {
		return badRequest("month", "is required, a month as YYYY-MM such as 2027-03")
	}
	asCSV, err := wantsCSV(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var customerID int64
	name := "sla-" + m.Format("2006-01") + ".csv" // of the CSV file
	if code := q.Get("customer"); code != "" {
		c, err := a.db.CustomerByCode(ctx, code)
		if err != nil {
			return withField(err, "customer")
		}
		customerID, name = c.ID, "sla-"+c.Code+"-"+m.Format("2006-01")+".csv"
	}
	rows, err := a.db.SLAReport(ctx, m.Year(), m.Month(), customerID)
	if err != nil {
		if opsdesk.IsKind(err, opsdesk.KindInvalid) && opsdesk.ErrorField(err) == "month" {
			return badRequest("month", opsdesk.ErrorMessage(err))
		}
		return err
	}
	w.Header().Set("Vary", "Accept")
	if asCSV {
		var buf bytes.Buffer
		if err := slawatch.WriteReportCSV(&buf, m.Year(), m.Month(), rows); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		_, err := buf.WriteTo(w)
		return err
	}
	out := slaReport{Month: m.Format("2006-01"), Items: make([]slaReportRow, len(rows))}
	for i, row := range rows {
		out.Items[i] = slaReportRow{CustomerCode: row.CustomerCode, CustomerName: row.CustomerName, Severity: row.Severity,
			Clock: string(row.Clock), WithTarget: row.WithTarget, Met: row.Met, Breached: row.Breached,
			CompliancePct: math.Round(row.Compliance()*10) / 10}
	}
	return writeJSON(w, http.StatusOK, out)
}

// wantsCSV reads ?format= (json or csv), else the Accept header: CSV when text/csv comes before
// application/json there.
func wantsCSV(r *http.Request) (bool, error) {
	switch f := strings.ToLower(r.URL.Query().Get("format")); f {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
	default:
		return false, badRequest("format", "must be json or csv")
	}
	for part := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		switch mt {
		case "text/csv":
			return true, nil
		case "application/json", "*/*":
			return false, nil
		}
	}
	return false, nil
}
