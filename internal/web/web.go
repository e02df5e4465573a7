// Package web is opsdesk's server-rendered user interface: the login and first-run pages, the
// staff workspace, the customer portal, the account pages and the admin screens. Pages are
// html/template files embedded in the binary and parsed once at start, in French and English;
// they work without JavaScript and under a strict Content-Security-Policy.
//
// Every route is listed in routes.go. A handler is a method on Server that takes a *call: the
// request, its user and session (if any), its language and its CSRF token. Domain errors from the
// store are turned into pages by one function (fail) or, for forms, into messages next to the
// offending field (formError).
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Options are the dependencies of the web UI, given by the program's wiring.
type Options struct {
	DB      *store.DB
	Blobs   *blob.Store   // the content of attachments
	Config  config.Config // SessionTTL, Lang (default language), BaseURL, SecureCookies(), TrustProxy, MaxUpload
	Logger  *slog.Logger
	Version string
	// Mail is the notifier behind the outbox's "send again" and the template editor; nil
	// leaves those pages answering that outgoing mail is not set up.
	Mail *notify.Notifier
	// SLA is how the pages evaluate SLA clocks (warning share, pausing statuses): the value the
	// SLA scheduler (slawatch) is given, so that pages and alerts agree.
	SLA store.SLAOptions
}

// Server serves the UI pages. It holds no per-user state: sessions, CSRF tokens and login
// failures live in the database, so any number of instances may serve the same users.
type Server struct {
	db      *store.DB
	blobs   *blob.Store
	mail    *notify.Notifier
	sla     store.SLAOptions
	cfg     config.Config
	log     *slog.Logger
	version string
	pages   map[opsdesk.Lang]map[string]*template.Template
	assets  map[string]asset  // by hashed name: the stylesheet and the script modules
	urls    map[string]string // file name (app.css, live.js) → hashed URL
	streams streams           // the live-update streams, ended when their HTTP server shuts down
}

// New builds the UI, parsing every embedded template once; a broken template is an error.
func New(opt Options) (*Server, error) {
	if opt.DB == nil {
		return nil, errors.New("web: no database")
	}
	if opt.Blobs == nil {
		return nil, errors.New("web: no attachment store")
	}
	if err := opt.SLA.Validate(); err != nil {
		return nil, fmt.Errorf("web: SLA options: %w", err)
	}
	s := &Server{db: opt.DB, blobs: opt.Blobs, mail: opt.Mail, sla: opt.SLA, cfg: opt.Config, log: opt.Logger, version: opt.Version}
	if s.log == nil {
		s.log = slog.Default()
	}
	if !s.cfg.Lang.Valid() {
		s.cfg.Lang = opsdesk.LangEN
	}
	if s.cfg.SessionTTL <= 0 {
		s.cfg.SessionTTL = defaultSessionTTL
	}
	if s.cfg.MaxUpload <= 0 {
		s.cfg.MaxUpload = defaultMaxUpload
	}
	var err error
	if err = s.loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}
