-- A full pack (a clone of every ref) that found every stored object of the repository reachable:
-- `wants` is the SHA-1 of what it was asked for, `objects` how many objects it sent. While the
-- repository still holds exactly that many objects, the same request sends every stored row
-- without walking the trees again. Garbage collection removes the record when it deletes
-- objects, so an equal count then means the same objects (rows are only added otherwise).
CREATE TABLE git_full_packs (
  repo_id integer PRIMARY KEY,
  wants bytea NOT NULL,
  objects integer NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
