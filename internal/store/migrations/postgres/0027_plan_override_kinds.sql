-- Occurrences of preventive work can be pinned and moved in the plan (issue #9, docs/plan.md
-- "Pins and moves"): plan_overrides.item_kind accepts 'preventive'.

-- 0017 left the CHECK unnamed: PostgreSQL named it plan_overrides_item_kind_check. It is dropped
-- by whatever name it has (the CHECK on item_kind), then added back under that name, widened.
-- Rows, ids, indexes and the identity sequence are untouched.
DO $$
DECLARE
    c name;
BEGIN
    FOR c IN
        SELECT con.conname FROM pg_constraint con
        JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
        WHERE con.conrelid = 'plan_overrides'::regclass AND con.contype = 'c' AND att.attname = 'item_kind'
    LOOP
        EXECUTE format('ALTER TABLE plan_overrides DROP CONSTRAINT %I', c);
    END LOOP;
END
$$;
ALTER TABLE plan_overrides ADD CONSTRAINT plan_overrides_item_kind_check
    CHECK (item_kind IN ('ticket', 'task', 'preventive'));
