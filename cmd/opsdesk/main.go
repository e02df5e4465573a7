// Command opsdesk is the service desk of a software vendor's Ops team: one program that serves
// the web UI, the REST API and the mail channels, and administers them from the command line.
//
//	opsdesk serve                 start opsdesk (SQLite in ./opsdesk-data unless told otherwise)
//	opsdesk demo                  start opsdesk on a new data directory filled with demo data
//	opsdesk seed --tickets N      add bulk synthetic customers and tickets (load tests)
//	opsdesk migrate               apply database migrations
//	opsdesk user create …         create a user (prints a generated password)
//	opsdesk customer create …     create a customer organisation
//	opsdesk token create …        create an API token
//	opsdesk backup --to FILE      copy a live SQLite database
//	opsdesk sla deadline|elapsed  business-time arithmetic on a calendar file
//	opsdesk env add|list …        manage customer environments
//	opsdesk deploy …              record a deployment (from a pipeline: --api-url and a token)
//	opsdesk version               print the version
//
// Every command takes the same settings (flags or OPSDESK_ variables; see `opsdesk serve --help`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module version.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "opsdesk:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line or the configuration: exit status 2.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// env is what a command needs from the process: the environment and the standard streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"start opsdesk: web UI, API, background jobs", serveCmd},
		"demo":     {"start opsdesk on a new data directory filled with a realistic demo dataset", demoCmd},
		"seed":     {"add bulk synthetic customers and tickets to the database, for load tests", seedCmd},
		"migrate":  {"apply pending database migrations and exit", migrateCmd},
		"user":     {"manage users: create, list, password", userCmd},
		"customer": {"manage customers: create, list", customerCmd},
		"mailbox":  {"manage the IMAP mailboxes requests are read from: add, list, remove", mailboxCmd},
		"token":    {"manage API tokens: create", tokenCmd},
		"backup":   {"copy a live SQLite database to a file", backupCmd},
		"sla":      {"business-time calculator: deadline, elapsed", slaCmd},
		"mail":     {"inspect inbound mail: parse FILE.eml [--route]", mailCmd},
		"env":      {"manage customer environments: add, list (database, or the API with --api-url)", envCmd},
		"deploy":   {"record a deployment to a customer environment (database, or the API with --api-url)", deployCmd},
		"version":  {"print the version", versionCmd},
	}
}

// run is the whole program; main only supplies the process's context, environment and streams,
// so tests start the real program in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		usage(stderr)
		return usagef("unknown command %q", args[0])
	}
	err := cmd.run(ctx, e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil // the command printed its help
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "opsdesk — the service desk of a software vendor's Ops team")
	fmt.Fprintln(w, "\nUsage: opsdesk COMMAND [flags]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'opsdesk COMMAND --help' for its flags; 'opsdesk serve --help' lists every setting.")
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCmd(ctx context.Context, e env, args []string) error {
	fmt.Fprintf(e.stdout, "opsdesk %s\n", versionString())
	return nil
}
