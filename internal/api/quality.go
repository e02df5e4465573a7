package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// qualityTarget is a quality target as the API shows it (docs/capa.md, "Quality targets").
type qualityTarget struct {
	ID         int64          `json:"id"`
	Indicator  string         `json:"indicator" enum:"sla_take_charge,sla_workaround,sla_resolve,csat_average,survey_response,first_contact_n1,reopen,escalation_n1_n2,escalation_n2_n3,availability,projects_on_time,take_charge_mean_minutes,take_charge_p90_minutes,resolve_mean_minutes,resolve_p90_minutes"`
	Unit       string         `json:"unit" enum:"percent,rating,minutes" doc:"percent 0–100, rating 1–5, minutes of business time"`
	Severity   string         `json:"severity" doc:"severity code the figure is filtered by; empty: every severity"`
	Customer   *string        `json:"customer" doc:"customer code the figure is filtered by; null: every customer"`
	Comparator string         `json:"comparator" enum:"ge,le" doc:"ge: the value must be at least the threshold; le: at most"`
	Threshold  float64        `json:"threshold"`
	Period     string         `json:"period" enum:"week,month" doc:"evaluated over each complete ISO week or calendar month, in UTC"`
	Active     bool           `json:"active" doc:"inactive targets are not evaluated"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  string         `json:"created_at" format:"date-time"`
	UpdatedAt  string         `json:"updated_at" format:"date-time"`
	LastResult *qualityResult `json:"last_result" doc:"the latest evaluated period, null before the first evaluation"`
}

// qualityResult is one evaluation of a target over one complete period.
type qualityResult struct {
	PeriodStart string   `json:"period_start" format:"date" doc:"first day of the period (UTC)"`
	PeriodEnd   string   `json:"period_end" format:"date" doc:"the day after the period (UTC)"`
	Measured    bool     `json:"measured" doc:"false when nothing was counted in the period (then value and met are null)"`
	Value       *float64 `json:"value"`
	Met         *bool    `json:"met"`
	ActionID    *int64   `json:"action_id" doc:"the corrective action proposed when the target was missed"`
	EvaluatedAt string   `json:"evaluated_at" format:"date-time"`
}

// newQualityTarget is the body of POST /quality-targets.
type newQualityTarget struct {
	Indicator  string   `json:"indicator" required:"true" enum:"sla_take_charge,sla_workaround,sla_resolve,csat_average,survey_response,first_contact_n1,reopen,escalation_n1_n2,escalation_n2_n3,availability,projects_on_time,take_charge_mean_minutes,take_charge_p90_minutes,resolve_mean_minutes,resolve_p90_minutes"`
	Severity   string   `json:"severity" doc:"a severity code; not for availability and projects_on_time"`
	Customer   string   `json:"customer" doc:"customer code; empty: every customer"`
	Comparator string   `json:"comparator" required:"true" enum:"ge,le"`
	Threshold  *float64 `json:"threshold" required:"true"`
	Period     string   `json:"period" required:"true" enum:"week,month"`
	Active     *bool    `json:"active" doc:"default true"`
}

// qualityPatch is the body of PATCH /quality-targets/{id}; absent fields are kept.
type qualityPatch struct {
	Indicator  *string  `json:"indicator" enum:"sla_take_charge,sla_workaround,sla_resolve,csat_average,survey_response,first_contact_n1,reopen,escalation_n1_n2,escalation_n2_n3,availability,projects_on_time,take_charge_mean_minutes,take_charge_p90_minutes,resolve_mean_minutes,resolve_p90_minutes"`
	Severity   *string  `json:"severity" doc:"empty clears"`
	Customer   nullable `json:"customer" doc:"customer code; null or empty: every customer"`
	Comparator *string  `json:"comparator" enum:"ge,le"`
	Threshold  *float64 `json:"threshold"`
	Period     *string  `json:"period" enum:"week,month"`
	Active     *bool    `json:"active"`
}

func qualityResultJSON(r *opsdesk.QualityResult) *qualityResult {
	if r == nil {
		return nil
	}
	out := &qualityResult{PeriodStart: r.PeriodStart.Format("2006-01-02"), PeriodEnd: r.PeriodEnd.Format("2006-01-02"),
		Measured: r.Measured, EvaluatedAt: apijson.Stamp(r.EvaluatedAt)}
	if r.Measured {
		v, met := r.Value, r.Met
		out.Value, out.Met = &v, &met
	}
	if r.ActionID != 0 {
		id := r.ActionID
		out.ActionID = &id
	}
	return out
}

// qualityTargetJSON shapes a target, its customer's code read from the store.
func (a *API) qualityTargetJSON(ctx context.Context, t *opsdesk.QualityTarget, last *opsdesk.QualityResult) (qualityTarget, error) {
	info, _ := t.Indicator.Info()
	out := qualityTarget{ID: t.ID, Indicator: string(t.Indicator), Unit: info.Unit, Severity: t.Severity, Comparator: t.Comparator,
		Threshold: t.Threshold, Period: t.Period, Active: t.Active, CreatedBy: t.CreatedBy, CreatedAt: apijson.Stamp(t.CreatedAt),
		UpdatedAt: apijson.Stamp(t.UpdatedAt), LastResult: qualityResultJSON(last)}
	if t.CustomerID != 0 {
		c, err := a.db.CustomerByID(ctx, t.CustomerID)
		if err != nil {
			return out, err
		}
		out.Customer = &c.Code
	}
	return out, nil
}

// manageQuality refuses every caller but ops managers and admins, before the body is read.
func manageQuality(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only an ops manager sets quality targets")
	}
	return nil
}

// qualityCustomer reads a customer code ("" is every customer) as a field of the body.
func (a *API) qualityCustomer(ctx context.Context, code string) (int64, error) {
	if code = strings.TrimSpace(code); code == "" {
		return 0, nil
	}
	c, err := a.customerRef(ctx, code)
	if err != nil {
		return 0, invalidRef(err, "customer")
	}
	return c.ID, nil
}

func (a *API) listQualityTargets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, err := a.db.QualityTargets(ctx)
	if err != nil {
		return err
	}
	last, err := a.db.LastQualityResults(ctx)
	if err != nil {
		return err
	}
	out := items[qualityTarget]{Items: make([]qualityTarget, 0, len(list))}
	for _, t := range list {
		j, err := a.qualityTargetJSON(ctx, t, last[t.ID])
		if err != nil {
			return err
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createQualityTarget(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := manageQuality(ctx); err != nil {
		return err
	}
	var in newQualityTarget
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Threshold == nil {
		return opsdesk.Invalid("threshold", "is required")
	}
	t := &opsdesk.QualityTarget{Indicator: opsdesk.QualityIndicator(strings.TrimSpace(in.Indicator)), Severity: in.Severity,
		Comparator: strings.TrimSpace(in.Comparator), Threshold: *in.Threshold, Period: strings.TrimSpace(in.Period), Active: true}
	if in.Active != nil {
		t.Active = *in.Active
	}
	var err error
	if t.CustomerID, err = a.qualityCustomer(ctx, in.Customer); err != nil {
		return err
	}
	if err := a.db.SaveQualityTarget(ctx, t); err != nil {
		return err
	}
	j, err := a.qualityTargetJSON(ctx, t, nil)
	if err != nil {
		return err
	}
	return created(w, Prefix+"/quality-targets/"+strconv.FormatInt(t.ID, 10), j)
}

func (a *API) patchQualityTarget(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := manageQuality(ctx); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in qualityPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	t, err := a.db.QualityTarget(ctx, id)
	if err != nil {
		return err
	}
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	ind := string(t.Indicator)
	str(&ind, in.Indicator)
	t.Indicator = opsdesk.QualityIndicator(ind)
	str(&t.Severity, in.Severity)
	str(&t.Comparator, in.Comparator)
	str(&t.Period, in.Period)
	if in.Threshold != nil {
		t.Threshold = *in.Threshold
	}
	if in.Active != nil {
		t.Active = *in.Active
	}
	if in.Customer.set {
		if t.CustomerID, err = a.qualityCustomer(ctx, in.Customer.value); err != nil {
			return err
		}
	}
	if err := a.db.SaveQualityTarget(ctx, t); err != nil {
		return err
	}
	last, err := a.db.LastQualityResults(ctx)
	if err != nil {
		return err
	}
	j, err := a.qualityTargetJSON(ctx, t, last[t.ID])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

func (a *API) qualityTargetResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	if limit > 500 {
		return opsdesk.Invalid("limit", "must be at most 500")
	}
	rs, err := a.db.QualityResults(r.Context(), id, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemsOf(rs, func(x *opsdesk.QualityResult) qualityResult { return *qualityResultJSON(x) }))
}
