package demo

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/summit"
)

// The demo summits: Montréal 2015 and Düsseldorf 2019 as they happened
// (facts from the network's and the host city's reports: dates, places,
// programme, speakers, partners), and a third summit with registration
// open.
//
// Demo values, not facts: the times of day, the rooms, the seats per
// workshop, which cities took part in 2015, who besides the people named
// travelled in each delegation (shown as "(demo) …"), the waiting list and
// the declined registration of 2019, and everything about the third and
// fourth summits (host, dates, venues, registrations, bids).
//
// Delegations are written directly in one transaction rather than through
// the registration rules, so that loading sends no e-mail and leaves no
// audit entries; the states written are ones the rules can reach.

type demoVenue struct {
	key      string
	name     i18n.Text
	address  string
	lat, lon float64
}

type demoSession struct {
	kind          string
	title, desc   i18n.Text
	start, end    string // local time at the summit
	venue, room   string
	langs, interp string
	capacity      int
	speakers      []string
}

type demoSpeaker struct {
	key, name, affiliation, city string
	role, bio                    i18n.Text
}

type demoPartner struct {
	kind string
	name i18n.Text
	url  string
}

type demoSummit struct {
	number                 int
	host                   string
	title, theme, desc     i18n.Text
	tz, start, end, status string
	maxDelegations         int
	bidsOpen               bool
	website                string
	venues                 []demoVenue
	speakers               []demoSpeaker
	sessions               []demoSession
	partners               []demoPartner
}

var summit2015 = demoSummit{
	number: 1, host: "montreal", tz: "America/Toronto", start: "2015-06-10", end: "2015-06-11", status: summit.StatusHeld,
	title: i18n.Text{"en": "First Summit on Living Together", "de": "Erster Gipfel zum Zusammenleben", "fr": "Premier Sommet sur le vivre ensemble"},
	theme: i18n.Text{"en": "Living together in our cities", "de": "Zusammenleben in unseren Städten", "fr": "Vivre ensemble dans nos villes"},
	desc: i18n.Text{
		"en": "Mayors from around the world came to Montréal to talk about what it takes for people of every origin to share a city in peace.\n\nThey left with a network: by signing the Montréal Declaration on Living Together, unanimously, they founded the International Observatory of Mayors on Living Together, with its secretariat in Montréal. The declaration asks cities to work together in continual dialogue, to include everyone socially, culturally and economically — the most marginalised first — and to keep cities safe with a balance of openness and vigilance.",
		"de": "Bürgermeisterinnen und Bürgermeister aus aller Welt trafen sich in Montréal, um darüber zu sprechen, was es braucht, damit Menschen jeder Herkunft eine Stadt friedlich miteinander teilen.\n\nSie gingen mit einem Netzwerk nach Hause: Mit der einstimmig unterzeichneten Montréal-Erklärung zum Zusammenleben gründeten sie das Internationale Observatorium der Bürgermeister für das Zusammenleben, mit Sekretariat in Montréal. Die Erklärung verpflichtet die Städte zu ständigem Austausch, zur sozialen, kulturellen und wirtschaftlichen Teilhabe aller — zuerst der am stärksten Ausgegrenzten — und zu sicheren Städten im Gleichgewicht von Offenheit und Wachsamkeit.",
		"fr": "Des maires du monde entier se sont réunis à Montréal pour parler de ce qu'il faut pour que des personnes de toutes origines partagent une ville en paix.\n\nIls en sont repartis avec un réseau : en signant à l'unanimité la Déclaration de Montréal sur le vivre ensemble, ils ont fondé l'Observatoire international des maires sur le vivre ensemble, dont le secrétariat est à Montréal. La déclaration engage les villes à coopérer dans un dialogue continu, à inclure chacun socialement, culturellement et économiquement — les plus marginalisés d'abord — et à garder des villes sûres, entre ouverture et vigilance.",
	},
	sessions: []demoSession{
		{kind: "plenary", start: "2015-06-10T09:00", end: "2015-06-10T17:00", langs: "fr,en", interp: "en,fr",
			title: i18n.Text{"en": "Opening and exchange between the mayors", "de": "Eröffnung und Austausch der Bürgermeister", "fr": "Ouverture et échanges entre les maires"},
			desc:  i18n.Text{"en": "The mayors present how their cities deal with diversity, exclusion and radicalisation.", "de": "Die Bürgermeister berichten, wie ihre Städte mit Vielfalt, Ausgrenzung und Radikalisierung umgehen.", "fr": "Les maires présentent la manière dont leurs villes font face à la diversité, à l'exclusion et à la radicalisation."}},
		{kind: "ceremony", start: "2015-06-11T11:00", end: "2015-06-11T12:30", langs: "fr,en", interp: "en,fr",
			title: i18n.Text{"en": "Signing of the Montréal Declaration on Living Together", "de": "Unterzeichnung der Montréal-Erklärung zum Zusammenleben", "fr": "Signature de la Déclaration de Montréal sur le vivre ensemble"},
			desc:  i18n.Text{"en": "The mayors sign the declaration unanimously and found the Observatory.", "de": "Die Bürgermeister unterzeichnen die Erklärung einstimmig und gründen das Observatorium.", "fr": "Les maires signent la déclaration à l'unanimité et fondent l'Observatoire."}},
	},
}

var summit2019 = demoSummit{
	number: 2, host: "dusseldorf", tz: "Europe/Berlin", start: "2019-08-30", end: "2019-09-01", status: summit.StatusHeld, maxDelegations: 32,
	title: i18n.Text{"en": "Second Summit on Living Together", "de": "Zweiter Gipfel zum Zusammenleben", "fr": "Deuxième Sommet sur le vivre ensemble"},
	theme: i18n.Text{"en": "Live Close — Feel Free", "de": "Live Close — Feel Free", "fr": "Live Close — Feel Free"},
	desc: i18n.Text{
		"en": "Düsseldorf, a member of the Observatory since 2016, hosted the network's second summit on living together in the big city. Over three days its Lord Mayor Tobias Gerlach welcomed delegations from four continents, from cities that are home to more than 60 million people.\n\nThe delegates met at city hall, toured the city, worked through the Livable Cities Lab at the Lindner Congress Hotel and signed the Düsseldorf Declaration in the Tonhalle. With it, they commit to concrete local action for living together, to promote the International Day of Living Together in Peace on 16 May, and to name a Capital of Living Together each year.",
		"de": "Düsseldorf, seit 2016 Mitglied des Observatoriums, war Gastgeberin des zweiten Gipfels des Netzwerks zum Zusammenleben in der Großstadt. Drei Tage lang empfing Oberbürgermeister Tobias Gerlach Delegationen von vier Kontinenten, aus Städten, in denen zusammen mehr als 60 Millionen Menschen leben.\n\nDie Delegierten trafen sich im Rathaus, erkundeten die Stadt, arbeiteten im Livable Cities Lab im Lindner Congress Hotel und unterzeichneten in der Tonhalle die Düsseldorfer Erklärung. Darin verpflichten sie sich zu konkretem Handeln vor Ort für das Zusammenleben, zur Förderung des Internationalen Tags des friedlichen Zusammenlebens am 16. Mai und dazu, jedes Jahr eine Hauptstadt des Zusammenlebens zu benennen.",
		"fr": "Düsseldorf, membre de l'Observatoire depuis 2016, a accueilli le deuxième sommet du réseau sur le vivre ensemble dans la grande ville. Pendant trois jours, son bourgmestre Tobias Gerlach a reçu des délégations de quatre continents, venues de villes où vivent au total plus de 60 millions de personnes.\n\nLes délégués se sont retrouvés à l'hôtel de ville, ont visité la ville, ont travaillé au Livable Cities Lab au Lindner Congress Hotel et ont signé la Déclaration de Düsseldorf à la Tonhalle. Ils s'y engagent à agir concrètement sur le terrain pour le vivre ensemble, à promouvoir la Journée internationale du vivre ensemble en paix le 16 mai et à désigner chaque année une capitale du vivre ensemble.",
	},
	venues: []demoVenue{
		{key: "rathaus", name: i18n.Text{"en": "Düsseldorf City Hall", "de": "Rathaus Düsseldorf", "fr": "Hôtel de ville de Düsseldorf"},
			address: "Marktplatz 2, 40213 Düsseldorf", lat: 51.2259, lon: 6.7720},
		{key: "lindner", name: i18n.Text{"en": "Lindner Congress Hotel", "de": "Lindner Congress Hotel", "fr": "Lindner Congress Hotel"},
			address: "Emanuel-Leutze-Straße 17, 40547 Düsseldorf", lat: 51.2476, lon: 6.7306},
		{key: "tonhalle", name: i18n.Text{"en": "Tonhalle concert hall", "de": "Tonhalle Düsseldorf", "fr": "Salle de concert Tonhalle"},
			address: "Ehrenhof 1, 40479 Düsseldorf", lat: 51.2333, lon: 6.7737},
		{key: "nrwforum", name: i18n.Text{"en": "NRW-Forum", "de": "NRW-Forum", "fr": "NRW-Forum"},
			address: "Ehrenhof 2, 40479 Düsseldorf", lat: 51.2341, lon: 6.7733},
	},
	speakers: []demoSpeaker{
		{key: "host-mayor", name: "Tobias Gerlach", city: "dusseldorf",
			role: i18n.Text{"en": "Lord Mayor of Düsseldorf, host of the summit", "de": "Oberbürgermeister der Landeshauptstadt Düsseldorf, Gastgeber", "fr": "Bourgmestre de Düsseldorf, hôte du sommet"}},
		{key: "montreal-vice-chair", name: "Irina Dobrescu", city: "montreal",
			role: i18n.Text{"en": "Vice-chair of Montréal's executive committee (culture and diversity), for the Observatory", "de": "Vizevorsitzende des Exekutivkomitees von Montréal (Kultur und Diversität), für das Observatorium", "fr": "Vice-présidente du comité exécutif de Montréal (culture et diversité), au nom de l'Observatoire"}},
		{key: "keynote-places", name: "Signe Halvorsen", affiliation: "Gehl Architects, Copenhagen",
			role: i18n.Text{"en": "Partner and managing director, Gehl Architects", "de": "Partnerin und Geschäftsführerin, Gehl Architects", "fr": "Associée et directrice générale, Gehl Architects"},
			bio:  i18n.Text{"en": "Her practice plans cities from the spaces between buildings outwards. Her advice to the mayors: plan the places first, then the buildings.", "de": "Ihr Büro plant Städte von den Räumen zwischen den Gebäuden aus. Ihr Rat an die Bürgermeister: zuerst die Plätze planen, dann die Häuser.", "fr": "Son agence conçoit les villes à partir des espaces entre les bâtiments. Son conseil aux maires : planifier d'abord les places, ensuite les bâtiments."}},
		{key: "keynote-health", name: "Dr Karim Aldani", affiliation: "Berlin",
			role: i18n.Text{"en": "Psychiatrist and stress researcher", "de": "Psychiater und Stressforscher", "fr": "Psychiatre et chercheur sur le stress"},
			bio:  i18n.Text{"en": "He studies how life in dense cities affects mental health, and what urban design can do about it.", "de": "Er erforscht, wie das Leben in dichten Städten auf die seelische Gesundheit wirkt und was Stadtgestaltung dagegen tun kann.", "fr": "Il étudie comment la vie dans les villes denses agit sur la santé mentale, et ce que l'urbanisme peut y faire."}},
		{key: "warsaw-deputy", name: "Krzysztof Lewandowicz", city: "warsaw",
			role: i18n.Text{"en": "Deputy Mayor of Warsaw", "de": "Stellvertretender Stadtpräsident von Warschau", "fr": "Maire adjoint de Varsovie"}},
		{key: "ouagadougou-mayor", name: "Issa Kaboré", city: "ouagadougou",
			role: i18n.Text{"en": "Mayor of Ouagadougou", "de": "Bürgermeister von Ouagadougou", "fr": "Maire de Ouagadougou"}},
	},
	sessions: []demoSession{
		{kind: "reception", start: "2019-08-30T14:00", end: "2019-08-30T16:00", venue: "rathaus", room: "Jan-Wellem-Saal", langs: "de,en,fr", interp: "de,en,fr",
			speakers: []string{"host-mayor", "montreal-vice-chair"},
			title:    i18n.Text{"en": "Welcome at city hall and the Golden Book", "de": "Empfang im Rathaus und Eintrag ins Goldene Buch", "fr": "Accueil à l'hôtel de ville et Livre d'or"},
			desc:     i18n.Text{"en": "The Lord Mayor welcomes the delegations; Irina Dobrescu greets them on behalf of the Observatory. Each head of delegation signs the city's Golden Book.", "de": "Der Oberbürgermeister begrüßt die Delegationen; Irina Dobrescu grüßt im Namen des Observatoriums. Jede Delegationsleitung trägt sich ins Goldene Buch der Stadt ein.", "fr": "Le bourgmestre accueille les délégations ; Irina Dobrescu les salue au nom de l'Observatoire. Chaque chef de délégation signe le Livre d'or de la ville."}},
		{kind: "tour", start: "2019-08-30T16:30", end: "2019-08-30T18:30", venue: "rathaus", room: "Marktplatz", langs: "de,en", interp: "fr", capacity: 70,
			title: i18n.Text{"en": "City tour by double-decker bus", "de": "Stadtrundfahrt im Doppeldeckerbus", "fr": "Visite de la ville en bus à impériale"},
			desc:  i18n.Text{"en": "From the Marktplatz through the districts along the Rhine; seats on the bus are limited.", "de": "Vom Marktplatz durch die Stadtteile am Rhein; die Plätze im Bus sind begrenzt.", "fr": "De la Marktplatz à travers les quartiers au bord du Rhin ; les places dans le bus sont limitées."}},
		{kind: "plenary", start: "2019-08-31T09:00", end: "2019-08-31T09:45", venue: "lindner", room: "Plenarsaal", langs: "de,en,fr", interp: "de,en,fr",
			speakers: []string{"host-mayor"},
			title:    i18n.Text{"en": "Livable Cities Lab: opening", "de": "Livable Cities Lab: Eröffnung", "fr": "Livable Cities Lab : ouverture"},
			desc:     i18n.Text{"en": "Five workshops in which the cities show projects that work, and learn from each other.", "de": "Fünf Workshops, in denen die Städte Projekte vorstellen, die funktionieren, und voneinander lernen.", "fr": "Cinq ateliers où les villes présentent des projets qui fonctionnent et apprennent les unes des autres."}},
		{kind: "workshop", start: "2019-08-31T10:00", end: "2019-08-31T11:30", venue: "lindner", room: "Saal 1", langs: "en", interp: "de,fr", capacity: 40,
			speakers: []string{"keynote-places"},
			title:    i18n.Text{"en": "Communicative cities", "de": "Kommunikative Städte", "fr": "Villes communicantes"},
			desc:     i18n.Text{"en": "Spaces to reconnect, inclusive urban planning, neighbourhoods that struggle. Keynote: \"Urban meeting places for social connection\"; on the panel, Hamburg's minister for urban development and Moscow's head of international relations.", "de": "Räume der Begegnung, inklusive Stadtplanung, benachteiligte Quartiere. Impuls: „Urbane Treffpunkte für sozialen Zusammenhalt“; auf dem Podium Hamburgs Senatorin für Stadtentwicklung und Moskaus Leiter für internationale Beziehungen.", "fr": "Des espaces pour se retrouver, un urbanisme inclusif, des quartiers en difficulté. Conférence : « Des lieux de rencontre urbains pour le lien social » ; à la table ronde, la ministre de l'urbanisme de Hambourg et le responsable des relations internationales de Moscou."}},
		{kind: "workshop", start: "2019-08-31T10:00", end: "2019-08-31T11:30", venue: "lindner", room: "Saal 2", langs: "en", interp: "de,fr", capacity: 40,
			speakers: []string{"keynote-health"},
			title:    i18n.Text{"en": "Healthy cities", "de": "Gesunde Städte", "fr": "Villes en santé"},
			desc:     i18n.Text{"en": "Keynote: \"Stress and the City\". With the mayors of Toulouse, Venlo and Dhaka North and the deputy mayor of Kolkata.", "de": "Impuls: „Stress and the City“. Mit den Bürgermeistern von Toulouse, Venlo und Dhaka-Nord und dem stellvertretenden Bürgermeister von Kalkutta.", "fr": "Conférence : « Stress and the City ». Avec les maires de Toulouse, Venlo et Dhaka-Nord et le maire adjoint de Calcutta."}},
		{kind: "workshop", start: "2019-08-31T12:00", end: "2019-08-31T13:30", venue: "lindner", room: "Saal 1", langs: "en,fr", interp: "de", capacity: 40,
			title: i18n.Text{"en": "Connective cities: citizens taking part", "de": "Verbindende Städte: Bürgerbeteiligung", "fr": "Villes connectées : la participation citoyenne"},
			desc:  i18n.Text{"en": "Led by EUROCITIES, with Sceaux, Izmir and Warsaw.", "de": "Geleitet von EUROCITIES, mit Sceaux, Izmir und Warschau.", "fr": "Animé par EUROCITIES, avec Sceaux, Izmir et Varsovie."}},
		{kind: "workshop", start: "2019-08-31T12:00", end: "2019-08-31T13:30", venue: "lindner", room: "Saal 2", langs: "en,fr", interp: "de", capacity: 40,
			title: i18n.Text{"en": "Resilient cities: preventing violent radicalisation", "de": "Resiliente Städte: gewaltbereiter Radikalisierung vorbeugen", "fr": "Villes résilientes : prévenir la radicalisation violente"},
			desc:  i18n.Text{"en": "Led by the Strong Cities Network, with Palermo's deputy mayor for culture and Gatineau.", "de": "Geleitet vom Strong Cities Network, mit Palermos Beigeordnetem für Kultur und Gatineau.", "fr": "Animé par le Strong Cities Network, avec l'adjoint à la culture de Palerme et Gatineau."}},
		{kind: "workshop", start: "2019-08-31T14:30", end: "2019-08-31T16:00", venue: "lindner", room: "Plenarsaal", langs: "de,en,fr", interp: "de,en,fr", capacity: 80,
			title: i18n.Text{"en": "Inclusive cities: affordable living, integration, diversity", "de": "Inklusive Städte: bezahlbares Wohnen, Integration, Vielfalt", "fr": "Villes inclusives : logement abordable, intégration, diversité"},
			desc:  i18n.Text{"en": "Affordable homes in every district, integration policy and diversity in the city administration.", "de": "Bezahlbare Wohnungen in allen Stadtteilen, Integrationspolitik und Vielfalt in der Stadtverwaltung.", "fr": "Des logements abordables dans chaque quartier, la politique d'intégration et la diversité dans l'administration municipale."}},
		{kind: "ceremony", start: "2019-08-31T19:00", end: "2019-08-31T21:00", venue: "tonhalle", room: "Großer Saal", langs: "de,en,fr", interp: "de,en,fr",
			speakers: []string{"host-mayor", "montreal-vice-chair"},
			title:    i18n.Text{"en": "Signing of the Düsseldorf Declaration", "de": "Unterzeichnung der Düsseldorfer Erklärung", "fr": "Signature de la Déclaration de Düsseldorf"},
			desc:     i18n.Text{"en": "The heads of delegation sign the declaration in the concert hall.", "de": "Die Delegationsleitungen unterzeichnen die Erklärung im Konzertsaal.", "fr": "Les chefs de délégation signent la déclaration dans la salle de concert."}},
		{kind: "press_conference", start: "2019-09-01T11:00", end: "2019-09-01T12:00", venue: "rathaus", langs: "de,en", interp: "de,en,fr",
			speakers: []string{"host-mayor", "montreal-vice-chair", "warsaw-deputy", "ouagadougou-mayor"},
			title:    i18n.Text{"en": "Press conference: what the summit achieved", "de": "Pressekonferenz: Ergebnisse des Gipfels", "fr": "Conférence de presse : ce que le sommet a apporté"},
			desc:     i18n.Text{"en": "The host and delegates report on the results.", "de": "Gastgeber und Delegierte berichten über die Ergebnisse.", "fr": "L'hôte et des délégués présentent les résultats."}},
		{kind: "exhibition", start: "2019-09-01T14:00", end: "2019-09-01T18:00", venue: "nrwforum", langs: "de,en",
			title: i18n.Text{"en": "Exhibition opens: \"Heute Stadt von Morgen denken\"", "de": "Ausstellungseröffnung: „Heute Stadt von Morgen denken“", "fr": "Ouverture de l'exposition « Heute Stadt von Morgen denken »"},
			desc:  i18n.Text{"en": "Videos and sketches from the summit's discussions; visitors add their wishes for the city of tomorrow. Then at Café Europa, Marktplatz 6b, 9–15 September.", "de": "Videos und Skizzen aus den Diskussionen des Gipfels; Besucherinnen und Besucher ergänzen ihre Wünsche für die Stadt von morgen. Danach im Café Europa, Marktplatz 6b, 9. bis 15. September.", "fr": "Vidéos et croquis issus des discussions du sommet ; les visiteurs ajoutent leurs souhaits pour la ville de demain. Ensuite au Café Europa, Marktplatz 6b, du 9 au 15 septembre."}},
	},
	partners: []demoPartner{
		{kind: "main_sponsor", name: i18n.Text{"en": "Düsseldorf Airport", "de": "Flughafen Düsseldorf", "fr": "Aéroport de Düsseldorf"}, url: "https://www.dus.com"},
		{kind: "main_sponsor", name: i18n.Text{"en": "Messe Düsseldorf"}, url: "https://www.messe-duesseldorf.de"},
		{kind: "supporting_partner", name: i18n.Text{"en": "Federal Foreign Office", "de": "Auswärtiges Amt", "fr": "Ministère fédéral des Affaires étrangères"}, url: "https://www.auswaertiges-amt.de"},
		{kind: "supporting_partner", name: i18n.Text{"en": "Strong Cities Network"}, url: "https://strongcitiesnetwork.org"},
		{kind: "supporting_partner", name: i18n.Text{"en": "Mayors for Peace", "de": "Bürgermeister für den Frieden", "fr": "Maires pour la paix"}, url: "https://www.mayorsforpeace.org"},
		{kind: "supporting_partner", name: i18n.Text{"en": "EUROCITIES"}, url: "https://eurocities.eu"},
		{kind: "supporting_partner", name: i18n.Text{"en": "UNESCO's International Coalition of Inclusive and Sustainable Cities (ICCAR)", "de": "Internationale Koalition inklusiver und nachhaltiger Städte der UNESCO (ICCAR)", "fr": "Coalition internationale des villes inclusives et durables de l'UNESCO (ICCAR)"}, url: "https://www.unesco.org"},
		{kind: "supporting_partner", name: i18n.Text{"en": "OECD Champion Mayors Initiative", "de": "OECD-Initiative Champion Mayors", "fr": "Initiative des maires champions de l'OCDE"}, url: "https://www.oecd.org"},
		{kind: "media_partner", name: i18n.Text{"en": "Düsseldorf Marketing"}, url: "https://www.visitduesseldorf.de"},
		{kind: "media_partner", name: i18n.Text{"en": "WirtschaftsWoche"}, url: "https://www.wiwo.de"},
	},
}

var summit2027 = demoSummit{
	number: 3, host: "strasbourg", tz: "Europe/Paris", start: "2027-06-09", end: "2027-06-11", status: summit.StatusOpen, maxDelegations: 11, bidsOpen: true,
	title: i18n.Text{"en": "Third Summit on Living Together", "de": "Dritter Gipfel zum Zusammenleben", "fr": "Troisième Sommet sur le vivre ensemble"},
	theme: i18n.Text{"en": "Neighbours in a changing city", "de": "Nachbarschaft in der Stadt im Wandel", "fr": "Voisins dans une ville qui change"},
	desc: i18n.Text{
		"en": "(Demo) The third summit brings the member cities to Strasbourg to compare how neighbourhoods keep together while the city around them changes. Registration is open; as places are limited, later registrations join a waiting list.",
		"de": "(Demo) Der dritte Gipfel führt die Mitgliedsstädte nach Straßburg, um zu vergleichen, wie Nachbarschaften zusammenhalten, während sich die Stadt um sie herum verändert. Die Anmeldung ist offen; da die Plätze begrenzt sind, kommen spätere Anmeldungen auf eine Warteliste.",
		"fr": "(Démo) Le troisième sommet réunit les villes membres à Strasbourg pour comparer comment les quartiers restent soudés pendant que la ville change autour d'eux. Les inscriptions sont ouvertes ; les places étant limitées, les inscriptions tardives rejoignent une liste d'attente.",
	},
	venues: []demoVenue{
		{key: "centre", name: i18n.Text{"en": "Strasbourg City Hall (Centre administratif)", "de": "Rathaus Straßburg (Centre administratif)", "fr": "Centre administratif de la Ville de Strasbourg"},
			address: "1 Parc de l'Étoile, 67000 Strasbourg", lat: 48.5769, lon: 7.7488},
		{key: "pmc", name: i18n.Text{"en": "Palais de la Musique et des Congrès", "de": "Palais de la Musique et des Congrès", "fr": "Palais de la Musique et des Congrès"},
			address: "Place de Bordeaux, 67000 Strasbourg", lat: 48.5944, lon: 7.7560},
	},
	sessions: []demoSession{
		{kind: "reception", start: "2027-06-09T17:00", end: "2027-06-09T19:00", venue: "centre", langs: "fr,de,en", interp: "de,en,fr",
			title: i18n.Text{"en": "Welcome reception", "de": "Empfang zur Begrüßung", "fr": "Réception d'accueil"}},
		{kind: "plenary", start: "2027-06-10T09:00", end: "2027-06-10T10:30", venue: "pmc", room: "Salle Érasme", langs: "fr,en", interp: "de,en,fr",
			title: i18n.Text{"en": "Opening plenary: ten years of the Observatory", "de": "Eröffnungsplenum: zehn Jahre Observatorium", "fr": "Plénière d'ouverture : dix ans d'Observatoire"}},
		{kind: "workshop", start: "2027-06-10T11:00", end: "2027-06-10T12:30", venue: "pmc", room: "Salle Schweitzer", langs: "en", interp: "fr", capacity: 30,
			title: i18n.Text{"en": "Housing that keeps neighbours together", "de": "Wohnen, das Nachbarschaften zusammenhält", "fr": "Un logement qui garde les voisins ensemble"}},
		{kind: "workshop", start: "2027-06-10T11:00", end: "2027-06-10T12:30", venue: "pmc", room: "Salle Marie Curie", langs: "fr", interp: "en", capacity: 30,
			title: i18n.Text{"en": "Public space for everyone", "de": "Öffentlicher Raum für alle", "fr": "L'espace public pour toutes et tous"}},
		{kind: "ceremony", start: "2027-06-10T18:00", end: "2027-06-10T19:30", venue: "pmc", room: "Salle Érasme", langs: "fr,en", interp: "de,en,fr",
			title: i18n.Text{"en": "Naming of the Capital of Living Together", "de": "Ernennung der Hauptstadt des Zusammenlebens", "fr": "Désignation de la capitale du vivre ensemble"}},
		{kind: "press_conference", start: "2027-06-11T11:00", end: "2027-06-11T12:00", venue: "centre", langs: "fr,en", interp: "de,en,fr",
			title: i18n.Text{"en": "Closing press conference", "de": "Abschlusspressekonferenz", "fr": "Conférence de presse de clôture"}},
	},
}

type demoPerson struct {
	name, role string
	consent    bool
}

// Names the sources give for 2019; other heads are the city's mayor from
// the directory, or "(demo) Mayor of …" where the directory has none.
var heads2019 = map[string]demoPerson{
	"dusseldorf":  {"Tobias Gerlach", "mayor", true},
	"warsaw":      {"Krzysztof Lewandowicz", "deputy_mayor", true},
	"ouagadougou": {"Issa Kaboré", "mayor", true},
	// Irina Dobrescu, vice-chair of Montréal's executive committee, led its delegation.
	"montreal": {"Irina Dobrescu", "deputy_mayor", true},
	"kolkata":  {"(demo) Deputy Mayor of Kolkata", "deputy_mayor", true},
	"palermo":  {"(demo) Deputy Mayor for Culture of Palermo", "deputy_mayor", true},
	"moscow":   {"(demo) Deputy Mayor of Moscow", "deputy_mayor", true},
	"glasgow":  {"(demo) Depute Lord Provost of Glasgow", "deputy_mayor", true},
}

// The 2019 summit: the signatory cities; three of them could not get a
// place (two still waiting when registration closed, one declined) and
// signed the declaration later.
var (
	signatories2019 = []string{"abidjan", "algiers", "arnhem", "bamako", "bijeljina", "carthage", "chemnitz", "chernivtsi", "dhaka-north",
		"drummondville", "dusseldorf", "gatineau", "glasgow", "haifa", "izmir", "kolkata", "libreville", "malaga", "marrakesh", "montreal",
		"moscow", "mostar", "new-york", "ouagadougou", "palermo", "porto-novo", "rabat", "reading", "sceaux", "strasbourg", "toulouse",
		"tunis", "warsaw", "venlo", "vienna"}
	waiting2019  = []string{"reading", "carthage"}
	declined2019 = map[string]string{"libreville": "Registered after the summit was full and the waiting list had closed; the city is welcome to sign the declaration afterwards."}
	// Delegations that brought a deputy mayor as well as their head.
	deputies2019 = []string{"abidjan", "tunis", "rabat", "strasbourg", "new-york", "izmir"}
	// Experts beyond each delegation's adviser.
	experts2019 = map[string]string{"kolkata": "(demo) Public health adviser, Kolkata", "dhaka-north": "(demo) Urban planner, Dhaka North",
		"toulouse": "(demo) Social cohesion officer, Toulouse", "venlo": "(demo) Health programme lead, Venlo"}
	founders2015 = []string{"abidjan", "bamako", "casablanca", "drummondville", "gatineau", "montreal", "ouagadougou", "rabat", "strasbourg", "toulouse", "tunis"}
)

// The third summit's registrations (demo): confirmed, pending, one place
// offered from the waiting list, three waiting and one declined.
var delegations2027 = []struct{ city, state, reason string }{
	{"montreal", summit.StateConfirmed, ""}, {"dusseldorf", summit.StateConfirmed, ""}, {"warsaw", summit.StateConfirmed, ""},
	{"ouagadougou", summit.StateConfirmed, ""}, {"kolkata", summit.StateConfirmed, ""}, {"toulouse", summit.StateConfirmed, ""},
	{"dhaka-north", summit.StateConfirmed, ""}, {"gatineau", summit.StateConfirmed, ""},
	{"vienna", summit.StatePending, ""}, {"izmir", summit.StatePending, ""},
	{"sceaux", summit.StateOffered, ""},
	{"glasgow", summit.StateWaiting, ""}, {"haifa", summit.StateWaiting, ""}, {"malaga", summit.StateWaiting, ""},
	{"mostar", summit.StateDeclined, "The head of delegation named is neither a mayor nor a deputy mayor. Please ask the secretariat to reopen the registration with the mayor or a deputy."},
}

type demoBid struct {
	city, start, end, venue, state, lang string
	statement                            i18n.Text
}

// Bids to host the third summit (made at the second) and the fourth (open now).
var (
	bids2019 = []demoBid{
		{city: "strasbourg", start: "2027-06-09", end: "2027-06-11", venue: "Palais de la Musique et des Congrès, Place de Bordeaux, Strasbourg", state: summit.BidChosen, lang: "fr",
			statement: i18n.Text{"fr": "(Démo) Ville membre fondatrice, Strasbourg propose d'accueillir le troisième sommet au cœur de l'Europe, dix ans après Montréal.", "en": "(Demo) A founding member, Strasbourg offers to host the third summit at the heart of Europe, ten years after Montréal.", "de": "(Demo) Als Gründungsmitglied bietet Straßburg an, den dritten Gipfel im Herzen Europas auszurichten, zehn Jahre nach Montréal."}},
		{city: "rabat", start: "2027-10-13", end: "2027-10-15", venue: "(demo) Congress centre, Rabat", state: summit.BidNotChosen, lang: "fr",
			statement: i18n.Text{"fr": "(Démo) Rabat propose d'accueillir le sommet pour la première fois en Afrique.", "en": "(Demo) Rabat offers to bring the summit to Africa for the first time.", "de": "(Demo) Rabat bietet an, den Gipfel zum ersten Mal nach Afrika zu holen."}},
	}
	bids2027 = []demoBid{
		{city: "porto-novo", start: "2029-11-14", end: "2029-11-16", venue: "(demo) Palais des congrès, Porto-Novo", state: summit.BidSubmitted, lang: "fr",
			statement: i18n.Text{"fr": "(Démo) Capitale du Bénin et ville de nombreuses cultures, Porto-Novo souhaite montrer comment le vivre ensemble se construit au quotidien dans ses quartiers.", "en": "(Demo) Benin's capital and a city of many cultures, Porto-Novo wants to show how living together is built day by day in its neighbourhoods.", "de": "(Demo) Als Hauptstadt Benins und Stadt vieler Kulturen möchte Porto-Novo zeigen, wie Zusammenleben in seinen Vierteln Tag für Tag entsteht."}},
		{city: "glasgow", start: "2029-09-05", end: "2029-09-07", venue: "(demo) City Chambers, George Square, Glasgow", state: summit.BidSubmitted, lang: "en",
			statement: i18n.Text{"en": "(Demo) Glasgow offers its experience of welcoming people seeking refuge, and a summit close to its neighbourhoods."}},
		{city: "haifa", start: "2029-05-15", end: "2029-05-17", venue: "(demo) Congress centre, Haifa", state: summit.BidSubmitted, lang: "en",
			statement: i18n.Text{"en": "(Demo) Haifa proposes a summit that opens on 16 May, the International Day of Living Together in Peace.", "de": "(Demo) Haifa schlägt einen Gipfel vor, der am 16. Mai beginnt, dem Internationalen Tag des friedlichen Zusammenlebens."}},
	}
)

type demoCityRow struct {
	id         int64
	name       string
	mayors     []termedName
	population int64
}

// termedName is a person in an office from start to end (YYYY or
// YYYY-MM-DD; "" is open).
type termedName struct{ name, start, end string }

// loadSummits loads the three summits, in one transaction, after the cities.
func loadSummits(ctx context.Context, d *db.DB) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		cities, err := demoCityRows(ctx, tx)
		if err != nil {
			return err
		}
		l := &summitLoader{ctx: ctx, tx: tx, cities: cities, now: db.Now()}
		s1, err := l.summit(summit2015)
		if err != nil {
			return err
		}
		for _, c := range founders2015 {
			if err := l.delegation(s1, c, summit.StateConfirmed, "", l.standardPeople(c, "2015-06-10", true, false, ""), false); err != nil {
				return err
			}
		}
		s2, err := l.summit(summit2019)
		if err != nil {
			return err
		}
		for i, c := range signatories2019 {
			state, reason := summit.StateConfirmed, declined2019[c]
			if slices.Contains(waiting2019, c) {
				state = summit.StateWaiting
			} else if reason != "" {
				state = summit.StateDeclined
			}
			people := l.standardPeople(c, "2019-08-30", true, slices.Contains(deputies2019, c), experts2019[c])
			if p, ok := heads2019[c]; ok {
				people[0] = p
			}
			if c == "dusseldorf" {
				people = append(people, demoPerson{"Lena Hartkamp", "official", true})
			}
			// Two people did not come in the end: their badges were never scanned.
			checkedIn := state == summit.StateConfirmed && i%17 != 5
			if err := l.delegation(s2, c, state, reason, people, checkedIn); err != nil {
				return err
			}
		}
		if err := l.signups2019(s2); err != nil {
			return err
		}
		if err := l.bids(s2, bids2019); err != nil {
			return err
		}
		s3, err := l.summit(summit2027)
		if err != nil {
			return err
		}
		for _, r := range delegations2027 {
			if err := l.delegation(s3, r.city, r.state, r.reason, l.standardPeople(r.city, "2027-06-09", r.city != "sceaux", false, ""), false); err != nil {
				return err
			}
		}
		return l.bids(s3, bids2027)
	})
}

func demoCityRows(ctx context.Context, tx *sql.Tx) (map[string]demoCityRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.slug, c.name, c.population FROM cities c`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]demoCityRow{}
	for rows.Next() {
		var r demoCityRow
		var slug string
		if err := rows.Scan(&r.id, &slug, &r.name, &r.population); err != nil {
			return nil, err
		}
		out[slug] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	mayors, err := tx.QueryContext(ctx, `SELECT c.slug, p.name, COALESCE(p.term_start, ''), COALESCE(p.term_end, '') FROM city_people p
		JOIN cities c ON c.id = p.city_id WHERE p.role = 'mayor' ORDER BY p.position, p.id`)
	if err != nil {
		return nil, err
	}
	defer mayors.Close()
	for mayors.Next() {
		var slug string
		var m termedName
		if err := mayors.Scan(&slug, &m.name, &m.start, &m.end); err != nil {
			return nil, err
		}
		r := out[slug]
		r.mayors = append(r.mayors, m)
		out[slug] = r
	}
	return out, mayors.Err()
}

type summitLoader struct {
	ctx    context.Context
	tx     *sql.Tx
	cities map[string]demoCityRow
	now    time.Time
	seq    int
}

type loadedSummit struct {
	id       int64
	loc      *time.Location
	start    time.Time
	sessions []int64 // with a capacity, in programme order
}

func (l *summitLoader) city(slug string) (demoCityRow, error) {
	c, ok := l.cities[slug]
	if !ok {
		return c, fmt.Errorf("demo summits: no city %q", slug)
	}
	return c, nil
}

func (l *summitLoader) summit(ds demoSummit) (*loadedSummit, error) {
	host, err := l.city(ds.host)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(ds.tz)
	if err != nil {
		return nil, err
	}
	s := &loadedSummit{loc: loc}
	s.start, _ = time.ParseInLocation("2006-01-02", ds.start, loc)
	var maxDel any
	if ds.maxDelegations > 0 {
		maxDel = ds.maxDelegations
	}
	err = l.tx.QueryRowContext(l.ctx, `INSERT INTO summits (number, title, theme, description, source_lang, host_city_id, timezone, starts_on, ends_on,
		status, max_delegations, offer_hours, bids_open, website, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'en', $5, $6, $7, $8, $9, $10, 72, $11, $12, $13, $13) RETURNING id`,
		ds.number, ds.title, ds.theme, ds.desc, host.id, ds.tz, ds.start, ds.end, ds.status, maxDel, ds.bidsOpen, ds.website, l.now).Scan(&s.id)
	if err != nil {
		return nil, fmt.Errorf("demo summit %d: %w", ds.number, err)
	}
	venues := map[string]int64{}
	for i, v := range ds.venues {
		var id int64
		if err := l.tx.QueryRowContext(l.ctx, `INSERT INTO summit_venues (summit_id, name, address, lat, lon, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			s.id, v.name, v.address, v.lat, v.lon, i+1).Scan(&id); err != nil {
			return nil, err
		}
		venues[v.key] = id
	}
	speakers := map[string]int64{}
	for i, sp := range ds.speakers {
		var cityID any
		if sp.city != "" {
			c, err := l.city(sp.city)
			if err != nil {
				return nil, err
			}
			cityID = c.id
		}
		var id int64
		if err := l.tx.QueryRowContext(l.ctx, `INSERT INTO summit_speakers (summit_id, name, role, affiliation, city_id, bio, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.id, sp.name, sp.role, sp.affiliation, cityID, sp.bio, i+1).Scan(&id); err != nil {
			return nil, err
		}
		speakers[sp.key] = id
	}
	for _, x := range ds.sessions {
		start, err1 := time.ParseInLocation("2006-01-02T15:04", x.start, loc)
		end, err2 := time.ParseInLocation("2006-01-02T15:04", x.end, loc)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("demo session %q: bad time", x.title["en"])
		}
		var venue, capacity any
		if x.venue != "" {
			venue = venues[x.venue]
		}
		if x.capacity > 0 {
			capacity = x.capacity
		}
		var id int64
		if err := l.tx.QueryRowContext(l.ctx, `INSERT INTO summit_sessions (summit_id, kind, title, description, starts_at, ends_at, venue_id, room,
			languages, interpretation, capacity, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
			s.id, x.kind, x.title, x.desc, start.UTC(), end.UTC(), venue, x.room, x.langs, x.interp, capacity, l.now).Scan(&id); err != nil {
			return nil, err
		}
		if x.capacity > 0 {
			s.sessions = append(s.sessions, id)
		}
		for i, key := range x.speakers {
			if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_session_speakers (session_id, speaker_id, position) VALUES ($1, $2, $3)`,
				id, speakers[key], i); err != nil {
				return nil, err
			}
		}
	}
	for i, p := range ds.partners {
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_partners (summit_id, kind, name, url, position) VALUES ($1, $2, $3, $4, $5)`,
			s.id, p.kind, p.name, p.url, i+1); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// mayorOn is the city's mayor in office on day (YYYY-MM-DD), or "".
func (r demoCityRow) mayorOn(day string) string {
	for _, m := range r.mayors {
		if (m.start == "" || m.start <= day) && (m.end == "" || m.end >= day[:min(len(m.end), len(day))]) {
			return m.name
		}
	}
	return ""
}

// standardPeople is a delegation's head (the city's mayor on the summit's
// first day, never a former one, or a demo
// placeholder), with an adviser, and a deputy mayor and an expert if asked.
func (l *summitLoader) standardPeople(slug, day string, adviser, deputy bool, expert string) []demoPerson {
	c := l.cities[slug]
	head := c.mayorOn(day)
	if head == "" || strings.HasPrefix(head, "(demo)") {
		head = "(demo) Mayor of " + c.name
	}
	people := []demoPerson{{head, "mayor", true}}
	if deputy {
		people = append(people, demoPerson{"(demo) Deputy Mayor of " + c.name, "deputy_mayor", true})
	}
	if adviser {
		l.seq++
		// Every third adviser did not agree to be listed by name.
		people = append(people, demoPerson{"(demo) International Relations Adviser, " + c.name, "official", l.seq%3 != 0})
	}
	if expert != "" {
		people = append(people, demoPerson{expert, "expert", true})
	}
	return people
}

func (l *summitLoader) delegation(s *loadedSummit, slug, state, reason string, people []demoPerson, checkedIn bool) error {
	c, err := l.city(slug)
	if err != nil {
		return err
	}
	// Registered a few weeks before the summit, the waiting list in the order given.
	l.seq++
	at := s.start.AddDate(0, 0, -60).Add(time.Duration(l.seq) * time.Hour).UTC()
	if at.After(l.now) {
		at = l.now.Add(-time.Duration(100-l.seq%100) * time.Hour)
	}
	var queued, expires any
	if state == summit.StateWaiting {
		queued = at
	}
	if state == summit.StateOffered {
		expires = l.now.Add(48 * time.Hour)
	}
	var id int64
	if err := l.tx.QueryRowContext(l.ctx, `INSERT INTO summit_delegations (summit_id, city_id, state, reason, queued_at, offer_expires_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, s.id, c.id, state, reason, queued, expires, at).Scan(&id); err != nil {
		return fmt.Errorf("demo delegation %s: %w", slug, err)
	}
	if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_delegation_events (delegation_id, at, state) VALUES ($1, $2, 'pending')`, id, at); err != nil {
		return err
	}
	if state != summit.StatePending {
		decided := at.Add(72 * time.Hour)
		if decided.After(l.now) {
			decided = l.now
		}
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_delegation_events (delegation_id, at, state, reason) VALUES ($1, $2, $3, $4)`,
			id, decided, state, reason); err != nil {
			return err
		}
	}
	for i, p := range people {
		var checked any
		if checkedIn {
			checked = s.start.Add(14*time.Hour + time.Duration(i*7+l.seq%40)*time.Minute).UTC()
		}
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_delegates (delegation_id, summit_id, is_head, name, role, consent, badge_token, feed_token,
			checked_in_at, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
			id, s.id, i == 0, p.name, p.role, p.consent, summit.NewToken(), summit.NewToken(), checked, i, at); err != nil {
			return fmt.Errorf("demo delegate %s: %w", p.name, err)
		}
	}
	return nil
}

// signups2019 puts each head of a confirmed delegation on the bus tour and
// in one workshop, in turn, within each session's seats.
func (l *summitLoader) signups2019(s *loadedSummit) error {
	rows, err := l.tx.QueryContext(l.ctx, `SELECT p.id FROM summit_delegates p JOIN summit_delegations d ON d.id = p.delegation_id
		WHERE p.summit_id = $1 AND d.state = 'confirmed' AND p.is_head = TRUE ORDER BY p.id`, s.id)
	if err != nil {
		return err
	}
	var heads []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		heads = append(heads, id)
	}
	rows.Close()
	if len(s.sessions) < 2 {
		return nil
	}
	tour, workshops := s.sessions[0], s.sessions[1:]
	for i, h := range heads {
		for _, sid := range []int64{tour, workshops[i%len(workshops)]} {
			if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_signups (session_id, delegate_id, created_at) VALUES ($1, $2, $3)`, sid, h, l.now); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *summitLoader) bids(s *loadedSummit, bids []demoBid) error {
	for i, b := range bids {
		c, err := l.city(b.city)
		if err != nil {
			return err
		}
		at := l.now.Add(-time.Duration(len(bids)-i) * 24 * time.Hour)
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO summit_bids (summit_id, city_id, proposed_start, proposed_end, venue, statement, source_lang,
			state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			s.id, c.id, b.start, b.end, b.venue, b.statement, b.lang, b.state, at); err != nil {
			return err
		}
	}
	return nil
}
