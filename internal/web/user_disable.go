package web

import "net/http"

// userDisable disables an account: its sessions end, it cannot sign in.
func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) { s.setUserDisabled(w, r, true) }

// userEnable lets a disabled account sign in again.
func (s *Server) userEnable(w http.ResponseWriter, r *http.Request) { s.setUserDisabled(w, r, false) }

func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	id, ok := userID(w, r)
	if !ok || !readForm(w, r) {
		return
	}
	me, _ := userFrom(r.Context())
	_, err := staffOf(r).admin().SetDisabled(r.Context(), me, id, disabled)
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	s.afterUserChange(w, r, id, done, err, userShowView{})
}
