package search

import (
	"math"
	"math/rand/v2"
	"sort"
)

// The need matcher finds a need when a search shares a phrase's words; a
// resident in crisis often shares none ("evry1 wud b better off w/o me").
// needModel is a second, independent reader of the same phrases: a softmax
// regression over every need, trained on the phrases at index build, that
// reads pieces of words (so a misspelling still shares most of them), word
// pairs, and whether the search gives an age under 18 or speaks of someone
// else. It decides no ranking alone: its belief in a crisis need is added
// to that need's score (see needMatcher.match).

// Training of the model, against the tuning sets (see TestEvaluation).
const (
	modelEpochs = 20
	modelRate   = 0.6
	modelL2     = 1e-5
	// modelSkip: a gradient this small changes nothing worth its time.
	modelSkip = 1e-3
)

type needModel struct {
	features map[string]int32
	weights  []float32 // by feature, then need: feature f, need c at f*classes+c
	bias     []float32
	classes  int
}

// modelFeatures are the features of a text's reading, each once.
func modelFeatures(r reading) []string {
	words := r.words
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	var content []string
	for _, w := range words {
		add("w:" + w)
		if stopWords[w] {
			continue
		}
		content = append(content, w)
		add("s:" + stem("en", w))
		add("s:" + stem("es", w))
		r := []rune("<" + w + ">")
		for n := 3; n <= 5; n++ {
			for i := 0; i+n <= len(r); i++ {
				add("g:" + string(r[i:i+n]))
			}
		}
	}
	for i := 0; i+1 < len(content); i++ {
		add("b:" + content[i] + "_" + content[i+1])
	}
	if givesMinorAge(words) {
		add("minor-age")
	}
	if r.person != "" {
		add("speaker:" + r.person)
	}
	// What kind of act the words tell, alone, two together, and with who
	// and when: "touching" with a child is not "touching" at work.
	var signals []string
	for s := range r.signals {
		signals = append(signals, s)
	}
	sort.Strings(signals)
	for _, s := range signals {
		add("sig:" + s)
	}
	cs := r.concepts
	for i, c := range cs {
		add("c:" + c)
		for _, d := range cs[i+1:] {
			add("cc:" + c + "+" + d)
		}
		for _, s := range signals {
			add("cs:" + c + "+" + s)
		}
	}
	return out
}

// trainNeedModel fits the model to every phrase (and title) of the needs,
// each labelled with its need. Deterministic: the same needs give the same
// model.
func trainNeedModel(needs []*need, texts [][]string, lx lexicon) *needModel {
	m := &needModel{features: map[string]int32{}, classes: len(needs)}
	type example struct {
		feats []int32
		class int
	}
	var data []example
	for c, list := range texts {
		for _, t := range list {
			var ids []int32
			for _, f := range modelFeatures(readSearch(readWords(t), lx)) {
				id, ok := m.features[f]
				if !ok {
					id = int32(len(m.features))
					m.features[f] = id
				}
				ids = append(ids, id)
			}
			if len(ids) > 0 {
				data = append(data, example{ids, c})
			}
		}
	}
	m.weights = make([]float32, len(m.features)*m.classes)
	m.bias = make([]float32, m.classes)
	if m.classes == 0 || len(data) == 0 {
		return m
	}
	rng := rand.New(rand.NewPCG(1, 2))
	probs := make([]float64, m.classes)
	type classStep struct {
		class int
		step  float32
	}
	steps := make([]classStep, 0, m.classes)
	for epoch := 0; epoch < modelEpochs; epoch++ {
		rate := modelRate / (1 + float64(epoch)/4)
		rng.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
		for _, ex := range data {
			scale := float32(1 / math.Sqrt(float64(len(ex.feats))))
			m.softmax(ex.feats, scale, probs)
			active := steps[:0]
			for c := range probs {
				g := probs[c]
				if c == ex.class {
					g--
				}
				if math.Abs(g) < modelSkip {
					continue // a need the model already rules out
				}
				step := float32(rate * g)
				m.bias[c] -= step * 0.1
				active = append(active, classStep{c, step * scale})
			}
			for _, f := range ex.feats {
				row := m.weights[int(f)*m.classes : int(f+1)*m.classes]
				for _, a := range active {
					row[a.class] -= a.step + float32(modelL2)*row[a.class]
				}
			}
		}
	}
	return m
}

// softmax writes the model's belief in each need for features feats (each
// of value scale) into probs.
func (m *needModel) softmax(feats []int32, scale float32, probs []float64) {
	sums := make([]float32, m.classes)
	copy(sums, m.bias)
	for _, f := range feats {
		row := m.weights[int(f)*m.classes : int(f+1)*m.classes]
		for c, w := range row {
			sums[c] += w * scale
		}
	}
	top := math.Inf(-1)
	for c, s := range sums {
		probs[c] = float64(s)
		top = max(top, probs[c])
	}
	var sum float64
	for c := range probs {
		probs[c] = math.Exp(probs[c] - top)
		sum += probs[c]
	}
	for c := range probs {
		probs[c] /= sum
	}
}

// beliefs returns the model's belief in each need for a search's reading,
// or nil when none of its features is known.
func (m *needModel) beliefs(r reading) []float64 {
	if m == nil || m.classes == 0 {
		return nil
	}
	feats := modelFeatures(r)
	var ids []int32
	for _, f := range feats {
		if id, ok := m.features[f]; ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// Unknown features count in the scale: a search the model knows little
	// of gets a flatter belief.
	probs := make([]float64, m.classes)
	m.softmax(ids, float32(1/math.Sqrt(float64(len(feats)))), probs)
	return probs
}

// phraseTexts are the texts a need's model learns from: its titles and
// phrases in every language it is written in.
func phraseTexts(n *need) []string {
	var out []string
	langs := make([]string, 0, len(n.pages))
	for lang := range n.pages {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		d := n.pages[lang]
		if d.ContentLang != d.Lang && d.ContentLang != "" {
			continue
		}
		out = append(out, d.Title)
		out = append(out, d.Phrases...)
	}
	return out
}
