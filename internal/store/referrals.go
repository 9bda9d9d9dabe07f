package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Referral is a referral a member of staff recorded (see internal/referral
// for what each field may hold: fixed values only, nothing that names the
// person).
type Referral struct {
	ID         string
	RecordedBy int64
	Department string
	// OccurredOn is the Minneapolis date it happened, as 2006-01-02.
	OccurredOn      string
	RecordedAt      time.Time
	Source          string
	Suspected       string
	AgeGroup        string
	Danger          bool
	Called911       bool
	ChildProtection string
	Language        string
	Interpreter     string
	Services        []string
	WarmHandoff     bool
	Agreed          bool
	Outcome         string // "" until one is added
	OutcomeAt       *time.Time
}

// ReferralChange is one entry of a referral's history.
type ReferralChange struct {
	At    time.Time
	By    int64
	What  string // "recorded" or "outcome"
	Value string
}

// Tally is a count by one or two keys.
type Tally struct {
	A, B string
	N    int
}

// ReferralCombo counts referrals with one combination of the answers the
// report's shares are made of.
type ReferralCombo struct {
	Interpreter, AgeGroup, ChildProtection, Outcome string
	N                                               int
}

// ReferralFigures are a report's counts of the referrals since a day.
type ReferralFigures struct {
	// ByMonth: A is the month (2006-01), B the department.
	ByMonth []Tally
	// BySuspected and ByService: A is what was suspected, or the service.
	BySuspected []Tally
	ByService   []Tally
	Combos      []ReferralCombo
	// Trained: A is the department, N its enabled staff holding a
	// certificate that is neither revoked nor expired.
	Trained []Tally
}

// Referrals are the referrals staff record, with their history.
type Referrals interface {
	CreateReferral(ctx context.Context, r Referral) error
	ReferralsBy(ctx context.Context, userID int64) ([]Referral, error)
	ReferralChanges(ctx context.Context, id string) ([]ReferralChange, error)
	SetReferralOutcome(ctx context.Context, id string, recordedBy int64, outcome string, at, openSince time.Time) error
	ReferralFigures(ctx context.Context, fromDay string, trainedAt time.Time) (ReferralFigures, error)
	PurgeReferrals(ctx context.Context, beforeDay string) (int64, error)
}

// MaxListedReferrals bounds the list one recorder sees: the newest.
const MaxListedReferrals = 1000

// CreateReferral records r, its services and its first change in one
// group commit: acknowledged means committed.
func (s *sqlStore) CreateReferral(ctx context.Context, r Referral) error {
	if err := storable(r.RecordedAt); err != nil {
		return fmt.Errorf("create referral: %w", err)
	}
	at := r.RecordedAt.UTC()
	stmts := []statement{{`INSERT INTO referrals (id, recorded_by, department, occurred_on, recorded_at, source, suspected, age_group,
		danger, called_911, child_protection, language, interpreter, warm_handoff, agreed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		[]any{r.ID, r.RecordedBy, r.Department, r.OccurredOn, at, r.Source, r.Suspected, r.AgeGroup,
			r.Danger, r.Called911, r.ChildProtection, r.Language, r.Interpreter, r.WarmHandoff, r.Agreed}}}
	for _, svc := range r.Services {
		stmts = append(stmts, statement{`INSERT INTO referral_services (referral_id, service) VALUES (?, ?)`, []any{r.ID, svc}})
	}
	stmts = append(stmts, statement{`INSERT INTO referral_changes (referral_id, seq, changed_at, changed_by, what, value) VALUES (?, 1, ?, ?, 'recorded', '')`,
		[]any{r.ID, at, r.RecordedBy}})
	_, err := s.grouped(ctx, stmts...)
	if isDuplicate(err) {
		return fmt.Errorf("create referral: %w", ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create referral: %w", err)
	}
	return nil
}

const referralColumns = `id, recorded_by, department, occurred_on, recorded_at, source, suspected, age_group, danger, called_911,
	child_protection, language, interpreter, warm_handoff, agreed, outcome, outcome_at`

func scanReferral(row interface{ Scan(...any) error }) (Referral, error) {
	var r Referral
	var outcome sql.NullString
	var outcomeAt sql.NullTime
	err := row.Scan(&r.ID, &r.RecordedBy, &r.Department, &r.OccurredOn, &r.RecordedAt, &r.Source, &r.Suspected, &r.AgeGroup,
		&r.Danger, &r.Called911, &r.ChildProtection, &r.Language, &r.Interpreter, &r.WarmHandoff, &r.Agreed, &outcome, &outcomeAt)
	r.Outcome = outcome.String
	if outcomeAt.Valid {
		t := outcomeAt.Time.UTC()
		r.OutcomeAt = &t
	}
	r.RecordedAt = r.RecordedAt.UTC()
	return r, err
}

func (s *sqlStore) ReferralsBy(ctx context.Context, userID int64) ([]Referral, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+referralColumns+` FROM referrals WHERE recorded_by = ?
		ORDER BY recorded_at DESC, id LIMIT `+fmt.Sprint(MaxListedReferrals)), userID)
	if err != nil {
		return nil, fmt.Errorf("referrals by %d: %w", userID, err)
	}
	list, err := collect(s, rows, "referrals by user", scanReferral)
	if err != nil || len(list) == 0 {
		return list, err
	}
	at := make(map[string]int, len(list))
	for i, r := range list {
		at[r.ID] = i
	}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT rs.referral_id, rs.service FROM referral_services rs
		JOIN referrals r ON r.id = rs.referral_id WHERE r.recorded_by = ? ORDER BY rs.referral_id, rs.service`), userID)
	if err != nil {
		return nil, fmt.Errorf("referral services of %d: %w", userID, err)
	}
	pairs, err := collect(s, rows, "referral services", func(row interface{ Scan(...any) error }) (Tally, error) {
		var t Tally
		return t, row.Scan(&t.A, &t.B)
	})
	for _, p := range pairs {
		if i, ok := at[p.A]; ok {
			list[i].Services = append(list[i].Services, p.B)
		}
	}
	return list, err
}

func (s *sqlStore) ReferralChanges(ctx context.Context, id string) ([]ReferralChange, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT changed_at, changed_by, what, value FROM referral_changes WHERE referral_id = ? ORDER BY seq`), id)
	if err != nil {
		return nil, fmt.Errorf("referral changes: %w", err)
	}
	return collect(s, rows, "referral changes", func(row interface{ Scan(...any) error }) (ReferralChange, error) {
		var c ReferralChange
		err := row.Scan(&c.At, &c.By, &c.What, &c.Value)
		c.At = c.At.UTC()
		return c, err
	})
}

// SetReferralOutcome updates the outcome of a referral recorded after
// openSince and appends the change in one commit; the change is added only when the update matched (same time).
func (s *sqlStore) SetReferralOutcome(ctx context.Context, id string, recordedBy int64, outcome string, at, openSince time.Time) error {
	at, openSince = at.UTC(), openSince.UTC()
	affected, err := s.grouped(ctx,
		statement{`UPDATE referrals SET outcome = ?, outcome_at = ? WHERE id = ? AND recorded_by = ? AND recorded_at > ?`,
			[]any{outcome, at, id, recordedBy, openSince}},
		statement{`INSERT INTO referral_changes (referral_id, seq, changed_at, changed_by, what, value)
			SELECT ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM referral_changes WHERE referral_id = ?), ?, ?, 'outcome', ?
			WHERE EXISTS (SELECT 1 FROM referrals WHERE id = ? AND recorded_by = ? AND outcome_at = ? AND outcome = ?)`,
			[]any{id, id, at, recordedBy, outcome, id, recordedBy, at, outcome}})
	if err != nil {
		return fmt.Errorf("set referral outcome: %w", err)
	}
	if affected[0] == 0 {
		return fmt.Errorf("set referral outcome: %w", ErrNotFound)
	}
	return nil
}

func (s *sqlStore) ReferralFigures(ctx context.Context, fromDay string, trainedAt time.Time) (ReferralFigures, error) {
	var f ReferralFigures
	tally := func(what, query string, args ...any) ([]Tally, error) {
		rows, err := s.db.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return collect(s, rows, what, func(row interface{ Scan(...any) error }) (Tally, error) {
			var t Tally
			return t, row.Scan(&t.A, &t.B, &t.N)
		})
	}
	var err error
	if f.ByMonth, err = tally("referrals by month", `SELECT substr(occurred_on, 1, 7), department, COUNT(*) FROM referrals
		WHERE occurred_on >= ? GROUP BY substr(occurred_on, 1, 7), department`, fromDay); err != nil {
		return f, err
	}
	if f.BySuspected, err = tally("referrals by suspicion", `SELECT suspected, '', COUNT(*) FROM referrals
		WHERE occurred_on >= ? GROUP BY suspected`, fromDay); err != nil {
		return f, err
	}
	// From the report's referrals to their services, in that order (a
	// CROSS JOIN keeps SQLite from walking every service instead).
	if f.ByService, err = tally("referrals by service", `SELECT rs.service, '', COUNT(*) FROM referrals r
		CROSS JOIN referral_services rs WHERE rs.referral_id = r.id AND r.occurred_on >= ? GROUP BY rs.service`, fromDay); err != nil {
		return f, err
	}
	if f.Trained, err = tally("trained staff", `SELECT u.department, '', COUNT(DISTINCT u.id) FROM users u
		JOIN certificates c ON c.user_id = u.id
		WHERE c.revoked_at IS NULL AND c.valid_until > ? AND u.disabled = ? GROUP BY u.department`, trainedAt.UTC(), false); err != nil {
		return f, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT interpreter, age_group, child_protection, COALESCE(outcome, ''), COUNT(*)
		FROM referrals WHERE occurred_on >= ? GROUP BY interpreter, age_group, child_protection, COALESCE(outcome, '')`), fromDay)
	if err != nil {
		return f, fmt.Errorf("referral answers: %w", err)
	}
	f.Combos, err = collect(s, rows, "referral answers", func(row interface{ Scan(...any) error }) (ReferralCombo, error) {
		var c ReferralCombo
		return c, row.Scan(&c.Interpreter, &c.AgeGroup, &c.ChildProtection, &c.Outcome, &c.N)
	})
	return f, err
}

func (s *sqlStore) PurgeReferrals(ctx context.Context, beforeDay string) (int64, error) {
	old := `SELECT id FROM referrals WHERE occurred_on < ?`
	affected, err := s.grouped(ctx,
		statement{`DELETE FROM referral_services WHERE referral_id IN (` + old + `)`, []any{beforeDay}},
		statement{`DELETE FROM referral_changes WHERE referral_id IN (` + old + `)`, []any{beforeDay}},
		statement{`DELETE FROM referrals WHERE occurred_on < ?`, []any{beforeDay}})
	if err != nil {
		return 0, fmt.Errorf("purge referrals: %w", err)
	}
	return affected[2], nil
}
