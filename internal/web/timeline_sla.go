package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The history lines about service levels are written by the store in a fixed English form
// (docs/sla.md): the clock in Field, targets as sla.FormatBusiness writes them ("4h", "2d",
// "1h30m", "none"), and a reason. slaEntry reads them back into sentences in the page's
// language; a line it does not recognise still shows, with its raw values.
var (
	slaWarnReason   = regexp.MustCompile(`^(\d+)% of the \S+ target (\S+) reached$`)
	slaBreachReason = regexp.MustCompile(`^(\S+) target (\S+) exceeded$`)
	slaChange       = regexp.MustCompile(`^(severity|environment) (\S+) → (\S+)$`)
	businessAmount  = regexp.MustCompile(`^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$`)
	businessDays    = regexp.MustCompile(`^(\d+)d$`)
)

// slaClockNames maps the clock names of the store's English reasons to the clocks.
var slaClockNames = map[string]string{"take-charge": "take_charge", "work-around": "workaround", "resolve": "resolve"}

// slaActor is the label of the SLA scheduler's history lines (slawatch's actor).
const slaActor = "sla"

// slaEntry fills en for the history lines about service levels — a warning, a breach, a
// re-targeted clock, a recorded workaround, an escalation on breach — and tells whether e was
// one of them.
func slaEntry(c *call, k *catalog, e *opsdesk.Event, en *entry) bool {
	if e.ActorID == 0 && e.ActorLabel == slaActor {
		en.Who = c.T("sla.who")
	}
	switch e.Kind {
	case store.EventWorkaround:
		en.Text = c.T("sla.event.workaround")
		if e.MessageID != 0 {
			en.Link = "#m" + strconv.FormatInt(e.MessageID, 10)
		}
		return true
	case opsdesk.EventEscalation:
		if what, ok := strings.CutPrefix(e.Reason, "SLA breach: "); ok {
			if m := slaBreachReason.FindStringSubmatch(what); m != nil && slaClockNames[m[1]] != "" {
				en.Reason = c.T("sla.reason.breach", c.T("sla.clock."+slaClockNames[m[1]]), slaTargetText(c, m[2]))
			}
		}
		return false // shown as the level change it is, with its reason translated
	case store.EventSLA:
	default:
		return false
	}
	clock := c.T("sla.clock." + e.Field)
	en.Reason = ""
	switch {
	case e.New == store.AlertWarn:
		en.Kind = "sla-warn"
		if m := slaWarnReason.FindStringSubmatch(e.Reason); m != nil {
			en.Text = c.T("sla.event.warn", clock, m[1]+" %", slaTargetText(c, m[2]))
			return true
		}
	case e.New == store.AlertBreach:
		en.Kind = "sla-breach"
		if m := slaBreachReason.FindStringSubmatch(e.Reason); m != nil {
			en.Text = c.T("sla.event.breach", clock, slaTargetText(c, m[2]))
			return true
		}
	case e.Old != "" || e.New != "":
		en.Kind = "sla-target"
		en.Text = c.T("sla.event.target", clock, slaTargetText(c, e.Old), slaTargetText(c, e.New))
		en.Reason = slaRetargetReason(c, k, e.Reason)
		return true
	}
	en.Text = c.T("sla.event.other", clock, e.Reason)
	return true
}

// slaTargetText shows a target as the store writes it in history ("2d", "1h30m", "none") in
// the page's language; anything else as it is.
func slaTargetText(c *call, v string) string {
	if v == "none" || v == "" {
		return c.T("sla.no_target")
	}
	if m := businessDays.FindStringSubmatch(v); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		if n == 1 {
			return c.T("sla.day")
		}
		return c.T("sla.days", n)
	}
	if m := businessAmount.FindStringSubmatch(v); m != nil {
		var d time.Duration
		for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
			n, _ := strconv.ParseInt(m[i+1], 10, 64)
			d += time.Duration(n) * unit
		}
		if d%time.Minute == 0 {
			return businessTime(d)
		}
	}
	return v
}

// slaRetargetReason translates why a clock was re-targeted: "contract targets changed", or
// "severity a → b" and "environment x → y", alone or together.
func slaRetargetReason(c *call, k *catalog, reason string) string {
	if reason == "contract targets changed" {
		return c.T("sla.reason.contract")
	}
	var out []string
	for _, part := range strings.Split(reason, ", ") {
		m := slaChange.FindStringSubmatch(part)
		if m == nil {
			return reason
		}
		if m[1] == "severity" {
			out = append(out, c.T("sla.reason.severity", k.Severity(m[2]), k.Severity(m[3])))
		} else {
			out = append(out, c.T("sla.reason.environment", envKindText(c, m[2]), envKindText(c, m[3])))
		}
	}
	return strings.Join(out, ", ")
}

// envKindText names an environment kind of a history line ("none": no environment).
func envKindText(c *call, kind string) string {
	if opsdesk.EnvKind(kind).Valid() {
		return c.T("env.kind." + kind)
	}
	return c.T("sla.no_environment")
}
