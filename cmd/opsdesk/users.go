package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

func userCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("user: missing subcommand: create, list or password")
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, e, args[1:])
	case "list":
		return userList(ctx, e, args[1:])
	case "password":
		return userPassword(ctx, e, args[1:])
	}
	return usagef("user: unknown subcommand %q: create, list or password", args[0])
}

var userFlags = map[string]string{"email": "email", "role": "role", "level": "level", "customer": "customer", "lang": "lang", "name": "name"}

func userCreate(ctx context.Context, e env, args []string) error {
	c := newCLI("user create", "user create --email EMAIL --role admin|ops_manager|project_manager|agent|customer [--level N1|N2|N3] [--customer CODE] [flags] [< password]", e)
	email := c.fs.String("email", "", "address of the user (required)")
	name := c.fs.String("name", "", "full name")
	role := c.fs.String("role", "", "admin, ops_manager, project_manager, agent or customer (required)")
	level := c.fs.String("level", "", "support level of an agent: N1, N2 or N3")
	domains := c.fs.String("domains", "", "expertise domains of an agent, comma-separated")
	customer := c.fs.String("customer", "", "code of the customer organisation of a customer user")
	lang := c.fs.String("lang", "", "language: fr or en (default: the browser's)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "email", "role"); err != nil {
		return err
	}
	password, generated, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	u := &opsdesk.User{Email: *email, Name: *name, Role: opsdesk.Role(*role), Level: opsdesk.Level(*level),
		Domains: splitList(*domains), Lang: opsdesk.Lang(*lang)}
	if *customer != "" {
		cust, err := db.CustomerByCode(ctx, *customer)
		if err != nil {
			return usagef("--customer: no customer with code %q (create it with 'opsdesk customer create')", *customer)
		}
		u.CustomerID = cust.ID
	}
	if err := u.Validate(); err != nil {
		return domainError(err, userFlags)
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		return domainError(err, userFlags)
	}
	fmt.Fprintf(e.stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n", password)
	}
	return nil
}

// readPassword takes a password from standard input when one is piped in, else generates one.
// An interactive terminal is never read (there is no prompt to answer).
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return auth.GeneratePassword(), true, nil
		}
	}
	if stdin != nil {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("read password from standard input: %w", err)
		}
		if pw = strings.TrimRight(line, "\r\n"); pw != "" {
			if err := auth.ValidatePassword(pw); err != nil {
				return "", false, usagef("password from standard input %v", err)
			}
			return pw, false, nil
		}
	}
	return auth.GeneratePassword(), true, nil
}

func userList(ctx context.Context, e env, args []string) error {
	c := newCLI("user list", "user list [--role ROLE] [flags]", e)
	role := c.fs.String("role", "", "only users of this role")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	users, err := db.ListUsers(ctx, store.UserFilter{Role: opsdesk.Role(*role)})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tLEVEL\tDISABLED")
	for _, u := range users {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%v\n", u.ID, u.Email, u.Name, u.Role, u.Level, u.Disabled)
	}
	return tw.Flush()
}

func userPassword(ctx context.Context, e env, args []string) error {
	c := newCLI("user password", "user password --email EMAIL [flags] [< password]", e)
	email := c.fs.String("email", "", "address of the user (required)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "email"); err != nil {
		return err
	}
	password, generated, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	u, err := db.UserByEmail(ctx, *email)
	if err != nil {
		return usagef("--email: no user %s", *email)
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	if err := db.SetPassword(ctx, u.ID, hash, 0); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s changed; their sessions are ended\n", u.Email)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n", password)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
