package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"northstar/internal/auth"
)

// The admin's pages for staff accounts (/admin/users/): the handlers read
// the request and render; auth.Admin holds the rules, the same ones the
// command line keeps.

// userID is the account id in the path, or false with a 404 written.
func userID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, "There is no such account.", http.StatusNotFound)
		return 0, false
	}
	return id, true
}

// accountProblem is what an admin is told when auth.Admin refuses a change
// (and the form field it is about, if any), or false when err is no such
// refusal.
func accountProblem(err error) (field, msg string, ok bool) {
	var fe *auth.FieldError
	var de *auth.UnknownDepartmentError
	switch {
	case errors.As(err, &fe):
		return fe.Field, sentence(fe.Msg), true
	case errors.As(err, &de):
		return "department", "Choose a department from the list.", true
	case errors.Is(err, auth.ErrHasAccount):
		return "email", sentence(err.Error()), true
	case errors.Is(err, auth.ErrLastAdmin), errors.Is(err, auth.ErrOwnAccount):
		return "", sentence(err.Error()), true
	}
	return "", "", false
}

// rolesByReach are the roles as the forms list them: each may do more than
// the one before.
var rolesByReach = []string{auth.RoleLearner, auth.RoleAnalyst, auth.RoleTrainer, auth.RoleAdmin}
