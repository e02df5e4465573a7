package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const deploymentSelect = `SELECT d.id, d.environment_id, d.component, d.from_version, d.to_version, d.outcome, d.planned_at,
	d.started_at, d.finished_at, d.by_id, d.by_label, COALESCE(t.key, ''), d.project_id, d.notes, d.emergency_reason, d.created_at
	FROM env_deployments d LEFT JOIN tickets t ON t.id = d.ticket_id`

func scanDeployment(sc scanner) (*opsdesk.Deployment, error) {
	var d opsdesk.Deployment
	var planned, started, finished, by, project sql.NullInt64
	var created int64
	if err := sc.Scan(&d.ID, &d.EnvironmentID, &d.Component, &d.FromVersion, &d.ToVersion, &d.Outcome, &planned, &started,
		&finished, &by, &d.By, &d.TicketKey, &project, &d.Notes, &d.EmergencyReason, &created); err != nil {
		return nil, err
	}
	d.PlannedAt, d.StartedAt, d.FinishedAt = fromMS(planned), fromMS(started), fromMS(finished)
	d.ByID, d.ProjectID = by.Int64, project.Int64
	d.CreatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true})
	return &d, nil
}

// RecordDeployment records a deployment of a version of a component to an environment. Agents
// and up. A successful one sets the environment's current version of the component in the same
// transaction; a final outcome without an end time ends now; an empty from-version is the
// current one.
//
// The promotion path: a deployment to a prod environment, unless only planned, is refused
// (conflict on "version") until the same version of the component has succeeded on one of the
// customer's preprod environments — a customer without preprod included. An ops manager or an
// admin may skip the path by giving an emergency reason, which is kept on the deployment and in
// the audit log (action deployment_emergency); an agent giving one is forbidden.
//
// Errors: invalid, forbidden, not found (environment), conflict (promotion path, retired
// environment).
func (d *DB) RecordDeployment(ctx context.Context, dep *opsdesk.Deployment) error {
	if err := dep.Validate(); err != nil {
		return err
	}
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() {
		return opsdesk.Forbidden("only the vendor's team records deployments")
	}
	if dep.EmergencyReason != "" && !a.CanManage() {
		return opsdesk.Forbidden("only ops managers and admins record an emergency deployment")
	}
	return d.inTx(ctx, "store.RecordDeployment", func(tx *Tx) error { return tx.recordDeployment(ctx, dep) })
}

// recordDeployment is RecordDeployment inside the caller's transaction, after its validation and
// permission checks: the environment's state, the promotion path, the linked ticket, the row, and
// the current version on success.
func (tx *Tx) recordDeployment(ctx context.Context, dep *opsdesk.Deployment) error {
	a := opsdesk.ActorFrom(ctx)
	env, err := tx.envToWrite(ctx, dep.EnvironmentID)
	if err != nil {
		return err
	}
	if env.Status == opsdesk.EnvRetired {
		return opsdesk.Conflict("environment", "environment %s is retired", env.Name)
	}
	if dep.EmergencyReason != "" && env.Kind != opsdesk.EnvProd {
		return opsdesk.Invalid("emergency_reason", "only a deployment to prod needs an emergency reason")
	}
	emergency, err := tx.promotionGate(ctx, env, dep)
	if err != nil {
		return err
	}
	ticketID, err := tx.linkedTicket(ctx, "ticket", dep.TicketKey, env.CustomerID, "")
	if err != nil {
		return err
	}
	if dep.FromVersion == "" {
		if dep.FromVersion, err = tx.componentVersion(ctx, env.ID, dep.Component); err != nil {
			return err
		}
	}
	if dep.Outcome.Final() && dep.FinishedAt.IsZero() {
		dep.FinishedAt = tx.now
	}
	if dep.Outcome == opsdesk.DeployInProgress && dep.StartedAt.IsZero() {
		dep.StartedAt = tx.now
	}
	dep.ByID, dep.By, dep.CreatedAt = a.UserID, a.Label, tx.now
	id, err := tx.insert(ctx, `INSERT INTO env_deployments (environment_id, component, from_version, to_version, outcome,
		planned_at, started_at, finished_at, by_id, by_label, ticket_id, project_id, notes, emergency_reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		env.ID, dep.Component, dep.FromVersion, dep.ToVersion, dep.Outcome, ms(dep.PlannedAt), ms(dep.StartedAt),
		ms(dep.FinishedAt), nullID(dep.ByID), dep.By, nullID(ticketID), nullID(dep.ProjectID), dep.Notes, dep.EmergencyReason,
		tx.now.UnixMilli())
	if err != nil {
		return err
	}
	dep.ID = id
	return tx.deploymentDone(ctx, dep, emergency, "")
}

// AdvanceDeployment moves a planned or in-progress deployment of environment envID on: to
// in_progress (started now) or to a final outcome (ended now). Leaving the planned state runs the
// promotion path of RecordDeployment, with the same emergency reason rule. Agents and up.
// Errors: invalid, forbidden, not found, conflict (already final, promotion path).
func (d *DB) AdvanceDeployment(ctx context.Context, envID, id int64, outcome opsdesk.DeployOutcome, emergencyReason string) (*opsdesk.Deployment, error) {
	emergencyReason = strings.TrimSpace(emergencyReason)
	if !outcome.Valid() || outcome == opsdesk.DeployPlanned {
		return nil, opsdesk.Invalid("outcome", "must be in_progress, success, failed or rolled_back")
	}
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team records deployments")
	}
	if emergencyReason != "" && !a.CanManage() {
		return nil, opsdesk.Forbidden("only ops managers and admins record an emergency deployment")
	}
	var dep *opsdesk.Deployment
	err := d.inTx(ctx, "store.AdvanceDeployment", func(tx *Tx) error {
		env, err := tx.envToWrite(ctx, envID)
		if err != nil {
			return err
		}
		dep, err = scanDeployment(tx.queryRow(ctx, deploymentSelect+` WHERE d.id = ? AND d.environment_id = ?`, id, envID))
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no deployment %d in environment %d", id, envID)
		}
		if err != nil {
			return err
		}
		if dep.Outcome.Final() || dep.Outcome == outcome {
			return opsdesk.Conflict("outcome", "deployment %d is already %s", id, dep.Outcome)
		}
		if emergencyReason != "" {
			if env.Kind != opsdesk.EnvProd {
				return opsdesk.Invalid("emergency_reason", "only a deployment to prod needs an emergency reason")
			}
			dep.EmergencyReason = emergencyReason
		}
		old := dep.Outcome
		dep.Outcome = outcome
		emergency := false
		if old == opsdesk.DeployPlanned {
			if emergency, err = tx.promotionGate(ctx, env, dep); err != nil {
				return err
			}
		}
		if dep.StartedAt.IsZero() {
			dep.StartedAt = tx.now
		}
		if outcome.Final() {
			dep.FinishedAt = tx.now
		}
		// The old outcome in the WHERE keeps two concurrent advances from both applying.
		res, err := tx.exec(ctx, `UPDATE env_deployments SET outcome = ?, started_at = ?, finished_at = ?, emergency_reason = ?
			WHERE id = ? AND outcome = ?`, outcome, ms(dep.StartedAt), ms(dep.FinishedAt), dep.EmergencyReason, id, old)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return opsdesk.Conflict("outcome", "deployment %d changed meanwhile; reload it", id)
		}
		return tx.deploymentDone(ctx, dep, emergency, old)
	})
	if err != nil {
		return nil, err
	}
	return dep, nil
}

// promotionGate applies the promotion path to a deployment to env. It tells whether the
// deployment passes only thanks to its emergency reason. Errors: conflict on "version".
func (t *Tx) promotionGate(ctx context.Context, env *opsdesk.Environment, dep *opsdesk.Deployment) (bool, error) {
	if env.Kind != opsdesk.EnvProd || dep.Outcome == opsdesk.DeployPlanned {
		return false, nil
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM env_deployments d JOIN environments e ON e.id = d.environment_id
		WHERE e.customer_id = ? AND e.kind = 'preprod' AND d.component = ? AND d.to_version = ? AND d.outcome = 'success'`,
		env.CustomerID, dep.Component, dep.ToVersion).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if dep.EmergencyReason != "" {
		return true, nil
	}
	names, err := collect(func(sc scanner) (string, error) {
		var s string
		return s, sc.Scan(&s)
	})(t.query(ctx, `SELECT name FROM environments WHERE customer_id = ? AND kind = 'preprod' ORDER BY name`, env.CustomerID))
	if err != nil {
		return false, err
	}
	if len(names) == 0 {
		return false, opsdesk.Conflict("version", "%s %s cannot go to prod: this customer has no preprod environment to validate it first; "+
			"an ops manager may deploy it with an emergency reason", dep.Component, dep.ToVersion)
	}
	return false, opsdesk.Conflict("version", "%s %s has not succeeded on preprod (%s) yet: deploy it there first, "+
		"or an ops manager records an emergency reason", dep.Component, dep.ToVersion, strings.Join(names, ", "))
}

// deploymentDone applies a recorded or advanced deployment: a success sets the component's
// current version; the change goes to the environment's audit history.
func (t *Tx) deploymentDone(ctx context.Context, dep *opsdesk.Deployment, emergency bool, oldOutcome opsdesk.DeployOutcome) error {
	if dep.Outcome == opsdesk.DeploySuccess {
		if err := t.setComponent(ctx, dep.EnvironmentID, dep.Component, dep.ToVersion, dep.ID); err != nil {
			return err
		}
	}
	action := "deployment"
	if emergency {
		action = "deployment_emergency"
	}
	changes := []opsdesk.Change{
		{Field: "deployment", New: strconv.FormatInt(dep.ID, 10)},
		{Field: dep.Component, Old: dep.FromVersion, New: dep.ToVersion},
		{Field: "outcome", Old: string(oldOutcome), New: string(dep.Outcome)},
	}
	if dep.EmergencyReason != "" {
		changes = append(changes, opsdesk.Change{Field: "emergency_reason", New: dep.EmergencyReason})
	}
	return t.audit(ctx, "environment", dep.EnvironmentID, action, changes)
}

// ListDeployments returns an environment's deployment history, newest first (by end, start,
// plan or record time). Customers read it only when the vendor shows versions, without who
// recorded it, the notes or the emergency reason. Errors: not found, forbidden.
func (d *DB) ListDeployments(ctx context.Context, envID int64, limit int) ([]*opsdesk.Deployment, error) {
	if _, err := d.envToRead(ctx, envID, partVersions); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out, err := collect(scanDeployment)(d.query(ctx, deploymentSelect+` WHERE d.environment_id = ?
		ORDER BY COALESCE(d.finished_at, d.started_at, d.planned_at, d.created_at) DESC, d.id DESC LIMIT ?`, envID, limit))
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, dep := range out {
			dep.ByID, dep.By, dep.Notes, dep.EmergencyReason = 0, "", "", ""
		}
	}
	return out, wrapErr("store.ListDeployments", err)
}
