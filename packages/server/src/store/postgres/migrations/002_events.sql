-- The per-project change feed. `seq` is allocated from project_feed_heads under its row lock in
-- the same transaction as the change, so cursors are gapless and commit-ordered per project.
CREATE TABLE project_feed_heads (
  repo_id integer PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0,
  -- every event with seq <= compacted_through has been removed by retention
  compacted_through bigint NOT NULL DEFAULT 0
);

CREATE TABLE project_events (
  repo_id integer NOT NULL,
  seq bigint NOT NULL,
  kind text NOT NULL,
  user_id text,
  path text,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, seq)
);

CREATE INDEX project_events_created_at ON project_events (repo_id, created_at);
