-- Cold packs: objects no branch head shows (old versions of blobs and trees) move out of
-- `git_objects` rows into packs, one row per pack holding many objects, to save the ~130 bytes of
-- row and index overhead each row costs. `idx` holds the pack's sorted ids and, per id, where its
-- bytes are in `data` (see `packs/pack-format.ts`); a server keeps the indexes in memory. Packs are
-- immutable: a change writes a new pack and deletes the old row in one transaction.
CREATE TABLE git_packs (
  repo_id integer NOT NULL,
  pack_id bigint GENERATED ALWAYS AS IDENTITY,
  objects integer NOT NULL,
  idx bytea NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, pack_id)
);
-- the bytes are compressed already, and substring() then reads only the TOAST chunks it needs
ALTER TABLE git_packs ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE git_packs ALTER COLUMN idx SET STORAGE EXTERNAL;
