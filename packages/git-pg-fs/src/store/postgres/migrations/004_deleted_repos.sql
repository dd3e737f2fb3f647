-- Repositories deleted but whose rows are not all gone yet: a deletion hides the repository at
-- once (its `repos` row, refs and files go in one short transaction, and its name is free again),
-- then removes the rest in small transactions. A deletion a crash interrupted stays listed here
-- until maintenance finishes it.
CREATE TABLE git_deleted_repos (
  repo_id integer PRIMARY KEY,
  name text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now()
);
