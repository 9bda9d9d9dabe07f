package search_test

import (
	"fmt"
	"os"
	"sort"
	"testing"

	"northstar/internal/search"
)

func TestZZDebug(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	for _, f := range []string{"sixth-tune.jsonl"} {
		evaluate(t, readEval(t, f), func(c evalCase, got []string, res search.Result) {
			if len(c.First) == 0 {
				return
			}
			b := search.BeliefsForTest(testIndex, c.Q)
			type kv struct {
				k string
				v float64
			}
			var l []kv
			for k, v := range b {
				l = append(l, kv{k, v})
			}
			sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
			var needs []string
			for _, n := range res.Needs {
				needs = append(needs, fmt.Sprintf("%s:%.2f", n.Slug, n.Score))
			}
			t.Logf("%q %v first %v got %v\n   needs %v\n   model %s:%.2f %s:%.2f %s:%.2f", c.Q, c.Groups, c.First, got[:min(2, len(got))], needs, l[0].k, l[0].v, l[1].k, l[1].v, l[2].k, l[2].v)
		})
	}
}

func TestZZOne(t *testing.T) {
	q := os.Getenv("ZQ")
	if q == "" {
		t.Skip()
	}
	res := run(t, search.Query{Text: q, Lang: "en"})
	for _, n := range res.Needs {
		t.Logf("%s %.2f", n.Slug, n.Score)
	}
	t.Log(search.ConceptsForTest(q), search.SignalsForTest(q))
}
