CREATE TABLE repos (
  repo_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  default_branch text NOT NULL DEFAULT 'main',
  remote jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per object per repository, undeltified: a read is one row, never a delta chain.
CREATE TABLE git_objects (
  repo_id integer NOT NULL,
  oid bytea NOT NULL,
  type smallint NOT NULL,
  size integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (repo_id, oid)
);

-- A ref holds either an object id or, when symbolic (HEAD), the name of another ref.
CREATE TABLE git_refs (
  repo_id integer NOT NULL,
  name text NOT NULL,
  oid text,
  target text,
  PRIMARY KEY (repo_id, name),
  CHECK ((oid IS NULL) <> (target IS NULL))
);

-- The few other gitdir files (config, shallow, description, ...).
CREATE TABLE git_files (
  repo_id integer NOT NULL,
  path text NOT NULL,
  content bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (repo_id, path)
);

DO $$
BEGIN
  ALTER TABLE git_objects ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN others THEN
  NULL;
END $$;

-- The commit graph, filled as commit objects are written: walks history without parsing objects.
CREATE TABLE git_commit_graph (
  repo_id integer NOT NULL,
  oid bytea NOT NULL,
  tree bytea NOT NULL,
  parents bytea[] NOT NULL,
  commit_time bigint NOT NULL,
  PRIMARY KEY (repo_id, oid)
);
