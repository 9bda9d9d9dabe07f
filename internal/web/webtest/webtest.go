// Package webtest drives the quiz API over real HTTP, for tests and benchmarks
// outside package web: start an attempt, submit its answers.
package webtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"

	"northstar/internal/quiz"
	"northstar/internal/training"
)

// StartAttempt calls GET /api/quizzes/{id}.
func StartAttempt(c *http.Client, base, quizID string) (training.Started, error) {
	var s training.Started
	resp, err := c.Get(base + "/api/quizzes/" + quizID)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("start %s: status %d", quizID, resp.StatusCode)
	}
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

// Submit calls POST /api/quizzes/{id}/attempts/{attempt} and returns the score.
func Submit(c *http.Client, base, quizID, attempt string, answers map[string][]string) (int, error) {
	body, err := json.Marshal(map[string]any{"answers": answers})
	if err != nil {
		return 0, err
	}
	resp, err := c.Post(base+"/api/quizzes/"+quizID+"/attempts/"+attempt, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("submit %s: status %d", attempt, resp.StatusCode)
	}
	var g struct {
		Score int `json:"score"`
	}
	return g.Score, json.NewDecoder(resp.Body).Decode(&g)
}

// RightAnswers answers every question of a started attempt correctly, in
// the ids the attempt shows: it finds each question in q by its prompt and
// each option by its text, as a learner who knows the answers would. For
// tests and benchmarks.
func RightAnswers(q *quiz.Quiz, questions []quiz.Presented) map[string][]string {
	out := map[string][]string{}
	for _, p := range questions {
		for _, qu := range q.Questions {
			if qu.Prompt != p.Prompt {
				continue
			}
			for _, o := range p.Options {
				right := qu.Kind == quiz.TrueFalse && qu.Answer != nil && (o.Text == "True") == *qu.Answer
				for _, fo := range qu.Options {
					right = right || fo.Text == o.Text && fo.Correct
				}
				if right {
					out[p.ID] = append(out[p.ID], o.ID)
				}
			}
		}
	}
	return out
}

// NewClient returns a client with a cookie jar that does not follow
// redirects, so a test sees the 303 of a form post; transport may be nil.
func NewClient(transport http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// SignIn posts the sign-in form with c; the session cookie lands in c's jar.
func SignIn(c *http.Client, base, email, password string) error {
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in as %s: status %d", email, resp.StatusCode)
	}
	return nil
}
