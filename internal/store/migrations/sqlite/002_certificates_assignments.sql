-- A compact record of each graded answer (question, right or not, options
-- chosen), for item analysis without decoding every explanation.
ALTER TABLE attempts ADD COLUMN answers TEXT;

CREATE TABLE certificates (
    code          TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    module        TEXT NOT NULL,
    attempt_id    TEXT NOT NULL UNIQUE REFERENCES attempts (id) ON DELETE CASCADE,
    score         INTEGER NOT NULL,
    passed_at     TIMESTAMP NOT NULL,
    valid_until   TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    revoked_by    INTEGER REFERENCES users (id),
    revoke_reason TEXT
);
CREATE INDEX certificates_user ON certificates (user_id, module);

-- A module assigned to a whole department (user_id NULL) or to one person
-- (department NULL), due by due_at.
CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    module      TEXT NOT NULL,
    department  TEXT,
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    due_at      TIMESTAMP NOT NULL,
    assigned_by INTEGER NOT NULL REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    CHECK ((department IS NULL) <> (user_id IS NULL))
);
CREATE INDEX assignments_department ON assignments (department);
CREATE INDEX assignments_user ON assignments (user_id);

CREATE INDEX attempts_quiz ON attempts (quiz_id);
