-- The referral report reads every referral of its twelve months, several
-- times: one index holding every column it reads (and the id, to join the
-- services) answers each of its queries without reading the table. It
-- replaces the index on the date alone, which it begins with.
CREATE INDEX referrals_report ON referrals (occurred_on, department, suspected, interpreter, age_group, child_protection, outcome, id);
DROP INDEX referrals_occurred;
