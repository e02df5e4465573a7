package slawatch_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/slawatch"
	"github.com/opsdesk/opsdesk/internal/store"
)

func TestWriteReportCSV(t *testing.T) {
	rows := []store.SLAReportRow{
		{CustomerCode: "ACME", CustomerName: "Acme, Inc.", Severity: "major", Clock: sla.TakeCharge, WithTarget: 3, Met: 2, Breached: 1},
		{CustomerCode: "GLOBEX", CustomerName: `Globex "Corp"`, Severity: "minor", Clock: sla.Resolve, WithTarget: 0},
	}
	var b bytes.Buffer
	if err := slawatch.WriteReportCSV(&b, 2027, time.March, rows); err != nil {
		t.Fatal(err)
	}
	want := "month,customer_code,customer_name,severity,clock,with_target,met,breached,compliance_pct\n" +
		"2027-03,ACME,\"Acme, Inc.\",major,take_charge,3,2,1,66.7\n" +
		"2027-03,GLOBEX,\"Globex \"\"Corp\"\"\",minor,resolve,0,0,0,100.0\n"
	if b.String() != want {
		t.Errorf("CSV\n got %q\nwant %q", b.String(), want)
	}
}
