package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"northstar/internal/training"
)

// assignmentRemove deletes an assignment; certificates and attempts stay.
func (s *Server) assignmentRemove(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err == nil {
		err = staffOf(r).service().Unassign(r.Context(), id)
	}
	switch {
	case errors.Is(err, training.ErrNoAssignment) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange):
		http.Error(w, "There is no such assignment.", http.StatusNotFound)
	case err != nil:
		s.serverError(w, r, "remove assignment", err)
	default:
		http.Redirect(w, r, "/admin/assignments/?done=removed", http.StatusSeeOther)
	}
}
