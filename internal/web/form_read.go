package web

import "net/http"

// maxFormBody caps a staff form (sign-in, password, setup, assignment,
// revocation): a few fields of text.
const maxFormBody = 16 << 10

// readForm parses a posted form of at most maxFormBody bytes into
// r.PostForm, or answers 400 and returns false.
func readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return false
	}
	return true
}
