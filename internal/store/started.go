package store

import "sync"

// maxStartedAttempts bounds the attempts kept in memory: a few hours of a
// busy City's starts; older ones are read from the database.
const maxStartedAttempts = 10000

// startedAttempts keeps what attempts were when started, until submitted.
// It saves grading a database read: an attempt's owner, quiz and drawn
// questions never change, so a copy here can never be stale. Whether an
// attempt was already submitted (here or on another instance) is left to
// the database, in SubmitAttempt.
type startedAttempts struct {
	mu    sync.Mutex
	byID  map[string]Attempt
	order []string // ring of ids, oldest at next
	next  int
}

func newStartedAttempts(size int) *startedAttempts {
	return &startedAttempts{byID: make(map[string]Attempt, size), order: make([]string, size)}
}

// put remembers a, forgetting the oldest attempt when full.
func (c *startedAttempts) put(a Attempt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byID, c.order[c.next])
	c.order[c.next] = a.ID
	c.next = (c.next + 1) % len(c.order)
	c.byID[a.ID] = a
}

func (c *startedAttempts) get(id string) (Attempt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.byID[id]
	return a, ok
}

// forget drops a submitted attempt; its slot in the ring is reused in turn.
func (c *startedAttempts) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byID, id)
}
