package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"northstar/internal/certificate"
	"northstar/internal/store"
)

// certificateIssuer is printed on every certificate.
const certificateIssuer = "City of Minneapolis · Northstar staff training"

// certificatePDF sends the holder (or an admin) their certificate as a PDF.
func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	code, ok := certificate.ParseCode(mux.Vars(r)["code"])
	var c store.Certificate
	var holder store.User
	err := store.ErrNotFound
	if ok {
		c, holder, err = t.certificate(r, code)
	}
	// Someone else's certificate is, to a learner, no certificate at all.
	if errors.Is(err, store.ErrNotFound) || err == nil && c.UserID != me.ID && me.Role != store.RoleAdmin {
		http.Error(w, "No certificate of yours has this code.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, "certificate pdf", err)
		return
	}
	m, _ := t.Module(c.Module)
	var buf bytes.Buffer
	err = certificate.WritePDF(&buf, certificate.Data{
		Name: holder.Name, Module: moduleTitle(m, c.Module), Passed: c.PassedAt.In(cityTime), ValidUntil: c.ValidUntil.In(cityTime),
		Code: code, URL: t.publicURL() + "/certificates/" + code, Issuer: certificateIssuer,
	})
	switch {
	case errors.Is(err, certificate.ErrMissingGlyphs):
		http.Error(w, "This name uses letters the PDF cannot show yet. Print the certificate page instead: /certificates/"+code, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, certificate.ErrTooLong):
		http.Error(w, "This name is too long for the PDF. Print the certificate page instead: /certificates/"+code, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.serverError(w, r, "certificate pdf", err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="certificate-`+code+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
