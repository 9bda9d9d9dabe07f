package training

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"northstar/internal/store"
)

// Why an assignment cannot be made, for the trainer to correct.
var (
	ErrNoModule     = errors.New("no such module")
	ErrNoDepartment = errors.New("no such department")
	ErrNoAssignee   = errors.New("neither a department nor a person")
	ErrTwoAssignees = errors.New("both a department and a person")
	ErrNoAssignment = errors.New("no such assignment")
)

// AssignRequest is an assignment as a trainer asks for it: a module, a
// department or one person's email (not both), and the due day as typed.
type AssignRequest struct {
	Module, Department, Email, Due string
}

// Assign records an assignment by a trainer. Its due time is the end of
// the day typed in Minneapolis (DueDate; ErrBadDate); the errors above say
// what else is wrong, ErrNoPerson an email no account has.
func (s *Service) Assign(ctx context.Context, by User, req AssignRequest) (Assignment, error) {
	m, ok := s.Module(req.Module)
	if !ok {
		return Assignment{}, ErrNoModule
	}
	now := s.now()
	due, err := DueDate(req.Due, now)
	if err != nil {
		return Assignment{}, err
	}
	a := Assignment{Module: m.Slug, DueAt: due, AssignedBy: by.ID, CreatedAt: now}
	email := strings.TrimSpace(req.Email)
	switch {
	case req.Department != "" && email != "":
		return Assignment{}, ErrTwoAssignees
	case req.Department != "":
		if !slices.Contains(s.Departments, req.Department) {
			return Assignment{}, ErrNoDepartment
		}
		a.Department = req.Department
	case email != "":
		u, err := s.Store.UserByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			return Assignment{}, ErrNoPerson
		}
		if err != nil {
			return Assignment{}, fmt.Errorf("find assignee: %w", err)
		}
		a.UserID = u.ID
	default:
		return Assignment{}, ErrNoAssignee
	}
	a, err = s.Store.CreateAssignment(ctx, a)
	if err != nil {
		return Assignment{}, fmt.Errorf("create assignment: %w", err)
	}
	return a, nil
}

// Unassign removes an assignment; certificates and attempts stay.
func (s *Service) Unassign(ctx context.Context, id int64) error {
	err := s.Store.DeleteAssignment(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoAssignment
	}
	if err != nil {
		return fmt.Errorf("remove assignment: %w", err)
	}
	return nil
}

// AssignmentLine is an assignment with its module (see moduleOrSlug), the
// person it is to (zero when to a department) and who made it.
type AssignmentLine struct {
	Assignment
	Module     *Module
	Person     User
	AssignedBy User
}

// AssignmentList is every assignment, as the store lists them.
func (s *Service) AssignmentList(ctx context.Context) ([]AssignmentLine, error) {
	list, err := s.Store.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list assignments: %w", err)
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	byID := make(map[int64]User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	out := make([]AssignmentLine, len(list))
	for i, a := range list {
		m := s.moduleOrSlug(a.Module)
		out[i] = AssignmentLine{Assignment: a, Module: m, AssignedBy: byID[a.AssignedBy]}
		if a.UserID != 0 {
			out[i].Person = byID[a.UserID]
		}
	}
	return out, nil
}
