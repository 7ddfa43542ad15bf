package config

import (
	"strings"
	"testing"
)

func TestMailNeedsABaseURL(t *testing.T) {
	c := &Config{LogFormat: "text", SMTPURL: "smtp://mail.example.org:587?from=noreply@example.org"}
	err := c.Check()
	if err == nil || !strings.Contains(err.Error(), "--base-url") || strings.Count(err.Error(), ". ") > 0 {
		t.Fatalf("--smtp-url without --base-url: %v, want one sentence naming --base-url", err)
	}
	c.BaseURL = "https://observatory.example.org/"
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if got := c.LinkBase(); got != "https://observatory.example.org" {
		t.Errorf("link base %q", got)
	}
	// Without mail leaving the platform, links in logged mail name the listening address.
	for addr, want := range map[string]string{"127.0.0.1:8080": "http://127.0.0.1:8080", ":8080": "http://localhost:8080", "0.0.0.0:9000": "http://localhost:9000"} {
		c := &Config{Addr: addr}
		if got := c.LinkBase(); got != want {
			t.Errorf("addr %s: link base %q, want %q", addr, got, want)
		}
	}
}
