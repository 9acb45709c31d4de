-- Every node keeps the authorisation rows of active sessions in memory (modules/auth/principal-cache.ts).
-- These triggers tell every node, through NOTIFY sanita_auth, what to drop when access changes, whoever
-- changed it: 's:<session id>', 'u:<user id>' or '*' (a role's permissions). Notifications are sent at
-- commit and in commit order.
CREATE OR REPLACE FUNCTION sanita_auth_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('sanita_auth', 's:' || r.id::text);
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('sanita_auth', 'u:' || r.id::text);
  ELSIF TG_TABLE_NAME = 'memberships' THEN
    PERFORM pg_notify('sanita_auth', 'u:' || r.user_id::text);
    IF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
      PERFORM pg_notify('sanita_auth', 'u:' || OLD.user_id::text);
    END IF;
  ELSE
    PERFORM pg_notify('sanita_auth', '*');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- last_seen_at is touched once a minute per session and changes nothing about access
CREATE TRIGGER sessions_auth_notify AFTER UPDATE OF revoked_at, expires_at, user_id OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION sanita_auth_notify();
--> statement-breakpoint
CREATE TRIGGER users_auth_notify AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION sanita_auth_notify();
--> statement-breakpoint
CREATE TRIGGER memberships_auth_notify AFTER INSERT OR UPDATE OR DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION sanita_auth_notify();
--> statement-breakpoint
CREATE TRIGGER roles_auth_notify AFTER UPDATE OR DELETE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION sanita_auth_notify();
--> statement-breakpoint
CREATE TRIGGER role_permissions_auth_notify AFTER INSERT OR UPDATE OR DELETE ON role_permissions
  FOR EACH STATEMENT EXECUTE FUNCTION sanita_auth_notify();
