package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// committer groups writes into shared transactions: one commit, one fsync, for
// every write waiting at that moment. SQLite commits one transaction at a time,
// each with an fsync; grouping is what lets many learners submit at once
// without weakening durability — a write is acknowledged only after the
// commit that holds it returns. On PostgreSQL it also helps (753 → 1,009
// attempts/s in bench/), by fewer WAL flushes and fewer pooled connections busy.
type committer struct {
	db   *sql.DB
	ops  chan writeOp
	done sync.WaitGroup
}

type writeOp struct {
	ctx context.Context
	fn  func(tx *sql.Tx) error
	res chan error
}

// maxBatch bounds one group: a long transaction holds the write lock.
const maxBatch = 256

func newCommitter(db *sql.DB) *committer {
	c := &committer{db: db, ops: make(chan writeOp, maxBatch)}
	c.done.Add(1)
	go c.run()
	return c
}

// write runs fn inside a group transaction and returns once it is committed.
func (c *committer) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	op := writeOp{ctx: ctx, fn: fn, res: make(chan error, 1)}
	select {
	case c.ops <- op:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write is waited for even if ctx ends: the caller must
	// not be told "failed" about a write that then commits.
	return <-op.res
}

func (c *committer) close() {
	close(c.ops)
	c.done.Wait()
}

func (c *committer) run() {
	defer c.done.Done()
	for op := range c.ops {
		batch := []writeOp{op}
	gather:
		for len(batch) < maxBatch {
			select {
			case more, ok := <-c.ops:
				if !ok {
					break gather
				}
				batch = append(batch, more)
			default:
				break gather
			}
		}
		c.commit(batch)
	}
}

// commit runs each op in its own savepoint, so one failing write (a
// duplicate, say) does not undo the others, then commits them all at once.
func (c *committer) commit(batch []writeOp) {
	errs := make([]error, len(batch))
	tx, err := c.db.Begin()
	if err == nil {
		for i, op := range batch {
			if _, err := tx.Exec("SAVEPOINT w"); err != nil {
				errs[i] = fmt.Errorf("savepoint: %w", err)
				continue
			}
			if errs[i] = op.fn(tx); errs[i] != nil {
				tx.Exec("ROLLBACK TO w")
			}
			tx.Exec("RELEASE w")
		}
		err = tx.Commit()
	}
	for i, op := range batch {
		if err != nil {
			errs[i] = fmt.Errorf("commit: %w", err)
		}
		op.res <- errs[i]
	}
}
