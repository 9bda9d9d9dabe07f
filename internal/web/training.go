package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"northstar/internal/auth"
	"northstar/internal/certificate"
	"northstar/internal/referral"
	"northstar/internal/reminder"
	"northstar/internal/sso"
	"northstar/internal/training"
	"northstar/internal/xapi"
)

// Staff is the staff side's long-lived part, the same across releases:
// accounts and sessions, sign-in limits, the setup link.
type Staff struct {
	// Store is the database behind the staff side; web reads and writes
	// it only through the domain packages.
	Store Records
	// Sessions signs in and out, within its sign-in limits.
	Sessions *auth.Sessions
	// Setup is the first-admin link while no admin exists, else nil.
	Setup *auth.SetupLink
	// SSO signs staff in with the City's identity provider; nil when it
	// is not set up.
	SSO *sso.Client
	// TrustProxy trusts X-Forwarded-Proto and X-Forwarded-For.
	TrustProxy bool
	// RemindAt is the Minneapolis time reminders by email go out each day
	// ("07:00"), "" when serve sends none; trainers are told which.
	RemindAt string
	// PublicURL is the site's public address, the only source of absolute
	// links (certificate QR codes, exports): never a request's Host. serve
	// falls back to its listening address, with a warning.
	PublicURL string
}

// Records is what the staff side's domain packages need of the database,
// and readiness its ping.
type Records interface {
	training.Store
	referral.Store
	auth.AdminStore
	xapi.Source
	reminder.PreferenceStore
	Ping(ctx context.Context) error
}

// reminders are staff's choice of reminders by email.
func (t *Staff) reminders() reminder.Preferences { return reminder.Preferences{Store: t.Store} }

// SetStaff enables the staff side. Call it before the first Install.
func (s *Server) SetStaff(t *Staff) { s.staffSide = t }

const sessionCookie = "northstar_session"

type userKey struct{}

// withUser puts the signed-in user, if any, in the request context. Public
// pages never read the cookie, and no public response sets one.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := staffOf(r)
		if t == nil {
			http.Error(w, "Staff training is not available on this server.", http.StatusNotFound)
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil {
			u, err := t.Sessions.User(r.Context(), c.Value)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
			case !errors.Is(err, auth.ErrNoSession):
				s.serverError(w, r, "read session", err)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func userFrom(ctx context.Context) (auth.User, bool) {
	u, ok := ctx.Value(userKey{}).(auth.User)
	return u, ok
}

// requireRole lets through signed-in users with one of roles (any role when
// none is named). Others get 401 (not signed in) or 403 (wrong role); a page
// request without a session is sent to sign in.
func requireRole(roles ...string) func(http.HandlerFunc) http.HandlerFunc {
	return func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			u, ok := userFrom(r.Context())
			api := strings.HasPrefix(r.URL.Path, "/api/")
			switch {
			case !ok && api:
				writeStaffJSON(w, r, http.StatusUnauthorized, map[string]string{"error": "Sign in first."})
			case !ok && r.Method == http.MethodGet:
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			case !ok:
				http.Error(w, "Sign in first.", http.StatusUnauthorized)
			case len(roles) > 0 && !slices.Contains(roles, u.Role) && api:
				writeStaffJSON(w, r, http.StatusForbidden, map[string]string{"error": "Your account cannot do this."})
			case len(roles) > 0 && !slices.Contains(roles, u.Role):
				http.Error(w, "Your account cannot open this page.", http.StatusForbidden)
			default:
				next(w, r)
			}
		}
	}
}

// secure reports whether the request came over TLS, directly or via a trusted proxy.
func (t *Staff) secure(r *http.Request) bool {
	return r.TLS != nil || t.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientIP is the address sign-in limits count against.
func (t *Staff) clientIP(r *http.Request) string {
	if t.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			first, _, _ := strings.Cut(f, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (t *Staff) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: t.secure(r), MaxAge: int(auth.AbsoluteTimeout / time.Second),
	})
}

func (t *Staff) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: t.secure(r), MaxAge: -1})
}

// appTemplates are the staff pages, rendered into the theme's /training/account/ page.
var appTemplates = template.Must(template.New("app").Funcs(template.FuncMap{
	"safe": func(s string) template.HTML { return template.HTML(s) },
	"add":  func(a, b int) int { return a + b },
	"has":  has,
	// dict passes several values to a template: dict "Key" value ….
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"date": isoDate,
	// datetime is a time's Minneapolis date and minute: attempts of one
	// day told apart.
	"datetime": func(t time.Time) string { return t.In(cityTime).Format("2006-01-02 15:04") },
	"sub":      func(a, b int) int { return a - b },
	"roleHelp": func(role string) string {
		return map[string]string{
			auth.RoleLearner: "takes training and records referrals",
			auth.RoleAnalyst: "also reads the referral reports, which name no one",
			auth.RoleTrainer: "also assigns training and reads the training and referral reports",
			auth.RoleAdmin:   "also manages accounts and certificates",
		}[role]
	},
	"num":       func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"code":      certificate.Format,
	"reviewURL": reviewURL,
	// statusClass makes a status a CSS class name: "in progress" → in-progress.
	"statusClass": func(s string) string { return strings.ReplaceAll(s, " ", "-") },
}).ParseFS(templateFS, "templates/app/*.html"))

// cityTime is the City's time zone (training.CityTime).
var cityTime = training.CityTime

// cityDate is t's date in Minneapolis, as 2006-01-02.
func cityDate(t time.Time) string { return t.In(cityTime).Format("2006-01-02") }

// isoDate shows a time or *time.Time as its Minneapolis date, nil as a dash.
func isoDate(v any) string {
	switch t := v.(type) {
	case time.Time:
		return cityDate(t)
	case *time.Time:
		if t != nil {
			return cityDate(*t)
		}
	}
	return "–"
}

// accountShell is the built page staff pages are rendered into.
const accountShell = "training/account/index.html"

// renderApp writes one staff page: the theme's page with name's content in it.
func (s *Server) renderApp(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.renderIn(w, r, accountShell, status, name, data)
}

// renderIn renders template name into the built page at shellPath, a page
// with the app layout.
func (s *Server) renderIn(w http.ResponseWriter, r *http.Request, shellPath string, status int, name string, data any) {
	root, err := siteOf(r)
	var page *shell
	if err == nil {
		page, err = root.shell(shellPath, `<div id="app-content"></div>`)
	}
	var buf bytes.Buffer
	if err == nil {
		buf.Write(page.head)
		if nav, ok := staffNavFor(r); ok && shellPath == accountShell {
			err = appTemplates.ExecuteTemplate(&buf, "staff_nav.html", nav)
		}
	}
	if err == nil {
		err = appTemplates.ExecuteTemplate(&buf, name, data)
		buf.Write(page.tail)
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "render staff page", "page", name, "err", err)
		httpError(w, r, http.StatusInternalServerError, msgOurSide)
		return
	}
	writeDynamic(w, r, status, "text/html; charset=utf-8", buf.Bytes())
}

// publicTraining serves a public page backed by the training store: it reads
// no session and sets no cookie, like every public page.
func (s *Server) publicTraining(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if staffOf(r) == nil {
			http.Error(w, "Staff training is not available on this server.", http.StatusNotFound)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next(w, r)
	}
}
