package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"northstar/internal/certificate"
	"northstar/internal/store"
	"northstar/internal/training"
)

type certificateRow struct {
	store.Certificate
	Holder      store.User
	ModuleTitle string
	Status      string
	RevokedBy   string
}

type certificatesView struct {
	Query string
	Rows  []certificateRow
	Error string
	Done  bool
}

// certificateList lets an admin find certificates by code or by the holder's
// email, to revoke one.
func (s *Server) certificateList(w http.ResponseWriter, r *http.Request) {
	s.renderCertificates(w, r, http.StatusOK, strings.TrimSpace(r.URL.Query().Get("q")), "", r.URL.Query().Get("done") == "revoked")
}

func (s *Server) renderCertificates(w http.ResponseWriter, r *http.Request, status int, q, errMsg string, done bool) {
	t := staffOf(r)
	v := certificatesView{Query: q, Error: errMsg, Done: done}
	var certs []store.Certificate
	var err error
	switch code, isCode := certificate.ParseCode(q); {
	case q == "":
	case isCode:
		var c store.Certificate
		c, err = t.Store.CertificateByCode(r.Context(), code)
		certs = append(certs, c)
	default:
		var u store.User
		u, err = t.Store.UserByEmail(r.Context(), q)
		if err == nil {
			certs, err = t.Store.CertificatesByUser(r.Context(), u.ID)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		certs, err = nil, nil
		if v.Error == "" {
			v.Error = "Nothing found: give a certificate code or the holder's email."
			status = http.StatusNotFound
		}
	}
	if err != nil {
		s.serverError(w, r, "find certificates", err)
		return
	}
	// Newest first.
	slices.SortFunc(certs, func(a, b store.Certificate) int { return b.PassedAt.Compare(a.PassedAt) })
	now := t.service().Clock()
	for _, c := range certs {
		holder, err := t.Store.UserByID(r.Context(), c.UserID)
		if err != nil {
			s.serverError(w, r, "find certificates", err)
			return
		}
		m, _ := t.Module(c.Module)
		row := certificateRow{Certificate: c, Holder: holder, ModuleTitle: moduleTitle(m, c.Module), Status: training.CertificateStatus(c, now)}
		if c.RevokedAt != nil {
			if by, err := t.Store.UserByID(r.Context(), c.RevokedBy); err == nil {
				row.RevokedBy = by.Name
			}
		}
		v.Rows = append(v.Rows, row)
	}
	s.renderApp(w, r, status, "certificates_admin.html", v)
}
