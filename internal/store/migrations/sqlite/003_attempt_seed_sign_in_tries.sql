-- Each attempt's secret: it seeds the order of the options and the ids a
-- learner is shown, so nothing seen before grading correlates with the
-- answer key. NULL for attempts started before it was kept.
ALTER TABLE attempts ADD COLUMN seed TEXT;

-- A learner's open attempt at a quiz, and how many they started lately.
CREATE INDEX attempts_user_quiz_started ON attempts (user_id, quiz_id, started_at);
DROP INDEX attempts_user_quiz;

-- Sign-in and password tries counted per subject (an account, an address),
-- shared by every instance on this database. Only a hash of the subject is
-- kept, never the email or the address. window_ends is in unix milliseconds.
CREATE TABLE sign_in_tries (
    subject_hash TEXT PRIMARY KEY,
    tries        INTEGER NOT NULL,
    window_ends  BIGINT NOT NULL
);
CREATE INDEX sign_in_tries_window ON sign_in_tries (window_ends);
