package search_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"northstar/internal/search"
)

// The evaluation set was written by someone who had not read the search
// code, as residents type. tune.jsonl is what the search was tuned against;
// holdout.jsonl (a quarter) was never looked at while tuning: only its
// figures are printed, never its queries.
// Floors on the held-back set: what it measured when tuning ended
// (docs/benchmarks.md), so a change that makes unseen queries worse fails.
// fresh.jsonl is a second held-back set, crisis-heavy (130 crises, half of
// them about young people, and 40 near-misses that are not crises), written
// blind after tuning ended: see docs/benchmarks.md. third-*.jsonl is a
// third (160 crises, 40 near-misses), written blind to judge the need model
// and escalation, split at random before anyone read it; fourth-*.jsonl a
// fourth, its crises mostly told without the obvious word, to judge the
// third pass on a harder set; fifth.jsonl a fifth, read once, at the end;
// sixth-*.jsonl a sixth, to judge concepts and told_by, split at random
// (seed 6) after its whole figures were read twice; seventh-*.jsonl a
// seventh, read whole once, then split (seed 7) for a second round;
// eighth-*.jsonl an eighth, its figures read once whole, its queries never,
// to measure the search as it stood at the end of the fourth pass; then split
// at random (seed 8) before anyone read it, for a fifth pass on its tuning half;
// ninth-*.jsonl a ninth (100 crises, 150 not: every kind of need), written
// blind before the fifth pass, its whole figures read once, then split at
// random (seed 9) before anyone read it; tenth.jsonl a tenth like it,
// written blind during the fifth pass, its figures read once at its end;
// eleventh-*.jsonl an eleventh like it, written blind before the sixth pass,
// its whole figures read once, then split at random (seed 11, by kind and
// topic) before anyone read it; twelfth.jsonl a twelfth like it, written
// blind during the sixth pass, its figures read once at its end.
const (
	holdoutTop3    = 93
	holdoutCrisis  = 96
	freshTop3      = 97
	freshCrisis    = 94
	thirdTop3      = 100
	thirdCrisis    = 98
	fourthTop3     = 96
	fourthCrisis   = 87
	fifthTop3      = 94
	fifthCrisis    = 91
	sixthTop3      = 92
	sixthCrisis    = 83
	seventhTop3    = 94
	seventhCrisis  = 94
	eighthTop3     = 86
	eighthCrisis   = 78
	ninthTop3      = 87
	ninthCrisis    = 92
	tenthTop3      = 88
	tenthCrisis    = 93
	eleventhTop3   = 96
	eleventhCrisis = 100
	twelfthTop3    = 95
	twelfthCrisis  = 97
)

type evalCase struct {
	Q      string   `json:"q"`
	Lang   string   `json:"lang"`
	Groups []string `json:"groups"`
	Accept []string `json:"accept"`
	First  []string `json:"first"` // crisis: the lines that must be at rank 1
}

func readEval(t *testing.T, name string) []evalCase {
	t.Helper()
	f, err := os.Open("testdata/eval/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c evalCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, c)
	}
	return out
}

// figures are one group's results.
type figures struct {
	n, top1, top3, crisisN, crisisFirst, crisisBox int
	calmN, falseBox                                int // queries that are not crises, and those that still opened with a crisis box
	rr                                             float64
}

func (f figures) String() string {
	s := fmt.Sprintf("%3d queries  top-1 %5.1f%%  top-3 %5.1f%%  MRR %.3f", f.n, pct(f.top1, f.n), pct(f.top3, f.n), f.rr/float64(max(f.n, 1)))
	if f.crisisN > 0 {
		s += fmt.Sprintf("  line at rank 1 %5.1f%%  crisis box %5.1f%%", pct(f.crisisFirst, f.crisisN), pct(f.crisisBox, f.crisisN))
	}
	if f.calmN > 0 && f.crisisN == 0 {
		s += fmt.Sprintf("  crisis box on a non-crisis %5.1f%%", pct(f.falseBox, f.calmN))
	}
	return s
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

// evaluate runs every case and returns figures by group ("all" for all);
// miss is called for each case that misses, if not nil.
func evaluate(t *testing.T, cases []evalCase, miss func(c evalCase, got []string, res search.Result)) map[string]*figures {
	by := map[string]*figures{"all": {}}
	for _, c := range cases {
		// The search box stops at its maxlength, so a longer story is
		// searched as far as it fits.
		text := c.Q
		if r := []rune(text); len(r) > search.MaxQueryRunes {
			text = string(r[:search.MaxQueryRunes])
		}
		res := run(t, search.Query{Text: text, Lang: c.Lang})
		var got []string
		for _, h := range res.Hits {
			if h.Kind == search.KindResource {
				got = append(got, path.Base(h.URL))
			} else {
				got = append(got, h.URL)
			}
		}
		rank := slices.IndexFunc(got, func(s string) bool { return slices.Contains(c.Accept, s) }) + 1
		crisisOK := len(c.First) == 0 || (len(got) > 0 && slices.Contains(c.First, got[0]))
		boxOK := len(c.First) > 0 && res.Crisis != nil && slices.Contains(c.First, path.Base(res.Crisis.Line.URL))
		for _, g := range append([]string{"all"}, c.Groups...) {
			f := by[g]
			if f == nil {
				f = &figures{}
				by[g] = f
			}
			f.n++
			if rank == 1 {
				f.top1++
			}
			if rank >= 1 && rank <= 3 {
				f.top3++
			}
			if rank > 0 {
				f.rr += 1 / float64(rank)
			}
			if len(c.First) > 0 {
				f.crisisN++
				if crisisOK {
					f.crisisFirst++
				}
				if boxOK {
					f.crisisBox++
				}
			} else {
				f.calmN++
				if res.Crisis != nil {
					f.falseBox++
				}
			}
		}
		if miss != nil && (rank < 1 || rank > 3 || !crisisOK) {
			miss(c, got[:min(5, len(got))], res)
		}
	}
	return by
}

func report(t *testing.T, name string, by map[string]*figures) {
	groups := make([]string, 0, len(by))
	for g := range by {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var b strings.Builder
	for _, g := range groups {
		fmt.Fprintf(&b, "\n  %-12s %v", g, by[g])
	}
	t.Logf("%s:%s", name, b.String())
}

// TestEvaluation holds the search to its goals on the sets it was tuned
// against (every crisis line at rank 1, 95% with a right service in the top
// 3) and to a floor on the held-back quarter, whose figures are printed only
// with NORTHSTAR_EVAL_HOLDOUT=1 (look at them to report, not to tune).
// NORTHSTAR_EVAL_MISSES=1 lists the tuning sets' misses, never the held-back
// ones.
func TestEvaluation(t *testing.T) {
	var miss func(evalCase, []string, search.Result)
	if os.Getenv("NORTHSTAR_EVAL_MISSES") != "" {
		miss = func(c evalCase, got []string, res search.Result) {
			var needs []string
			for _, n := range res.Needs {
				needs = append(needs, fmt.Sprintf("%s:%.2f", n.Slug, n.Score))
			}
			t.Logf("miss %s %q %v: got %v, want %v first %v; needs %v", c.Lang, c.Q, c.Groups, got, c.Accept, c.First, needs)
		}
	}
	for _, set := range []struct {
		file   string
		top3   float64 // at least, in per cent
		crisis float64 // crisis queries with the right line at rank 1, at least
		tuned  bool
	}{
		{"tune.jsonl", 97, 98, true},
		{"dev.jsonl", 95, 100, true},
		{"holdout.jsonl", holdoutTop3, holdoutCrisis, false},
		{"fresh-tune.jsonl", 95, 100, true},
		{"fresh-holdout.jsonl", freshTop3, freshCrisis, false},
		{"third-tune.jsonl", 100, 100, true},
		{"third-holdout.jsonl", thirdTop3, thirdCrisis, false},
		{"fourth-tune.jsonl", 98, 97, true},
		{"fourth-holdout.jsonl", fourthTop3, fourthCrisis, false},
		{"fifth.jsonl", fifthTop3, fifthCrisis, false},
		{"sixth-tune.jsonl", 96, 97, true},
		{"sixth-holdout.jsonl", sixthTop3, sixthCrisis, false},
		{"seventh-tune.jsonl", 96, 92, true},
		{"seventh-holdout.jsonl", seventhTop3, seventhCrisis, false},
		{"eighth-tune.jsonl", 100, 100, true},
		{"eighth-holdout.jsonl", eighthTop3, eighthCrisis, false},
		{"ninth-tune.jsonl", 95, 96, true},
		{"ninth-holdout.jsonl", ninthTop3, ninthCrisis, false},
		{"tenth.jsonl", tenthTop3, tenthCrisis, false},
		{"eleventh-tune.jsonl", 95, 98, true},
		{"eleventh-holdout.jsonl", eleventhTop3, eleventhCrisis, false},
		{"twelfth.jsonl", twelfthTop3, twelfthCrisis, false},
	} {
		cases := readEval(t, set.file)
		var by map[string]*figures
		if set.tuned {
			by = evaluate(t, cases, miss)
			report(t, set.file, by)
		} else {
			by = evaluate(t, cases, nil)
			if os.Getenv("NORTHSTAR_EVAL_HOLDOUT") != "" {
				report(t, set.file, by)
			}
		}
		all := by["all"]
		if got := pct(all.top3, all.n); got < set.top3 {
			t.Errorf("%s: top-3 %.1f%%, want at least %.0f%%", set.file, got, set.top3)
		}
		if got := pct(all.crisisFirst, all.crisisN); got < set.crisis {
			t.Errorf("%s: crisis line at rank 1 for %.1f%% of crisis queries, want at least %.0f%%", set.file, got, set.crisis)
		}
	}
}
