package reminder

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"net/url"
	texttemplate "text/template"

	"northstar/internal/email"
	"northstar/internal/training"
)

// templateFS holds what reminders say, as plain text and as HTML. They
// name the module, its dates and links to this site, and nothing else:
// no quiz, no answer, no referral, no image, no link made for one person.
//
//go:embed templates
var templateFS embed.FS

var (
	textBody = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/reminder.txt"))
	htmlBody = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/reminder.html"))
)

// Subject is r's subject line, plain: "Training due in 7 days: <module>".
func Subject(r Reminder) string {
	title := r.Module.Title
	switch r.Kind {
	case Assigned:
		return "New training assigned: " + title
	case DueSoon:
		return "Training due " + when(r.Days) + ": " + title
	case Overdue:
		return "Training overdue: " + title
	case Expiring:
		return "Certificate expires " + when(r.Days) + ": " + title
	}
	return "Training reminder: " + title
}

// when says in how many days: today, tomorrow, in 7 days.
func when(days int) string {
	switch days {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", days)
}

// Links are the addresses a reminder gives, all on the site's public
// address.
type Links struct {
	Module, MyTraining, Stop string
}

// LinksFor builds r's links from publicURL (config.ValidatePublicURL):
// the module, My training, and My training's reminder choice.
func LinksFor(r Reminder, publicURL string) (Links, error) {
	base, err := url.Parse(publicURL)
	if err != nil || !base.IsAbs() || base.Host == "" {
		return Links{}, fmt.Errorf("reminder links: public URL %q is not absolute", publicURL)
	}
	my := base.JoinPath("/training/my/")
	return Links{Module: base.JoinPath(r.Module.URL).String(), MyTraining: my.String(), Stop: my.String() + "#reminders"}, nil
}

// Message is the email r is, to its person, with links on publicURL.
func Message(r Reminder, publicURL string) (email.Message, error) {
	links, err := LinksFor(r, publicURL)
	if err != nil {
		return email.Message{}, err
	}
	data := map[string]any{
		"Kind": r.Kind, "Name": r.User.Name, "Title": r.Module.Title, "Subject": Subject(r),
		"Date": r.Due.In(training.CityTime).Format("Monday, January 2, 2006"), "When": when(r.Days),
		"ModuleURL": links.Module, "MyTrainingURL": links.MyTraining, "StopURL": links.Stop,
	}
	var text, html bytes.Buffer
	if err := textBody.ExecuteTemplate(&text, "body", data); err != nil {
		return email.Message{}, fmt.Errorf("reminder text: %w", err)
	}
	if err := htmlBody.ExecuteTemplate(&html, "body", data); err != nil {
		return email.Message{}, fmt.Errorf("reminder html: %w", err)
	}
	return email.Message{To: mail.Address{Name: r.User.Name, Address: r.User.Email}, Subject: Subject(r), Text: text.String(), HTML: html.String()}, nil
}
