package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// contractSLA is what a customer's contract commits to: the calendar its clocks count in and
// its targets. Durations are business seconds.
type contractSLA struct {
	Customer       string      `json:"customer" doc:"customer code"`
	Calendar       calendarRef `json:"calendar" doc:"the calendar the contract's clocks count in"`
	DefaultTargets bool        `json:"default_targets" doc:"the contract holds no targets of its own: the defaults apply, in its calendar"`
	Targets        []slaTarget `json:"targets"`
}

// calendarRef names a calendar.
type calendarRef struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default" doc:"it is the default calendar"`
}

// slaTarget is the commitment for the tickets of a severity in an environment kind.
type slaTarget struct {
	Severity          string `json:"severity" required:"true" doc:"severity code: blocking, major, minor, question, evolution"`
	EnvKind           string `json:"env_kind" enum:",prod,preprod,test" doc:"environment kind; empty: any environment (the fallback for the severity)"`
	TakeChargeSeconds *int64 `json:"take_charge_seconds" doc:"business seconds to take the ticket in charge; null: no commitment"`
	WorkaroundSeconds *int64 `json:"workaround_seconds" doc:"business seconds to give a workaround; null: no commitment"`
	ResolveSeconds    *int64 `json:"resolve_seconds" doc:"business seconds to resolve; null: no commitment"`
	EscalateOnBreach  bool   `json:"escalate_on_breach" doc:"a breached clock moves the ticket up a support level"`
}

// contractSLAUpdate is the body of PUT /customers/{code}/sla: the shape GET answers, so an
// answer can be edited and sent back. The read-only fields are accepted and not applied.
type contractSLAUpdate struct {
	Customer       string            `json:"customer" doc:"optional; when given, must be the customer of the path"`
	Calendar       *calendarChoice   `json:"calendar" required:"true" doc:"the calendar by id; id 0 is the default calendar (whichever it is at the time)"`
	DefaultTargets bool              `json:"default_targets" doc:"read-only: ignored (send targets: [] to restore the defaults)"`
	Targets        []slaTargetUpdate `json:"targets" required:"true" doc:"replace all the contract's targets; [] restores the defaults"`
}

// calendarChoice names a calendar in a request; only its id is read.
type calendarChoice struct {
	ID      int64  `json:"id" required:"true" doc:"0: the default calendar"`
	Name    string `json:"name" doc:"read-only: ignored"`
	Default bool   `json:"default" doc:"read-only: ignored"`
}

// slaTargetUpdate is a target in a request (its own type, so that the OpenAPI document
// describes requests and answers apart).
type slaTargetUpdate slaTarget

// maxTargetSeconds bounds a target before it becomes a time.Duration (the store refuses more
// than 366 days too; this also keeps huge numbers from overflowing).
const maxTargetSeconds = 366 * 24 * 3600

func (a *API) getContractSLA(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := a.db.CustomerByCode(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	cal, err := a.db.ContractCalendar(ctx, c.ID)
	if err != nil {
		return err
	}
	ts, defaults, err := a.db.SLATargets(ctx, c.ID)
	if err != nil {
		return err
	}
	out := contractSLA{Customer: c.Code, Calendar: calendarRef{ID: cal.ID, Name: cal.Name, Default: cal.Default},
		DefaultTargets: defaults, Targets: make([]slaTarget, len(ts))}
	for i, t := range ts {
		out.Targets[i] = slaTarget{Severity: t.Severity, EnvKind: t.EnvKind, TakeChargeSeconds: seconds(t.TakeCharge),
			WorkaroundSeconds: seconds(t.Workaround), ResolveSeconds: seconds(t.Resolve), EscalateOnBreach: t.EscalateOnBreach}
	}
	return writeJSON(w, http.StatusOK, out)
}

// putContractSLA sets a contract's calendar and replaces its targets (admins and ops managers).
// Everything is checked before anything is written: the calendar must exist and the store
// refuses invalid targets before writing them, so a refused request changes nothing.
func (a *API) putContractSLA(w http.ResponseWriter, r *http.Request) error {
	var in contractSLAUpdate
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	c, err := a.db.CustomerByCode(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if in.Customer != "" && !strings.EqualFold(strings.TrimSpace(in.Customer), c.Code) {
		return opsdesk.Invalid("customer", "is %s, but the path names %s", in.Customer, c.Code)
	}
	if in.Calendar == nil {
		return opsdesk.Invalid("calendar", `is required: {"id": N}, or {"id": 0} for the default calendar`)
	}
	if in.Targets == nil {
		return opsdesk.Invalid("targets", "is required: the list of targets, or [] for the defaults")
	}
	ts := make([]sla.Target, len(in.Targets))
	for i, t := range in.Targets {
		ts[i] = sla.Target{Severity: t.Severity, EnvKind: t.EnvKind, EscalateOnBreach: t.EscalateOnBreach}
		for _, d := range []struct {
			name string
			secs *int64
			dst  *time.Duration
		}{{"take_charge_seconds", t.TakeChargeSeconds, &ts[i].TakeCharge}, {"workaround_seconds", t.WorkaroundSeconds, &ts[i].Workaround},
			{"resolve_seconds", t.ResolveSeconds, &ts[i].Resolve}} {
			if d.secs == nil {
				continue
			}
			if *d.secs < 0 || *d.secs > maxTargetSeconds {
				return opsdesk.Invalid(fmt.Sprintf("targets[%d].%s", i, d.name),
					"must be between 0 and %d business seconds (366 days); 0 or null is no commitment", maxTargetSeconds)
			}
			*d.dst = time.Duration(*d.secs) * time.Second
		}
	}
	if in.Calendar.ID != 0 {
		if _, err := a.db.CalendarByID(ctx, in.Calendar.ID); err != nil {
			if opsdesk.IsKind(err, opsdesk.KindNotFound) {
				return opsdesk.Invalid("calendar.id", "no calendar %d", in.Calendar.ID)
			}
			return err
		}
	}
	if err := a.db.SetSLATargets(ctx, c.ID, ts); err != nil {
		return renameField(err, targetField)
	}
	if err := a.db.SetContractCalendar(ctx, c.ID, in.Calendar.ID); err != nil {
		return renameField(err, func(f string) string {
			if f == "calendar" {
				return "calendar.id"
			}
			return f
		})
	}
	return a.getContractSLA(w, r)
}

// targetField names a target's duration as the body does: targets[1].resolve is
// targets[1].resolve_seconds.
func targetField(f string) string {
	for _, name := range []string{".take_charge", ".workaround", ".resolve"} {
		if strings.HasPrefix(f, "targets[") && strings.HasSuffix(f, name) {
			return f + "_seconds"
		}
	}
	return f
}

// seconds writes a target in whole seconds; no commitment (0) is null.
func seconds(d time.Duration) *int64 {
	if d <= 0 {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}
