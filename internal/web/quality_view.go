package web

import (
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// qualityNames holds what the quality pages name targets by: severities and customers.
type qualityNames struct {
	severities []*opsdesk.Severity
	customers  []*opsdesk.Customer
}

func (s *Server) qualityNames(c *call) (*qualityNames, error) {
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		return nil, err
	}
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return nil, err
	}
	return &qualityNames{severities: sevs, customers: cs}, nil
}

func (n *qualityNames) severity(c *call, code string) string {
	for _, s := range n.severities {
		if s.Code == code {
			if c.lang == opsdesk.LangFR {
				return s.LabelFR
			}
			return s.LabelEN
		}
	}
	return code
}

func (n *qualityNames) customer(id int64) string {
	for _, cu := range n.customers {
		if cu.ID == id {
			return cu.Code
		}
	}
	return strconv.FormatInt(id, 10)
}

// row writes a target and one of its results for the page.
func (n *qualityNames) row(c *call, t *opsdesk.QualityTarget, r *opsdesk.QualityResult) qualityRow {
	info, _ := t.Indicator.Info()
	row := qualityRow{Target: t, Indicator: c.T("quality.ind." + string(t.Indicator)), Last: r,
		Severity: c.T("quality.all_severities"), Customer: c.T("quality.all_customers")}
	if t.Severity != "" {
		row.Severity = n.severity(c, t.Severity)
	}
	if t.CustomerID != 0 {
		row.Customer = n.customer(t.CustomerID)
	}
	row.Goal = c.T("quality.cmp."+t.Comparator) + " " + qualityFigure(c, info.Unit, t.Threshold)
	if r != nil {
		if r.Measured {
			row.Value = qualityFigure(c, info.Unit, r.Value)
		}
		if t.Period == opsdesk.PeriodWeek {
			y, w := r.PeriodStart.ISOWeek()
			row.Period = c.T("quality.week_of", y, w, r.PeriodStart.Format("2006-01-02"))
		} else {
			row.Period = r.PeriodStart.Format("2006-01")
		}
	}
	return row
}

// choices builds the select inputs of the target form.
func (n *qualityNames) choices(c *call) qualityChoices {
	var ch qualityChoices
	for _, i := range opsdesk.QualityIndicators {
		ch.Indicators = append(ch.Indicators, option{Value: string(i.Key), Label: c.T("quality.ind." + string(i.Key))})
	}
	ch.Severities = []option{{Value: "", Label: c.T("quality.all_severities")}}
	for _, s := range n.severities {
		ch.Severities = append(ch.Severities, option{Value: s.Code, Label: n.severity(c, s.Code)})
	}
	ch.Customers = []option{{Value: "", Label: c.T("quality.all_customers")}}
	for _, cu := range n.customers {
		ch.Customers = append(ch.Customers, option{Value: strconv.FormatInt(cu.ID, 10), Label: cu.Code + " — " + cu.Name})
	}
	for _, k := range []string{opsdesk.CompareAtLeast, opsdesk.CompareAtMost} {
		ch.Comparators = append(ch.Comparators, option{Value: k, Label: c.T("quality.cmp." + k)})
	}
	for _, p := range []string{opsdesk.PeriodWeek, opsdesk.PeriodMonth} {
		ch.Periods = append(ch.Periods, option{Value: p, Label: c.T("quality.period." + p)})
	}
	return ch
}

// qualityNumber writes a figure with at most two decimals and no trailing zeros: 95, 4.2.
func qualityNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// qualityFigure writes a figure with its unit, with a decimal comma in French: "95 %",
// "4,2 / 5", "90 min".
func qualityFigure(c *call, unit string, v float64) string {
	s := qualityNumber(v)
	if c.lang == opsdesk.LangFR {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return c.T("quality.unit."+unit, s)
}
