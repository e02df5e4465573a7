package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/opsdesk/opsdesk/internal/app"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// cli is a command's flag set bound to every setting, so every command reads the same
// configuration as serve.
type cli struct {
	fs      *flag.FlagSet
	binding *config.Binding
	e       env
}

func newCLI(name, synopsis string, e env) *cli {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := &cli{fs: fs, binding: config.Bind(fs, e.getenv), e: e}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: opsdesk %s\n\n", synopsis)
		config.Help(fs.Output())
		fmt.Fprintln(fs.Output(), "\nAll flags:")
		fs.PrintDefaults()
	}
	return c
}

// parse reads the command line and resolves the configuration. After printing help for --help
// it returns flag.ErrHelp, which run takes as success.
func (c *cli) parse(args []string) (config.Config, error) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config.Config{}, err
		}
		return config.Config{}, usageError{err}
	}
	if c.fs.NArg() > 0 {
		return config.Config{}, usagef("unexpected argument %q", c.fs.Arg(0))
	}
	cfg, err := c.binding.Resolve()
	if err != nil {
		return config.Config{}, usageError{err}
	}
	return cfg, nil
}

// open opens and migrates the database for a command, logging to stderr.
func (c *cli) open(ctx context.Context, cfg config.Config) (*store.DB, *slog.Logger, error) {
	logger := newLogger(cfg, c.e.stderr)
	db, err := app.Open(ctx, cfg, logger)
	return db, logger, err
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// cliActor is who the command line acts as: the operator, with admin rights, named in history.
func cliActor(ctx context.Context, getenv func(string) string) context.Context {
	label := "cli"
	if u := getenv("USER"); u != "" {
		label = "cli:" + u
	}
	return opsdesk.WithActor(ctx, opsdesk.System(label))
}

// required checks that the named string flags were given.
func required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			return usagef("--%s is required", n)
		}
	}
	return nil
}

// domainError turns a domain error into one line naming the flag it is about.
func domainError(err error, flagFor map[string]string) error {
	if err == nil {
		return nil
	}
	k := opsdesk.ErrorKind(err)
	if k == opsdesk.KindInternal || k == "" {
		return err
	}
	msg := opsdesk.ErrorMessage(err)
	if f := opsdesk.ErrorField(err); f != "" {
		name := f
		if fl, ok := flagFor[f]; ok {
			name = fl
		}
		return usagef("--%s: %s", name, msg)
	}
	return usagef("%s", msg)
}
