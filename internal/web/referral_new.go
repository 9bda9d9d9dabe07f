package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"northstar/internal/referral"
)

// referralFormView is the referral form, empty or as sent with the first
// rule it broke.
type referralFormView struct {
	Department      string
	Today, Earliest string
	Sources         []referral.Choice
	Suspected       []referral.Choice
	AgeGroups       []referral.Choice
	Languages       []referral.Choice
	Interpreters    []referral.Choice
	Services        []referral.Choice
	YesNo           []referral.Choice
	MaxServices     int
	DaysBack        int
	Form            url.Values
	// Error is the first rule the form broke; ErrorLabel the field's
	// label as the form shows it.
	Error      *referral.FieldError
	ErrorLabel string
}

// Field is the error's message when it is about field, for beside it.
func (v referralFormView) Field(field string) string {
	if v.Error != nil && v.Error.Field == field {
		return v.Error.Problem
	}
	return ""
}

// fieldLabels name each field as the form does, for the error summary.
var fieldLabels = map[string]string{
	"date": "Date", "source": "How it came up", "suspected": "What you suspected", "age": "Age group",
	"danger": "Immediate danger", "called_911": "911 called", "child_protection": "Child protection called",
	"language": "The person's language", "interpreter": "Interpreter", "services": "Referred to",
	"warm_handoff": "Warm hand-off", "agreed": "The person agreed", "outcome": "Outcome",
}

// fieldLabel is field's label, or "The form" for a field it does not have
// (whose name, typed by someone, is not repeated back).
func fieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return "The form"
}

// referralNew is the form to record a referral, dated today.
func (s *Server) referralNew(w http.ResponseWriter, r *http.Request) {
	s.renderReferralForm(w, r, http.StatusOK, url.Values{"date": {referral.Today(staffOf(r).referrals.Clock()).Format("2006-01-02")}}, nil)
}

func (s *Server) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, fe *referral.FieldError) {
	t := staffOf(r)
	me, _ := userFrom(r.Context())
	svc := t.referrals
	today := referral.Today(svc.Clock())
	v := referralFormView{
		Department: me.Department, Today: today.Format("2006-01-02"),
		Earliest: today.AddDate(0, 0, -referral.DaysBack).Format("2006-01-02"),
		Sources:  svc.Settings.Sources, Suspected: referral.Suspected, AgeGroups: referral.AgeGroups,
		Languages: svc.Settings.Languages, Interpreters: referral.Interpreters,
		Services: serviceChoices(svc.Directory, readerLanguage(r)), MaxServices: referral.MaxServices,
		YesNo: referral.YesNo, DaysBack: referral.DaysBack,
		Form: form, Error: fe,
	}
	if fe != nil {
		v.ErrorLabel = fieldLabel(fe.Field)
	}
	s.renderApp(w, r, status, "referral_new.html", v)
}

// serviceChoices are the directory's entries named in lang, in its order.
func serviceChoices(dir []referral.Resource, lang string) []referral.Choice {
	out := make([]referral.Choice, len(dir))
	for i, res := range dir {
		out[i] = referral.Choice{ID: res.Slug, Label: res.Name(lang)}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	return out
}

// readerLanguage is the language the browser asks for most (the primary
// subtag, lower case; the first of equal weight), "en" when it names none.
// Names fall back to English where an entry has none in it.
func readerLanguage(r *http.Request) string {
	best, bestQ := "en", 0.0
	for i, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		if i >= 16 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if len(primary) < 2 || len(primary) > 3 || strings.Trim(primary, "abcdefghijklmnopqrstuvwxyz") != "" {
			continue
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// has tells whether form sent value for field.
func has(form url.Values, field, value string) bool { return slices.Contains(form[field], value) }
