package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"northstar/internal/certificate"
	"northstar/internal/training"
)

// certificateShell is the built page certificate checks are shown in.
const certificateShell = "training/certificate/index.html"

// certificateView is everything the public may learn of a certificate: the
// name, the module, when it was passed, until when it holds, and its status.
type certificateView struct {
	Code, Name, Module, Status string
	Passed, ValidUntil         string
	URL                        string
	QR                         template.HTML
	Error                      string
	Entered                    string
}

// certificateShow is the public verification page of one certificate.
func (s *Server) certificateShow(w http.ResponseWriter, r *http.Request) {
	t := staffOf(r)
	w.Header().Set("X-Robots-Tag", "noindex")
	code, ok := certificate.ParseCode(mux.Vars(r)["code"])
	if !ok {
		s.renderIn(w, r, certificateShell, http.StatusNotFound, "certificate.html",
			certificateView{Error: "No certificate has this code. Please check it and try again."})
		return
	}
	if code != mux.Vars(r)["code"] {
		http.Redirect(w, r, "/certificates/"+code, http.StatusMovedPermanently)
		return
	}
	c, err := t.service().Certificate(r.Context(), code)
	if errors.Is(err, training.ErrNoCertificate) {
		s.renderIn(w, r, certificateShell, http.StatusNotFound, "certificate.html",
			certificateView{Error: "No certificate has this code. Please check it and try again.", Entered: certificate.Format(code)})
		return
	}
	if err != nil {
		s.serverError(w, r, "show certificate", err)
		return
	}
	link := t.publicURL() + "/certificates/" + code
	qr, err := certificate.QRSVG(link)
	if err != nil {
		s.serverError(w, r, "certificate qr", err)
		return
	}
	s.renderIn(w, r, certificateShell, http.StatusOK, "certificate.html", certificateView{
		Code: certificate.Format(code), Name: c.Holder.Name, Module: c.Module.Title, Status: c.Status,
		Passed: c.PassedAt.In(cityTime).Format(certificate.DateLayout), ValidUntil: c.ValidUntil.In(cityTime).Format(certificate.DateLayout),
		URL: link, QR: qr,
	})
}

// publicURL is the site's configured address, without a trailing slash.
func (t *Staff) publicURL() string {
	return strings.TrimRight(t.PublicURL, "/")
}
