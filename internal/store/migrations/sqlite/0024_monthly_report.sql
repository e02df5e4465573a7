-- The monthly service report (issue #9, docs/report.md "Monthly service report"): whether the
-- scheduled report goes to a customer's contacts each month. On by default; staff may still send
-- one on demand when it is off.

ALTER TABLE customers ADD COLUMN monthly_report BOOLEAN NOT NULL DEFAULT TRUE;
