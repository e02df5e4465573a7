package main

import (
	"strings"
	"testing"
)

// TestBadSLAWarnStopsServe: a warning share that is not strictly between 0 and 1 stops serve
// with one line naming the setting as it was given (exit status 2).
func TestBadSLAWarnStopsServe(t *testing.T) {
	tests := []struct {
		vars map[string]string
		args []string
		want string
	}{
		{map[string]string{"OPSDESK_SLA_WARN": "0"}, nil, `OPSDESK_SLA_WARN: "0" is not a share above 0 and below 1`},
		{map[string]string{"OPSDESK_SLA_WARN": "1.5"}, nil, `OPSDESK_SLA_WARN: "1.5" is not a share above 0 and below 1`},
		{map[string]string{"OPSDESK_SLA_WARN": "abc"}, nil, `OPSDESK_SLA_WARN: "abc" is not a share above 0 and below 1`},
		{nil, []string{"--sla-warn", "1"}, `--sla-warn: "1" is not a share above 0 and below 1`},
	}
	for _, tt := range tests {
		_, _, err := runCmd(t, tt.vars, "", append([]string{"serve"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("serve %v %v: error %q, want one line containing %q", tt.vars, tt.args, err, tt.want)
		}
		if _, ok := err.(usageError); !ok {
			t.Errorf("serve %v %v: a bad setting should exit 2 (usageError), got %T", tt.vars, tt.args, err)
		}
	}
}
