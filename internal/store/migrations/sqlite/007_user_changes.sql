-- Every change to a staff account, from the browser or the command line:
-- who made it (NULL: the command line), when, what changed and to which
-- value. Rows are only ever added.
CREATE TABLE user_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    changed_at TIMESTAMP NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    what       TEXT NOT NULL,
    value      TEXT NOT NULL
);
CREATE INDEX user_changes_user ON user_changes (user_id, id);
