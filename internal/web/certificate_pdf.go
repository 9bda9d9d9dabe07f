package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"northstar/internal/certificate"
	"northstar/internal/training"
)

// certificateIssuer is printed on every certificate.
const certificateIssuer = "City of Minneapolis · Northstar staff training"

// certificatePDF sends the holder (or an admin) their certificate as a PDF.
func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	code, ok := certificate.ParseCode(mux.Vars(r)["code"])
	var c training.Held
	err := training.ErrNoCertificate
	if ok {
		c, err = t.service().CertificateFor(r.Context(), me, code)
	}
	if errors.Is(err, training.ErrNoCertificate) {
		http.Error(w, "No certificate of yours has this code.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, "certificate pdf", err)
		return
	}
	var buf bytes.Buffer
	err = certificate.WritePDF(&buf, certificate.Data{
		Name: c.Holder.Name, Module: c.Module.Title, Passed: c.PassedAt.In(cityTime), ValidUntil: c.ValidUntil.In(cityTime),
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
