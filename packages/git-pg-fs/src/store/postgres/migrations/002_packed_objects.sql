-- Objects as git keeps them in packs: `data` holds zlib bytes (`zlib`), of the whole content or of
-- a git delta that makes the object from `base`, another object of the same repository, `depth`
-- deltas deep (at most 50). Rows written before this format hold raw content (`zlib` false) until
-- `convertObjects` compresses them, in batches, after the migrations.
ALTER TABLE git_objects
  ADD COLUMN base bytea,
  ADD COLUMN depth smallint NOT NULL DEFAULT 0,
  ADD COLUMN zlib boolean NOT NULL DEFAULT false;

-- The bytes are compressed already: PostgreSQL does not try again.
ALTER TABLE git_objects ALTER COLUMN data SET STORAGE EXTERNAL;
