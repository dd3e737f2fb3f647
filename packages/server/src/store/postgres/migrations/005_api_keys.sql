-- Keys limited to some projects and a scope. Only a SHA-256 hash of a key is kept: a key is 32
-- random bytes, so a fast hash is enough, and the plain key is shown once, when created.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  key_hash bytea NOT NULL UNIQUE,
  projects text[] NOT NULL,
  scope text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
