-- What maintenance last did for a repository, and when.
CREATE TABLE git_maintenance (
  repo_id integer PRIMARY KEY,
  last_run_at timestamptz,
  last_report jsonb
);

-- Objects a maintenance run found unreachable, and since when: one is removed once it has been
-- unreachable for the prune age (git's gc.pruneExpire), and forgotten here if a ref reaches it again.
CREATE TABLE git_unreachable (
  repo_id integer NOT NULL,
  oid bytea NOT NULL,
  found_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, oid)
);

-- The deltas built on an object: garbage collection stores them again before it removes their
-- base, and renumbers the depths of what is built on them. Whole objects have no entry.
CREATE INDEX git_objects_base ON git_objects (repo_id, base) WHERE base IS NOT NULL;
