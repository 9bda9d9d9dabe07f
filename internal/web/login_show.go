package web

import (
	"net/http"
)

type loginView struct{ Email, Next, Error string }

// loginShow renders the sign-in form.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusOK, "login.html", loginView{Next: SafeNext(r.URL.Query().Get("next"))})
}
