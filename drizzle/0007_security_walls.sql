-- Row-level security: the second wall behind every service's `WHERE tenant_id = …`.
-- Each table with a tenant_id column gets the policy tenant_isolation, RLS enabled and FORCEd (so that the
-- table owner, which is the role the application connects as, is subject to it too; superusers and
-- BYPASSRLS roles never are, which is why PGlite, running as a superuser, is unaffected).
-- app.tenant_id is set per connection by the server engine's pool (core/db/engine.ts): the request's tenant
-- once the caller is authenticated, '*' outside a request (migrations, jobs, CLI, sign-in lookups).
-- A connection that never set it (psql as the owner, say) sees no tenant rows at all.
-- migrate() calls rapport_tenant_rls() after every run, so tables added by later migrations are covered too.
CREATE OR REPLACE FUNCTION rapport_tenant_rls() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t record;
  created integer := 0;
  rule text := $r$(tenant_id = current_setting('app.tenant_id', true) OR current_setting('app.tenant_id', true) = '*')$r$;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS rel, c.relrowsecurity, c.relforcerowsecurity,
           EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') AS has_policy
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    WHERE ns.nspname = current_schema()
      AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnum > 0 AND NOT a.attisdropped)
  LOOP
    IF NOT t.has_policy THEN
      EXECUTE format('CREATE POLICY tenant_isolation ON %s USING %s WITH CHECK %s', t.rel, rule, rule);
      created := created + 1;
    END IF;
    IF NOT t.relrowsecurity THEN
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t.rel);
    END IF;
    IF NOT t.relforcerowsecurity THEN
      EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t.rel);
    END IF;
  END LOOP;
  RETURN created;
END
$$;
--> statement-breakpoint
SELECT rapport_tenant_rls();
--> statement-breakpoint
-- The audit log is append-only: entries are never changed or removed, by the application or anyone else
-- connecting as its role.
CREATE OR REPLACE FUNCTION rapport_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % rejected', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION rapport_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION rapport_audit_append_only();
