package demo

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/media"
	"observatory/internal/news"
)

// The demo news: the host city's items about the 2019 summit and the
// network, written anew in German, English and French, each with its date
// and place, and Düsseldorf's own observed day.
//
// Demo values, not facts: the days of the two anniversary items (the
// years are facts), the press contact, and the photos (drawn shapes,
// credited "(demo)").

type demoNews struct {
	date, ends      string
	place           [3]string // de, en, fr
	title, lead     [3]string
	body            [3]string
	city            string // slug
	summit          int    // number, 0 when none
	declaration     bool   // links to the summit's declaration
	observance      string // key
	event           bool
	tags            []string
	photo           [3]string // caption de, en, fr; "" for none
	photoHue        uint8
	video           string
	pressName, mail string
}

func demoNewsItems() []demoNews {
	return []demoNews{
		{date: "2018-09-15", city: "dusseldorf", tags: []string{"partnerships"},
			place: [3]string{"Düsseldorf", "Düsseldorf", "Düsseldorf"},
			title: [3]string{"30 Jahre Partnerschaft mit Chemnitz, Haifa und Reading",
				"Thirty years of partnership with Chemnitz, Haifa and Reading",
				"Trente ans de partenariat avec Chemnitz, Haïfa et Reading"},
			lead: [3]string{"Seit 1988 verbinden Städtepartnerschaften Düsseldorf mit Chemnitz, Haifa und Reading – mit Reading besteht die Freundschaft sogar seit 1947.",
				"Since 1988, twinning has linked Düsseldorf with Chemnitz, Haifa and Reading – the friendship with Reading goes back to 1947.",
				"Depuis 1988, des jumelages relient Düsseldorf à Chemnitz, Haïfa et Reading – l'amitié avec Reading remonte même à 1947."},
			body: [3]string{"Drei Partnerschaften feiern in diesem Jahr ihr 30-jähriges Bestehen. Schulen, Vereine und Verwaltungen haben in drei Jahrzehnten Austausch, Besuche und gemeinsame Projekte getragen.\n\nDie Jubiläen zeigen, was das Netzwerk der Städte für das Zusammenleben will: voneinander lernen, über Grenzen hinweg.",
				"Three partnerships turn thirty this year. Over three decades, schools, associations and administrations have carried exchanges, visits and joint projects.\n\nThe anniversaries show what the network of cities wants for living together: learning from each other, across borders.",
				"Trois partenariats fêtent cette année leurs trente ans. En trois décennies, écoles, associations et administrations ont porté échanges, visites et projets communs.\n\nCes anniversaires montrent ce que le réseau des villes veut pour le vivre-ensemble : apprendre les uns des autres, par-delà les frontières."},
			photo:    [3]string{"(Demo) Fahnen der Partnerstädte", "(demo) Flags of the partner cities", "(démo) Drapeaux des villes partenaires"},
			photoHue: 30},
		{date: "2019-01-29", city: "dusseldorf", tags: []string{"diplomacy", "summit"}, summit: 2,
			place: [3]string{"Düsseldorf, Rathaus", "Düsseldorf, City Hall", "Düsseldorf, hôtel de ville"},
			title: [3]string{"Neujahrsempfang für das Konsularische Korps",
				"New Year reception for the consular corps",
				"Réception du Nouvel An pour le corps consulaire"},
			lead: [3]string{"Der Oberbürgermeister empfing die in Düsseldorf vertretenen Konsulinnen und Konsuln und warb für den Gipfel des Zusammenlebens im Sommer.",
				"The Lord Mayor welcomed the consuls represented in Düsseldorf and invited support for the Living Together summit in the summer.",
				"Le maire a accueilli les consuls représentés à Düsseldorf et a invité à soutenir le sommet du vivre-ensemble de l'été."},
			body: [3]string{"Menschen aus mehr als 170 Staaten leben in Düsseldorf. Beim traditionellen Empfang im Rathaus ging es deshalb um das, was die Stadt zusammenhält – und um den internationalen Gipfel, zu dem Bürgermeisterinnen und Bürgermeister aus aller Welt erwartet werden.",
				"People from more than 170 states live in Düsseldorf. The traditional reception at City Hall was therefore about what holds the city together – and about the international summit to which mayors from around the world are expected.",
				"Des personnes de plus de 170 États vivent à Düsseldorf. La réception traditionnelle à l'hôtel de ville a donc porté sur ce qui fait tenir la ville ensemble – et sur le sommet international où sont attendus des maires du monde entier."},
			pressName: "(demo) Presse- und Informationsamt", mail: "presse@example.org"},
		{date: "2019-05-16", city: "dusseldorf", observance: "living-together", event: true, tags: []string{"unesco", "16-may"},
			place: [3]string{"Paris, UNESCO", "Paris, UNESCO", "Paris, UNESCO"},
			title: [3]string{"Runder Tisch bei der UNESCO zum Tag des friedlichen Zusammenlebens",
				"Round table at UNESCO for the Day of Living Together in Peace",
				"Table ronde à l'UNESCO pour la Journée du vivre-ensemble en paix"},
			lead: [3]string{"Am 16. Mai sprachen Vertreterinnen und Vertreter von Städten in Paris darüber, wie Zusammenleben vor Ort gelingt.",
				"On 16 May, representatives of cities met in Paris to discuss how living together succeeds locally.",
				"Le 16 mai, des représentants de villes se sont réunis à Paris pour discuter de la manière dont le vivre-ensemble réussit localement."},
			body: [3]string{"Die Generalversammlung der Vereinten Nationen hat den 16. Mai im Dezember 2017 zum Internationalen Tag des friedlichen Zusammenlebens erklärt. Düsseldorf stellte beim runden Tisch den bevorstehenden Gipfel vor.",
				"The United Nations General Assembly declared 16 May the International Day of Living Together in Peace in December 2017. At the round table, Düsseldorf presented the coming summit.",
				"L'Assemblée générale des Nations unies a proclamé le 16 mai Journée internationale du vivre-ensemble en paix en décembre 2017. À la table ronde, Düsseldorf a présenté le prochain sommet."},
			video: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", photoHue: 200,
			photo: [3]string{"(Demo) Runder Tisch in Paris", "(demo) Round table in Paris", "(démo) Table ronde à Paris"}},
		{date: "2019-06-20", city: "dusseldorf", tags: []string{"partnerships"},
			place: [3]string{"Warschau", "Warsaw", "Varsovie"},
			title: [3]string{"30 Jahre Städtepartnerschaft mit Warschau",
				"Thirty years of twinning with Warsaw",
				"Trente ans de jumelage avec Varsovie"},
			lead: [3]string{"1989 begann die Partnerschaft zwischen Düsseldorf und Warschau – im Jahr des politischen Umbruchs in Polen.",
				"The partnership between Düsseldorf and Warsaw began in 1989 – the year of Poland's political change.",
				"Le partenariat entre Düsseldorf et Varsovie a commencé en 1989 – l'année du changement politique en Pologne."},
			body: [3]string{"Zum Jubiläum erinnern beide Städte an drei Jahrzehnte Begegnung. Warschau ist auch beim Gipfel im August vertreten, im Workshop über Bürgerbeteiligung.",
				"For the anniversary, both cities recall three decades of encounters. Warsaw also takes part in the summit in August, in the workshop on citizen participation.",
				"Pour l'anniversaire, les deux villes rappellent trois décennies de rencontres. Varsovie participe aussi au sommet d'août, à l'atelier sur la participation citoyenne."}},
		{date: "2019-07-02", city: "dusseldorf", summit: 2, tags: []string{"summit"},
			place: [3]string{"Düsseldorf", "Düsseldorf", "Düsseldorf"},
			title: [3]string{"Wer zum Gipfel kommt", "Who is coming to the summit", "Qui vient au sommet"},
			lead: [3]string{"42 Gäste werden zum Gipfel des Zusammenlebens erwartet, darunter 25 Bürgermeisterinnen und Bürgermeister aus 17 Ländern.",
				"42 guests are expected at the Living Together summit, among them 25 mayors from 17 countries.",
				"42 invités sont attendus au sommet du vivre-ensemble, dont 25 maires de 17 pays."},
			body: [3]string{"Vom 30. August bis 1. September treffen sich die Städte im Rathaus, im Kongresshotel und in der Tonhalle. Auf dem Programm stehen fünf Workshops im „Livable Cities Lab“ und die Unterzeichnung der Düsseldorfer Erklärung.",
				"From 30 August to 1 September, the cities meet at City Hall, the congress hotel and the Tonhalle concert hall. The programme has five workshops in the \"Livable Cities Lab\" and the signing of the Düsseldorf Declaration.",
				"Du 30 août au 1er septembre, les villes se retrouvent à l'hôtel de ville, à l'hôtel des congrès et à la Tonhalle. Au programme : cinq ateliers du « Livable Cities Lab » et la signature de la Déclaration de Düsseldorf."},
			pressName: "(demo) Presse- und Informationsamt", mail: "presse@example.org"},
		{date: "2019-09-02", city: "dusseldorf", summit: 2, declaration: true, tags: []string{"summit", "declaration"},
			place: [3]string{"Düsseldorf", "Düsseldorf", "Düsseldorf"},
			title: [3]string{"Ergebnisse des Gipfels: die Düsseldorfer Erklärung",
				"The summit's results: the Düsseldorf Declaration",
				"Les résultats du sommet : la Déclaration de Düsseldorf"},
			lead: [3]string{"35 Städte haben in der Tonhalle die Düsseldorfer Erklärung unterzeichnet; sie wollen das Zusammenleben mit konkreten Schritten vor Ort stärken.",
				"35 cities signed the Düsseldorf Declaration in the Tonhalle; they will strengthen living together with concrete local steps.",
				"35 villes ont signé la Déclaration de Düsseldorf à la Tonhalle ; elles renforceront le vivre-ensemble par des actions locales concrètes."},
			body: [3]string{"Drei Tage lang haben die Delegationen von 32 Städten aus 24 Ländern beraten – über kommunikative, gesunde, vernetzte, widerstandsfähige und inklusive Städte.\n\nDie Unterzeichnenden wollen den 16. Mai, den Internationalen Tag des friedlichen Zusammenlebens, bekannt machen und jedes Jahr eine „Hauptstadt des Zusammenlebens“ benennen.",
				"For three days, the delegations of 32 cities from 24 countries discussed communicative, healthy, connective, resilient and inclusive cities.\n\nThe signatories will promote 16 May, the International Day of Living Together in Peace, and name a \"Capital of Living Together\" each year.",
				"Pendant trois jours, les délégations de 32 villes de 24 pays ont débattu de villes communicantes, saines, connectées, résilientes et inclusives.\n\nLes signataires feront connaître le 16 mai, Journée internationale du vivre-ensemble en paix, et désigneront chaque année une « capitale du vivre-ensemble »."},
			photo:    [3]string{"(Demo) Unterzeichnung in der Tonhalle", "(demo) Signing in the Tonhalle", "(démo) Signature à la Tonhalle"},
			photoHue: 120, pressName: "(demo) Presse- und Informationsamt", mail: "presse@example.org"},
	}
}

var langsDEF = [3]string{"de", "en", "fr"}

// loadNews publishes the demo news and Düsseldorf's Diversity Day, after
// the cities, summits and declarations.
func loadNews(ctx context.Context, d *db.DB) error {
	s := &news.Store{DB: d}
	by := audit.System("demo")
	dus, err := cityBySlug(ctx, d, "dusseldorf")
	if err != nil || dus == 0 {
		return err
	}
	day := [3][3]string{
		{"Düsseldorfer Diversity-Tag", "Düsseldorf beteiligt sich am Deutschen Diversity-Tag; 2019 fiel er auf den 28. Mai.", "Charta der Vielfalt"},
		{"Düsseldorf's Diversity Day", "Düsseldorf takes part in the German Diversity Day; in 2019 it fell on 28 May.", "Charta der Vielfalt (German diversity charter)"},
		{"Journée de la diversité de Düsseldorf", "Düsseldorf participe à la Journée allemande de la diversité ; en 2019, elle tombait le 28 mai.", "Charta der Vielfalt (charte allemande de la diversité)"},
	}
	for i, l := range langsDEF {
		if err := s.SaveObservance(ctx, by, news.ObservanceInput{Key: "dusseldorf-diversity-day", Lang: l, Title: day[i][0],
			About: day[i][1], Source: day[i][2], Month: 5, Day: 28, Since: 2019, CityID: dus}); err != nil {
			return err
		}
	}
	for _, n := range demoNewsItems() {
		if err := loadNewsItem(ctx, d, s, by, n); err != nil {
			return fmt.Errorf("demo news %s: %w", n.title[1], err)
		}
	}
	return nil
}

func loadNewsItem(ctx context.Context, d *db.DB, s *news.Store, by audit.Actor, n demoNews) error {
	cityID, err := cityBySlug(ctx, d, n.city)
	if err != nil {
		return err
	}
	in := news.Input{DatedOn: n.date, EndsOn: n.ends, IsEvent: n.event, CityID: cityID, Tags: n.tags,
		PressName: n.pressName, PressEmail: n.mail}
	if n.summit != 0 {
		var id int64
		var host, start string
		err := d.R.QueryRowContext(ctx, `SELECT s.id, c.slug, s.starts_on FROM summits s JOIN cities c ON c.id = s.host_city_id
			WHERE s.number = $1`, n.summit).Scan(&id, &host, &start)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if id != 0 {
			in.SummitID = id
			ref := strconv.FormatInt(id, 10) + "-" + host + "-" + start[:4]
			in.Links = append(in.Links, news.Link{Path: "/summits/" + ref})
			if n.declaration {
				var did int64
				var slug string
				err := d.R.QueryRowContext(ctx, `SELECT id, slug FROM declarations WHERE summit_id = $1`, id).Scan(&did, &slug)
				if err == nil {
					in.Links = append(in.Links, news.Link{Path: "/declarations/" + strconv.FormatInt(did, 10) + "-" + slug})
				} else if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
			}
		}
	}
	if n.observance != "" {
		o, err := s.ObservanceByKey(ctx, n.observance)
		if err != nil {
			return err
		}
		in.Observance = o.ID
		in.Links = append(in.Links, news.Link{Path: o.Path()})
	}
	var id int64
	for i, l := range langsDEF {
		in.Lang, in.Title, in.Lead, in.Body, in.Place = l, n.title[i], n.lead[i], n.body[i], n.place[i]
		if i == 0 {
			if id, err = s.Create(ctx, by, in); err != nil {
				return err
			}
			continue
		}
		if err := s.Update(ctx, by, id, in); err != nil {
			return err
		}
	}
	if n.photo[0] != "" {
		img, err := demoImage(n.photoHue)
		if err != nil {
			return err
		}
		if err := s.AddMedia(ctx, by, id, news.MediaInput{Kind: "photo", Lang: "de", Caption: n.photo[0], Credit: "(demo) Observatory",
			Licence: "CC BY 4.0", TakenOn: n.date}, img); err != nil {
			return err
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE news_media SET caption = $1 WHERE item_id = $2 AND kind = 'photo'`,
			fmt.Sprintf(`{"de":%q,"en":%q,"fr":%q}`, n.photo[0], n.photo[1], n.photo[2]), id); err != nil {
			return err
		}
	}
	if n.video != "" {
		img, err := demoImage(n.photoHue + 60)
		if err != nil {
			return err
		}
		if err := s.AddMedia(ctx, by, id, news.MediaInput{Kind: "video", Lang: "de", Caption: "(Demo) Videobotschaft",
			VideoURL: n.video}, img); err != nil {
			return err
		}
	}
	if err := s.SetState(ctx, by, id, news.StatePublished, time.Time{}); err != nil {
		return err
	}
	// Published on the item's own day, as the city did.
	day, _ := time.Parse("2006-01-02", n.date)
	_, err = d.W.ExecContext(ctx, `UPDATE news_items SET published_at = $1 WHERE id = $2`, day.Add(10*time.Hour), id)
	return err
}

// demoImage draws a simple picture (concentric rings in one hue) that
// stands in for a photo.
func demoImage(hue uint8) (*media.Image, error) {
	const w, h = 960, 640
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := x-w/2, y-h/2
			ring := uint8((dx*dx + dy*dy) / 4000 % 2)
			img.Set(x, y, color.RGBA{R: hue + 40*ring, G: 120 + hue/2, B: 200 - hue/3 + 30*ring, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return media.Process(&b)
}
