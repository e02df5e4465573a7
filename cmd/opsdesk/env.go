package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The environment commands (env, deploy) run in one of two ways. With --api-url (or
// OPSDESK_API_URL) they call the REST API with a token (--token or OPSDESK_API_TOKEN): what a
// deployment pipeline on another machine does, acting with the permissions of the token's user
// and recorded in history under its name. Without it they open the database like every other
// command, acting as the operator (cli:$USER) with admin rights. docs/environments.md,
// "Command line".

// envBackend is where the environment commands read and write.
type envBackend interface {
	environments(ctx context.Context, customer string) ([]*opsdesk.Environment, error)
	createEnvironment(ctx context.Context, customer string, e *opsdesk.Environment) error
	recordDeployment(ctx context.Context, d *opsdesk.Deployment) error
	close()
}

// remoteFlags adds --api-url and --token to a command.
type remoteFlags struct {
	apiURL, token *string
}

func addRemoteFlags(c *cli) remoteFlags {
	return remoteFlags{
		apiURL: c.fs.String("api-url", c.e.getenv("OPSDESK_API_URL"), "call the REST API of this opsdesk (e.g. https://desk.example) instead of opening the database [OPSDESK_API_URL]"),
		token:  c.fs.String("token", "", "API token for --api-url (default $OPSDESK_API_TOKEN)"),
	}
}

// backend opens the database, or an API client when --api-url is set.
func (r remoteFlags) backend(ctx context.Context, c *cli, cfg config.Config) (envBackend, error) {
	if base := strings.TrimSpace(*r.apiURL); base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usagef("--api-url: %q is not an http(s) URL", base)
		}
		token := strings.TrimSpace(*r.token)
		if token == "" {
			token = strings.TrimSpace(c.e.getenv("OPSDESK_API_TOKEN"))
		}
		if token == "" {
			return nil, usagef("--token (or OPSDESK_API_TOKEN) is required with --api-url")
		}
		return &apiBackend{base: strings.TrimRight(u.String(), "/") + "/api/v1", token: token,
			client: &http.Client{Timeout: 30 * time.Second}}, nil
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &dbBackend{db: db, getenv: c.e.getenv}, nil
}

// dbBackend works on the database directly, as the operator.
type dbBackend struct {
	db     *store.DB
	getenv func(string) string
}

func (b *dbBackend) close() { b.db.Close() }

func (b *dbBackend) customer(ctx context.Context, code string) (*opsdesk.Customer, error) {
	c, err := b.db.CustomerByCode(ctx, code)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return nil, opsdesk.Invalid("customer", "no customer with code %q", code)
	}
	return c, err
}

func (b *dbBackend) environments(ctx context.Context, code string) ([]*opsdesk.Environment, error) {
	ctx = cliActor(ctx, b.getenv)
	c, err := b.customer(ctx, code)
	if err != nil {
		return nil, err
	}
	return b.db.ListEnvironments(ctx, c.ID)
}

func (b *dbBackend) createEnvironment(ctx context.Context, code string, e *opsdesk.Environment) error {
	ctx = cliActor(ctx, b.getenv)
	c, err := b.customer(ctx, code)
	if err != nil {
		return err
	}
	e.CustomerID = c.ID
	return b.db.CreateEnvironment(ctx, e)
}

func (b *dbBackend) recordDeployment(ctx context.Context, d *opsdesk.Deployment) error {
	return b.db.RecordDeployment(cliActor(ctx, b.getenv), d)
}

// apiBackend calls the REST API with a bearer token.
type apiBackend struct {
	base, token string
	client      *http.Client
}

func (b *apiBackend) close() {}

// apiEnvironment and apiDeployment are the parts of the API's answers the commands use.
type apiEnvironment struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	URL    string `json:"url"`
	Status string `json:"status"`
}

type apiDeployment struct {
	ID          int64  `json:"id"`
	FromVersion string `json:"from_version"`
	Outcome     string `json:"outcome"`
}

// call sends a request and decodes a JSON answer into out; a problem document comes back as the
// domain error it describes, so the commands report API and database errors alike.
func (b *apiBackend) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.client.Do(req)
	if err != nil {
		return fmt.Errorf("calling the API: %w", err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("reading the API's answer: %w", err)
	}
	if res.StatusCode >= 300 {
		var p struct{ Type, Detail, Field string }
		if json.Unmarshal(data, &p) != nil || !strings.Contains(p.Type, "/problems/") {
			return fmt.Errorf("the API answered %s to %s %s", res.Status, method, path)
		}
		kind := opsdesk.Kind(p.Type[strings.LastIndex(p.Type, "/")+1:])
		if kind == opsdesk.KindInternal {
			return fmt.Errorf("the API failed on %s %s: %s", method, path, p.Detail)
		}
		return &opsdesk.Error{Kind: kind, Field: p.Field, Message: p.Detail}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("reading the API's answer to %s %s: %w", method, path, err)
		}
	}
	return nil
}

func (b *apiBackend) environments(ctx context.Context, code string) ([]*opsdesk.Environment, error) {
	var list struct{ Items []apiEnvironment }
	err := b.call(ctx, "GET", "/customers/"+url.PathEscape(code)+"/environments", nil, &list)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return nil, opsdesk.Invalid("customer", "no customer with code %q (or the token may not see it)", code)
	}
	if err != nil {
		return nil, err
	}
	var out []*opsdesk.Environment
	for _, e := range list.Items {
		out = append(out, &opsdesk.Environment{ID: e.ID, Kind: opsdesk.EnvKind(e.Kind), Name: e.Name, URL: e.URL, Status: opsdesk.EnvStatus(e.Status)})
	}
	return out, nil
}

func (b *apiBackend) createEnvironment(ctx context.Context, code string, e *opsdesk.Environment) error {
	var got apiEnvironment
	err := b.call(ctx, "POST", "/customers/"+url.PathEscape(code)+"/environments",
		map[string]any{"kind": e.Kind, "name": e.Name, "url": e.URL, "status": e.Status, "notes": e.Notes}, &got)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) && opsdesk.ErrorField(err) == "" {
		return opsdesk.Invalid("customer", "no customer with code %q (or the token may not see it)", code)
	}
	if err != nil {
		return err
	}
	e.ID, e.Status = got.ID, opsdesk.EnvStatus(got.Status)
	return nil
}

func (b *apiBackend) recordDeployment(ctx context.Context, d *opsdesk.Deployment) error {
	var got apiDeployment
	err := b.call(ctx, "POST", "/environments/"+strconv.FormatInt(d.EnvironmentID, 10)+"/deployments", map[string]any{
		"component": d.Component, "version": d.ToVersion, "from_version": d.FromVersion, "outcome": d.Outcome,
		"ticket": d.TicketKey, "notes": d.Notes, "emergency_reason": d.EmergencyReason}, &got)
	if err != nil {
		return err
	}
	d.ID, d.FromVersion, d.Outcome = got.ID, got.FromVersion, opsdesk.DeployOutcome(got.Outcome)
	return nil
}

// refusal reports a domain error of the environment commands: bad input (invalid, or a record
// named on the command line that does not exist) is a usage error, exit status 2; a refusal
// (the promotion path, a permission, a conflict, a bad token) is exit status 1, with its message.
func refusal(err error, flagFor map[string]string) error {
	switch opsdesk.ErrorKind(err) {
	case opsdesk.KindInvalid, opsdesk.KindNotFound:
		return domainError(err, flagFor)
	case opsdesk.KindConflict, opsdesk.KindForbidden, opsdesk.KindAuth, opsdesk.KindRateLimit:
		msg := opsdesk.ErrorMessage(err)
		if f, ok := flagFor[opsdesk.ErrorField(err)]; ok {
			msg = "--" + f + ": " + msg
		}
		return errors.New("refused: " + msg)
	}
	return err
}

func envCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("env: missing subcommand: add or list")
	}
	switch args[0] {
	case "add":
		return envAdd(ctx, e, args[1:])
	case "list":
		return envList(ctx, e, args[1:])
	}
	return usagef("env: unknown subcommand %q: add or list", args[0])
}

func envAdd(ctx context.Context, e env, args []string) error {
	c := newCLI("env add", "env add --customer ACME --kind test|preprod|prod --name NAME [--url URL] [--status active] [--notes TEXT] [--api-url URL --token TOKEN] [flags]", e)
	customer := c.fs.String("customer", "", "customer code (required)")
	kind := c.fs.String("kind", "", "test, preprod or prod (required)")
	name := c.fs.String("name", "", "name, unique for the customer (required)")
	u := c.fs.String("url", "", "http(s) address of the installation")
	status := c.fs.String("status", "active", "active, maintenance or retired")
	notes := c.fs.String("notes", "", "the vendor's notes")
	remote := addRemoteFlags(c)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "customer", "kind", "name"); err != nil {
		return err
	}
	b, err := remote.backend(ctx, c, cfg)
	if err != nil {
		return err
	}
	defer b.close()
	flagFor := map[string]string{"customer": "customer", "kind": "kind", "name": "name", "url": "url", "status": "status"}
	en := &opsdesk.Environment{Kind: opsdesk.EnvKind(strings.ToLower(*kind)), Name: *name, URL: *u, Status: opsdesk.EnvStatus(*status), Notes: *notes}
	if err := b.createEnvironment(ctx, *customer, en); err != nil {
		return refusal(err, flagFor)
	}
	fmt.Fprintf(e.stdout, "created environment %q (%s) of %s, id %d\n", en.Name, en.Kind, strings.ToUpper(*customer), en.ID)
	return nil
}

func envList(ctx context.Context, e env, args []string) error {
	c := newCLI("env list", "env list --customer ACME [--api-url URL --token TOKEN] [flags]", e)
	customer := c.fs.String("customer", "", "customer code (required)")
	remote := addRemoteFlags(c)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "customer"); err != nil {
		return err
	}
	b, err := remote.backend(ctx, c, cfg)
	if err != nil {
		return err
	}
	defer b.close()
	envs, err := b.environments(ctx, *customer)
	if err != nil {
		return refusal(err, map[string]string{"customer": "customer"})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tSTATUS\tURL")
	for _, en := range envs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", en.ID, en.Kind, en.Name, en.Status, en.URL)
	}
	return tw.Flush()
}
