-- northstar: rebuild
-- A new role, analyst: reports only. SQLite cannot alter a CHECK constraint,
-- so users is rebuilt (https://sqlite.org/lang_altertable.html, "other kinds
-- of table schema changes"); the runner turns foreign keys off around this
-- migration and checks them before it commits.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    department    TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'admin', 'analyst')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);
INSERT INTO users_new (id, email, name, department, role, password_hash, disabled, created_at)
    SELECT id, email, name, department, role, password_hash, disabled, created_at FROM users;
-- Keep the id sequence, so that a deleted account's id is never reused.
INSERT INTO sqlite_sequence (name, seq) SELECT 'users_new', seq FROM sqlite_sequence WHERE name = 'users'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users_new');
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'users'))
    WHERE name = 'users_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
