-- Every change to a staff account, from the browser or the command line:
-- who made it (NULL: the command line), when, what changed and to which
-- value. Rows are only ever added.
CREATE TABLE user_changes (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    what       TEXT NOT NULL,
    value      TEXT NOT NULL
);
CREATE INDEX user_changes_user ON user_changes (user_id, id);
