package demo

import (
	"context"
	"fmt"

	"observatory/internal/db"
	"observatory/internal/i18n"
	"observatory/internal/practice"
)

// Demo practices: projects of the kind the network's cities presented at
// the Düsseldorf summit of 2019, written for this platform. The four the
// source names are here — the school where children who were often ill
// now learn in good health, the bleak square turned into a meeting place
// ("places first, buildings second"), affordable housing in every
// district (Düsseldorf) and the welcome of people who flee violence
// (Ouagadougou) — with others spread over the themes, the cities and the
// three languages. Figures in them are illustrations, not statistics.
type demoPractice struct {
	city     string // slug
	rec      practice.Record
	state    string // "" published, "submitted", "draft"
	revision *practice.Record
}

func tx(de, en, fr string) i18n.Text {
	out := i18n.Text{}
	for l, v := range map[string]string{"de": de, "en": en, "fr": fr} {
		if v != "" {
			out[l] = v
		}
	}
	return out
}

// loadPractices publishes the demo practices, after the cities.
func loadPractices(ctx context.Context, d *db.DB) error {
	s := practice.NewStore(d)
	s.SkipRelated = true
	a := practice.Actor{Email: "demo"}
	for _, p := range demoPractices() {
		var cityID int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM cities WHERE slug = $1`, p.city).Scan(&cityID); err != nil {
			return fmt.Errorf("demo practice %q: city %s: %w", p.rec.Title[p.rec.Lang], p.city, err)
		}
		p.rec.CityID = cityID
		id, err := s.Create(ctx, a, p.rec)
		if err != nil {
			return fmt.Errorf("demo practice %q: %w", p.rec.Title[p.rec.Lang], err)
		}
		switch p.state {
		case "draft":
			continue
		case "submitted":
			if err := s.Submit(ctx, a, id); err != nil {
				return fmt.Errorf("demo practice %q: %w", p.rec.Title[p.rec.Lang], err)
			}
			continue
		}
		if err := s.Publish(ctx, a, id); err != nil {
			return fmt.Errorf("demo practice %q: %w", p.rec.Title[p.rec.Lang], err)
		}
		if p.revision != nil {
			// A revision waiting for review while the published version stays up.
			p.revision.CityID = cityID
			w, err := s.Work(ctx, id)
			if err != nil {
				return err
			}
			if _, err := s.Save(ctx, a, id, w.HeadNumber, *p.revision); err != nil {
				return err
			}
			if err := s.Submit(ctx, a, id); err != nil {
				return err
			}
		}
	}
	s.SkipRelated = false
	return s.RebuildRelated(ctx, nil)
}

func demoPractices() []demoPractice {
	list := []demoPractice{
		{city: "toulouse", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Eine Schule, in der Kinder gesund lernen", "A school where children learn in good health", "Une école où les enfants apprennent en bonne santé"),
			Summary: tx("Kinder, die oft krank und unruhig waren, lernen heute ausgeruht und gesund: Die Schule kocht frisch, bewegt sich jeden Tag und arbeitet mit Ärzten und Eltern zusammen.", "Children who were often ill and restless now learn rested and healthy: the school cooks fresh meals, moves every day and works with doctors and parents.", "Des enfants souvent malades et agités apprennent aujourd’hui reposés et en bonne santé : l’école cuisine des repas frais, bouge chaque jour et travaille avec les médecins et les parents."),
			Body: tx("", "", `Dans un quartier où beaucoup de familles vivent avec peu de moyens, les enseignants voyaient des enfants fatigués, souvent malades, qui avaient du mal à se concentrer. L’école a décidé de traiter la santé comme une matière à part entière.

**Ce qui a changé dans la journée d’école**

- un petit-déjeuner servi à tous les élèves avant la première heure ;
- une cantine qui cuisine sur place avec des produits frais, en partie venus du jardin de l’école ;
- trente minutes de mouvement chaque jour, dans la cour ou au gymnase ;
- une infirmière présente deux matinées par semaine, et un médecin scolaire qui reçoit les familles ;
- des salles aérées et plus calmes, avec des coins de repos.

Les parents sont invités une fois par mois à cuisiner avec les enfants. Les recettes circulent en plusieurs langues.`),
			Results:  tx("", "", "Après trois ans, les absences pour maladie ont nettement baissé et les enseignants décrivent des classes plus calmes. Le suivi de l’infirmière montre moins de caries et de retards de vaccination."),
			Transfer: tx("", "", "Il faut une cantine qui puisse cuisiner sur place (ou une cuisine centrale proche), un accord avec le service de santé scolaire et une équipe enseignante qui accepte de réorganiser l’emploi du temps. Le coût principal est celui des repas et du personnel de cuisine."),
			Lessons:  tx("", "", "Associer les parents dès le début : la cuisine partagée a fait plus pour la confiance que toutes les réunions."),
			Themes:   []string{"education", "health"}, Groups: []string{"children", "families"},
			Start: "2016-09", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "50k-250k",
			Partners: []string{"Service de santé scolaire", "Association des parents d’élèves"}, Funders: []string{"Ville de Toulouse", "Caisse d’allocations familiales"},
			Contact: practice.Contact{Name: "(démo) Direction de l’éducation", Role: "Mairie de Toulouse"},
			Trans:   map[string]map[string]string{"summary": {"de": practice.Outdated}},
		}},
		{city: "hamburg", rec: practice.Record{
			Lang:    "de",
			Title:   tx("Vom tristen Platz zum lebendigen Treffpunkt", "From a bleak square to a lively meeting place", "D’une place triste à un lieu de rencontre animé"),
			Summary: tx("Erst die Plätze, dann die Gebäude: Ein leerer, zugiger Platz wurde gemeinsam mit der Nachbarschaft zu einem Ort, an dem sich Menschen gern aufhalten.", "Places first, buildings second: an empty, draughty square was turned, together with the neighbours, into a place where people like to stay.", "D’abord les places, ensuite les bâtiments : une place vide et venteuse est devenue, avec les habitants, un lieu où l’on aime s’arrêter."),
			Body: tx(`Der Platz vor dem Einkaufszentrum war groß, gepflastert und leer. Wer konnte, ging schnell darüber hinweg. Statt neue Gebäude zu planen, hat die Stadt zuerst gefragt, wie der Platz genutzt werden soll – und es ausprobiert.

**Vorgehen**

1. Ein Sommer lang standen mobile Stühle, Pflanzkübel und ein Kiosk auf dem Platz. Ein Team zählte, wer wann wo saß.
2. In Werkstätten mit Nachbarn, Schulen und Geschäftsleuten entstanden Wünsche: Schatten, Wasser, Spielen, Sitzen ohne etwas kaufen zu müssen.
3. Erst danach wurde umgebaut: Bäume, ein Wasserspiel, Bänke in der Sonne und im Schatten, eine kleine Bühne.

Die Gebäude am Rand folgten dem Platz: Erdgeschosse mit Cafés und einer Stadtteilbibliothek öffnen sich zu ihm hin.`, "", ""),
			Results:  tx("Zählungen zeigen, dass sich an einem Sommertag viermal so viele Menschen auf dem Platz aufhalten wie vorher, darunter deutlich mehr Kinder und ältere Menschen.", "", ""),
			Transfer: tx("Übertragbar ist vor allem die Reihenfolge: erst beobachten und mit einfachen, günstigen Mitteln testen, dann bauen. Nötig sind ein Jahr Geduld und ein Budget für die Testphase.", "", ""),
			Lessons:  tx("Bänke ohne Konsumzwang sind das wichtigste Möbel eines Platzes.", "", ""),
			Themes:   []string{"public-space", "participation"}, Groups: []string{"neighbourhood", "older-people", "children"},
			Start: "2015-05", End: "2019-10", Status: "completed", Evidence: "evaluated", Budget: "gt1m",
			Partners: []string{"Bezirksamt", "Stadtteilbeirat", "Gehl Architects (Beratung)"},
			Links:    []practice.Link{{URL: "https://gehlpeople.com", Label: "Gehl – Making cities for people"}},
		}},
		{city: "dusseldorf", rec: practice.Record{
			Lang:    "de",
			Title:   tx("Bezahlbares Wohnen in allen Stadtteilen", "Affordable housing in every district", "Des logements abordables dans tous les quartiers"),
			Summary: tx("Jeder Stadtteil soll Wohnungen haben, die sich auch eine Polizistin und ein Erzieher leisten können. Bei jedem größeren Neubau ist ein fester Anteil gefördert oder preisgedämpft.", "Every district should have homes that a police officer or a nursery teacher can afford. Every larger new building includes a fixed share of subsidised or price-capped flats.", "Chaque quartier doit avoir des logements qu’une policière ou un éducateur peuvent payer. Chaque grand projet neuf comprend une part fixe de logements aidés ou à loyer modéré."),
			Body: tx(`Düsseldorf wächst, und die Mieten sind gestiegen. Damit Menschen mit normalen Einkommen nicht an den Stadtrand ziehen müssen, gilt für größere Neubauvorhaben ein Handlungskonzept Wohnen: Ein fester Anteil der Wohnungen wird öffentlich gefördert, ein weiterer Teil zu gedämpften Mieten angeboten.

So entstehen bezahlbare Wohnungen nicht in einzelnen Siedlungen, sondern verteilt über alle Stadtteile – auch dort, wo die Lagen teuer sind. Die Stadt vergibt eigene Grundstücke bevorzugt an Genossenschaften und Projekte, die dauerhaft bezahlbar bleiben.

> „Ich fühle mich einfach wohler in einem Stadtteil, wo es auch noch Wohnungen gibt, die sich auch eine Polizistin und ein Erzieher noch leisten können.“ – Oberbürgermeister Tobias Gerlach beim Gipfel 2019`,
				`Düsseldorf is growing and rents have risen. So that people on ordinary incomes are not pushed to the edge of the city, larger new housing projects follow a housing plan: a fixed share of the homes is publicly subsidised, another share is let at capped rents.

Affordable homes are therefore not built in separate estates but spread across every district – including the expensive ones. The city prefers to sell its own land to cooperatives and projects that stay affordable for good.`, ""),
			Results:  tx("Seit Einführung der Quote sind in allen Stadtbezirken geförderte Wohnungen entstanden, auch in Lagen, in denen es vorher keine gab.", "Since the quota was introduced, subsidised homes have been built in every borough, including areas that had none before.", ""),
			Transfer: tx("Nötig sind ein Ratsbeschluss, der die Quote für alle Vorhaben verbindlich macht, und eine Liegenschaftspolitik, die Grundstücke nach Konzept statt nach Höchstgebot vergibt.", "", ""),
			Lessons:  tx("Eine Quote wirkt nur, wenn sie für alle gilt – Ausnahmen sprechen sich schnell herum.", "", ""),
			Themes:   []string{"housing", "inclusion"}, Groups: []string{"families", "everyone"},
			Start: "2013", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "gt1m",
			Partners: []string{"Wohnungsbaugenossenschaften", "Städtische Wohnungsgesellschaft"},
			Contact:  practice.Contact{Name: "(Demo) Amt für Wohnungswesen", Role: "Landeshauptstadt Düsseldorf"},
			Videos:   []practice.Link{{URL: "https://www.youtube.com/stadtduesseldorf", Label: "Videos der Stadt Düsseldorf"}},
		}},
		{city: "ouagadougou", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Accueillir dans la ville les personnes qui fuient la violence", "Welcoming people who flee violence into the city", "Menschen aufnehmen, die vor Gewalt in die Stadt fliehen"),
			Summary: tx("", "Families fleeing attacks in the countryside arrive in the capital. The city registers them, finds them shelter with host families and in public buildings, and brings them into schools and health centres.", "Des familles qui fuient les attaques dans les campagnes arrivent dans la capitale. La ville les recense, les loge chez des familles d’accueil et dans des bâtiments publics, et les inscrit dans les écoles et les centres de santé."),
			Body: tx("", `Since 2016, violence in several regions of Burkina Faso has driven hundreds of thousands of people from their villages. Many come to Ouagadougou, often to relatives who already live in crowded homes.

The city set up a welcome desk in each district hall. Volunteers from the neighbourhood committees register new arrivals, note what they need and direct them to host families, to schools and to the health centre. Children are enrolled in the nearest school even without papers. Women's associations organise meals and small jobs.`,
				`Depuis 2016, la violence dans plusieurs régions du Burkina Faso a chassé des centaines de milliers de personnes de leurs villages. Beaucoup arrivent à Ouagadougou, souvent chez des parents qui vivent déjà à l’étroit.

La ville a ouvert un guichet d’accueil dans chaque mairie d’arrondissement. Des bénévoles des comités de quartier recensent les nouveaux arrivants, notent leurs besoins et les orientent vers des familles d’accueil, les écoles et le centre de santé. Les enfants sont inscrits dans l’école la plus proche, même sans papiers. Les associations de femmes organisent des repas et de petits travaux.

« Les gens fuient ici devant la violence. C’est un grand défi », disait le maire Issa Kaboré au sommet de Düsseldorf en 2019.`),
			Results:  tx("", "", "Les arrondissements disposent désormais d’un registre commun ; les écoles ont accueilli des milliers d’enfants déplacés et les tensions avec les familles hôtes ont diminué grâce à la médiation des comités."),
			Transfer: tx("", "", "L’essentiel ne coûte pas cher : des comités de quartier formés, un registre simple et l’accord des écoles d’accueillir sans papiers. Il faut en revanche des partenaires pour la nourriture et l’abri."),
			Lessons:  tx("", "", "Aider aussi les familles hôtes : sans elles, rien ne tient."),
			Themes:   []string{"migration", "inclusion", "safety"}, Groups: []string{"refugees", "children", "families"},
			Start: "2019-03", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "50k-250k",
			Partners: []string{"Comités de quartier", "Associations de femmes", "Croix-Rouge burkinabè"},
			Contact:  practice.Contact{Name: "(démo) Service de l’action sociale", Role: "Commune de Ouagadougou"},
		}},
		{city: "montreal", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Ein Willkommensbüro für Neuankommende", "A welcome office for newcomers", "Un bureau d’accueil pour les personnes nouvellement arrivées"),
			Summary: tx("", "The city brings together in one place the help that newcomers need in their first year: housing, French lessons, work, schools.", "La ville réunit en un seul lieu l’aide dont les personnes immigrantes ont besoin la première année : logement, francisation, emploi, écoles."),
			Body: tx("", "", `Arriver dans une grande ville, c’est frapper à dix portes différentes. Le bureau d’intégration regroupe ces portes : une personne nouvellement arrivée y trouve une conseillère qui l’accompagne pendant sa première année.

Les organismes communautaires des quartiers tiennent des permanences dans le bureau. Les bibliothèques offrent des ateliers de conversation en français ; les employeurs présentent des stages. La ville paie une partie des cours et les services de garde pendant les cours.`),
			Results:  tx("", "", "Les personnes accompagnées trouvent plus vite un logement stable et un premier emploi que celles qui ne le sont pas, selon le suivi des organismes partenaires."),
			Transfer: tx("", "", "Une ville peut commencer avec un seul guichet partagé par les organismes existants ; le point clé est la personne de référence qui suit chaque famille."),
			Themes:   []string{"integration", "migration", "employment"}, Groups: []string{"refugees", "families"},
			Start: "2018-06", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "250k-1m",
			Partners: []string{"Organismes communautaires", "Bibliothèques de Montréal"}, Funders: []string{"Ville de Montréal", "Gouvernement du Québec"},
		}},
		{city: "warsaw", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Ein multikulturelles Zentrum für die ganze Stadt", "A multicultural centre for the whole city", "Un centre multiculturel pour toute la ville"),
			Summary: tx("", "A house run with migrant associations offers advice, language courses, a café and a stage, and trains city staff to serve a more diverse population.", "Une maison gérée avec des associations de migrants offre conseils, cours de langue, un café et une scène, et forme le personnel municipal à une population plus diverse."),
			Body: tx("", `Warsaw has become home to many people from Ukraine, Belarus, Vietnam and beyond. The multicultural centre is run by the city together with migrant associations.

- **Advice** in several languages on residence, work and housing;
- **Polish courses** in the evening and at weekends;
- a **café and a stage** where communities present their music, food and films;
- **training** for city staff, teachers and police officers on serving residents of many origins.`, ""),
			Results: tx("", "Thousands of visits a year; the advice desk is now also a place where the city learns what newcomers lack.", ""),
			Lessons: tx("", "Let the associations run the programme: the centre is full because it is theirs.", ""),
			Themes:  []string{"diversity", "culture", "integration"}, Groups: []string{"refugees", "city-staff"},
			Start: "2017", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "250k-1m",
			Partners: []string{"Migrant associations", "Warsaw Public Library"},
		}},
		{city: "dhaka-north", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Gesundheitshelferinnen in dicht bebauten Vierteln", "Health workers in the densest neighbourhoods", "Des agentes de santé dans les quartiers les plus denses"),
			Summary: tx("", "Where eight times as many people live on a square kilometre as in Düsseldorf, women from the neighbourhood visit families, check on mothers and children and link them to clinics.", "Là où vivent huit fois plus de personnes au kilomètre carré qu’à Düsseldorf, des femmes du quartier rendent visite aux familles et les orientent vers les dispensaires."),
			Body: tx("", `In the informal settlements of Dhaka North, households are crowded, water is scarce and the nearest clinic is often far. The city corporation trains women who live in the settlements as health workers.

Each health worker is responsible for a few hundred households. She visits pregnant women and young children, explains hygiene and nutrition, checks vaccination cards and accompanies families to the clinic when needed. Small neighbourhood meetings on the rooftops or in courtyards turn health into a shared concern.`, ""),
			Results:  tx("", "More births are attended by trained staff, and vaccination coverage in the covered areas has risen.", ""),
			Transfer: tx("", "Works wherever trusted local women can be trained and paid; the clinics must be ready for the families the health workers bring.", ""),
			Themes:   []string{"health", "inclusion"}, Groups: []string{"women", "children", "families"},
			Start: "2018-01", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "250k-1m",
		}},
		{city: "kolkata", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Nachbarschaftsfeste, die Gemeinschaften verbinden", "Neighbourhood festivals that bring communities together", "Des fêtes de quartier qui rapprochent les communautés"),
			Summary: tx("", "Neighbourhood clubs that organise the great festivals are asked to open them to every community of the street, with the city's support.", "Les clubs de quartier qui organisent les grandes fêtes les ouvrent à toutes les communautés de la rue, avec l’aide de la ville."),
			Body:    tx("", "In Kolkata, neighbourhood clubs organise the great festivals of the year. The city supports clubs that make their festival a shared one: inviting neighbours of every faith to cook, decorate and perform, and keeping the festival grounds open to all. Awards go to the clubs that include the most residents.", ""),
			Themes:  []string{"culture", "dialogue"}, Groups: []string{"neighbourhood", "everyone"},
			Start: "2017-10", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "50k-250k",
		}},
		{city: "sceaux", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Die Bürger entscheiden über einen Teil des Haushalts", "Residents decide on part of the budget", "Les habitants décident d’une partie du budget"),
			Summary: tx("", "", "Chaque année, une part du budget d’investissement est confiée aux habitants : ils proposent des projets, les services les étudient, tout le monde vote."),
			Body:    tx("", "", "Les habitants, dès 16 ans, déposent leurs idées en ligne ou dans les boîtes de la mairie. Les services vérifient la faisabilité et le coût, puis un vote ouvert à tous désigne les projets réalisés : bancs, jardins partagés, aires de jeux, boîtes à livres. Les lauréats suivent le chantier avec les services."),
			Results: tx("", "", "Plusieurs dizaines de projets réalisés ; la participation au vote progresse d’une édition à l’autre, notamment chez les jeunes."),
			Themes:  []string{"participation"}, Groups: []string{"everyone", "youth"},
			Start: "2016", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "250k-1m",
		}},
		{city: "izmir", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Ein Zentrum für Geflüchtete aus Syrien – und für ihre Nachbarn", "A centre for refugees from Syria – and for their neighbours", "Un centre pour les réfugiés de Syrie – et pour leurs voisins"),
			Summary: tx("", "The municipality opened a centre where refugees and local residents get the same advice, courses and childcare, so that help does not divide the neighbourhood.", "La municipalité a ouvert un centre où réfugiés et habitants reçoivent les mêmes conseils, cours et gardes d’enfants."),
			Body:    tx("", "Izmir is home to many refugees from Syria. The centre offers legal and social advice, Turkish and Arabic courses, vocational training and childcare. It is deliberately open to poor local families as well: mixed courses and joint activities let neighbours meet instead of competing for help.", ""),
			Results: tx("", "Mixed courses are full; the municipality reports fewer complaints between long-time residents and newcomers in the districts around the centre.", ""),
			Themes:  []string{"migration", "integration", "employment"}, Groups: []string{"refugees", "women", "neighbourhood"},
			Start: "2016-11", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "250k-1m",
		}},
		{city: "palermo", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Eine Charta der menschlichen Mobilität", "A charter of human mobility", "Une charte de la mobilité humaine"),
			Summary: tx("", "The city declared that anyone who lives in Palermo is a Palermitan, and turned the principle into services: a council of cultures and culture for all.", "La ville a déclaré que quiconque vit à Palerme est Palermitain, et a traduit ce principe en services."),
			Body:    tx("", "Palermo has long been a crossroads of peoples. Its charter says that mobility is a human right. A Council of Cultures elected by residents of foreign origin advises the city council; museums and theatres run programmes with the communities; the city's culture department supports festivals that tell the city's many histories.", ""),
			Themes:  []string{"migration", "culture", "participation"}, Groups: []string{"refugees", "everyone"},
			Start: "2015", Ongoing: true, Status: "running", Evidence: "anecdotal",
		}},
		{city: "gatineau", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Vorbeugen, bevor sich junge Menschen radikalisieren", "Preventing radicalisation before it starts", "Prévenir la radicalisation avant qu’elle ne commence"),
			Summary: tx("", "", "Une équipe formée de travailleurs de rue, d’enseignants et de policiers repère les jeunes en rupture et leur propose un accompagnement, sans stigmatiser."),
			Body:    tx("", "", "La ville a formé une table de concertation avec les écoles, les services sociaux, la police et les organismes jeunesse. Quand un jeune inquiète son entourage, la table propose un accompagnement individuel : mentorat, activités, soutien aux familles. Les intervenants sont formés à distinguer la colère légitime de l’engagement dans la violence."),
			Lessons: tx("", "", "La confiance des familles se gagne en restant loin des étiquettes."),
			Themes:  []string{"safety", "dialogue"}, Groups: []string{"youth", "families"},
			Start: "2017-02", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "50k-250k",
			Partners: []string{"Strong Cities Network", "Commissions scolaires"},
		}},
		{city: "strasbourg", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Ein Plan gegen Diskriminierung", "A plan against discrimination", "Un plan de lutte contre les discriminations"),
			Summary: tx("", "", "La ville forme ses agents, teste ses propres procédures d’embauche et de logement, et soutient les victimes avec un réseau d’associations."),
			Body:    tx("", "", "Le plan commence par la ville elle-même : des tests de situation sur ses propres procédures, une formation de tous les agents d’accueil, un référent dans chaque direction. Un réseau d’associations accompagne les personnes qui subissent une discrimination, jusqu’au recours s’il le faut."),
			Themes:  []string{"diversity", "inclusion"}, Groups: []string{"city-staff", "everyone"},
			Start: "2014", Ongoing: true, Status: "running", Evidence: "evaluated", Budget: "50k-250k",
		}},
		{city: "vienna", rec: practice.Record{
			Lang:    "de",
			Title:   tx("Gemeindewohnungen für eine gemischte Stadt", "Municipal housing for a mixed city", "Des logements municipaux pour une ville mêlée"),
			Summary: tx("Ein großer Teil der Wiener wohnt in Wohnungen der Stadt oder geförderter Bauträger – verteilt über alle Bezirke und offen für mittlere Einkommen.", "A large share of Vienna's residents live in homes owned by the city or by subsidised housing associations – spread across all districts and open to middle incomes.", ""),
			Body:    tx("Die Stadt baut und verwaltet seit einem Jahrhundert eigene Wohnungen. Weil die Einkommensgrenzen hoch sind, wohnen dort Busfahrerinnen neben Lehrern und Rentnern. Nachbarschaftsservice-Teams begleiten das Zusammenleben in den großen Anlagen: Sie moderieren Konflikte über Lärm und Höfe und organisieren Hoffeste.", "", ""),
			Results: tx("Die Mieten in Wien steigen langsamer als in vergleichbaren Städten; soziale Mischung bleibt in allen Bezirken erhalten.", "", ""),
			Themes:  []string{"housing", "dialogue"}, Groups: []string{"families", "older-people", "everyone"},
			Start: "2010", Ongoing: true, Status: "running", Evidence: "evaluated", Budget: "gt1m",
		}},
		{city: "dusseldorf", rec: practice.Record{
			Lang:    "de",
			Title:   tx("Ein Tag der Vielfalt und Aktionen gegen Rassismus", "A diversity day and action against racism", "Une journée de la diversité et des actions contre le racisme"),
			Summary: tx("Am Internationalen Tag gegen Rassismus am 21. März und am Diversity-Tag im Mai zeigt die Stadt mit Vereinen, Schulen und Unternehmen, wie vielfältig Düsseldorf ist.", "On the International Day against Racism on 21 March and on Diversity Day in May, the city shows with associations, schools and companies how diverse Düsseldorf is.", ""),
			Body:    tx("Die Diversity-Beauftragte der Stadt koordiniert beide Tage. Vereine, Religionsgemeinschaften, Schulen und Unternehmen laden zu Lesungen, Workshops und offenen Türen ein; die Stadtverwaltung selbst bietet Schulungen für ihre Beschäftigten an. In Düsseldorf leben Menschen aus mehr als 170 Staaten – die Aktionstage machen das sichtbar.", "", ""),
			Themes:  []string{"diversity", "culture"}, Groups: []string{"everyone", "city-staff"},
			Start: "2017-03", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "10k-50k",
			Contact: practice.Contact{Name: "Lena Hartkamp", Role: "Diversity-Beauftragte der Landeshauptstadt Düsseldorf"},
		}},
		{city: "dusseldorf", rec: practice.Record{
			Lang:    "de",
			Title:   tx("„Heute Stadt von Morgen denken“: eine Ausstellung, die zuhört", "“Thinking today about the city of tomorrow”: an exhibition that listens", "« Penser aujourd’hui la ville de demain » : une exposition qui écoute"),
			Summary: tx("Videos und Skizzen vom Gipfel 2019 – und Karten, auf die Besucher ihre Wünsche für die Stadt schreiben. Die Stadt wertet sie aus und antwortet.", "Videos and sketches from the 2019 summit – and cards on which visitors write their wishes for the city. The city reads them and answers.", "Des vidéos et des croquis du sommet de 2019 – et des cartes où les visiteurs écrivent leurs souhaits pour la ville."),
			Body:    tx("Nach dem Gipfel zeigte die Stadt die Diskussionen der Delegationen in einer interaktiven Ausstellung: vom 1. bis 7. September im NRW-Forum und vom 9. bis 15. September im Café Europa am Marktplatz. Besucherinnen und Besucher konnten ihre Anregungen und Wünsche für die Zukunft der Großstadt hinterlassen. Die Ideen wurden nach Themen sortiert und an die zuständigen Ämter gegeben.", "", ""),
			Themes:  []string{"participation", "public-space"}, Groups: []string{"everyone"},
			Start: "2019-09-01", End: "2019-09-15", Status: "completed", Evidence: "anecdotal", Budget: "10k-50k",
			Partners: []string{"NRW-Forum", "Café Europa"},
		}},
		{city: "glasgow", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Nachbarn nehmen Geflüchtete auf", "Neighbours who sponsor a refugee family", "Des voisins qui parrainent une famille réfugiée"),
			Summary: tx("", "Groups of residents commit to help one resettled family for a year: finding a flat, school places, a doctor and friends.", "Des groupes d’habitants s’engagent à aider une famille réinstallée pendant un an."),
			Body:    tx("", "Each group of neighbours, often around a church, mosque or club, prepares a home, meets the family at the airport and walks with them through the first year. The city trains the groups and keeps the link with housing and schools.", ""),
			Themes:  []string{"integration", "migration"}, Groups: []string{"refugees", "families", "neighbourhood"},
			Start: "2018-05", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "lt10k",
		}},
		{city: "new-york", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Ein städtischer Ausweis für alle Einwohner", "A city identity card for every resident", "Une carte d’identité municipale pour tous les habitants"),
			Summary: tx("", "A free photo ID issued by the city to anyone who lives there, whatever their immigration status, opens libraries, museums, bank accounts and city services.", "Une carte gratuite délivrée par la ville à toute personne qui y vit, quel que soit son statut."),
			Body:    tx("", "Many residents — homeless people, young people, undocumented immigrants, older people without a driving licence — had no valid ID and were shut out of buildings and services. The municipal card is free, accepted by every city agency and by partner banks, and comes with benefits such as free museum memberships, so that everyone has a reason to carry it and it marks no one.", ""),
			Results: tx("", "More than a million residents hold the card; city agencies accept it everywhere.", ""),
			Themes:  []string{"inclusion", "migration"}, Groups: []string{"everyone", "refugees", "homeless"},
			Start: "2015-01", Ongoing: true, Status: "running", Evidence: "evaluated", Budget: "gt1m",
		}},
		{city: "haifa", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Ein Fest der Feste", "A festival of festivals", "La fête des fêtes"),
			Summary: tx("", "In December the mixed neighbourhoods celebrate Hanukkah, Christmas and Ramadan or Eid together, with exhibitions, concerts and open doors.", "En décembre, les quartiers mixtes célèbrent ensemble Hanoukka, Noël et les fêtes musulmanes."),
			Body:    tx("", "The festival fills the streets of the old mixed neighbourhoods with art, music and food from every community of the city. Artists from each community exhibit side by side; churches, mosques and synagogues open their doors.", ""),
			Themes:  []string{"dialogue", "culture"}, Groups: []string{"everyone", "neighbourhood"},
			Start: "2010", Ongoing: true, Status: "running", Evidence: "anecdotal",
		}},
		{city: "reading", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Mentoren für Jugendliche im ersten Job", "Mentors for young people in their first job", "Des mentors pour les jeunes dans leur premier emploi"),
			Summary: tx("", "Volunteers from local firms meet young people from the estates every fortnight for a year, from the first application to the first payslip.", ""),
			Body:    tx("", "Young people who leave school without qualifications are paired with a volunteer from a local employer. Together they write applications, practise interviews and talk through the first months at work. The council's youth service recruits the pairs and keeps in touch with both.", ""),
			Themes:  []string{"employment", "education"}, Groups: []string{"youth"},
			Start: "2016-09", End: "2020-07", Status: "completed", Evidence: "monitored", Budget: "10k-50k",
		}},
		{city: "bamako", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Friedenskomitees in den Vierteln", "Peace committees in the neighbourhoods", "Des comités de paix dans les quartiers"),
			Summary: tx("", "", "Des chefs de quartier, des imams, des prêtres, des femmes et des jeunes se réunissent chaque mois pour désamorcer les conflits avant qu’ils ne dégénèrent."),
			Body:    tx("", "", "Chaque commune du district a formé des comités de paix. Ils écoutent les plaintes — un terrain disputé, une bagarre entre jeunes, une rumeur — et réunissent les parties. Les cas graves sont transmis à la mairie et à la police. Les comités organisent aussi des matchs de football et des causeries."),
			Themes:  []string{"safety", "dialogue", "participation"}, Groups: []string{"youth", "women", "neighbourhood"},
			Start: "2018", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "lt10k",
		}},
		{city: "rabat", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("Jugendhäuser, die abends offen sind", "Youth centres open in the evening", "Des maisons de jeunes ouvertes le soir"),
			Summary: tx("", "", "Les maisons de jeunes restent ouvertes le soir et le week-end, avec des ateliers de théâtre, de musique et de code proposés par les jeunes eux-mêmes."),
			Body:    tx("", "", "Un comité de jeunes élu dans chaque maison choisit les ateliers. La ville finance les animateurs et les équipements ; des associations culturelles prêtent des artistes. Les horaires du soir permettent aux jeunes qui travaillent ou étudient d’y venir."),
			Themes:  []string{"culture", "participation", "education"}, Groups: []string{"youth"},
			Start: "2019-01", Ongoing: true, Status: "running", Evidence: "anecdotal", Budget: "50k-250k",
		}},
		{city: "venlo", rec: practice.Record{
			Lang:    "en",
			Title:   tx("Bewegung im Viertel für ältere Menschen", "Exercise in the neighbourhood for older people", "Du sport dans le quartier pour les personnes âgées"),
			Summary: tx("", "Twice a week, older residents exercise together in the park or the community centre, led by trained neighbours; loneliness is the first thing it fights.", ""),
			Body:    tx("", "The city trains volunteers to lead gentle exercise groups close to home. After the exercise there is coffee — and often the group is the only appointment of the week for some participants. The home-care teams refer people who live alone.", ""),
			Themes:  []string{"health", "inclusion"}, Groups: []string{"older-people"},
			Start: "2017-04", Ongoing: true, Status: "running", Evidence: "monitored", Budget: "lt10k",
		}},
		// Work in progress, so the workflow has something to show.
		{city: "porto-novo", state: "submitted", rec: practice.Record{
			Lang:    "fr",
			Title:   tx("", "", "Des marchés propres et sûrs pour les commerçantes"),
			Summary: tx("", "", "Les commerçantes du grand marché ont obtenu l’éclairage, des toilettes et une garderie ; elles gèrent un comité avec la mairie."),
			Body:    tx("", "", "Au grand marché, la plupart des commerçantes sont des femmes qui arrivent avant l’aube avec leurs enfants. Avec la mairie, elles ont dressé la liste de ce qui manquait : de la lumière, des toilettes, un coin pour les petits. Un comité paritaire suit les travaux."),
			Themes:  []string{"safety", "public-space"}, Groups: []string{"women", "children"},
			Start: "2020", Status: "planned", Evidence: "anecdotal",
		}},
		{city: "chemnitz", state: "draft", rec: practice.Record{
			Lang:    "de",
			Title:   tx("Stadtteilgespräche nach einem schwierigen Sommer", "", ""),
			Summary: tx("Moderierte Gespräche in den Stadtteilen, in denen Menschen über ihre Sorgen und über das Zusammenleben reden.", "", ""),
			Themes:  []string{"dialogue"},
		}},
	}
	// Düsseldorf's housing practice has a revision waiting for review.
	rev := list[2].rec
	rev.Results = tx("Seit Einführung der Quote sind in allen zehn Stadtbezirken geförderte Wohnungen entstanden, auch in Lagen, in denen es vorher keine gab. Eine Auswertung der Wohnungsaufsicht zeigt, dass die meisten an Haushalte mit mittleren Einkommen vermietet wurden.",
		"Since the quota was introduced, subsidised homes have been built in every borough, including areas that had none before.", "")
	rev.Trans = map[string]map[string]string{"results": {"en": practice.Outdated}}
	list[2].revision = &rev
	return list
}
