package reminder

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"northstar/internal/email"
	"northstar/internal/store"
	"northstar/internal/training"
)

// Store is what reminders read and keep: the roster's records, who said
// no, the log of reminders sent and the lease of the run sending them.
type Store interface {
	training.RosterStore
	RemindersRefused(ctx context.Context) ([]int64, error)
	ReminderSent(ctx context.Context, userID int64, kind, about string) (bool, error)
	RecordReminderSent(ctx context.Context, r store.SentReminder) error
	TakeReminderLease(ctx context.Context, holder string, now, until time.Time) (bool, error)
	ReleaseReminderLease(ctx context.Context, holder string) error
}

// Sender sends messages over one connection (email.Client).
type Sender interface {
	Send(m email.Message) error
	Close() error
}

// Service sends the reminders that are due, each once.
type Service struct {
	Store Store
	// Modules are the site's (training.ReadModules).
	Modules []training.Module
	// PublicURL is the site's public address: every link is on it.
	PublicURL string
	// Dial connects to the SMTP relay, once per run that has something
	// to send.
	Dial func(ctx context.Context) (Sender, error)
	// Max bounds the messages of one run (DefaultMax when 0); the rest
	// go at the next run.
	Max int
	Now func() time.Time
	Log *slog.Logger
}

// DefaultMax is how many reminders one run sends at most.
const DefaultMax = 1000

// leaseFor is how long a run may go without a word before another may
// take over: it extends its lease before every message.
const leaseFor = 10 * time.Minute

// ErrBusy means another run (another instance, or 'northstar remind'
// beside serve) is sending reminders now.
var ErrBusy = errors.New("another run is sending reminders")

// Result is what a run did.
type Result struct {
	// Sent were accepted by the relay and logged; Failed were not sent
	// (tried again at the next run); Left were over Max.
	Sent, Failed, Left int
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Run sends every reminder due and not yet sent to those who want them
// and have an email address, and logs each once the relay accepted it:
// a second run, or a restart, sends none again. A message the relay
// refuses is not logged, so the next run tries it again. Should the
// process stop between the relay's acceptance and the log, that one
// reminder goes again at the next run: at least once, never twice in the
// normal course.
func (s *Service) Run(ctx context.Context) (Result, error) {
	var res Result
	holder, err := newHolder()
	if err != nil {
		return res, err
	}
	now := s.now()
	if ok, err := s.Store.TakeReminderLease(ctx, holder, now, now.Add(leaseFor)); err != nil || !ok {
		return res, cmp.Or(err, ErrBusy)
	}
	defer s.Store.ReleaseReminderLease(context.WithoutCancel(ctx), holder)
	pending, err := s.pending(ctx, now)
	if err != nil {
		return res, err
	}
	if max := s.max(); len(pending) > max {
		res.Left, pending = len(pending)-max, pending[:max]
	}
	if len(pending) == 0 {
		return res, nil
	}
	sender, err := s.Dial(ctx)
	if err != nil {
		res.Failed = len(pending)
		return res, fmt.Errorf("reminders: %w", err)
	}
	defer sender.Close()
	for i, r := range pending {
		if err := s.send(ctx, sender, holder, r); err != nil {
			res.Failed++
			s.log().Warn("reminder not sent: tried again at the next run", "user_id", r.User.ID, "kind", r.Kind, "module", r.Module.Slug, "err", err)
			if errors.Is(err, email.ErrBroken) || errors.Is(err, errLogged) || errors.Is(err, ErrBusy) || ctx.Err() != nil {
				res.Failed += len(pending) - i - 1
				return res, fmt.Errorf("reminders: %w", err)
			}
			continue
		}
		res.Sent++
		s.log().Info("reminder sent", "user_id", r.User.ID, "kind", r.Kind, "module", r.Module.Slug)
	}
	return res, nil
}

// errLogged marks a reminder sent but not logged: the run stops rather
// than send more it cannot log.
var errLogged = errors.New("sent, but not logged")

// send extends the run's lease, sends r and logs it.
func (s *Service) send(ctx context.Context, sender Sender, holder string, r Reminder) error {
	now := s.now()
	if ok, err := s.Store.TakeReminderLease(ctx, holder, now, now.Add(leaseFor)); err != nil || !ok {
		return cmp.Or(err, ErrBusy)
	}
	m, err := Message(r, s.PublicURL)
	if err != nil {
		return err
	}
	if err := sender.Send(m); err != nil {
		return err
	}
	for _, mark := range r.Marks {
		if err := s.Store.RecordReminderSent(context.WithoutCancel(ctx), store.SentReminder{UserID: r.User.ID, Kind: mark.Kind, About: mark.About, SentAt: now}); err != nil {
			return fmt.Errorf("%w: %w", errLogged, err)
		}
	}
	return nil
}

// pending are the reminders due at now and not yet sent, to people who
// want them and have an address.
func (s *Service) pending(ctx context.Context, now time.Time) ([]Reminder, error) {
	rows, err := training.Roster(ctx, s.Store, s.Modules, now)
	if err != nil {
		return nil, fmt.Errorf("reminders: roster: %w", err)
	}
	assignments, err := s.Store.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	refused, err := s.Store.RemindersRefused(ctx)
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	no := make(map[int64]bool, len(refused))
	for _, id := range refused {
		no[id] = true
	}
	wanted := rows[:0]
	for _, row := range rows {
		// The roster has no disabled account; the check says so here too.
		if _, err := email.ParseAddress(row.User.Email); err == nil && !no[row.User.ID] && !row.User.Disabled {
			wanted = append(wanted, row)
		}
	}
	var out []Reminder
	for _, r := range Due(now, wanted, assignments) {
		sent, err := s.Store.ReminderSent(ctx, r.User.ID, r.Marks[0].Kind, r.Marks[0].About)
		if err != nil {
			return nil, fmt.Errorf("reminders: %w", err)
		}
		if !sent {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Service) max() int {
	if s.Max > 0 {
		return s.Max
	}
	return DefaultMax
}

func newHolder() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("reminders: lease holder: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
