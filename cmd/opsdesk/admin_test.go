package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

func TestUserAndCustomerCommands(t *testing.T) {
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir(), "USER": "tester"}
	// Created while the server runs: the CLI works next to a live instance.
	base, _ := startServe(t, vars)

	out, _, err := runCmd(t, vars, "", "customer", "create", "--code", "acme", "--name", "Acme Corp", "--domain", "acme.example", "--domain", "acme-corp.example", "--levels", "N2,n3")
	if err != nil || !strings.Contains(out, "created customer ACME") {
		t.Fatalf("customer create: %q %v", out, err)
	}
	out, _, err = runCmd(t, vars, "", "user", "create", "--email", "boss@vendor.example", "--role", "admin")
	password := valueAfter(out, "password")
	if err != nil || len(password) < 10 {
		t.Fatalf("user create: %q %v (want a generated password)", out, err)
	}
	out, _, err = runCmd(t, vars, "chosen-password-1\n", "user", "create", "--email", "alice@acme.example", "--role", "customer", "--customer", "ACME")
	if err != nil || strings.Contains(out, "password:") {
		t.Fatalf("user create with stdin password: %q %v", out, err)
	}
	out, _, err = runCmd(t, vars, "", "user", "create", "--email", "n2@vendor.example", "--role", "agent", "--level", "N2", "--domains", "mobile,database")
	if err != nil {
		t.Fatalf("agent: %q %v", out, err)
	}

	bad := []struct {
		args []string
		want string
	}{
		{[]string{"user", "create", "--email", "x@vendor.example", "--role", "agent"}, "--level: an agent needs a support level"},
		{[]string{"user", "create", "--email", "x@vendor.example", "--role", "wizard"}, "--role: must be one of"},
		{[]string{"user", "create", "--role", "admin"}, "--email is required"},
		{[]string{"user", "create", "--email", "x@acme.example", "--role", "customer", "--customer", "NOPE"}, `--customer: no customer with code "NOPE"`},
		{[]string{"user", "create", "--email", "boss@vendor.example", "--role", "admin"}, "--email: a user with address boss@vendor.example already exists"},
		{[]string{"customer", "create", "--code", "ACME", "--name", "Again"}, "--code: customer code ACME is already used"},
		{[]string{"customer", "create", "--code", "X", "--name", "x"}, "--code: must be 2 to 20"},
		{[]string{"customer", "create", "--code", "OTHER", "--name", "x", "--domain", "acme.example"}, "--domain: domain acme.example already belongs to customer ACME"},
		{[]string{"customer", "create", "--code", "OTHER", "--name", "x", "--levels", "N4"}, `--levels: "N4" is not a support level`},
	}
	for _, b := range bad {
		_, _, err := runCmd(t, vars, "", b.args...)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%v: error %v, want %q", b.args, err, b.want)
		}
	}
	if _, _, err := runCmd(t, vars, "short\n", "user", "create", "--email", "y@vendor.example", "--role", "admin"); err == nil || !strings.Contains(err.Error(), "at least 10 characters") {
		t.Errorf("weak stdin password: %v", err)
	}

	out, _, _ = runCmd(t, vars, "", "customer", "list")
	if !strings.Contains(out, "ACME") || !strings.Contains(out, "acme-corp.example,acme.example") {
		t.Errorf("customer list: %q", out)
	}
	out, _, _ = runCmd(t, vars, "", "user", "list", "--role", "agent")
	if !strings.Contains(out, "n2@vendor.example") || strings.Contains(out, "boss@") {
		t.Errorf("user list --role agent: %q", out)
	}

	// The created admin logs in to the running server with the printed password.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := loginCode(t, c, base, "boss@vendor.example", password); code != http.StatusOK {
		t.Fatalf("login with the printed password: status %d", code)
	}

	// Token for the API, and the audit trail names the CLI operator.
	out, _, err = runCmd(t, vars, "", "token", "create", "--user", "n2@vendor.example")
	if err != nil || !strings.HasPrefix(out, "odk_") {
		t.Fatalf("token create: %q %v", out, err)
	}
	db, err := store.Open(context.Background(), filepath.Join(vars["OPSDESK_DATA_DIR"], "opsdesk.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if u, _, err := db.UserByAPIToken(context.Background(), strings.TrimSpace(out)); err != nil || u.Email != "n2@vendor.example" {
		t.Fatalf("printed token does not authenticate: %v", err)
	}
	entries, err := db.ListAudit(opsdesk.WithActor(context.Background(), opsdesk.System("t")), opsdesk.AuditFilter{Entity: "contract"})
	if err != nil || len(entries) == 0 || entries[0].ActorLabel != "cli:tester" {
		t.Fatalf("contract audit: %+v %v", entries, err)
	}
}

// loginCode posts the login form with the CSRF token the login page gave, following redirects.
func loginCode(t *testing.T, c *http.Client, base, email, password string) int {
	t.Helper()
	u, _ := url.Parse(base)
	var token string
	for _, ck := range c.Jar.Cookies(u) {
		if strings.Contains(ck.Name, "csrf") {
			token = ck.Value
		}
	}
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}, "csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestBackupWhileServing(t *testing.T) {
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir()}
	startServe(t, vars)
	if _, _, err := runCmd(t, vars, "", "customer", "create", "--code", "ACME", "--name", "Acme"); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "backups", "opsdesk-backup.db")
	out, _, err := runCmd(t, vars, "", "backup", "--to", to)
	if err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %q %v", out, err)
	}
	// Restore: point a new instance's data directory at the copy and read it back.
	restored := t.TempDir()
	b, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(restored, "opsdesk.db"), b, 0o600)
	out, _, err = runCmd(t, map[string]string{"OPSDESK_DATA_DIR": restored}, "", "customer", "list")
	if err != nil || !strings.Contains(out, "ACME") {
		t.Fatalf("restored customer list: %q %v", out, err)
	}
	if _, _, err := runCmd(t, vars, "", "backup"); err == nil || !strings.Contains(err.Error(), "--to is required") {
		t.Errorf("backup without --to: %v", err)
	}
	if _, _, err := runCmd(t, map[string]string{"OPSDESK_DATABASE_URL": "postgres://x@127.0.0.1/db"}, "", "backup", "--to", to); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of PostgreSQL: %v", err)
	}
}
