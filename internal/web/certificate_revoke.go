package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"northstar/internal/certificate"
	"northstar/internal/training"
)

// certificateRevoke revokes a certificate, recording who and why. Its public
// page says "revoked" from then on.
func (s *Server) certificateRevoke(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	if !readForm(w, r) {
		return
	}
	code, ok := certificate.ParseCode(mux.Vars(r)["code"])
	if !ok {
		http.Error(w, "There is no such certificate.", http.StatusNotFound)
		return
	}
	err := t.service().Revoke(r.Context(), me, code, r.PostForm.Get("reason"))
	if errors.Is(err, training.ErrNoReason) {
		s.renderCertificates(w, r, http.StatusBadRequest, code, fmt.Sprintf("Give a reason for revoking (up to %d characters).", training.MaxReasonLen), false)
		return
	}
	if errors.Is(err, training.ErrNoCertificate) {
		s.renderCertificates(w, r, http.StatusConflict, code, "This certificate does not exist or is already revoked.", false)
		return
	}
	if err != nil {
		s.serverError(w, r, "revoke certificate", err)
		return
	}
	s.log.InfoContext(r.Context(), "certificate revoked", "code", code, "by", me.ID)
	http.Redirect(w, r, "/admin/certificates/?done=revoked&q="+url.QueryEscape(code), http.StatusSeeOther)
}
