-- The nonces of ID tokens accepted at sign-in with the City account, so
-- one token signs in once across every instance sharing this database.
-- Kept as SHA-256 hashes, for two hours (a token outlives its flow by less).
CREATE TABLE sso_nonces (
    nonce_hash TEXT PRIMARY KEY,
    used_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sso_nonces_used ON sso_nonces (used_at);
