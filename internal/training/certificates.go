package training

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"northstar/internal/certificate"
	"northstar/internal/store"
)

// ErrNoCertificate means no certificate has the code, or none the viewer
// may see; to a learner, someone else's certificate is no certificate.
var ErrNoCertificate = errors.New("no such certificate")

// ErrNoPerson means no staff account has the email given.
var ErrNoPerson = errors.New("no staff account has this email")

// ErrNoReason means a revocation without a reason, or with one longer than
// MaxReasonLen.
var ErrNoReason = errors.New("a revocation needs a reason")

// MaxReasonLen bounds a revocation's reason, in characters.
const MaxReasonLen = 500

// Held is a certificate with its holder, its module (see moduleOrSlug) and,
// when revoked, who revoked it.
type Held struct {
	Certificate
	// Holder and Module are shared, never nil: the ledger's 100,000s of
	// lines point at one copy of each person and module. Read only.
	Holder    *User
	Module    *Module
	RevokedBy User
	// Status is "valid", "expired" or "revoked" (CertificateStatus), at the
	// service's clock.
	Status string
}

// Certificate reads a certificate and its holder by code (certificate.ParseCode).
func (s *Service) Certificate(ctx context.Context, code string) (Held, error) {
	c, err := s.Store.CertificateByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return Held{}, ErrNoCertificate
	}
	if err != nil {
		return Held{}, fmt.Errorf("read certificate: %w", err)
	}
	return s.held(ctx, c)
}

// CertificateFor is a certificate as viewer may see it: their own, or any
// when viewer is an admin; ErrNoCertificate otherwise.
func (s *Service) CertificateFor(ctx context.Context, viewer User, code string) (Held, error) {
	h, err := s.Certificate(ctx, code)
	if err == nil && h.UserID != viewer.ID && viewer.Role != store.RoleAdmin {
		return Held{}, ErrNoCertificate
	}
	return h, err
}

func (s *Service) held(ctx context.Context, c Certificate) (Held, error) {
	holder, err := s.Store.UserByID(ctx, c.UserID)
	if err != nil {
		return Held{}, fmt.Errorf("read holder of certificate: %w", err)
	}
	h := Held{Certificate: c, Holder: &holder, Module: s.moduleOrSlug(c.Module), Status: CertificateStatus(c, s.now())}
	if c.RevokedAt != nil {
		// The revoker's account may be gone: the revocation stands.
		if by, err := s.Store.UserByID(ctx, c.RevokedBy); err == nil {
			h.RevokedBy = by
		}
	}
	return h, nil
}

// FindCertificates finds, for an admin, the certificate with a code, or
// every certificate of the holder with an email, newest first.
// ErrNoCertificate or ErrNoPerson when there is no such code or person.
func (s *Service) FindCertificates(ctx context.Context, q string) ([]Held, error) {
	q = strings.TrimSpace(q)
	var certs []Certificate
	switch code, isCode := certificate.ParseCode(q); {
	case q == "":
		return nil, nil
	case isCode:
		c, err := s.Store.CertificateByCode(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrNoCertificate
		}
		if err != nil {
			return nil, fmt.Errorf("find certificate: %w", err)
		}
		certs = append(certs, c)
	default:
		u, err := s.Store.UserByEmail(ctx, q)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrNoPerson
		}
		if err == nil {
			certs, err = s.Store.CertificatesByUser(ctx, u.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("find certificates: %w", err)
		}
	}
	slices.SortFunc(certs, func(a, b Certificate) int { return b.PassedAt.Compare(a.PassedAt) })
	out := make([]Held, 0, len(certs))
	for _, c := range certs {
		h, err := s.held(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Revoke revokes a certificate for a reason (ErrNoReason when empty or
// longer than MaxReasonLen), recording who and when. ErrNoCertificate when
// there is no such certificate or it is already revoked.
func (s *Service) Revoke(ctx context.Context, by User, code, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLen {
		return ErrNoReason
	}
	err := s.Store.RevokeCertificate(ctx, code, by.ID, reason, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoCertificate
	}
	if err != nil {
		return fmt.Errorf("revoke certificate: %w", err)
	}
	return nil
}

// Ledger is every certificate ever issued, revoked ones included, oldest
// pass first, with its holder and module (revoker not read): the
// completions export.
func (s *Service) Ledger(ctx context.Context) ([]Held, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	certs, err := s.Store.Certificates(ctx)
	if err != nil {
		return nil, fmt.Errorf("list certificates: %w", err)
	}
	slices.SortFunc(certs, func(a, b Certificate) int {
		if c := a.PassedAt.Compare(b.PassedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	byID := make(map[int64]*User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	modules := map[string]*Module{}
	unknown := &User{} // a holder whose account is gone
	now := s.now()
	out := make([]Held, len(certs))
	for i, c := range certs {
		m, ok := modules[c.Module]
		if !ok {
			m = s.moduleOrSlug(c.Module)
			modules[c.Module] = m
		}
		holder, ok := byID[c.UserID]
		if !ok {
			holder = unknown
		}
		out[i] = Held{Certificate: c, Holder: holder, Module: m, Status: CertificateStatus(c, now)}
	}
	return out, nil
}
