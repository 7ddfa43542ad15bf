package voice

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

type corpusEntry struct {
	Kind     string `json:"kind"` // "honest" or "spam"
	Text     string `json:"text"`
	Honeypot bool   `json:"honeypot"`
	Proof    bool   `json:"proof"`
	FillMS   int    `json:"fill_ms"`
	Recent   int    `json:"recent"` // ideas from the same network prefix this hour
}

// The spam defence against a corpus of honest ideas and spam written for
// it (testdata/spam-corpus.jsonl): what share of spam it stops (refuses or
// holds for a moderator) and what share of honest ideas it wrongly holds,
// as the automatic decision of a consultation moderated after publication.
// Run with -v to see the figures.
func TestSpamCorpus(t *testing.T) {
	f, err := os.Open("testdata/spam-corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := os.ReadFile("testdata/words.txt")
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(strings.ReplaceAll(string(raw), " ", "_"))
	for i := range words {
		words[i] = strings.ReplaceAll(words[i], "_", " ")
	}
	var entries []corpusEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e corpusEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	// Interleave honest ideas and spam as they would arrive.
	var honest, spam []corpusEntry
	for _, e := range entries {
		if e.Kind == "spam" {
			spam = append(spam, e)
		} else {
			honest = append(honest, e)
		}
	}
	var order []corpusEntry
	for i := 0; i < max(len(honest), len(spam)); i++ {
		if i < len(honest) {
			order = append(order, honest[i])
		}
		if i < len(spam) {
			order = append(order, spam[i])
		}
	}
	var seen []uint64
	var spamStopped, spamRejected, honestHeld, honestHeldWithProof, honestWithProof, honestRejected int
	flagsOnHonest := map[string]int{}
	for _, e := range order {
		h := Simhash(e.Text)
		dup := false
		for _, x := range seen {
			dup = dup || NearDuplicate(x, h)
		}
		d := Assess(e.Text, Signals{Honeypot: e.Honeypot, FillTime: time.Duration(e.FillMS) * time.Millisecond, Proof: e.Proof,
			Recent: e.Recent, Limit: 30}, words, dup)
		if !d.Reject {
			seen = append(seen, h)
		}
		stopped := d.Reject || len(d.Flags) > 0
		if e.Kind == "spam" {
			if stopped {
				spamStopped++
			} else {
				t.Logf("spam passed: %q", e.Text)
			}
			if d.Reject {
				spamRejected++
			}
			continue
		}
		if d.Reject {
			honestRejected++
		}
		if e.Proof {
			honestWithProof++
		}
		if stopped {
			honestHeld++
			if e.Proof {
				honestHeldWithProof++
				t.Logf("honest held: %q %v", e.Text, d.Flags)
			}
			for _, fl := range d.Flags {
				flagsOnHonest[fl]++
			}
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	t.Logf("spam: %d, stopped %d (%.1f %%), of which refused outright %d", len(spam), spamStopped, pct(spamStopped, len(spam)), spamRejected)
	t.Logf("honest: %d, wrongly held %d (%.1f %%), refused %d; with JavaScript (proof of work) %d, of them held %d (%.1f %%); flags on honest ideas %v",
		len(honest), honestHeld, pct(honestHeld, len(honest)), honestRejected, honestWithProof, honestHeldWithProof, pct(honestHeldWithProof, honestWithProof), flagsOnHonest)
	if honestRejected > 0 {
		t.Errorf("%d honest ideas refused outright", honestRejected)
	}
	if pct(spamStopped, len(spam)) < 90 {
		t.Errorf("only %.1f %% of spam stopped", pct(spamStopped, len(spam)))
	}
	if pct(honestHeldWithProof, honestWithProof) > 10 {
		t.Errorf("%.1f %% of honest ideas with a proof of work held", pct(honestHeldWithProof, honestWithProof))
	}
}
