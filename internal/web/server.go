// Package web is Northstar's HTTP side: the router, the middleware every response
// passes through, and the handlers. It serves the built site and the API on
// one port.
package web

import (
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/gorilla/mux"

	"northstar/internal/auth"
	"northstar/internal/search"
)

// Server holds the handlers' dependencies: the release being served
// (replaced whole by Install) and the long-lived staff side.
type Server struct {
	log *slog.Logger
	gen atomic.Pointer[generation]
	// staffSide is nil on a server without staff training (SetStaff).
	staffSide *Staff
	// searches admits searches as the CPUs can run them.
	searches search.Gate
	live     *LiveReload // serve --watch only
	metrics  Observer
}

// New returns a server with no release yet: /readyz answers 503 until
// the first Install. Every line it logs while serving a request carries
// the request's id.
func New(log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{log: slog.New(requestIDs{log.Handler()}), metrics: noMetrics{}}
}

// Who may use a route. Every route states one; Routes lists them, and the
// authorization test checks each for every role.
const (
	// Public routes read no session and set no cookie: the site, search,
	// health, certificate checks.
	Public = "public"
	// Anyone may use the route; a session, if sent, is read (sign-in).
	Anyone = "anyone"
	// SignedIn needs a session, of any role.
	SignedIn = "signed in"
	// Trainers are trainers and admins.
	Trainers = "trainer or admin"
	// Admins are admins only.
	Admins = "admin"
	// Analysts are analysts, trainers and admins: referral reports, which
	// name no one.
	Analysts = "analyst, trainer or admin"
)

// groupRoles are the roles each signed-in group lets in; none named lets in
// every role. The router and the staff navigation both read it.
var groupRoles = map[string][]string{
	SignedIn: nil,
	Trainers: {auth.RoleTrainer, auth.RoleAdmin},
	Admins:   {auth.RoleAdmin},
	Analysts: {auth.RoleAnalyst, auth.RoleTrainer, auth.RoleAdmin},
}

// Route is one route as the router holds it.
type Route struct {
	Methods []string
	// Path is the route's template, e.g. /admin/assignments/{id}/delete;
	// a prefix ends in "/*".
	Path string
	Role string
}

var (
	get  = []string{http.MethodGet, http.MethodHead}
	post = []string{http.MethodPost}
)

// routes registers the application's routes on r, each with its role.
func (s *Server) routes(r *mux.Router) map[*mux.Route]string {
	roles := map[*mux.Route]string{}
	add := func(role string, methods []string, path string, h http.HandlerFunc) {
		var handler http.Handler = h
		switch role {
		case Public:
			handler = h
		case Anyone:
			handler = s.withUser(h)
		case SignedIn, Trainers, Admins, Analysts:
			handler = s.withUser(requireRole(groupRoles[role]...)(h))
		default:
			panic("web: route " + path + " has no role")
		}
		roles[r.Handle(path, s.withRelease(handler)).Methods(methods...)] = role
	}
	add(Public, get, "/healthz", s.healthShow)
	add(Public, get, "/readyz", s.readyShow)
	add(Public, get, "/api/search", s.searchAPI)
	add(Public, get, "/search/", s.searchResults)
	add(Public, get, "/{lang:[a-z]{2,3}}/search/", s.searchResults)

	add(Anyone, get, "/login", s.loginShow)
	add(Anyone, post, "/login", s.loginCreate)
	add(Anyone, post, "/logout", s.logoutCreate)
	add(Anyone, get, "/login/sso", s.ssoStart)
	add(Anyone, get, "/login/sso/callback", s.ssoFinish)
	add(Anyone, get, "/setup", s.setupShow)
	add(Anyone, post, "/setup", s.setupCreate)
	add(SignedIn, get, "/account/password", s.passwordEdit)
	add(SignedIn, post, "/account/password", s.passwordUpdate)
	add(SignedIn, get, "/api/quizzes/{id}", s.quizStart)
	add(SignedIn, post, "/api/quizzes/{id}/attempts/{attempt}", s.attemptSubmit)
	add(SignedIn, get, "/api/me/training", s.myTrainingAPI)
	add(SignedIn, get, "/training/my/", s.myTrainingShow)
	add(SignedIn, post, "/training/my/reminders", s.remindersUpdate)
	add(SignedIn, get, "/training/{module}/quiz/", s.quizShow)
	add(SignedIn, post, "/training/{module}/quiz/", s.quizSubmit)
	// A graded attempt again: its learner's own (someone else's is a 404,
	// so ids cannot be probed), or anyone's for trainers and admins; the
	// rule is training.Service.Review's.
	add(SignedIn, get, "/training/attempts/{id}/review", s.attemptReview)
	add(Trainers, get, "/admin/quizzes/", s.quizPreview)
	// Certificates: checking one is public (no session is read, no cookie
	// set); the PDF is for its holder (or an admin, checked in the
	// handler); revoking is for admins.
	add(Public, get, "/certificates/", s.publicTraining(s.certificateFind))
	add(SignedIn, get, "/certificates/{code}.pdf", s.certificatePDF)
	add(Public, get, "/certificates/{code}", s.publicTraining(s.certificateShow))
	add(Admins, get, "/admin/certificates/", s.certificateList)
	add(Admins, post, "/admin/certificates/{code}/revoke", s.certificateRevoke)
	// Accounts: admins only, under auth.Admin's rules (the command line's
	// too). The named pages come before {id}, which they would match.
	add(Admins, get, "/admin/users/", s.userList)
	add(Admins, post, "/admin/users/", s.userCreate)
	add(Admins, get, "/admin/users/new", s.userNew)
	add(Admins, get, "/admin/users/import", s.userImportShow)
	add(Admins, post, "/admin/users/import", s.userImportPreview)
	add(Admins, post, "/admin/users/import/confirm", s.userImportCreate)
	add(Admins, get, "/admin/users/{id:[0-9]+}", s.userShow)
	add(Admins, post, "/admin/users/{id:[0-9]+}", s.userUpdate)
	add(Admins, post, "/admin/users/{id:[0-9]+}/disable", s.userDisable)
	add(Admins, post, "/admin/users/{id:[0-9]+}/enable", s.userEnable)
	add(Trainers, get, "/admin/assignments/", s.assignmentList)
	add(Trainers, post, "/admin/assignments/", s.assignmentCreate)
	add(Trainers, post, "/admin/assignments/{id}/delete", s.assignmentRemove)
	add(Trainers, get, "/admin/reports/", s.reportShow)
	add(Trainers, get, "/admin/reports/overdue", s.reportOverdue)
	add(Trainers, get, "/admin/reports/items", s.reportItems)
	add(Trainers, get, "/admin/reports/attempts", s.reportAttempts)
	add(Trainers, get, "/admin/reports/completions.csv", s.reportCSV)
	add(Trainers, get, "/admin/reports/xapi.jsonl", s.reportXAPI)
	// Referrals: each recorder sees and follows up their own; the City
	// sees only counts, small ones suppressed.
	add(SignedIn, get, "/referrals/new", s.referralNew)
	add(SignedIn, post, "/referrals/", s.referralCreate)
	add(SignedIn, get, "/referrals/", s.referralList)
	add(SignedIn, get, "/referrals/{id}", s.referralShow)
	add(SignedIn, post, "/referrals/{id}/outcome", s.referralOutcome)
	add(Analysts, get, "/admin/referrals/", s.referralReport)
	add(Analysts, get, "/admin/referrals/referrals.csv", s.referralCSV)
	// Live reload's event stream stays open across rebuilds: it holds no
	// release, or a rebuild could not retire the one it replaces.
	for _, lr := range s.liveReloadRoutes() {
		roles[r.Handle(lr.path, lr.h).Methods(lr.methods...)] = Public
	}
	// A path whose routes take no GET would otherwise be served as a page
	// by the prefix below: it is a 405 instead.
	hasGet := map[string]bool{}
	var paths []string
	for route := range roles {
		path, _ := route.GetPathTemplate()
		methods, _ := route.GetMethods()
		if !slices.Contains(paths, path) {
			paths = append(paths, path)
		}
		hasGet[path] = hasGet[path] || slices.Contains(methods, http.MethodGet)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if !hasGet[path] {
			r.Handle(path, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { methodNotAllowed(w, req, r) })).
				Methods(get...).Name(notAllowedRoute + path)
		}
	}
	roles[r.PathPrefix("/").Handler(s.withRelease(http.HandlerFunc(s.pageShow))).Methods(get...)] = Public
	return roles
}

// notAllowedRoute names the routes that only answer 405.
const notAllowedRoute = "405 "

// router builds the router. StrictSlash sends /admin/reports to
// /admin/reports/, each route's one canonical address.
func (s *Server) router() (*mux.Router, map[*mux.Route]string) {
	r := mux.NewRouter().StrictSlash(true)
	roles := s.routes(r)
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { methodNotAllowed(w, req, r) })
	return r, roles
}

// Handler returns the router wrapped in the middleware chain.
func (s *Server) Handler() http.Handler {
	r, _ := s.router()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, r, http.StatusForbidden, "This request came from another site, so it was refused. Use the form on this site.")
	}))
	return chain(cop.Handler(s.injectLiveReload(r)),
		requestID, // first: every line logged after it names the request
		s.recoverPanics,
		s.logRequests,
		securityHeaders,
		checkTarget,
	)
}

// Routes lists every route the router holds with the role it needs, in
// order of path: what the authorization test and docs/authorization.md
// are made from.
func (s *Server) Routes() []Route {
	r, roles := s.router()
	var out []Route
	r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		role, ok := roles[route]
		if !ok {
			return nil // StrictSlash's redirects
		}
		methods, _ := route.GetMethods()
		path, err := route.GetPathTemplate()
		if err != nil {
			path, _ = route.GetPathRegexp()
		}
		if re, _ := route.GetPathRegexp(); !strings.HasSuffix(re, "$") {
			path = strings.TrimSuffix(path, "/") + "/*"
		}
		out = append(out, Route{Methods: methods, Path: path, Role: role})
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// methodNotAllowed answers a request whose path a route has, but not for
// its method: 405 with the methods that path takes in Allow, as JSON
// under /api/.
func methodNotAllowed(w http.ResponseWriter, req *http.Request, r *mux.Router) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
		probe := req.Clone(req.Context())
		probe.Method = m
		var match mux.RouteMatch
		if r.Match(probe, &match) && match.MatchErr == nil && !strings.HasPrefix(match.Route.GetName(), notAllowedRoute) {
			allow = append(allow, m)
		}
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	httpError(w, req, http.StatusMethodNotAllowed, "This address only answers "+strings.Join(allow, " and ")+" requests.")
}

// chain wraps h so that the first middleware listed runs first.
func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
