package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"northstar/internal/store"
	"northstar/internal/store/storetest"
)

// TestUserChanges: an account made or changed by an admin carries a line
// of history for each change, written with it; disabling ends its sessions.
func TestUserChanges(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		at := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
		admin, err := s.CreateUserLogged(ctx, store.User{Email: "Admin@Example.org", Name: "Ada Admin", Department: "311", Role: store.RoleAdmin, PasswordHash: "h", CreatedAt: at}, 0, "added")
		if err != nil || admin.ID == 0 || admin.Email != "admin@example.org" {
			t.Fatalf("create: %+v %v", admin, err)
		}
		ana, err := s.CreateUserLogged(ctx, store.User{Email: "ana@example.org", Name: "Ana", Department: "311", Role: store.RoleLearner, PasswordHash: "h", CreatedAt: at}, admin.ID, "imported")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUserLogged(ctx, store.User{Email: "ANA@example.org", Name: "Ana 2", Department: "311", Role: store.RoleLearner, PasswordHash: "h"}, admin.ID, "added"); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("a second account for one email: %v", err)
		}
		if err := s.CreateSession(ctx, store.Session{TokenHash: "t1", UserID: ana.ID, CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		role, dept, off := store.RoleTrainer, "Police", true
		later := at.Add(time.Hour)
		if err := s.UpdateUser(ctx, ana.ID, store.UserUpdate{Role: &role, Department: &dept}, []store.UserChange{
			{At: later, By: admin.ID, What: "role", Value: "learner → trainer"},
			{At: later, By: admin.ID, What: "department", Value: "311 → Police"},
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateUser(ctx, ana.ID, store.UserUpdate{Disabled: &off}, []store.UserChange{{At: later, What: "disabled"}}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.UserByID(ctx, ana.ID)
		if got.Role != role || got.Department != dept || !got.Disabled {
			t.Errorf("after the changes: %+v", got)
		}
		if _, _, err := s.SessionUser(ctx, "t1", at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled account's session still works: %v", err)
		}
		if err := s.UpdateUser(ctx, 999999, store.UserUpdate{Role: &role}, nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no such account: %v", err)
		}
		hist, err := s.UserChanges(ctx, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, c := range hist {
			lines = append(lines, c.What+"|"+c.Value+"|"+c.ByName)
		}
		want := []string{"created|imported|Ada Admin", "role|learner → trainer|Ada Admin", "department|311 → Police|Ada Admin", "disabled||"}
		if !slices.Equal(lines, want) {
			t.Errorf("history %q, want %q", lines, want)
		}
		if !hist[1].At.Equal(later) || hist[3].By != 0 {
			t.Errorf("history times and actors: %+v", hist)
		}
	})
}

// TestFindUsers: the admin's list filters by department, role and status,
// finds part of a name or email whatever its case (% and _ as themselves),
// and pages by name.
func TestFindUsers(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, s store.Store, _ string) {
		for _, u := range []store.User{
			{Email: "bo@example.org", Name: "Bo Police", Department: "Police", Role: store.RoleLearner},
			{Email: "cy@example.org", Name: "Cy Trainer", Department: "Police", Role: store.RoleTrainer},
			{Email: "di_50%@example.org", Name: "Di Library", Department: "Library", Role: store.RoleLearner, Disabled: true},
			{Email: "al@example.org", Name: "Al Library", Department: "Library", Role: store.RoleLearner},
		} {
			u.PasswordHash = "h"
			if _, err := s.CreateUserLogged(ctx, u, 0, "added"); err != nil {
				t.Fatal(err)
			}
		}
		yes, no := true, false
		for _, c := range []struct {
			f     store.UserFilter
			want  []string
			total int
		}{
			{store.UserFilter{}, []string{"Al Library", "Bo Police", "Cy Trainer", "Di Library"}, 4},
			{store.UserFilter{Department: "Police"}, []string{"Bo Police", "Cy Trainer"}, 2},
			{store.UserFilter{Role: store.RoleTrainer}, []string{"Cy Trainer"}, 1},
			{store.UserFilter{Disabled: &yes}, []string{"Di Library"}, 1},
			{store.UserFilter{Disabled: &no, Department: "Library"}, []string{"Al Library"}, 1},
			{store.UserFilter{Query: "LIBRARY"}, []string{"Al Library", "Di Library"}, 2},
			{store.UserFilter{Query: "50%"}, []string{"Di Library"}, 1},
			{store.UserFilter{Query: "%"}, []string{"Di Library"}, 1},
			{store.UserFilter{Query: "_"}, []string{"Di Library"}, 1},
			{store.UserFilter{Query: "cy@"}, []string{"Cy Trainer"}, 1},
			{store.UserFilter{Limit: 2, Offset: 2}, []string{"Cy Trainer", "Di Library"}, 4},
		} {
			users, total, err := s.FindUsers(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range users {
				names = append(names, u.Name)
			}
			if !slices.Equal(names, c.want) || total != c.total {
				t.Errorf("%+v: %v of %d, want %v of %d", c.f, names, total, c.want, c.total)
			}
		}
	})
}
