package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"northstar/internal/auth"
)

// An import through the browser is one department's staff at a time: each
// account's temporary password is an argon2id hash, and hashes take their
// turn with sign-ins. Larger files go through northstar users import.
const (
	maxImportBody = 256 << 10
	maxWebImport  = 200
)

type userImportView struct {
	CSV      string
	Rows     []auth.ImportRow
	Problems int
	New      int
	Error    string
	Max      int
}

// userImportShow is the form to upload (or paste) a CSV file of accounts.
func (s *Server) userImportShow(w http.ResponseWriter, r *http.Request) {
	s.renderApp(w, r, http.StatusOK, "user_import.html", userImportView{Max: maxWebImport})
}

// userImportPreview checks an uploaded file line by line and shows what
// an import would do; nothing is written.
func (s *Server) userImportPreview(w http.ResponseWriter, r *http.Request) {
	if v, status, ok := s.readImport(w, r); ok {
		s.renderApp(w, r, status, "user_import.html", v)
	}
}

// userImportCreate adds the accounts of a previewed file, checked again.
func (s *Server) userImportCreate(w http.ResponseWriter, r *http.Request) {
	v, status, ok := s.readImport(w, r)
	if !ok {
		return
	}
	if status != http.StatusOK || v.Problems > 0 {
		s.renderApp(w, r, http.StatusBadRequest, "user_import.html", v)
		return
	}
	me, _ := userFrom(r.Context())
	added, err := staffOf(r).admin().Import(r.Context(), me, v.Rows)
	view := map[string]any{"Added": added, "Skipped": len(v.Rows) - v.New}
	if errors.Is(err, auth.ErrBusy) {
		view["Error"] = fmt.Sprintf("The server was busy after %d of %d accounts. Upload the same file again to add the rest: those added are skipped.", len(added), v.New)
	} else if err != nil {
		s.serverError(w, r, "import users", err)
		return
	}
	s.renderApp(w, r, http.StatusOK, "user_added.html", view)
}

// readImport reads the form's file and checks it, or answers the request
// itself (false): the form again for a file it cannot read, 500 for the
// store.
func (s *Server) readImport(w http.ResponseWriter, r *http.Request) (userImportView, int, bool) {
	text, problem := importText(w, r)
	if problem != "" {
		s.renderApp(w, r, http.StatusBadRequest, "user_import.html", userImportView{Error: problem, Max: maxWebImport})
		return userImportView{}, 0, false
	}
	v, status, err := s.previewImport(r, text)
	if err != nil {
		s.serverError(w, r, "read import", err)
		return userImportView{}, 0, false
	}
	return v, status, true
}

// previewImport checks text as an import file: a 400 status with the
// reason for a file that cannot be read at all.
func (s *Server) previewImport(r *http.Request, text string) (userImportView, int, error) {
	v := userImportView{CSV: text, Max: maxWebImport}
	rows, err := staffOf(r).admin().PreviewImport(r.Context(), strings.NewReader(text))
	var ie *auth.ImportError
	switch {
	case errors.As(err, &ie):
		v.Error = fmt.Sprintf("Line %d: %s.", ie.Line, ie.Msg)
		return v, http.StatusBadRequest, nil
	case err != nil:
		return v, 0, err
	case len(rows) == 0:
		v.Error = "The file has its header but no accounts."
		return v, http.StatusBadRequest, nil
	case len(rows) > maxWebImport:
		v.Error = fmt.Sprintf("The file has %d accounts; import at most %d at a time here (northstar users import takes more).", len(rows), maxWebImport)
		return v, http.StatusBadRequest, nil
	}
	v.Rows = rows
	for _, row := range rows {
		switch {
		case row.Problem != "":
			v.Problems++
		case !row.Exists:
			v.New++
		}
	}
	if v.Problems > 0 {
		return v, http.StatusBadRequest, nil
	}
	return v, http.StatusOK, nil
}

// importText is the file of an import form: an uploaded file, or the text
// pasted (or carried from the preview) in the csv field; or why there is
// none to read.
func importText(w http.ResponseWriter, r *http.Request) (text, problem string) {
	tooBig := fmt.Sprintf("The file could not be read: upload a CSV file of at most %d KB.", maxImportBody>>10)
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(maxImportBody); err != nil {
			return "", tooBig
		}
		defer r.MultipartForm.RemoveAll()
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, maxImportBody+1))
			if err != nil || len(b) > maxImportBody {
				return "", tooBig
			}
			if strings.TrimSpace(string(b)) != "" {
				return string(b), ""
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return "", tooBig
	}
	if text := r.FormValue("csv"); strings.TrimSpace(text) != "" {
		return text, ""
	}
	return "", "Choose a CSV file, or paste its lines."
}
