package web

import (
	"errors"
	"net/http"
	"strings"

	"northstar/internal/auth"
	"northstar/internal/training"
)

type certificateRow struct {
	training.Certificate
	Holder      auth.User
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
	v := certificatesView{Query: q, Error: errMsg, Done: done}
	found, err := staffOf(r).service().FindCertificates(r.Context(), q)
	if errors.Is(err, training.ErrNoCertificate) || errors.Is(err, training.ErrNoPerson) {
		err = nil
		if v.Error == "" {
			v.Error = "Nothing found: give a certificate code or the holder's email."
			status = http.StatusNotFound
		}
	}
	if err != nil {
		s.serverError(w, r, "find certificates", err)
		return
	}
	for _, h := range found {
		v.Rows = append(v.Rows, certificateRow{Certificate: h.Certificate, Holder: *h.Holder, ModuleTitle: h.Module.Title,
			Status: h.Status, RevokedBy: h.RevokedBy.Name})
	}
	s.renderApp(w, r, status, "certificates_admin.html", v)
}
