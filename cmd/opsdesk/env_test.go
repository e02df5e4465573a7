package main

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// exitCode is the status main exits with for a command's error.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// TestEnvAndDeployCommands runs env and deploy on the database directly, on both databases:
// environments are added, the promotion path refuses prod before preprod (exit 1), --env
// resolves a kind or a name, and mistakes are usage errors (exit 2).
func TestEnvAndDeployCommands(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			vars := map[string]string{"OPSDESK_DATABASE_URL": storetest.DSN(t, d), "OPSDESK_DATA_DIR": t.TempDir(), "USER": "tester"}
			cmd := func(args ...string) (string, error) {
				t.Helper()
				out, _, err := runCmd(t, vars, "", args...)
				return out, err
			}
			if _, err := cmd("customer", "create", "--code", "ACME", "--name", "Acme"); err != nil {
				t.Fatal(err)
			}
			for _, a := range [][]string{{"preprod", "Preprod"}, {"prod", "Production"}} {
				out, err := cmd("env", "add", "--customer", "acme", "--kind", a[0], "--name", a[1], "--url", "https://"+a[0]+".acme.example")
				if err != nil || !strings.Contains(out, `created environment "`+a[1]+`" (`+a[0]+`) of ACME`) {
					t.Fatalf("env add %s: %q %v", a[0], out, err)
				}
			}
			deploy := func(env, version string, more ...string) (string, error) {
				return cmd(append([]string{"deploy", "--customer", "ACME", "--env", env, "--component", "app", "--version", version}, more...)...)
			}
			cases := []struct {
				name string
				run  func() (string, error)
				code int
				want string // in the output (exit 0) or the error
			}{
				{"bad kind", func() (string, error) {
					return cmd("env", "add", "--customer", "ACME", "--kind", "staging", "--name", "S")
				}, 2, "--kind: must be test, preprod or prod"},
				{"bad url", func() (string, error) {
					return cmd("env", "add", "--customer", "ACME", "--kind", "test", "--name", "T", "--url", "ftp://x")
				}, 2, "--url: must be an http(s) URL"},
				{"unknown customer", func() (string, error) {
					return cmd("env", "add", "--customer", "NOPE", "--kind", "test", "--name", "T")
				}, 2, `--customer: no customer with code "NOPE"`},
				{"name taken", func() (string, error) {
					return cmd("env", "add", "--customer", "ACME", "--kind", "test", "--name", "Preprod")
				}, 1, "--name: this customer already has an environment named"},
				{"missing flag", func() (string, error) { return cmd("deploy", "--customer", "ACME", "--env", "prod") }, 2, "--component is required"},
				{"prod before preprod", func() (string, error) { return deploy("prod", "4.2.0") }, 1,
					"refused: --version: app 4.2.0 has not succeeded on preprod (Preprod) yet"},
				{"preprod", func() (string, error) { return deploy("preprod", "4.2.0", "--from", "4.1.0", "--notes", "pipeline 77") }, 0,
					`recorded deployment 1: app 4.1.0 → 4.2.0 on ACME "Preprod" (preprod), success`},
				{"prod after preprod", func() (string, error) { return deploy("PROD", "4.2.0") }, 0,
					`app (none) → 4.2.0 on ACME "Production" (prod), success`},
				{"bad outcome", func() (string, error) { return deploy("prod", "4.2.1", "--outcome", "great") }, 2, "--outcome: must be planned"},
				{"emergency on preprod", func() (string, error) { return deploy("preprod", "4.2.1", "--emergency-reason", "x") }, 2,
					"--emergency-reason: only a deployment to prod needs an emergency reason"},
				{"unknown ticket", func() (string, error) { return deploy("preprod", "4.2.1", "--ticket", "OPS-9") }, 2, "--ticket: no ticket OPS-9"},
				{"unknown env", func() (string, error) { return deploy("staging", "4.2.1") }, 2,
					`--env: ACME has no environment of kind or name "staging"; it has "Preprod" (preprod), "Production" (prod)`},
				{"second prod", func() (string, error) {
					return cmd("env", "add", "--customer", "ACME", "--kind", "prod", "--name", "Prod US")
				}, 0, `created environment "Prod US"`},
				{"ambiguous kind", func() (string, error) { return deploy("prod", "4.2.0") }, 2,
					`--env: ACME has 2 prod environments: "Prod US" (prod), "Production" (prod); give the name of one`},
				{"by name", func() (string, error) { return deploy("prod us", "4.2.0", "--outcome", "failed") }, 0,
					`on ACME "Prod US" (prod), failed`},
				{"emergency by the operator", func() (string, error) {
					return deploy("Production", "4.3.0", "--emergency-reason", "CVE-2026-1", "--from", "4.2.0")
				}, 0, `app 4.2.0 → 4.3.0 on ACME "Production"`},
			}
			for _, c := range cases {
				out, err := c.run()
				if got := exitCode(err); got != c.code {
					t.Errorf("%s: exit %d, want %d (%q %v)", c.name, got, c.code, out, err)
					continue
				}
				text := out
				if err != nil {
					text = err.Error()
				}
				if !strings.Contains(text, c.want) {
					t.Errorf("%s: %q, want it to contain %q", c.name, text, c.want)
				}
			}
			out, err := cmd("env", "list", "--customer", "ACME")
			if err != nil || strings.Count(out, "https://") != 2 || !strings.Contains(out, "Prod US") {
				t.Errorf("env list: %q %v", out, err)
			}
		})
	}
}

// TestDeployThroughAPI runs the commands as a pipeline does, against a running opsdesk with a
// token: the token's user's permissions apply (an agent records deployments but neither adds
// environments nor skips preprod) and the deployment is recorded under its name.
func TestDeployThroughAPI(t *testing.T) {
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir(), "USER": "tester"}
	base, _ := startServe(t, vars)
	setup := [][]string{
		{"customer", "create", "--code", "ACME", "--name", "Acme"},
		{"env", "add", "--customer", "ACME", "--kind", "preprod", "--name", "Preprod"},
		{"env", "add", "--customer", "ACME", "--kind", "prod", "--name", "Production"},
		{"user", "create", "--email", "ci@vendor.example", "--role", "agent", "--level", "N2"},
		{"user", "create", "--email", "ops@vendor.example", "--role", "ops_manager"},
	}
	for _, a := range setup {
		if out, _, err := runCmd(t, vars, "", a...); err != nil {
			t.Fatalf("%v: %q %v", a, out, err)
		}
	}
	token := func(email string) string {
		out, _, err := runCmd(t, vars, "", "token", "create", "--user", email, "--name", "pipeline")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(out)
	}
	agent, ops := token("ci@vendor.example"), token("ops@vendor.example")
	// The pipeline's machine has no database: only the API's address and a token.
	remote := map[string]string{"OPSDESK_API_URL": base, "OPSDESK_API_TOKEN": agent, "OPSDESK_DATA_DIR": t.TempDir() + "/unused"}
	with := func(extra map[string]string) map[string]string {
		v := maps.Clone(remote)
		maps.Copy(v, extra)
		return v
	}
	deploy := []string{"deploy", "--customer", "ACME", "--component", "app"}
	cases := []struct {
		name string
		vars map[string]string
		args []string
		code int
		want string
	}{
		{"prod before preprod", remote, append(deploy, "--env", "prod", "--version", "4.2.0"), 1,
			"refused: --version: app 4.2.0 has not succeeded on preprod (Preprod) yet"},
		{"preprod", remote, append(deploy, "--env", "preprod", "--version", "4.2.0", "--notes", "build 77"), 0,
			`app (none) → 4.2.0 on ACME "Preprod" (preprod), success`},
		{"prod", remote, append(deploy, "--env", "prod", "--version", "4.2.0"), 0, `on ACME "Production" (prod), success`},
		{"emergency by an agent", remote, append(deploy, "--env", "prod", "--version", "5.0.0", "--emergency-reason", "hotfix"), 1,
			"refused: only ops managers and admins record an emergency deployment"},
		{"emergency by an ops manager", remote, append(deploy, "--env", "prod", "--version", "5.0.0", "--emergency-reason", "hotfix", "--token", ops), 0,
			"app 4.2.0 → 5.0.0"},
		{"agent adds an environment", remote, []string{"env", "add", "--customer", "ACME", "--kind", "test", "--name", "T"}, 1,
			"refused: only admins and ops managers manage environments"},
		{"ops manager adds one", with(map[string]string{"OPSDESK_API_TOKEN": ops}), []string{"env", "add", "--customer", "ACME", "--kind", "test", "--name", "T"}, 0,
			`created environment "T" (test) of ACME`},
		{"invalid through the API", remote, append(deploy, "--env", "test", "--version", "has space"), 2, "--version: must be a version without spaces"},
		{"unknown customer", remote, []string{"deploy", "--customer", "NOPE", "--env", "prod", "--component", "app", "--version", "1"}, 2,
			`--customer: no customer with code "NOPE"`},
		{"bad token", with(map[string]string{"OPSDESK_API_TOKEN": "nope"}), append(deploy, "--env", "test", "--version", "1"), 1, "refused:"},
		{"no token", with(map[string]string{"OPSDESK_API_TOKEN": ""}), append(deploy, "--env", "test", "--version", "1"), 2,
			"--token (or OPSDESK_API_TOKEN) is required with --api-url"},
		{"bad api url", with(map[string]string{"OPSDESK_API_URL": "desk.example"}), append(deploy, "--env", "test", "--version", "1"), 2,
			`--api-url: "desk.example" is not an http(s) URL`},
	}
	for _, c := range cases {
		out, _, err := runCmd(t, c.vars, "", c.args...)
		if got := exitCode(err); got != c.code {
			t.Errorf("%s: exit %d, want %d (%q %v)", c.name, got, c.code, out, err)
			continue
		}
		text := out
		if err != nil {
			text = err.Error()
		}
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: %q, want it to contain %q", c.name, text, c.want)
		}
	}

	// The history names the token's users, not the operator of the command line.
	var envs struct {
		Items []struct {
			ID   int64
			Kind string
		}
	}
	apiGet(t, base+"/api/v1/customers/ACME/environments", ops, &envs)
	var hist struct {
		Items []struct {
			Version, By, Notes, EmergencyReason string
		}
	}
	if len(envs.Items) != 3 || envs.Items[1].Kind != "preprod" {
		t.Fatalf("environments: %+v", envs)
	}
	apiGet(t, base+"/api/v1/environments/"+itoa(envs.Items[1].ID)+"/deployments", ops, &hist)
	if len(hist.Items) != 1 || hist.Items[0].Notes != "build 77" || hist.Items[0].By == "" || strings.Contains(hist.Items[0].By, "cli") {
		t.Errorf("preprod history: %+v", hist)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// apiGet reads a JSON answer of the API with a token.
func apiGet(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
