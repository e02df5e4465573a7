package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// alertsFile is the Prometheus rules file shipped for operators.
const alertsFile = "../deploy/prometheus/opsdesk-alerts.yml"

// ruleKeys are the keys a Prometheus alerting rule may have; another one is a typo.
var ruleKeys = []string{"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}

// TestAlertRules checks the shipped rules file: well-formed, every rule complete, every metric
// and label its expressions use exported by opsdesk's real registry (or added by Prometheus),
// and every alert explained in docs/operations.md.
func TestAlertRules(t *testing.T) {
	src, err := os.ReadFile(alertsFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseYAML(string(src))
	if err != nil {
		t.Fatalf("%s: %v", alertsFile, err)
	}
	ops, err := os.ReadFile("operations.md")
	if err != nil {
		t.Fatal(err)
	}
	known := exportedMetrics(t)
	groups, _ := field(doc, "groups").([]any)
	if len(groups) == 0 {
		t.Fatalf("%s: no groups", alertsFile)
	}
	seen := map[string]bool{}
	for _, g := range groups {
		if name, _ := field(g, "name").(string); name == "" {
			t.Errorf("a group has no name")
		}
		rules, _ := field(g, "rules").([]any)
		if len(rules) == 0 {
			t.Errorf("group %v has no rules", field(g, "name"))
		}
		for _, r := range rules {
			name, _ := field(r, "alert").(string)
			t.Run(name, func(t *testing.T) {
				checkRule(t, r, known)
				if seen[name] {
					t.Errorf("alert %q defined twice", name)
				}
				seen[name] = true
				if !strings.Contains(string(ops), "`"+name+"`") {
					t.Errorf("alert %q is not explained in docs/operations.md (as `%s`)", name, name)
				}
			})
		}
	}
}

var (
	alertNameRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)
	durationRE  = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
)

func checkRule(t *testing.T, r any, known map[string][]string) {
	m, ok := r.(map[string]any)
	if !ok {
		t.Fatalf("rule is %T, not a mapping", r)
	}
	for k := range m {
		if !slices.Contains(ruleKeys, k) {
			t.Errorf("unknown key %q", k)
		}
	}
	if name, _ := m["alert"].(string); !alertNameRE.MatchString(name) {
		t.Errorf("alert name %q is not CamelCase", name)
	}
	if d, _ := m["for"].(string); !durationRE.MatchString(d) {
		t.Errorf("for: %q is not a Prometheus duration", d)
	}
	switch sev, _ := field(m["labels"], "severity").(string); sev {
	case "critical", "warning", "info":
	default:
		t.Errorf("labels.severity %q is not critical, warning or info", sev)
	}
	if s, _ := field(m["annotations"], "summary").(string); strings.TrimSpace(s) == "" {
		t.Errorf("annotations.summary is missing")
	}
	expr, _ := m["expr"].(string)
	if strings.TrimSpace(expr) == "" {
		t.Fatalf("expr is missing")
	}
	used, problems := checkExpr(expr, known)
	for _, p := range problems {
		t.Errorf("expr: %s", p)
	}
	if len(used) == 0 {
		t.Errorf("expr %q uses no metric", expr)
	}
}

// field returns the value of key in v when v is a mapping.
func field(v any, key string) any {
	m, _ := v.(map[string]any)
	return m[key]
}
