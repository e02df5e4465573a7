package slawatch

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
)

// ReportHeader is the first line of the CSV compliance report.
var ReportHeader = []string{"month", "customer_code", "customer_name", "severity", "clock", "with_target", "met", "breached", "compliance_pct"}

// WriteReportCSV writes the monthly compliance report (store.SLAReport) as CSV: a header, then
// one line per customer, severity and clock; compliance is a percentage with one decimal, "."
// as the decimal separator.
func WriteReportCSV(w io.Writer, year int, month time.Month, rows []store.SLAReportRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ReportHeader); err != nil {
		return err
	}
	label := fmt.Sprintf("%04d-%02d", year, int(month))
	for _, r := range rows {
		if err := cw.Write([]string{label, r.CustomerCode, r.CustomerName, r.Severity, string(r.Clock),
			strconv.Itoa(r.WithTarget), strconv.Itoa(r.Met), strconv.Itoa(r.Breached),
			strconv.FormatFloat(r.Compliance(), 'f', 1, 64)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
