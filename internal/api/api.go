// Package api is opsdesk's REST API, /api/v1: JSON in and out, bearer-token authentication,
// cursor pagination, errors as RFC 9457 problem documents, and an OpenAPI 3.1 description of
// itself. Handlers are thin: they decode the request, call the store (which checks permissions
// and scopes every read to the caller's organisation) and encode the answer.
package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Options are the API's dependencies.
type Options struct {
	DB     *store.DB
	Blobs  *blob.Store // attachment content
	Config config.Config
	Logger *slog.Logger
	// SLA is how ticket clocks are evaluated (warning share, pausing statuses): the value the
	// SLA watcher gets, so that the API shows the clocks it alerts on.
	SLA store.SLAOptions
}

// API serves /api/v1.
type API struct {
	db     *store.DB
	blobs  *blob.Store
	cfg    config.Config
	log    *slog.Logger
	sla    store.SLAOptions
	routes []route
}

// New returns the API over its dependencies.
func New(opt Options) *API {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Config.MaxUpload <= 0 {
		opt.Config.MaxUpload = 25 << 20
	}
	a := &API{db: opt.DB, blobs: opt.Blobs, cfg: opt.Config, log: opt.Logger, sla: opt.SLA}
	a.routes = a.table()
	return a
}

// handlerFunc is the shape of every API handler: it writes its answer, or returns the error the
// caller gets as a problem document.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// serve adapts a handler to net/http: it authenticates the caller unless the route is public,
// and turns a returned error into a problem.
func (a *API) serve(h handlerFunc, public bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !public {
			ctx, err := a.authenticate(r)
			if err != nil {
				a.problem(w, r, err)
				return
			}
			r = r.WithContext(ctx)
		}
		if err := h(w, r); err != nil {
			a.problem(w, r, err)
		}
	}
}

// authenticate reads the bearer token and returns the request's context carrying its user as
// the actor. Errors: unauthenticated.
func (a *API) authenticate(r *http.Request) (context.Context, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, opsdesk.Unauthenticated("send an API token: Authorization: Bearer <token>")
	}
	u, _, err := a.db.UserByAPIToken(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	return opsdesk.WithActor(r.Context(), opsdesk.ActorOf(u)), nil
}
