CREATE SEQUENCE pending_change_version;

-- Autosaved, uncommitted changes: one row per (repository, user, path); a deletion has no content.
CREATE TABLE pending_changes (
  repo_id integer NOT NULL REFERENCES repos (repo_id) ON DELETE CASCADE,
  user_id text NOT NULL,
  path text NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'modified', 'deleted')),
  content bytea,
  oid text,
  size integer NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT nextval('pending_change_version'),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (repo_id, user_id, path),
  CHECK ((action = 'deleted') = (content IS NULL))
);
