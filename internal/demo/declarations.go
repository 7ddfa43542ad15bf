package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"observatory/internal/db"
	"observatory/internal/declaration"
	"observatory/internal/i18n"
)

// The two declarations of the network with short demo texts written for
// this platform (the pages mark them as demo texts), signed as the facts
// say: the Montréal Declaration by founding cities at the first summit
// (Montréal, 10 June 2015) and by Düsseldorf, which joined in 2016; the
// Düsseldorf Declaration by the delegations of the 2019 summit, in person
// at the Tonhalle on 31 August 2019.

// duesseldorfSignatories are the 35 signatory cities of the Düsseldorf
// Declaration, by slug; those not among the demo cities are skipped.
var duesseldorfSignatories = []string{"abidjan", "algiers", "arnhem", "bamako", "bijeljina", "carthage", "chemnitz",
	"chernivtsi", "dhaka-north", "drummondville", "dusseldorf", "gatineau", "glasgow", "haifa", "izmir", "kolkata",
	"libreville", "malaga", "marrakesh", "montreal", "moscow", "mostar", "new-york", "ouagadougou", "palermo",
	"porto-novo", "rabat", "reading", "sceaux", "strasbourg", "toulouse", "tunis", "warsaw", "venlo", "vienna"}

// attended2019 are the signatory cities whose delegations came to the
// summit: they signed in person. The others (still waiting or declined
// when registration closed) signed remotely afterwards (signedAfter2019).
func attended2019() []string {
	var out []string
	for _, c := range duesseldorfSignatories {
		if !absent2019(c) {
			out = append(out, c)
		}
	}
	return out
}

func absent2019(city string) bool {
	_, declined := declined2019[city]
	return declined || slices.Contains(waiting2019, city)
}

func signedAfter2019() []laterSignature {
	var out []laterSignature
	day := time.Date(2019, 9, 16, 10, 0, 0, 0, time.UTC)
	for _, c := range duesseldorfSignatories {
		if absent2019(c) {
			out = append(out, laterSignature{c, "", day})
			day = day.AddDate(0, 0, 7)
		}
	}
	return out
}

// montrealFounders sign the Montréal Declaration at the first summit.
var montrealFounders = []string{"montreal", "gatineau", "drummondville", "bamako", "rabat", "strasbourg"}

// preferredSigner names who signed for a city where the source says so.
var preferredSigner = map[string]string{"warsaw": "Krzysztof Lewandowicz"}

var montrealTexts = declaration.Texts{
	"fr": {Title: "Déclaration de Montréal sur le vivre-ensemble", Body: `Nous, maires de villes de plusieurs continents, réunis à Montréal les 10 et 11 juin 2015, constatons que nos villes sont le premier lieu où se rencontrent des personnes de toutes origines, et que c'est là que le vivre-ensemble réussit ou échoue.

Nous nous engageons à :

1. **coopérer** entre villes par un dialogue continu et l'échange de nos pratiques ;
2. favoriser l'**inclusion** sociale, culturelle et économique de toutes et de tous, en particulier des personnes les plus marginalisées ;
3. permettre à chaque habitante et à chaque habitant de **développer son potentiel** ;
4. mettre en œuvre des pratiques **durables et innovantes** pour des villes sûres ;
5. tenir l'**équilibre entre ouverture et vigilance**.

Pour cela, nous créons l'Observatoire international des maires sur le vivre-ensemble.`},
	"en": {Title: "Montréal Declaration on Living Together", Body: `We, mayors of cities on several continents, meeting in Montréal on 10 and 11 June 2015, note that our cities are where people of every origin first meet, and that it is here that living together succeeds or fails.

We commit to:

1. **cooperate** between cities through continual dialogue and the exchange of our practices;
2. further the social, cultural and economic **inclusion** of everyone, above all of the most marginalised;
3. enable every resident to **reach their potential**;
4. put **sustainable and innovative** practices to work for safe cities;
5. keep the **balance between openness and vigilance**.

To this end we found the International Observatory of Mayors on Living Together.`},
	"de": {Title: "Montrealer Erklärung zum Zusammenleben", Body: `Wir, Bürgermeisterinnen und Bürgermeister von Städten mehrerer Kontinente, am 10. und 11. Juni 2015 in Montréal versammelt, stellen fest: In unseren Städten begegnen sich Menschen jeder Herkunft zuerst, und hier gelingt oder scheitert das Zusammenleben.

Wir verpflichten uns,

1. zwischen den Städten durch ständigen Dialog und den Austausch unserer Praxis **zusammenzuarbeiten**;
2. die soziale, kulturelle und wirtschaftliche **Teilhabe** aller zu fördern, vor allem der am stärksten Ausgegrenzten;
3. allen Einwohnerinnen und Einwohnern zu ermöglichen, **ihre Fähigkeiten zu entfalten**;
4. **nachhaltige und neue** Wege für sichere Städte zu gehen;
5. das **Gleichgewicht zwischen Offenheit und Wachsamkeit** zu wahren.

Dazu gründen wir die Internationale Beobachtungsstelle der Bürgermeister für das Zusammenleben.`},
}

var duesseldorfTexts = declaration.Texts{
	"en": {Title: "Düsseldorf Declaration on Living Together", Body: `Meeting in Düsseldorf from 30 August to 1 September 2019 under the motto *Live Close — Feel Free*, we, the representatives of the member cities of the International Observatory of Mayors on Living Together, confirm the principles of the Montréal Declaration.

Living together is made in neighbourhoods, squares, schools and town halls. We therefore commit to:

- take **concrete local action** for living together, and report on it to the network;
- share what works — in urban planning, health, participation, prevention of violent radicalisation and inclusion — so that other cities can learn from it;
- promote the **International Day of Living Together in Peace on 16 May** in our cities;
- name, each year, a **Capital of Living Together** among our cities.`},
	"de": {Title: "Düsseldorfer Erklärung zum Zusammenleben", Body: `Vom 30. August bis 1. September 2019 in Düsseldorf unter dem Motto *Live Close — Feel Free* versammelt, bekräftigen wir, die Vertreterinnen und Vertreter der Mitgliedsstädte der Internationalen Beobachtungsstelle der Bürgermeister für das Zusammenleben, die Grundsätze der Montrealer Erklärung.

Zusammenleben entsteht in Vierteln, auf Plätzen, in Schulen und Rathäusern. Darum verpflichten wir uns,

- **konkret vor Ort** für das Zusammenleben zu handeln und dem Netzwerk darüber zu berichten;
- zu teilen, was wirkt – in Stadtplanung, Gesundheit, Beteiligung, Vorbeugung gewaltbereiter Radikalisierung und Inklusion –, damit andere Städte davon lernen;
- in unseren Städten den **Internationalen Tag des friedlichen Zusammenlebens am 16. Mai** zu fördern;
- jedes Jahr eine unserer Städte zur **Hauptstadt des Zusammenlebens** zu ernennen.`},
	"fr": {Title: "Déclaration de Düsseldorf sur le vivre-ensemble", Body: `Réunis à Düsseldorf du 30 août au 1er septembre 2019 sous la devise *Live Close — Feel Free*, nous, représentantes et représentants des villes membres de l'Observatoire international des maires sur le vivre-ensemble, confirmons les principes de la Déclaration de Montréal.

Le vivre-ensemble se construit dans les quartiers, sur les places, dans les écoles et les mairies. Nous nous engageons donc à :

- agir **concrètement sur le terrain** pour le vivre-ensemble et en rendre compte au réseau ;
- partager ce qui fonctionne — en urbanisme, santé, participation, prévention de la radicalisation violente et inclusion — pour que d'autres villes en tirent profit ;
- promouvoir dans nos villes la **Journée internationale du vivre-ensemble en paix, le 16 mai** ;
- désigner chaque année, parmi nos villes, une **Capitale du vivre-ensemble**.`},
}

// demoDeclaration is one declaration to load and who signs it.
type demoDeclaration struct {
	in          declaration.Input
	adoptedCity string
	summitYear  string
	published   time.Time
	place       string
	signedAt    time.Time // the first signature; the others follow a minute apart
	signers     []string
	lang        string // the language the signers read
	later       []laterSignature
}

// laterSignature is a city that signed after the adoption, remotely.
type laterSignature struct {
	slug, place string
	at          time.Time
}

func demoDeclarations() []demoDeclaration {
	return []demoDeclaration{
		{
			in: declaration.Input{Texts: montrealTexts, Authoritative: "fr", AdoptedOn: "2015-06-10", AdoptedPlace: "Montréal", Demo: true,
				IntroLang: "en", Intro: i18n.Text{
					"en": "Adopted unanimously by the mayors present at the first summit of mayors on living together in Montréal (10–11 June 2015). It founded the International Observatory of Mayors on Living Together. Cities that join the network later sign it too.",
					"de": "Einstimmig verabschiedet von den anwesenden Bürgermeisterinnen und Bürgermeistern beim ersten Gipfel zum Zusammenleben in Montréal (10.–11. Juni 2015). Mit ihr wurde die Internationale Beobachtungsstelle der Bürgermeister für das Zusammenleben gegründet. Städte, die dem Netzwerk später beitreten, unterzeichnen sie ebenfalls.",
					"fr": "Adoptée à l'unanimité par les maires présents au premier sommet des maires sur le vivre-ensemble à Montréal (10 et 11 juin 2015). Elle a fondé l'Observatoire international des maires sur le vivre-ensemble. Les villes qui rejoignent le réseau plus tard la signent aussi.",
				}},
			adoptedCity: "montreal", summitYear: "2015",
			published: time.Date(2015, 6, 10, 14, 0, 0, 0, time.UTC), place: "Montréal",
			signedAt: time.Date(2015, 6, 10, 20, 0, 0, 0, time.UTC), signers: montrealFounders, lang: "fr",
			later: []laterSignature{{"dusseldorf", "Düsseldorf", time.Date(2016, 6, 10, 10, 0, 0, 0, time.UTC)}},
		},
		{
			in: declaration.Input{Texts: duesseldorfTexts, Authoritative: "en", AdoptedOn: "2019-08-31", AdoptedPlace: "Tonhalle Düsseldorf", Demo: true,
				IntroLang: "en", Intro: i18n.Text{
					"en": "Signed on the evening of 31 August 2019 in the Tonhalle, the concert hall of Düsseldorf, at the second summit of the Observatory. The summit brought together the delegations of 32 cities from 24 countries; 35 cities have signed it.",
					"de": "Unterzeichnet am Abend des 31. August 2019 in der Tonhalle Düsseldorf beim zweiten Gipfel der Beobachtungsstelle. Zum Gipfel kamen die Delegationen von 32 Städten aus 24 Ländern; 35 Städte haben sie unterzeichnet.",
					"fr": "Signée le soir du 31 août 2019 à la Tonhalle, la salle de concert de Düsseldorf, lors du deuxième sommet de l'Observatoire. Le sommet a réuni les délégations de 32 villes de 24 pays ; 35 villes l'ont signée.",
				}},
			adoptedCity: "dusseldorf", summitYear: "2019",
			published: time.Date(2019, 8, 31, 10, 0, 0, 0, time.UTC), place: "Tonhalle Düsseldorf",
			signedAt: time.Date(2019, 8, 31, 17, 30, 0, 0, time.UTC), signers: attended2019(), lang: "en",
			later: signedAfter2019(),
		},
	}
}

// loadDeclarations loads the demo declarations, after the cities and
// summits they refer to.
func loadDeclarations(ctx context.Context, d *db.DB) error {
	st := &declaration.Store{DB: d}
	if err := st.EnsureKey(ctx); err != nil {
		return err
	}
	for _, dd := range demoDeclarations() {
		if err := loadDeclaration(ctx, d, st, dd); err != nil {
			return fmt.Errorf("demo declaration %q: %w", dd.in.Texts[dd.in.Authoritative].Title, err)
		}
	}
	return nil
}

func loadDeclaration(ctx context.Context, d *db.DB, st *declaration.Store, dd demoDeclaration) error {
	var err error
	if dd.in.AdoptedCityID, err = cityBySlug(ctx, d, dd.adoptedCity); err != nil {
		return err
	}
	if err := d.R.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM summits WHERE starts_on LIKE $1`, dd.summitYear+"-%").
		Scan(&dd.in.SummitID); err != nil {
		return err
	}
	var id int64
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = st.Create(ctx, tx, dd.in); err != nil {
			return err
		}
		if _, err := st.Publish(ctx, tx, id, dd.published); err != nil {
			return err
		}
		return st.SetStatus(ctx, tx, id, declaration.StatusOpen)
	})
	if err != nil {
		return err
	}
	hash := declaration.VersionHash(id, 1, dd.in.Authoritative, dd.in.Texts)
	at := dd.signedAt
	sign := func(slug, place, mode string, when time.Time) error {
		city, err := cityBySlug(ctx, d, slug)
		if err != nil || city == 0 {
			return err // a city not among the demo cities is skipped
		}
		name, role, err := signerFor(ctx, d, city, slug, when)
		if err != nil {
			return err
		}
		if place == "" { // signed at home
			if err := d.R.QueryRowContext(ctx, `SELECT name FROM cities WHERE id = $1`, city).Scan(&place); err != nil {
				return err
			}
		}
		return d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := st.Sign(ctx, tx, declaration.SignInput{Declaration: id, Version: 1, VersionHash: hash, Lang: dd.lang,
				CityID: city, Signer: name, Role: role, Mode: mode, Place: place, At: when})
			if errors.Is(err, declaration.ErrNotMember) {
				return nil
			}
			return err
		})
	}
	for _, slug := range dd.signers {
		if err := sign(slug, dd.place, declaration.ModeInPerson, at); err != nil {
			return err
		}
		at = at.Add(time.Minute)
	}
	for _, l := range dd.later {
		if err := sign(l.slug, l.place, declaration.ModeRemote, l.at); err != nil {
			return err
		}
	}
	return nil
}

// cityBySlug is a demo city's id, or 0 when it is not among them.
func cityBySlug(ctx context.Context, d *db.DB, slug string) (int64, error) {
	var id int64
	err := d.R.QueryRowContext(ctx, `SELECT id FROM cities WHERE slug = $1`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// signerFor picks who signed for a city on a day: the person the sources
// name, else the mayor (or deputy) in office then, else the office with
// the name "(demo) …", as the demo cities do where no name is certain.
func signerFor(ctx context.Context, d *db.DB, city int64, slug string, day time.Time) (name, role string, err error) {
	rows, err := d.R.QueryContext(ctx, `SELECT name, role, COALESCE(term_start, ''), COALESCE(term_end, '') FROM city_people
		WHERE city_id = $1 AND role IN ('mayor', 'deputy_mayor') ORDER BY CASE role WHEN 'mayor' THEN 0 ELSE 1 END, position, id`, city)
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	date := day.Format(time.DateOnly)
	for rows.Next() {
		var n, r, start, end string
		if err := rows.Scan(&n, &r, &start, &end); err != nil {
			return "", "", err
		}
		if n == preferredSigner[slug] {
			return n, r, nil
		}
		inOffice := (start == "" || start <= date) && (end == "" || end >= date[:min(len(end), len(date))])
		if name == "" && inOffice && n != "" {
			name, role = n, r
		}
	}
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	if name == "" {
		name, role = "(demo) Mayor", declaration.RoleMayor
	}
	return name, role, nil
}
