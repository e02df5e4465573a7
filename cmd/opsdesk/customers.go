package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func customerCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("customer: missing subcommand: create or list")
	}
	switch args[0] {
	case "create":
		return customerCreate(ctx, e, args[1:])
	case "list":
		return customerList(ctx, e, args[1:])
	}
	return usagef("customer: unknown subcommand %q: create or list", args[0])
}

// repeated is a flag that may be given several times, each value possibly comma-separated.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error {
	*r = append(*r, splitList(v)...)
	return nil
}

func customerCreate(ctx context.Context, e env, args []string) error {
	c := newCLI("customer create", "customer create --code ACME --name NAME [--domain acme.example …] [--lang fr|en] [flags]", e)
	code := c.fs.String("code", "", "short stable code, e.g. ACME (required)")
	name := c.fs.String("name", "", "organisation name (required)")
	var domains repeated
	c.fs.Var(&domains, "domain", "email domain of the customer's people (repeat or comma-separate)")
	lang := c.fs.String("lang", "fr", "preferred language of its contacts: fr or en")
	levels := c.fs.String("levels", "N1,N2,N3", "support levels the contract provides, comma-separated")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "code", "name"); err != nil {
		return err
	}
	cust := &opsdesk.Customer{Code: *code, Name: *name, Domains: domains, Lang: opsdesk.Lang(*lang)}
	flagFor := map[string]string{"code": "code", "name": "name", "domains": "domain", "lang": "lang", "levels": "levels"}
	if err := cust.Validate(); err != nil {
		return domainError(err, flagFor)
	}
	ct := &opsdesk.Contract{}
	for _, l := range splitList(*levels) {
		ct.Levels = append(ct.Levels, opsdesk.Level(strings.ToUpper(l)))
	}
	if err := ct.Validate(); err != nil {
		return domainError(err, flagFor)
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	if err := db.CreateCustomer(ctx, cust); err != nil {
		return domainError(err, flagFor)
	}
	ct.CustomerID = cust.ID
	if err := db.SetContract(ctx, ct); err != nil {
		return domainError(err, flagFor)
	}
	fmt.Fprintf(e.stdout, "created customer %s %q (id %d), support levels %v\n", cust.Code, cust.Name, cust.ID, ct.Levels)
	return nil
}

func customerList(ctx context.Context, e env, args []string) error {
	c := newCLI("customer list", "customer list [flags]", e)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	cs, err := db.ListCustomers(cliActor(ctx, e.getenv))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tDOMAINS\tLANG\tCREATED")
	for _, cu := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", cu.Code, cu.Name, strings.Join(cu.Domains, ","), cu.Lang, cu.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}

func tokenCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("token: missing or unknown subcommand: create")
	}
	c := newCLI("token create", "token create --user EMAIL [--name NAME] [--expires 720h] [flags]", e)
	email := c.fs.String("user", "", "address of the user the token acts as (required)")
	name := c.fs.String("name", "cli", "what the token is for")
	expires := c.fs.Duration("expires", 0, "lifetime of the token (0: no expiry)")
	cfg, err := c.parse(args[1:])
	if err != nil {
		return err
	}
	if err := required(c.fs, "user"); err != nil {
		return err
	}
	if *expires < 0 {
		return usagef("--expires: must not be negative")
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	u, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return usagef("--user: no user %s", *email)
	}
	var until time.Time
	if *expires > 0 {
		until = db.Now().Add(*expires)
	}
	secret, _, err := db.CreateAPIToken(ctx, u.ID, *name, until)
	if err != nil {
		return domainError(err, map[string]string{"name": "name", "user": "user"})
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}
