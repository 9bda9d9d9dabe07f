-- Referrals staff record: de-identified by construction. Every column but
-- the ids and times holds one of a fixed list of values (internal/referral);
-- none can hold a name, a number, an address or free text.
CREATE TABLE referrals (
    id               TEXT PRIMARY KEY,
    recorded_by      BIGINT NOT NULL REFERENCES users (id),
    department       TEXT NOT NULL,
    occurred_on      TEXT NOT NULL, -- YYYY-MM-DD, a Minneapolis date
    recorded_at      TIMESTAMPTZ NOT NULL,
    source           TEXT NOT NULL,
    suspected        TEXT NOT NULL,
    age_group        TEXT NOT NULL,
    danger           BOOLEAN NOT NULL,
    called_911       BOOLEAN NOT NULL,
    child_protection TEXT NOT NULL, -- yes, no, or n/a (18 and over, unknown)
    language         TEXT NOT NULL,
    interpreter      TEXT NOT NULL,
    warm_handoff     BOOLEAN NOT NULL,
    agreed           BOOLEAN NOT NULL,
    outcome          TEXT,
    outcome_at       TIMESTAMPTZ
);
CREATE INDEX referrals_occurred ON referrals (occurred_on);
CREATE INDEX referrals_recorder ON referrals (recorded_by, recorded_at);

-- The directory entries a referral named (resources/<slug>).
CREATE TABLE referral_services (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    service     TEXT NOT NULL,
    PRIMARY KEY (referral_id, service)
);
CREATE INDEX referral_services_service ON referral_services (service);

-- Every change to a referral, kept: what changed (recorded, outcome), to
-- which value, who and when. Rows are only ever added (and purged with
-- their referral).
CREATE TABLE referral_changes (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    seq         INTEGER NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  BIGINT NOT NULL REFERENCES users (id),
    what        TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (referral_id, seq)
);
