-- Reminders by email (issue 18).
--
-- Who turned reminders off (or on again): no row means on, the default.
-- A table of its own rather than a column of users, as on SQLite, where a
-- rebuild of users (to change a constraint) would have to carry it.
CREATE TABLE reminder_preferences (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email      BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Every reminder an SMTP server accepted, written after it accepted it:
-- kind is assigned, due-7, overdue or expiring-30; about says which
-- occasion (an assignment, a due date, a week overdue, a certificate), so
-- that the same reminder is never sent twice.
CREATE TABLE reminders_sent (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    about   TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kind, about)
);

-- One run at a time sends reminders, across processes and instances: the
-- run holding this row until expires_at (unix milliseconds) does.
CREATE TABLE reminder_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
