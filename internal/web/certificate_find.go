package web

import (
	"net/http"

	"northstar/internal/certificate"
)

// certificateFind answers the check form (GET /certificates/?code=…): a
// well-formed code goes to its page, anything else gets the form again.
func (s *Server) certificateFind(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("code")
	if code, ok := certificate.ParseCode(raw); ok {
		http.Redirect(w, r, "/certificates/"+code, http.StatusSeeOther)
		return
	}
	v := certificateView{}
	status := http.StatusOK
	if raw != "" {
		status = http.StatusBadRequest
		v.Error = "A certificate code has 12 letters and digits, like ABCD-EFGH-JKLM. Please check it and try again."
		if len(raw) <= 40 {
			v.Entered = raw
		}
	}
	s.renderIn(w, r, certificateShell, status, "certificate.html", v)
}
