package web

import (
	"net/http"
)

// logoutCreate ends the session and clears the cookie.
func (s *Server) logoutCreate(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := t.Sessions.SignOut(r.Context(), c.Value); err != nil {
			s.log.ErrorContext(r.Context(), "sign out", "err", err)
		}
	}
	t.clearSessionCookie(w, r)
	http.Redirect(w, r, "/training/", http.StatusSeeOther)
}
