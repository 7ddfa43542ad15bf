package demo

import (
	"context"
	"fmt"
	"time"
	"unicode"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/voice"
)

// Demo consultations: the exhibition "Heute Stadt von Morgen denken" that
// showed the summit's work in Düsseldorf in September 2019 at the NRW-Forum
// and at Café Europa, with ideas visitors might have left there (written
// for this platform, in the languages of the city), and an open
// consultation for the next summit with one kiosk station.

type demoIdea struct {
	lang, theme, text string
}

var ideas2019 = []demoIdea{
	{"de", "public-space", "Mehr Bänke und Schatten am Rheinufer, damit auch ältere Menschen dort länger bleiben können."},
	{"de", "public-space", "Der Worringer Platz braucht Licht, Blumen und einen Kiosk, der abends offen hat."},
	{"de", "housing", "Bezahlbare Wohnungen auch in Oberkassel – nicht nur am Stadtrand."},
	{"de", "housing", "Bei jedem Neubau einen festen Anteil geförderter Wohnungen, und zwar dauerhaft."},
	{"de", "participation", "Ein Bürgerhaushalt, bei dem Jugendliche ab 14 mitentscheiden dürfen."},
	{"de", "participation", "Sitzungen der Bezirksvertretungen abends und mit Kinderbetreuung, damit Eltern kommen können."},
	{"de", "inclusion", "Alle Ämter sollten Formulare in einfacher Sprache anbieten."},
	{"de", "inclusion", "Rollstuhlgerechte Zugänge an allen U-Bahn-Haltestellen bis 2025."},
	{"de", "culture", "Ein Fest der Nachbarschaften, bei dem jeder Stadtteil seine Küche zeigt."},
	{"de", "culture", "Museen einmal im Monat abends kostenlos – mit Führungen in mehreren Sprachen."},
	{"de", "education", "Sprachcafés in jeder Stadtteilbibliothek, ehrenamtlich begleitet."},
	{"de", "education", "Schulhöfe am Nachmittag für alle Kinder des Viertels öffnen."},
	{"de", "dialogue", "Ein Tag der offenen Gotteshäuser, an dem Moschee, Synagoge und Kirchen gemeinsam einladen."},
	{"de", "safety", "Mehr Sozialarbeit auf der Straße statt nur mehr Kameras."},
	{"de", "health", "Trinkbrunnen in allen Parks, besonders für heiße Sommer."},
	{"de", "migration", "Ein Willkommenspaket für neue Düsseldorferinnen und Düsseldorfer, mit Stadtplan und Ansprechpersonen."},
	{"de", "employment", "Ausländische Berufsabschlüsse schneller anerkennen – Pflegekräfte werden gebraucht."},
	{"de", "diversity", "Straßen nach Frauen und nach Menschen mit Einwanderungsgeschichte benennen."},
	{"de", "public-space", "Mehr Spielplätze, die auch für Kinder mit Behinderung geeignet sind."},
	{"de", "public-space", "Autofreie Sonntage auf der Königsallee."},
	{"de", "housing", "Leerstehende Büros zu Wohnungen für Studierende umbauen."},
	{"de", "participation", "Eine App, mit der man Schlaglöcher und kaputte Laternen melden kann."},
	{"de", "culture", "Kleine Bühnen in den Parks, auf denen jeder auftreten darf."},
	{"de", "education", "Patenschaften zwischen Rentnern und Schulkindern zum Lesenlernen."},
	{"de", "inclusion", "Gebärdensprache bei allen öffentlichen Veranstaltungen der Stadt."},
	{"de", "dialogue", "Ein interreligiöser Chor für die ganze Stadt."},
	{"de", "health", "Gesundheitskioske in Stadtteilen, in denen es kaum Hausärzte gibt."},
	{"de", "public-space", "Mehr Bäume in der Innenstadt, statt neuer Parkplätze."},
	{"de", "safety", "Beleuchtete Radwege zwischen den Stadtteilen, damit man sich nachts sicher fühlt."},
	{"de", "migration", "Lotsinnen und Lotsen, die Neuankommende zu den Ämtern begleiten."},
	{"en", "public-space", "Turn one lane of the Rhine embankment road into a cycling path every summer weekend."},
	{"en", "housing", "Cap rents for families in the first five years after they move to the city."},
	{"en", "participation", "Let residents without German citizenship vote in the district councils."},
	{"en", "culture", "A yearly festival where every community of the city cooks for the others."},
	{"en", "education", "Free evening language classes close to where people live, not only in the centre."},
	{"en", "inclusion", "All city websites in plain language and readable with screen readers."},
	{"en", "dialogue", "Twin every school with a school in one of the partner cities for letters and visits."},
	{"en", "health", "Mental health drop-in centres for young people, open on weekends."},
	{"en", "safety", "Night buses every 20 minutes on Fridays and Saturdays."},
	{"en", "employment", "Mentoring for young people from all backgrounds by local companies."},
	{"en", "diversity", "Show the history of migration to Düsseldorf in a permanent exhibition."},
	{"en", "public-space", "More public toilets, free and clean, especially near playgrounds."},
	{"en", "migration", "A welcome centre where newcomers can ask questions in their own language."},
	{"en", "housing", "Co-housing projects where students live with older people who have spare rooms."},
	{"en", "participation", "Publish the city budget as open data with simple charts."},
	{"fr", "public-space", "Des places ombragées avec des fontaines pour les étés de plus en plus chauds."},
	{"fr", "culture", "Une fête de la musique dans chaque quartier, avec des groupes locaux."},
	{"fr", "inclusion", "Des guichets de la ville où l’on peut être servi en français et en arabe."},
	{"fr", "education", "Des ateliers de cuisine du monde dans les écoles, avec les parents."},
	{"fr", "participation", "Un conseil des jeunes qui donne son avis sur chaque grand projet de la ville."},
	{"fr", "dialogue", "Des repas partagés entre voisins de toutes origines, une fois par mois."},
	{"fr", "housing", "Rénover les logements sociaux avant d’en construire de nouveaux."},
	{"fr", "migration", "Accompagner les familles réfugiées dans la recherche d’un logement."},
	{"fr", "health", "Des médecins qui parlent plusieurs langues dans les centres de santé de quartier."},
	{"fr", "public-space", "Des jardins partagés sur les toits des bâtiments publics."},
	{"tr", "inclusion", "Belediye hizmetleri Türkçe de sunulsun, özellikle yaşlılar için."},
	{"tr", "culture", "Her mahallede farklı kültürlerin tanıtıldığı bir sokak festivali olsun."},
	{"tr", "education", "Çocuklar için ücretsiz ödev yardımı ve anadil dersleri."},
	{"tr", "public-space", "Parklarda daha fazla oturma yeri ve piknik alanı."},
	{"tr", "housing", "Genç aileler için uygun fiyatlı kiralık konutlar yapılmalı."},
	{"tr", "participation", "Göçmen dernekleri şehir planlamasına daha çok katılsın."},
	{"tr", "dialogue", "Camiler ve kiliseler ortak bir komşuluk günü düzenlesin."},
	{"tr", "employment", "Kadınlar için meslek kursları ve çocuk bakımı desteği."},
	{"pl", "inclusion", "Więcej informacji miejskich po polsku dla nowych mieszkańców."},
	{"pl", "public-space", "Więcej zieleni i ławek przy przystankach tramwajowych."},
	{"pl", "culture", "Festiwal kuchni sąsiedzkich w każdej dzielnicy."},
	{"el", "dialogue", "Ένα φεστιβάλ όπου κάθε κοινότητα της πόλης παρουσιάζει τη μουσική της."},
	{"el", "education", "Μαθήματα μητρικής γλώσσας για παιδιά σε όλα τα σχολεία."},
	{"ar", "migration", "مركز استقبال للقادمين الجدد يقدم المعلومات بلغات متعددة."},
	{"ar", "education", "دروس مجانية في اللغة الألمانية للأمهات مع رعاية الأطفال."},
	{"ru", "public-space", "Больше детских площадок и скамеек во дворах."},
	{"it", "culture", "Cinema all’aperto d’estate nei parchi dei quartieri."},
	{"es", "participation", "Asambleas de barrio con traducción para que todos puedan participar."},
}

// Wishes people wrote often, each in a few words; the demo pairs them
// with places in the city to fill the exhibition's wall of cards.
var wishParts = map[string]struct {
	theme string
	de    string
	en    string
	fr    string
	tr    string
}{
	"trees":    {"public-space", "Mehr Bäume und Schatten", "More trees and shade", "Plus d’arbres et d’ombre", "Daha fazla ağaç ve gölge"},
	"benches":  {"public-space", "Mehr Sitzbänke zum Ausruhen", "More benches to rest on", "Plus de bancs pour se reposer", "Dinlenmek için daha çok bank"},
	"meet":     {"dialogue", "Ein Treffpunkt für Nachbarn aller Herkunft", "A meeting place for neighbours of every origin", "Un lieu de rencontre pour les voisins de toutes origines", "Her kökenden komşular için bir buluşma yeri"},
	"play":     {"public-space", "Einen Spielplatz für alle Kinder", "A playground for all children", "Une aire de jeux pour tous les enfants", "Tüm çocuklar için bir oyun alanı"},
	"library":  {"education", "Eine Bibliothek mit langen Öffnungszeiten", "A library open late", "Une bibliothèque ouverte tard", "Geç saatlere kadar açık bir kütüphane"},
	"bikes":    {"safety", "Sichere Radwege für Schulkinder", "Safe cycle lanes for schoolchildren", "Des pistes cyclables sûres pour les écoliers", "Okul çocukları için güvenli bisiklet yolları"},
	"homes":    {"housing", "Bezahlbare Wohnungen für Familien", "Affordable homes for families", "Des logements abordables pour les familles", "Aileler için uygun fiyatlı evler"},
	"festival": {"culture", "Ein Straßenfest jedes Jahr", "A street festival every year", "Une fête de rue chaque année", "Her yıl bir sokak şenliği"},
}

var places = []struct{ de, en, fr, tr string }{
	{"in Flingern", "in Flingern", "à Flingern", "Flingern’de"},
	{"in Garath", "in Garath", "à Garath", "Garath’ta"},
	{"in Oberbilk", "in Oberbilk", "à Oberbilk", "Oberbilk’te"},
	{"in Rath", "in Rath", "à Rath", "Rath’ta"},
	{"in Bilk", "in Bilk", "à Bilk", "Bilk’te"},
	{"in Wersten", "in Wersten", "à Wersten", "Wersten’de"},
	{"am Hauptbahnhof", "near the main station", "près de la gare centrale", "ana istasyonun yakınında"},
	{"in Eller", "in Eller", "à Eller", "Eller’de"},
	{"in Derendorf", "in Derendorf", "à Derendorf", "Derendorf’ta"},
	{"in Hassels", "in Hassels", "à Hassels", "Hassels’te"},
}

var wishOrder = []string{"trees", "benches", "meet", "play", "library", "bikes", "homes", "festival"}

// loadVoice creates the two demo consultations, after cities and practices.
func loadVoice(ctx context.Context, d *db.DB) error {
	s := &voice.Store{DB: d}
	a := audit.System("demo")
	var city int64
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM cities WHERE slug = 'dusseldorf'`).Scan(&city); err != nil {
		return fmt.Errorf("demo voice: Düsseldorf: %w", err)
	}
	berlin := time.FixedZone("CEST", 2*3600)
	themes := []string{"public-space", "housing", "inclusion", "participation", "culture", "education", "health", "safety", "diversity", "migration", "dialogue", "employment"}
	id, err := s.SaveConsultation(ctx, a, 0, voice.ConsultationInput{CityID: city, Slug: "heute-stadt-von-morgen-denken",
		Question: i18n.Text{"de": "Heute Stadt von Morgen denken: Was wünschen Sie sich für das Zusammenleben in Düsseldorf?",
			"en": "Thinking today about the city of tomorrow: what do you wish for living together in Düsseldorf?",
			"fr": "Penser aujourd’hui la ville de demain : que souhaitez-vous pour le vivre-ensemble à Düsseldorf ?"},
		SourceLang: "de", Themes: themes, OpensAt: time.Date(2019, 9, 1, 0, 0, 0, 0, berlin), ClosesAt: time.Date(2019, 9, 16, 0, 0, 0, 0, berlin),
		RetentionDays: 3650, Moderation: "before",
		Privacy: i18n.Text{"de": "Ideen werden ohne Namen gespeichert. Eine E-Mail-Adresse ist freiwillig und wird nie veröffentlicht.",
			"en": "Ideas are stored without names. An e-mail address is optional and never published.",
			"fr": "Les idées sont enregistrées sans nom. L’adresse e-mail est facultative et jamais publiée."},
		Charter: i18n.Text{"de": "Die Ausstellung zeigt die Arbeit des Gipfels zum Zusammenleben. Jede respektvolle Anregung wird veröffentlicht.",
			"en": "The exhibition shows the work of the summit on living together. Every respectful suggestion is published.",
			"fr": "L’exposition présente le travail du sommet sur le vivre-ensemble. Toute suggestion respectueuse est publiée."}})
	if err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	c := &voice.Consultation{ID: id, Slug: "heute-stadt-von-morgen-denken"}
	forum, err := s.SaveExhibition(ctx, a, c, voice.Exhibition{Venue: "NRW-Forum", Address: "Ehrenhof 2, 40479 Düsseldorf", Lat: 51.2363, Lon: 6.7744,
		StartsOn: "2019-09-01", EndsOn: "2019-09-07", Hours: "Di–So 11–20 Uhr"})
	if err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	cafe, err := s.SaveExhibition(ctx, a, c, voice.Exhibition{Venue: "Café Europa", Address: "Marktplatz 6b, 40213 Düsseldorf", Lat: 51.2262, Lon: 6.7725,
		StartsOn: "2019-09-09", EndsOn: "2019-09-15", Hours: "Mo–Sa 10–18 Uhr"})
	if err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	practiceID := func(title string) int64 {
		var pid int64
		d.R.QueryRowContext(ctx, `SELECT id FROM practices WHERE state = 'published' AND title LIKE $1 ORDER BY id LIMIT 1`, "%"+title+"%").Scan(&pid)
		return pid
	}
	links := map[string]int64{
		"housing":       practiceID("Affordable housing in every district"),
		"public-space":  practiceID("From a bleak square to a lively meeting place"),
		"migration":     practiceID("A welcome office for newcomers"),
		"participation": practiceID("Residents decide on part of the budget"),
	}
	var list []voice.Imported
	n := 0
	add := func(lang, theme, text string) {
		n++
		venue, day := forum, time.Date(2019, 9, 1+n%7, 11+n%8, n%60, 0, 0, berlin)
		if n%2 == 0 {
			venue, day = cafe, time.Date(2019, 9, 9+n%7, 10+n%8, n%60, 0, 0, berlin)
		}
		i := voice.Imported{Body: text, Lang: lang, Theme: theme, Channel: voice.ChannelPaper, ExhibitionID: venue, State: voice.StatePublished,
			Supports: (n * 7) % 23, CreatedAt: day, Card: fmt.Sprintf("%03d", n)}
		if n%3 == 0 {
			i.Channel, i.Card = voice.ChannelOnline, ""
			i.ExhibitionID = 0
		}
		switch {
		case n%17 == 0:
			i.State, i.Reason = voice.StateHidden, "offtopic"
		case n%29 == 0:
			i.State, i.Reason = voice.StateHidden, "personal"
		}
		if p := links[theme]; p != 0 && i.State == voice.StatePublished && n%4 == 1 {
			i.Practices = []int64{p}
		}
		list = append(list, i)
	}
	for _, x := range ideas2019 {
		add(x.lang, x.theme, x.text)
	}
	for pi, p := range places {
		for wi, k := range wishOrder {
			w := wishParts[k]
			switch (pi + wi/2) % 4 {
			case 0:
				add("de", w.theme, w.de+" "+p.de+", bitte!")
			case 1:
				add("en", w.theme, w.en+" "+p.en+", please.")
			case 2:
				add("fr", w.theme, w.fr+" "+p.fr+", s’il vous plaît.")
			default:
				add("tr", w.theme, p.tr+" "+lowerFirst(w.tr)+" istiyoruz.")
			}
		}
	}
	if err := s.Import(ctx, id, list); err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}

	// The next summit's open consultation, with one kiosk station.
	var next int64
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM cities WHERE slug = 'strasbourg'`).Scan(&next); err != nil {
		return fmt.Errorf("demo voice: Strasbourg: %w", err)
	}
	now := db.Now()
	id2, err := s.SaveConsultation(ctx, a, 0, voice.ConsultationInput{CityID: next, Slug: "vivre-ensemble-2027",
		Question: i18n.Text{"fr": "Avant le sommet de 2027 : qu’est-ce qui rendrait Strasbourg plus accueillante ?",
			"de": "Vor dem Gipfel 2027: Was würde Straßburg einladender machen?",
			"en": "Before the 2027 summit: what would make Strasbourg more welcoming?"},
		SourceLang: "fr", Themes: themes, OpensAt: now.AddDate(0, 0, -14).Truncate(24 * time.Hour), ClosesAt: time.Date(2027, 6, 12, 0, 0, 0, 0, time.UTC),
		RetentionDays: 730, Moderation: "before"})
	if err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	c2 := &voice.Consultation{ID: id2, Slug: "vivre-ensemble-2027"}
	ex, err := s.SaveExhibition(ctx, a, c2, voice.Exhibition{Venue: "Médiathèque Malraux", Address: "1 Presqu’île André Malraux, 67100 Strasbourg",
		Lat: 48.5777, Lon: 7.7586, StartsOn: "2027-05-25", EndsOn: "2027-06-11", Hours: "mar.–dim. 10h–19h"})
	if err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	if _, err := s.AddStation(ctx, a, c2, ex, "Hall d’entrée"); err != nil {
		return fmt.Errorf("demo voice: %w", err)
	}
	return s.Import(ctx, id2, []voice.Imported{
		{Body: "Des panneaux de bienvenue en plusieurs langues à la gare et dans les trams.", Lang: "fr", Theme: "migration", Channel: voice.ChannelOnline,
			State: voice.StatePublished, Supports: 4, CreatedAt: now.AddDate(0, 0, -10)},
		{Body: "Ein deutsch-französisches Nachbarschaftsfest auf der Passerelle des Deux Rives.", Lang: "de", Theme: "culture", Channel: voice.ChannelOnline,
			State: voice.StatePublished, Supports: 2, CreatedAt: now.AddDate(0, 0, -8)},
		{Body: "Plus de places en crèche pour les parents qui commencent un nouveau travail.", Lang: "fr", Theme: "inclusion", Channel: voice.ChannelOnline,
			State: voice.StateWaiting, CreatedAt: now.AddDate(0, 0, -1)},
	})
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
