-- A new role, analyst: reports only.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('learner', 'trainer', 'admin', 'analyst'));
