package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// deployCmd records a deployment, as a pipeline does after (or before) delivering a version:
//
//	opsdesk deploy --customer ACME --env preprod --component app --version 4.2.0 --outcome success
//
// --env is a kind when the customer has one active environment of that kind, else an
// environment's name. A prod deployment of a version that has not succeeded on the customer's
// preprod is refused (exit status 1) unless an ops manager gives --emergency-reason.
func deployCmd(ctx context.Context, e env, args []string) error {
	c := newCLI("deploy", "deploy --customer ACME --env preprod|NAME --component app --version 4.2.0 [--outcome success] "+
		"[--from 4.1.0] [--ticket OPS-12] [--emergency-reason TEXT] [--notes TEXT] [--api-url URL --token TOKEN] [flags]", e)
	customer := c.fs.String("customer", "", "customer code (required)")
	envName := c.fs.String("env", "", "environment: a kind (test, preprod, prod) when the customer has one of it, else its name (required)")
	component := c.fs.String("component", "", "component deployed, e.g. app (required)")
	version := c.fs.String("version", "", "version deployed, e.g. 4.2.0 (required)")
	outcome := c.fs.String("outcome", "success", "planned, in_progress, success, failed or rolled_back")
	from := c.fs.String("from", "", "version before (default: the environment's current one)")
	ticket := c.fs.String("ticket", "", "linked ticket of the same customer, e.g. OPS-12")
	emergency := c.fs.String("emergency-reason", "", "prod only, ops managers: why this version skips preprod")
	notes := c.fs.String("notes", "", "notes for the vendor's team")
	remote := addRemoteFlags(c)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "customer", "env", "component", "version"); err != nil {
		return err
	}
	b, err := remote.backend(ctx, c, cfg)
	if err != nil {
		return err
	}
	defer b.close()
	flagFor := map[string]string{"customer": "customer", "environment": "env", "component": "component", "version": "version",
		"from_version": "from", "outcome": "outcome", "ticket": "ticket", "emergency_reason": "emergency-reason",
		"finished_at": "outcome", "notes": "notes"}
	envs, err := b.environments(ctx, *customer)
	if err != nil {
		return refusal(err, flagFor)
	}
	target, err := pickEnvironment(envs, strings.ToUpper(strings.TrimSpace(*customer)), *envName)
	if err != nil {
		return err
	}
	d := &opsdesk.Deployment{EnvironmentID: target.ID, Component: *component, ToVersion: *version, FromVersion: *from,
		Outcome: opsdesk.DeployOutcome(strings.ToLower(*outcome)), TicketKey: *ticket, Notes: *notes, EmergencyReason: *emergency}
	if err := b.recordDeployment(ctx, d); err != nil {
		return refusal(err, flagFor)
	}
	was := d.FromVersion
	if was == "" {
		was = "(none)"
	}
	fmt.Fprintf(e.stdout, "recorded deployment %d: %s %s → %s on %s %q (%s), %s\n", d.ID, strings.ToLower(*component), was,
		strings.TrimSpace(*version), strings.ToUpper(strings.TrimSpace(*customer)), target.Name, target.Kind, d.Outcome)
	return nil
}

// pickEnvironment finds the environment --env names among a customer's: a kind when exactly one
// environment in service (not retired) has it, otherwise a name (any case). Errors: usage,
// listing the candidates.
func pickEnvironment(envs []*opsdesk.Environment, customer, name string) (*opsdesk.Environment, error) {
	name = strings.TrimSpace(name)
	var ofKind []*opsdesk.Environment
	for _, e := range envs {
		if strings.EqualFold(string(e.Kind), name) && e.Status != opsdesk.EnvRetired {
			ofKind = append(ofKind, e)
		}
	}
	for _, e := range envs {
		if strings.EqualFold(e.Name, name) && (len(ofKind) != 1 || ofKind[0] == e) {
			return e, nil
		}
	}
	if len(ofKind) == 1 {
		return ofKind[0], nil
	}
	if len(ofKind) > 1 {
		return nil, usagef("--env: %s has %d %s environments: %s; give the name of one", customer, len(ofKind), name, names(ofKind))
	}
	if len(envs) == 0 {
		return nil, usagef("--env: %s has no environment; add one with opsdesk env add", customer)
	}
	return nil, usagef("--env: %s has no environment of kind or name %q; it has %s", customer, name, names(envs))
}

// names lists environments as "Name" (kind), for messages.
func names(envs []*opsdesk.Environment) string {
	var out []string
	for _, e := range envs {
		out = append(out, strconv.Quote(e.Name)+" ("+string(e.Kind)+")")
	}
	return strings.Join(out, ", ")
}
