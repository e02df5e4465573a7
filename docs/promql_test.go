package docs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// promFuncs are the PromQL functions and aggregations the rules may call; an identifier
// followed by "(" that is not here is reported, so that a misspelt function is caught too.
var promFuncs = []string{
	"abs", "absent", "absent_over_time", "avg", "avg_over_time", "ceil", "changes", "clamp_max",
	"clamp_min", "count", "count_over_time", "delta", "deriv", "floor", "histogram_quantile",
	"idelta", "increase", "irate", "label_replace", "max", "max_over_time", "min", "min_over_time",
	"predict_linear", "quantile", "rate", "resets", "round", "scalar", "sort", "stddev", "sum",
	"sum_over_time", "time", "timestamp", "topk", "bottomk", "vector",
}

// promWords are PromQL keywords; grouping keywords are followed by a list of label names.
var (
	promWords    = []string{"and", "or", "unless", "bool", "offset"}
	promGrouping = []string{"by", "without", "on", "ignoring", "group_left", "group_right"}
	// scrapeLabels are added by Prometheus to every series it scrapes.
	scrapeLabels = []string{"job", "instance"}
)

var (
	stringRE   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'` + "|`[^`]*`")
	selectorRE = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^{}]*)\}`)
	matcherRE  = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*$`)
	rangeRE    = regexp.MustCompile(`\[[^\]]*\]`)
	groupingRE = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)`)
	tokenRE    = regexp.MustCompile(`[0-9][0-9.]*[a-z]*|[a-zA-Z_:][a-zA-Z0-9_:]*\s*\(?`)
)

// checkExpr finds the metrics a PromQL expression reads and reports every identifier that is
// neither a known metric, a PromQL function or keyword, and every label name that none of the
// expression's metrics has. known maps metric names to their label names.
func checkExpr(expr string, known map[string][]string) (used, problems []string) {
	e := stringRE.ReplaceAllString(expr, `""`)
	labels := map[string]bool{}
	for _, l := range scrapeLabels {
		labels[l] = true
	}
	var matchers []string
	// Selectors first: their metric name, and the label names they match on.
	e = selectorRE.ReplaceAllStringFunc(e, func(s string) string {
		m := selectorRE.FindStringSubmatch(s)
		for _, part := range strings.Split(m[2], ",") {
			part = strings.TrimSpace(strings.TrimSuffix(part, `""`))
			if part == "" {
				continue
			}
			mm := matcherRE.FindStringSubmatch(part)
			if mm == nil {
				problems = append(problems, fmt.Sprintf("cannot read matcher %q", part))
				continue
			}
			matchers = append(matchers, mm[1])
		}
		return " " + m[1] + " "
	})
	e = rangeRE.ReplaceAllString(e, " ")
	var grouped []string
	e = groupingRE.ReplaceAllStringFunc(e, func(s string) string {
		for _, l := range strings.Split(groupingRE.FindStringSubmatch(s)[2], ",") {
			if l = strings.TrimSpace(l); l != "" {
				grouped = append(grouped, l)
			}
		}
		return " "
	})
	for _, tok := range tokenRE.FindAllString(e, -1) {
		name, call := strings.CutSuffix(tok, "(")
		name = strings.TrimSpace(name)
		switch {
		case name[0] >= '0' && name[0] <= '9':
		case call:
			if !slices.Contains(promFuncs, name) {
				problems = append(problems, fmt.Sprintf("unknown function %s()", name))
			}
		case slices.Contains(promWords, name) || slices.Contains(promGrouping, name):
		default:
			ls, ok := known[name]
			if !ok {
				problems = append(problems, fmt.Sprintf("metric %s is not exported by opsdesk", name))
				continue
			}
			used = append(used, name)
			for _, l := range ls {
				labels[l] = true
			}
		}
	}
	for _, l := range append(matchers, grouped...) {
		if !labels[l] {
			problems = append(problems, fmt.Sprintf("label %q belongs to none of %v", l, used))
		}
	}
	return used, problems
}

func TestCheckExpr(t *testing.T) {
	known := map[string][]string{
		"opsdesk_job_runs_total":                       {"kind", "outcome"},
		"opsdesk_http_request_duration_seconds_bucket": {"route", "le"},
		"up": nil,
	}
	cases := []struct {
		expr     string
		used     int
		problems int
	}{
		{`up{job="opsdesk"} == 0`, 1, 0},
		{`sum by (kind) (increase(opsdesk_job_runs_total{outcome="failed", kind=~"a|b"}[15m])) > 0`, 1, 0},
		{`histogram_quantile(0.95, sum by (instance, le) (rate(opsdesk_http_request_duration_seconds_bucket{route!="GET /events"}[5m]))) > 2`, 1, 0},
		{`x > x offset 30m`, 0, 2},                                // unknown metric, twice
		{`opsdesk_job_runs_totl > 0`, 0, 1},                       // misspelt metric
		{`rat(opsdesk_job_runs_total[5m])`, 1, 1},                 // misspelt function
		{`opsdesk_job_runs_total{outcom="failed"}`, 1, 1},         // misspelt label
		{`sum by (customer) (opsdesk_job_runs_total)`, 1, 1},      // grouping by a label it lacks
		{`opsdesk_job_runs_total{kind="a,b", outcome="x"}`, 1, 0}, // a comma inside a value
	}
	for _, c := range cases {
		used, problems := checkExpr(c.expr, known)
		if len(used) != c.used || len(problems) != c.problems {
			t.Errorf("%s: used %v, problems %q; want %d used, %d problems", c.expr, used, problems, c.used, c.problems)
		}
	}
}
