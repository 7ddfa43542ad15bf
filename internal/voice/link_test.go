package voice

import "testing"

// The quick look for links never misses what the expression finds.
func TestHasLinkAsTheExpression(t *testing.T) {
	for _, text := range []string{"visit example.com now", "see WWW.Example", "Http://x", "foo.COM.", "a .community hall", "write to a.info",
		"x.ſhop", "cli\u212ak.x.clic\u212a", "It ends here.", "no link here", "a.io!", "Ärger.org", "..com", "-.com", "online.online", "test.comx",
		"mehr Bänke am Markt.", "1.5 km Radweg.", "a.b.c.de", "cheap.click/now", "home.Online", "a_b.net_"} {
		if got, want := HasLink(text), linkRe.MatchString(text); got != want {
			t.Errorf("HasLink(%q) = %v, the expression says %v", text, got, want)
		}
	}
}
