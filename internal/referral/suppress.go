package referral

import "strconv"

// Cell is a count as a report shows it: hidden when small (primary
// suppression) or when it would let a hidden count be worked out from the
// totals (complementary suppression).
type Cell struct {
	N      int
	Hidden bool
	// Complement: hidden only so that a small count nearby cannot be
	// worked out; the count itself may be any size.
	Complement bool
	min        int
}

// Hidden is what a report shows for a count hidden to protect another.
const Hidden = "hidden"

// String is the count, "<min" when it is small, or Hidden. A hidden count
// is never shown, whatever it is.
func (c Cell) String() string {
	switch {
	case c.Complement:
		return Hidden
	case c.Hidden:
		return "<" + strconv.Itoa(c.min)
	}
	return strconv.Itoa(c.N)
}

// suppress hides in cells every count from 1 to min-1, then, for as long
// as one of relations (members that sum to the last member, their total)
// has exactly one member hidden, hides one more in it: its smallest shown
// count, a non-zero one before a zero, a cell before the total. After it,
// no hidden count can be worked out from one row or column and its total.
func suppress(min int, cells []*Cell, relations [][]*Cell) {
	for _, c := range cells {
		c.min = min
		c.Hidden, c.Complement = c.N > 0 && c.N < min, false
	}
	for changed := true; changed; {
		changed = false
		for _, rel := range relations {
			hidden := 0
			for _, c := range rel {
				if c.Hidden {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			if pick := complement(rel); pick != nil {
				pick.Hidden, pick.Complement, changed = true, true, true
			}
		}
	}
}

// complement picks the member of rel to hide beside the one hidden.
func complement(rel []*Cell) *Cell {
	var pick *Cell
	members, total := rel[:len(rel)-1], rel[len(rel)-1]
	for _, c := range members {
		if !c.Hidden && c.N > 0 && (pick == nil || c.N < pick.N) {
			pick = c
		}
	}
	for _, c := range members {
		if pick == nil && !c.Hidden {
			pick = c
		}
	}
	if pick == nil && !total.Hidden {
		pick = total
	}
	return pick
}
