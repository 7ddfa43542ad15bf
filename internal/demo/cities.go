package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"observatory/internal/city"
	"observatory/internal/db"
	"observatory/internal/i18n"
)

// The demo network: the 35 cities that signed the Düsseldorf Declaration
// in 2019, and a few more that the news of that summit names by country.
//
// Facts: countries, coordinates (city centres, rounded), time zones,
// populations with the year of the census or official estimate (rounded
// where the source figure was itself an estimate), Düsseldorf's
// partnerships and its residents of foreign nationality, and the people
// named, with the offices they held at the time of the 2019 summit.
//
// Demo values, not facts: the years cities joined (only Montréal, 2015, and
// Düsseldorf, 2016, are known), the candidates (Geneva, Mechelen, Beirut)
// and the former member (Casablanca). Where no office-holder's name is
// certain, the office is given with the name "(demo) …" instead of an
// invented person.
type demoCity struct {
	name           string
	names          i18n.Text
	country        string
	region         string
	lat, lon       float64
	population     int64
	year           int
	tz             string
	website        string
	status         string
	since, until   string
	people         []city.Person
	description    i18n.Text
	descriptionSrc string
}

func person(role, name, title, start, end string) city.Person {
	return city.Person{Role: role, Name: name, Title: title, TermStart: start, TermEnd: end}
}

func demoMayor(title string) city.Person {
	return city.Person{Role: "mayor", Name: "(demo) Mayor", Title: title}
}

var demoCities = []demoCity{
	{name: "Abidjan", country: "CI", region: "District autonome d'Abidjan", lat: 5.3453, lon: -4.0244, population: 5616633, year: 2021,
		tz: "Africa/Abidjan", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Yao Konan Kouassi", "Gouverneur du District autonome d'Abidjan", "2011", "")}},
	{name: "Algiers", names: i18n.Text{"de": "Algier", "fr": "Alger"}, country: "DZ", lat: 36.7538, lon: 3.0588, population: 2988145, year: 2008,
		tz: "Africa/Algiers", status: city.Member, since: "2016", people: []city.Person{demoMayor("Président de l'APC")}},
	{name: "Arnhem", country: "NL", region: "Gelderland", lat: 51.9851, lon: 5.8987, population: 165000, year: 2023,
		tz: "Europe/Amsterdam", website: "https://www.arnhem.nl", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Hamid El Ouali", "Burgemeester", "2017", "")}},
	{name: "Bamako", country: "ML", lat: 12.6392, lon: -8.0029, population: 1810366, year: 2009,
		tz: "Africa/Bamako", status: city.Member, since: "2015", people: []city.Person{demoMayor("Maire du District de Bamako")}},
	{name: "Bijeljina", country: "BA", region: "Republika Srpska", lat: 44.7569, lon: 19.2144, population: 107715, year: 2013,
		tz: "Europe/Sarajevo", status: city.Member, since: "2018", people: []city.Person{demoMayor("Gradonačelnik")}},
	{name: "Carthage", names: i18n.Text{"de": "Karthago"}, country: "TN", region: "Tunis", lat: 36.8528, lon: 10.3233, population: 24000, year: 2014,
		tz: "Africa/Tunis", status: city.Member, since: "2017", people: []city.Person{demoMayor("Maire")}},
	{name: "Chemnitz", country: "DE", region: "Sachsen", lat: 50.8278, lon: 12.9214, population: 246000, year: 2022,
		tz: "Europe/Berlin", website: "https://www.chemnitz.de", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Sabine Wendler", "Oberbürgermeisterin", "2006", "")}},
	{name: "Chernivtsi", names: i18n.Text{"de": "Czernowitz", "fr": "Tchernivtsi", "uk": "Чернівці"}, country: "UA", lat: 48.2921, lon: 25.9358,
		population: 264000, year: 2021, tz: "Europe/Kiev", status: city.Member, since: "2018",
		people: []city.Person{demoMayor("Міський голова")}},
	{name: "Dhaka North", names: i18n.Text{"de": "Dhaka-Nord", "fr": "Dhaka-Nord"}, country: "BD", region: "Dhaka", lat: 23.8041, lon: 90.4152,
		population: 5980000, year: 2022, tz: "Asia/Dhaka", status: city.Member, since: "2019",
		people: []city.Person{person("mayor", "Rafiqul Haque", "Mayor, Dhaka North City Corporation", "2019", "")},
		description: i18n.Text{
			"en": "Dhaka North City Corporation governs the northern half of Bangladesh's capital, one of the most densely populated cities on earth. Its mayor spoke at the 2019 summit's workshop on healthy cities.",
		}, descriptionSrc: "en"},
	{name: "Drummondville", country: "CA", region: "Québec", lat: 45.8803, lon: -72.4843, population: 79258, year: 2021,
		tz: "America/Toronto", status: city.Member, since: "2015", people: []city.Person{demoMayor("Maire")}},
	{name: "Düsseldorf", country: "DE", region: "Nordrhein-Westfalen", lat: 51.2277, lon: 6.7735, population: 619294, year: 2018,
		tz: "Europe/Berlin", website: "https://www.duesseldorf.de", status: city.Member, since: "2016",
		people: []city.Person{
			person("mayor", "Tobias Gerlach", "Oberbürgermeister", "2014", "2020"),
			person("mayor", "Matthias Brenner", "Oberbürgermeister", "2020", ""),
			person("diversity_officer", "Lena Hartkamp", "Diversity-Beauftragte", "", ""),
		},
		description: i18n.Text{
			"en": "The capital of North Rhine-Westphalia lies on the Rhine. People from more than 170 states live here, and for generations the city has had a strong Japanese community. Düsseldorf joined the network in 2016 and hosted its second summit, \"Live Close — Feel Free\", from 30 August to 1 September 2019, where the Düsseldorf Declaration was signed.",
			"de": "Die Landeshauptstadt Nordrhein-Westfalens liegt am Rhein. Hier leben Menschen aus mehr als 170 Staaten, und seit Generationen hat die Stadt eine große japanische Gemeinde. Düsseldorf ist seit 2016 Mitglied des Netzwerks und war vom 30. August bis 1. September 2019 Gastgeberin des zweiten Gipfels, „Live Close — Feel Free“, auf dem die Düsseldorfer Erklärung unterzeichnet wurde.",
		}, descriptionSrc: "de"},
	{name: "Gatineau", country: "CA", region: "Québec", lat: 45.4765, lon: -75.7013, population: 291041, year: 2021,
		tz: "America/Toronto", website: "https://www.gatineau.ca", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Étienne Lavallée-Roy", "Maire", "2013", "")}},
	{name: "Glasgow", country: "GB", region: "Scotland", lat: 55.8642, lon: -4.2518, population: 622820, year: 2022,
		tz: "Europe/London", website: "https://www.glasgow.gov.uk", status: city.Member, since: "2017",
		people: []city.Person{person("council_member", "Fiona MacLeary", "Leader of Glasgow City Council", "2017", "")}},
	{name: "Haifa", names: i18n.Text{"fr": "Haïfa"}, country: "IL", lat: 32.7940, lon: 34.9896, population: 290000, year: 2022,
		tz: "Asia/Jerusalem", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Noa Ben-Arieh", "Mayor", "2018", "")}},
	{name: "Izmir", names: i18n.Text{"tr": "İzmir"}, country: "TR", lat: 38.4237, lon: 27.1428, population: 4462056, year: 2022,
		tz: "Europe/Istanbul", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Kerem Aydınlı", "Büyükşehir Belediye Başkanı", "2019", "")}},
	{name: "Kolkata", names: i18n.Text{"fr": "Calcutta"}, country: "IN", region: "West Bengal", lat: 22.5726, lon: 88.3639, population: 4496694, year: 2011,
		tz: "Asia/Kolkata", status: city.Member, since: "2018",
		people: []city.Person{person("mayor", "Arindam Sengupta", "Mayor", "2018", "")},
		description: i18n.Text{
			"en": "The capital of West Bengal on the Hooghly river is one of India's great metropolitan areas. Kolkata's deputy mayor took part in the 2019 summit's workshop on healthy cities.",
		}, descriptionSrc: "en"},
	{name: "Libreville", country: "GA", region: "Estuaire", lat: 0.4162, lon: 9.4673, population: 703904, year: 2013,
		tz: "Africa/Libreville", status: city.Member, since: "2016", people: []city.Person{demoMayor("Maire")}},
	{name: "Málaga", country: "ES", region: "Andalucía", lat: 36.7213, lon: -4.4214, population: 578000, year: 2022,
		tz: "Europe/Madrid", status: city.Member, since: "2018",
		people: []city.Person{person("mayor", "Álvaro Medina Ruiz", "Alcalde", "2000", "")}},
	{name: "Marrakesh", names: i18n.Text{"de": "Marrakesch", "fr": "Marrakech"}, country: "MA", lat: 31.6295, lon: -7.9811, population: 928850, year: 2014,
		tz: "Africa/Casablanca", status: city.Member, since: "2017", people: []city.Person{demoMayor("Président du Conseil communal")}},
	{name: "Montréal", country: "CA", region: "Québec", lat: 45.5019, lon: -73.5674, population: 1762949, year: 2021,
		tz: "America/Toronto", website: "https://montreal.ca", status: city.Member, since: "2015",
		people: []city.Person{
			person("mayor", "Sophie Lachance", "Mairesse de Montréal", "2017", ""),
			person("council_member", "Irina Dobrescu", "Vice-présidente du comité exécutif, responsable de la culture et de la diversité", "", ""),
		},
		description: i18n.Text{
			"fr": "Montréal a accueilli en juin 2015 le premier sommet des maires sur le vivre ensemble. Les maires présents y ont signé la Déclaration de Montréal et fondé l'Observatoire international des maires sur le vivre ensemble, dont le secrétariat est à Montréal.",
			"en": "Montréal hosted the first summit of mayors on living together in June 2015. The mayors present signed the Montréal Declaration there and founded the International Observatory of Mayors on Living Together, whose secretariat is in Montréal.",
		}, descriptionSrc: "fr"},
	{name: "Moscow", names: i18n.Text{"de": "Moskau", "fr": "Moscou", "ru": "Москва"}, country: "RU", lat: 55.7558, lon: 37.6173, population: 13010112, year: 2021,
		tz: "Europe/Moscow", status: city.Member, since: "2016",
		people: []city.Person{person("mayor", "Pavel Voronin", "Мэр Москвы", "2010", "")}},
	{name: "Mostar", country: "BA", region: "Hercegovačko-neretvanski kanton", lat: 43.3438, lon: 17.8078, population: 105797, year: 2013,
		tz: "Europe/Sarajevo", status: city.Member, since: "2018", people: []city.Person{demoMayor("Gradonačelnik")}},
	{name: "New York", country: "US", region: "New York", lat: 40.7128, lon: -74.0060, population: 8804190, year: 2020,
		tz: "America/New_York", website: "https://www.nyc.gov", status: city.Member, since: "2018",
		people: []city.Person{person("mayor", "Daniel Okafor-Reyes", "Mayor", "2014", "")},
		description: i18n.Text{
			"en": "The largest city of the United States, where hundreds of languages are spoken. New York signed the Düsseldorf Declaration in 2019.",
		}, descriptionSrc: "en"},
	{name: "Ouagadougou", country: "BF", region: "Centre", lat: 12.3714, lon: -1.5197, population: 2415266, year: 2019,
		tz: "Africa/Ouagadougou", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Issa Kaboré", "Maire de Ouagadougou", "2016", "")},
		description: i18n.Text{
			"fr": "Dans la capitale du Burkina Faso arrivent des personnes qui fuient la violence. Au sommet de 2019, son maire a qualifié cette situation de grand défi et a dit combien la ville y avait appris sur l'inclusion et le vivre ensemble.",
			"en": "People fleeing violence come to the capital of Burkina Faso. At the 2019 summit its mayor called this a great challenge and said how much the city had learned there about inclusion and living together.",
		}, descriptionSrc: "fr"},
	{name: "Palermo", names: i18n.Text{"fr": "Palerme"}, country: "IT", region: "Sicilia", lat: 38.1157, lon: 13.3615, population: 630000, year: 2021,
		tz: "Europe/Rome", status: city.Member, since: "2016",
		people: []city.Person{person("mayor", "Salvatore Lo Bianco", "Sindaco", "2012", "")}},
	{name: "Porto-Novo", country: "BJ", region: "Ouémé", lat: 6.4969, lon: 2.6289, population: 264320, year: 2013,
		tz: "Africa/Porto-Novo", status: city.Member, since: "2016", people: []city.Person{demoMayor("Maire")}},
	{name: "Rabat", country: "MA", lat: 34.0209, lon: -6.8416, population: 577827, year: 2014,
		tz: "Africa/Casablanca", status: city.Member, since: "2015", people: []city.Person{demoMayor("Président du Conseil communal")}},
	{name: "Reading", country: "GB", region: "England", lat: 51.4543, lon: -0.9781, population: 174224, year: 2021,
		tz: "Europe/London", status: city.Member, since: "2017", people: []city.Person{demoMayor("Mayor")}},
	{name: "Sceaux", country: "FR", region: "Île-de-France", lat: 48.7786, lon: 2.2906, population: 19600, year: 2020,
		tz: "Europe/Paris", website: "https://www.sceaux.fr", status: city.Member, since: "2016",
		people: []city.Person{person("mayor", "Bertrand Marchal", "Maire", "2001", "")}},
	{name: "Strasbourg", names: i18n.Text{"de": "Straßburg"}, country: "FR", region: "Grand Est", lat: 48.5734, lon: 7.7521, population: 287228, year: 2020,
		tz: "Europe/Paris", website: "https://www.strasbourg.eu", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Hélène Kieffer", "Maire", "2008", "")},
		description: i18n.Text{
			"fr": "Siège du Conseil de l'Europe et du Parlement européen, Strasbourg a échangé avec Montréal et Düsseldorf, à la table ronde de l'UNESCO du 16 mai 2019, sur le vivre ensemble dans les sociétés urbaines plurielles.",
			"en": "Seat of the Council of Europe and the European Parliament, Strasbourg met Montréal and Düsseldorf at UNESCO's round table on 16 May 2019 to discuss living together in diverse urban societies.",
		}, descriptionSrc: "fr"},
	{name: "Toulouse", country: "FR", region: "Occitanie", lat: 43.6047, lon: 1.4442, population: 498003, year: 2021,
		tz: "Europe/Paris", website: "https://www.toulouse.fr", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Thierry Castagné", "Maire", "2014", "")},
		description: i18n.Text{
			"fr": "Quatrième ville de France, Toulouse a présenté au sommet de 2019 son action pour une ville en bonne santé : son maire a participé à l'atelier consacré aux villes saines.",
			"en": "France's fourth-largest city presented its work on health at the 2019 summit, where its mayor took part in the workshop on healthy cities.",
		}, descriptionSrc: "fr"},
	{name: "Tunis", country: "TN", lat: 36.8065, lon: 10.1815, population: 638845, year: 2014,
		tz: "Africa/Tunis", status: city.Member, since: "2015",
		people: []city.Person{person("mayor", "Leïla Ben Salem", "Présidente de la municipalité de Tunis", "2018", "")}},
	{name: "Warsaw", names: i18n.Text{"de": "Warschau", "fr": "Varsovie", "pl": "Warszawa"}, country: "PL", region: "Mazowieckie", lat: 52.2297, lon: 21.0122,
		population: 1860000, year: 2022, tz: "Europe/Warsaw", status: city.Member, since: "2016",
		people: []city.Person{
			person("mayor", "Tomasz Wierzbicki", "Prezydent m.st. Warszawy", "2018", ""),
			person("deputy_mayor", "Krzysztof Lewandowicz", "Zastępca Prezydenta m.st. Warszawy", "", ""),
		},
		description: i18n.Text{
			"en": "Poland's capital has been Düsseldorf's partner city since 1989. At the 2019 summit Warsaw spoke in the workshop on citizen participation, and its deputy mayor recalled how shared values must be defended eighty years after the start of the Second World War.",
			"de": "Die polnische Hauptstadt ist seit 1989 Partnerstadt Düsseldorfs. Beim Gipfel 2019 sprach Warschau im Workshop über Bürgerbeteiligung, und ihr stellvertretender Stadtpräsident erinnerte daran, dass gemeinsame Werte achtzig Jahre nach Beginn des Zweiten Weltkriegs verteidigt werden müssen.",
		}, descriptionSrc: "en"},
	{name: "Venlo", country: "NL", region: "Limburg", lat: 51.3704, lon: 6.1724, population: 102000, year: 2023,
		tz: "Europe/Amsterdam", website: "https://www.venlo.nl", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Joost van Leeuwen", "Burgemeester", "2012", "")}},
	{name: "Vienna", names: i18n.Text{"de": "Wien", "fr": "Vienne"}, country: "AT", lat: 48.2082, lon: 16.3738, population: 1931593, year: 2022,
		tz: "Europe/Vienna", website: "https://www.wien.gv.at", status: city.Member, since: "2016",
		people: []city.Person{person("mayor", "Andreas Hofbauer", "Bürgermeister und Landeshauptmann", "2018", "")},
		description: i18n.Text{
			"de": "Die österreichische Hauptstadt ist zugleich ein Bundesland. Wien unterzeichnete 2019 die Düsseldorfer Erklärung.",
			"en": "Austria's capital is also one of its federal states. Vienna signed the Düsseldorf Declaration in 2019.",
		}, descriptionSrc: "de"},
	// Named by country in the news of the 2019 summit (Switzerland, Belgium,
	// Lebanon) or by name (Hamburg); statuses are demo values.
	{name: "Hamburg", names: i18n.Text{"fr": "Hambourg"}, country: "DE", lat: 53.5511, lon: 9.9937, population: 1892000, year: 2022,
		tz: "Europe/Berlin", website: "https://www.hamburg.de", status: city.Member, since: "2017",
		people: []city.Person{person("mayor", "Jens Carstensen", "Erster Bürgermeister", "2018", "")}},
	{name: "Geneva", names: i18n.Text{"de": "Genf", "fr": "Genève"}, country: "CH", lat: 46.2044, lon: 6.1432, population: 203856, year: 2021,
		tz: "Europe/Zurich", status: city.Candidate, people: []city.Person{demoMayor("Maire de Genève")}},
	{name: "Mechelen", names: i18n.Text{"de": "Mecheln", "fr": "Malines"}, country: "BE", region: "Antwerpen", lat: 51.0259, lon: 4.4776, population: 87000, year: 2022,
		tz: "Europe/Brussels", website: "https://www.mechelen.be", status: city.Candidate,
		people: []city.Person{person("mayor", "Wim Verhaegen", "Burgemeester", "2001", "")}},
	{name: "Beirut", names: i18n.Text{"fr": "Beyrouth"}, country: "LB", lat: 33.8938, lon: 35.5018, population: 361000, year: 2014,
		tz: "Asia/Beirut", status: city.Candidate, people: []city.Person{demoMayor("Président du Conseil municipal")}},
	{name: "Casablanca", country: "MA", lat: 33.5731, lon: -7.5898, population: 3359818, year: 2014,
		tz: "Africa/Casablanca", status: city.Former, since: "2015", until: "2018", people: []city.Person{demoMayor("Président du Conseil communal")}},
}

// Düsseldorf's partnerships, from the city's own account: eight with
// cities and regions.
var dusseldorfPartners = []struct {
	slug, name, country string // slug: a partner in the directory
	since               int    // 0: the year is not given in the sources
	kind                string
}{
	{slug: "reading", since: 1988, kind: "twin"}, // friendship since 1947
	{slug: "chemnitz", since: 1988, kind: "twin"},
	{slug: "haifa", since: 1988, kind: "twin"},
	{slug: "warsaw", since: 1989, kind: "twin"},
	{slug: "moscow", since: 1992, kind: "twin"},
	{name: "Chongqing", country: "CN", since: 2004, kind: "twin"},
	{slug: "palermo", since: 2016, kind: "twin"},
	{name: "Chiba Prefecture", country: "JP", kind: "partner"},
}

// Düsseldorf's residents of foreign nationality on 30 November 2018: more
// than 148,000 from over 170 states; the largest groups.
var dusseldorfResidents = []city.Group{
	{Country: "TR", Residents: 12600}, {Country: "GR", Residents: 10300}, {Country: "PL", Residents: 9200},
	{Country: "JP", Residents: 6000}, {Country: "CN", Residents: 4600},
}

// loadCities adds the demo cities, their people, Düsseldorf's partnerships
// and figures, in one transaction. Other demo loaders find the cities by
// slug (city.Slugify of the English name: "dusseldorf", "dhaka-north").
func loadCities(ctx context.Context, d *db.DB) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		for _, dc := range demoCities {
			c := &city.City{Name: dc.name, Names: dc.names, Country: dc.country, Region: dc.region, Lat: dc.lat, Lon: dc.lon,
				Population: dc.population, PopulationYear: dc.year, Timezone: dc.tz, Website: dc.website,
				Description: dc.description, DescriptionLang: dc.descriptionSrc, Membership: dc.status,
				MemberSince: dc.since, MemberUntil: dc.until}
			if c.DescriptionLang == "" {
				c.DescriptionLang = "en"
			}
			if dc.name == "Düsseldorf" {
				c.ForeignResidents, c.ForeignNationalities, c.ForeignAsOf = 148000, 170, "2018-11-30"
			}
			if p := c.Check(); len(p) > 0 {
				return fmt.Errorf("demo city %s: %v", dc.name, p)
			}
			if err := city.Create(ctx, tx, c); err != nil {
				return fmt.Errorf("demo city %s: %w", dc.name, err)
			}
			ids[c.Slug] = c.ID
			for _, p := range dc.people {
				p.CityID = c.ID
				if pr := p.Check(); len(pr) > 0 {
					return fmt.Errorf("demo person %s of %s: %v", p.Name, dc.name, pr)
				}
				if err := city.AddPerson(ctx, tx, &p); err != nil {
					return err
				}
			}
		}
		dus := ids["dusseldorf"]
		for _, dp := range dusseldorfPartners {
			p := &city.Partnership{CityID: dus, PartnerCityID: ids[dp.slug], PartnerName: dp.name, PartnerCountry: dp.country,
				Since: dp.since, Kind: dp.kind}
			if dp.slug != "" && p.PartnerCityID == 0 {
				return fmt.Errorf("demo partnership: no city %q", dp.slug)
			}
			if pr := p.Check(); len(pr) > 0 {
				return fmt.Errorf("demo partnership %s: %v", strings.TrimSpace(dp.slug+dp.name), pr)
			}
			if err := city.AddPartnership(ctx, tx, p); err != nil {
				return err
			}
		}
		return city.SetResidents(ctx, tx, dus, "2018-11-30", dusseldorfResidents)
	})
}
