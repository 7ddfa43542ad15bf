package demo

import (
	"context"
	"fmt"
	"time"

	"observatory/internal/audit"
	"observatory/internal/db"
	"observatory/internal/exchange"
	"observatory/internal/practice"
)

// Demo exchanges between the cities: one in every state. Düsseldorf asked
// Montréal about its welcome office and opened one of its own; Vienna did
// the same, so the practice shows two cities that adopted it. Names,
// dates and words are illustrations written for this platform.
type demoExchange struct {
	from, to    string // city slugs
	practice    string // the English title of the practice asked about
	req         exchange.Request
	steps       []exchange.Step
	adapted     *practice.Record // the asking city's adapted practice
	public      bool             // both cities agreed to show it
	oneSide     bool             // only the asking city agreed
	messages    []demoMessage
	daysAgo     int // when it was asked
	answerAfter int // days to the first answer (0: none)
}

type demoMessage struct {
	side, name, body string
}

func loadExchanges(ctx context.Context, d *db.DB) error {
	st := &exchange.Store{DB: d}
	ps := practice.NewStore(d)
	pa := practice.Actor{Email: "demo"}
	city := func(slug string) (int64, error) {
		var id int64
		err := d.R.QueryRowContext(ctx, `SELECT id FROM cities WHERE slug = $1`, slug).Scan(&id)
		return id, err
	}
	for _, x := range demoExchanges() {
		from, err := city(x.from)
		if err != nil {
			return fmt.Errorf("demo exchange: city %s: %w", x.from, err)
		}
		to, err := city(x.to)
		if err != nil {
			return fmt.Errorf("demo exchange: city %s: %w", x.to, err)
		}
		var pid int64
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM practices WHERE city_id = $1 AND state = 'published' AND title LIKE $2`,
			to, `%"en":"`+x.practice+`"%`).Scan(&pid); err != nil {
			return fmt.Errorf("demo exchange: practice %q: %w", x.practice, err)
		}
		q := x.req
		q.PracticeID, q.FromCity = pid, from
		id, err := st.Create(ctx, audit.Actor{Email: q.ContactName, Via: "demo"}, q)
		if err != nil {
			return fmt.Errorf("demo exchange %s → %s: %w", x.from, x.to, err)
		}
		for _, s := range x.steps {
			if s.To == exchange.Adopted && x.adapted != nil {
				rec := *x.adapted
				rec.CityID = from
				aid, err := ps.Create(ctx, pa, rec)
				if err != nil {
					return fmt.Errorf("demo adapted practice: %w", err)
				}
				if err := ps.Publish(ctx, pa, aid); err != nil {
					return fmt.Errorf("demo adapted practice: %w", err)
				}
				s.AdaptedID = aid
			}
			side := to
			if s.To == exchange.Adopted {
				side = from
			}
			if err := st.Step(ctx, audit.System("demo"), exchange.Who{CityID: side}, id, s); err != nil {
				return fmt.Errorf("demo exchange %s → %s: %w", x.from, x.to, err)
			}
		}
		for _, m := range x.messages {
			side := from
			if m.side == "to" {
				side = to
			}
			if err := st.Post(ctx, audit.Actor{Email: m.name, Via: "demo"}, exchange.Who{CityID: side}, id, m.body, nil); err != nil {
				return err
			}
		}
		if x.public || x.oneSide {
			if err := st.SetPublic(ctx, audit.System("demo"), exchange.Who{CityID: from}, id, true); err != nil {
				return err
			}
		}
		if x.public {
			if err := st.SetPublic(ctx, audit.System("demo"), exchange.Who{CityID: to}, id, true); err != nil {
				return err
			}
		}
		if err := backdate(ctx, d, id, x); err != nil {
			return err
		}
	}
	return nil
}

// backdate spreads the demo exchanges over the past months, as if they had
// happened; the follow-ups already due count as asked.
func backdate(ctx context.Context, d *db.DB, id int64, x demoExchange) error {
	now := db.Now()
	asked := now.AddDate(0, 0, -x.daysAgo)
	var answered, done any
	if x.answerAfter > 0 {
		answered = asked.AddDate(0, 0, x.answerAfter)
	}
	followups := 0
	for _, s := range x.steps {
		if s.To == exchange.Done {
			t := asked.AddDate(0, 0, x.answerAfter+30)
			done = t
			for _, m := range []int{3, 6, 12} {
				if !t.AddDate(0, m, 0).After(now) {
					followups++
				}
			}
		}
	}
	var reminded any
	if x.answerAfter == 0 && x.daysAgo > 10 {
		reminded = asked.AddDate(0, 0, 10)
	}
	if _, err := d.W.ExecContext(ctx, `UPDATE exchanges SET created_at = $1, answered_at = $2, done_at = $3, followups = $4,
		reminded_at = $5, updated_at = $6 WHERE id = $7`, asked, answered, done, followups, reminded, now, id); err != nil {
		return err
	}
	_, err := d.W.ExecContext(ctx, `UPDATE exchange_messages SET created_at = $1 WHERE exchange_id = $2`, asked.Add(time.Hour), id)
	return err
}

func demoExchanges() []demoExchange {
	welcome := "A welcome office for newcomers"
	return []demoExchange{
		{from: "dusseldorf", to: "montreal", practice: welcome, daysAgo: 420, answerAfter: 3, public: true,
			req: exchange.Request{Kind: "visit", Languages: []string{"de", "fr", "en"}, ContactName: "Jana Becker", ContactEmail: "jana.becker@duesseldorf.example",
				ProposedDates: "Two days in the second half of May",
				Message:       "Our city receives many families who knock on ten different doors in their first months. We would like to see how your welcome office brings these doors together, and to meet the advisers who follow each family."},
			steps: []exchange.Step{{To: exchange.Accepted}, {To: exchange.Scheduled, Date: "2025-05-20", Place: "Bureau d’intégration, Montréal"},
				{To: exchange.Done, Learned: "One adviser per family for the whole first year matters more than the building; community groups hold their hours in the office.", WillTry: "A pilot with three advisers and two community groups in the city hall."},
				{To: exchange.Adopted}},
			adapted: &practice.Record{Lang: "de",
				Title:   tx("Ein Willkommenszentrum im Rathaus", "A welcome centre in the city hall", ""),
				Summary: tx("Nach dem Vorbild aus Montréal finden Neuzugezogene Beratung, Sprachkurse und Vereine an einem Ort.", "Modelled on Montréal, newcomers find advice, language courses and local groups in one place.", ""),
				Body:    tx("Eine Beraterin oder ein Berater begleitet jede Familie im ersten Jahr. Vereine aus den Stadtteilen bieten feste Sprechstunden an; die Stadtbücherei lädt zu Gesprächsrunden auf Deutsch ein.", "", ""),
				Themes:  []string{"integration", "migration"}, Groups: []string{"refugees", "families"}, Start: "2025-10", Ongoing: true, Status: "running"},
			messages: []demoMessage{{side: "to", name: "Claire Roy", body: "Bienvenue ! We will send you the programme of the two days and our adviser’s handbook before you come."},
				{side: "from", name: "Jana Becker", body: "Thank you. Two colleagues from the social office and one from the library will travel with me."}}},
		{from: "vienna", to: "montreal", practice: welcome, daysAgo: 300, answerAfter: 6, public: true,
			req: exchange.Request{Kind: "call", Languages: []string{"de", "en"}, ContactName: "Lukas Hofer", ContactEmail: "lukas.hofer@wien.example",
				Message: "We are redesigning our first-steps advice for people who move to the city and would like an hour with the team that runs your welcome office."},
			steps: []exchange.Step{{To: exchange.Accepted}, {To: exchange.Scheduled, Date: "2025-03-11", Place: "Call"},
				{To: exchange.Done, Learned: "Libraries are natural partners for conversation workshops.", WillTry: "Conversation tables in four district libraries."},
				{To: exchange.Adopted}},
			adapted: &practice.Record{Lang: "de",
				Title:   tx("Erste Schritte: Beratung für Neuzugezogene in den Bezirken", "First steps: advice for newcomers in the districts", ""),
				Summary: tx("Eine Anlaufstelle pro Bezirk, mit Gesprächsrunden in den Büchereien.", "One point of contact per district, with conversation tables in the libraries.", ""),
				Body:    tx("Wer neu in die Stadt zieht, bekommt einen Termin in der Anlaufstelle des Bezirks. Die Büchereien laden wöchentlich zu Gesprächsrunden ein.", "", ""),
				Themes:  []string{"integration", "education"}, Groups: []string{"refugees"}, Start: "2025-09", Ongoing: true, Status: "running"}},
		{from: "toulouse", to: "dusseldorf", practice: "Affordable housing in every district", daysAgo: 60, answerAfter: 4, public: true,
			req: exchange.Request{Kind: "visit", Languages: []string{"fr", "de"}, ContactName: "Camille Martin", ContactEmail: "camille.martin@toulouse.example",
				Message: "Nous voudrions voir sur place comment la part de logements abordables est fixée dans chaque nouveau quartier."},
			steps: []exchange.Step{{To: exchange.Accepted}, {To: exchange.Scheduled, Date: "2027-02-16", Place: "Rathaus Düsseldorf"}}},
		{from: "gatineau", to: "ouagadougou", practice: "Welcoming people who flee violence into the city", daysAgo: 25, answerAfter: 2, public: true,
			req: exchange.Request{Kind: "documents", Languages: []string{"fr"}, ContactName: "Marc Tremblay", ContactEmail: "marc.tremblay@gatineau.example",
				Message: "Pourriez-vous nous transmettre le guide remis aux familles accueillies et le modèle de convention avec les associations ?"},
			steps: []exchange.Step{{To: exchange.Accepted}}},
		{from: "hamburg", to: "toulouse", practice: "A school where children learn in good health", daysAgo: 12,
			req: exchange.Request{Kind: "call", Languages: []string{"en", "fr"}, ContactName: "Nele Hansen", ContactEmail: "nele.hansen@hamburg.example",
				Message: "Two of our primary schools would like to learn how your school organised the daily meals and the sports hour."}},
		{from: "sceaux", to: "izmir", practice: "A centre for refugees from Syria – and for their neighbours", daysAgo: 3,
			req: exchange.Request{Kind: "peer_review", Languages: []string{"fr", "en"}, ContactName: "Hélène Dubois", ContactEmail: "helene.dubois@sceaux.example",
				Message: "Nous préparons un lieu d’accueil de quartier et aimerions que votre équipe relise notre projet."}},
		{from: "palermo", to: "warsaw", practice: "A multicultural centre for the whole city", daysAgo: 90, answerAfter: 8,
			req: exchange.Request{Kind: "staff", Languages: []string{"en", "it"}, ContactName: "Giulia Russo", ContactEmail: "giulia.russo@palermo.example",
				Message: "Could one of our cultural mediators spend two weeks with your centre's team?"},
			steps: []exchange.Step{{To: exchange.Declined, Reason: "Our team is moving to a new building this year; please ask us again next spring."}}},
		{from: "strasbourg", to: "glasgow", practice: "Neighbours who sponsor a refugee family", daysAgo: 200, answerAfter: 5, oneSide: true,
			req: exchange.Request{Kind: "call", Languages: []string{"en", "fr"}, ContactName: "Paul Weber", ContactEmail: "paul.weber@strasbourg.example",
				Message: "How do you prepare the neighbours who sponsor a family, and who supports them when it gets hard?"},
			steps: []exchange.Step{{To: exchange.Accepted}, {To: exchange.Done, Learned: "A training evening before the family arrives, and a named person to call.", WillTry: "Two sponsor groups in the Neudorf district."}}},
	}
}
