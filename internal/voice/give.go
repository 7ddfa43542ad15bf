package voice

import (
	"context"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"observatory/internal/i18n"
)

// GiveInput is an idea as one of the channels received it.
type GiveInput struct {
	Text          string
	Lang          string // "" or "auto": detected
	Theme         string
	Neighbourhood string
	AgeGroup      string
	Email         string
	Channel       string
	ExhibitionID  int64
	StationID     int64 // set when a station token proved the kiosk
	Card          string
	Altcha        string
	NeedProof     bool // refuse without a proof of work (API)
	Honeypot      bool
	FillTime      time.Duration
	IdemKey       string
	IP            string
	UILang        string // the resident's interface language, for messages
}

// GiveError is a refusal: a field and the catalog key saying what is wrong.
type GiveError struct {
	Field string
	Key   string
	Err   error // the proof-of-work error, when that is the cause
}

func (e *GiveError) Error() string { return e.Field + ": " + e.Key }

var langCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// Give checks an idea, runs the spam defence and stores it through the
// writer. A *GiveError means the input was refused and nothing stored.
func (h *Handlers) Give(ctx context.Context, c *Consultation, in GiveInput) (Accepted, error) {
	now := time.Now().UTC()
	text := strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return Accepted{}, &GiveError{Field: "text", Key: "voice.err.text_length"}
	}
	if n := utf8.RuneCountInString(text); n < MinText || n > MaxText {
		return Accepted{}, &GiveError{Field: "text", Key: "voice.err.text_length"}
	}
	if !c.Open(now) {
		return Accepted{}, &GiveError{Field: "text", Key: "voice.err.closed"}
	}
	lang := strings.ToLower(strings.TrimSpace(in.Lang))
	if lang == "" || lang == "auto" {
		lang = DetectLang(text)
	} else if !langCode.MatchString(lang) {
		return Accepted{}, &GiveError{Field: "lang", Key: "voice.err.lang"}
	}
	if in.Theme != "" && !c.HasTheme(in.Theme) {
		return Accepted{}, &GiveError{Field: "theme", Key: "voice.err.theme"}
	}
	if in.AgeGroup != "" && !contains(AgeGroups, in.AgeGroup) {
		return Accepted{}, &GiveError{Field: "age", Key: "voice.err.age"}
	}
	nb := strings.TrimSpace(in.Neighbourhood)
	if utf8.RuneCountInString(nb) > 100 {
		return Accepted{}, &GiveError{Field: "neighbourhood", Key: "voice.err.neighbourhood"}
	}
	email := strings.TrimSpace(in.Email)
	if email != "" {
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || len(email) > 200 {
			return Accepted{}, &GiveError{Field: "email", Key: "voice.err.email"}
		}
		if h.BaseURL == "" {
			return Accepted{}, &GiveError{Field: "email", Key: "voice.err.email_off"}
		}
	}
	if len(in.IdemKey) > 100 {
		return Accepted{}, &GiveError{Field: "idempotency_key", Key: "voice.err.idempotency"}
	}

	// Proof of work: checked here, spent by the writer with the idea.
	var powSig string
	var powExp time.Time
	proof := in.StationID != 0 // a station token proves the kiosk
	if strings.TrimSpace(in.Altcha) != "" {
		sol, err := ParseSolution(in.Altcha)
		if err == nil {
			powExp, err = h.Store.VerifySolution(ctx, sol, now)
		}
		if err != nil {
			return Accepted{}, &GiveError{Field: "altcha", Key: "voice.err.pow", Err: err}
		}
		powSig, proof = strings.ToLower(sol.Signature), true
	}
	if in.NeedProof && !proof {
		return Accepted{}, &GiveError{Field: "altcha", Key: "voice.err.pow", Err: ErrNoProof}
	}

	sub := Submission{ConsultationID: c.ID, Body: text, Lang: lang, Theme: in.Theme, Neighbourhood: nb, AgeGroup: in.AgeGroup,
		Channel: in.Channel, ExhibitionID: in.ExhibitionID, StationID: in.StationID, Card: in.Card, PowSignature: powSig, PowExpires: powExp,
		IdemKey: in.IdemKey, Simhash: Simhash(text)}
	// The prefix's hourly limit and burst are decided by the writer, which
	// counts the prefix's ideas exactly in the transaction that stores
	// this one: no read of the count here.
	if in.Channel != ChannelPaper {
		ph, err := h.Store.PrefixHash(ctx, in.IP, now)
		if err != nil {
			return Accepted{}, err
		}
		sub.PrefixHash = ph
		if in.StationID == 0 {
			sub.Limit = h.Limit
		}
	}
	// The word list and near-duplicates are checked by the writer against
	// the database as it commits (the list and the ideas of every server).
	d := Assess(text, Signals{Honeypot: in.Honeypot, FillTime: in.FillTime, Proof: proof || in.Channel == ChannelPaper,
		NeedProof: in.NeedProof, Limit: sub.Limit}, nil, false)
	if d.Reject {
		return Accepted{}, &GiveError{Field: "text", Key: d.Why}
	}
	sub.Flags = d.Flags
	if in.Channel == ChannelPaper {
		sub.Flags = append(sub.Flags, FlagPaper)
	}
	sub.State = StateWaiting
	if c.Moderation == "after" && len(d.Flags) == 0 {
		sub.State = StatePublished
	}
	if email != "" {
		sub.Email, sub.EmailToken = email, randomToken(20)
		ui := in.UILang
		if !i18n.Supported(ui) {
			ui = i18n.Default
		}
		link := h.BaseURL + "/" + ui + "/ideas/confirm/" + sub.EmailToken
		cat := h.Render.Catalog
		sub.Mail = &OutMail{To: email, Subject: cat.T(ui, "voice.mail.subject"),
			Body: cat.T(ui, "voice.mail.body", "Question", c.Question.Get(ui, c.SourceLang), "Link", link)}
	}
	acc, err := h.Writer.Submit(ctx, sub)
	switch {
	case errors.Is(err, ErrReplay):
		return Accepted{}, &GiveError{Field: "altcha", Key: "voice.err.pow_used", Err: err}
	case errors.Is(err, ErrRateLimited):
		return Accepted{}, &GiveError{Field: "text", Key: "voice.err.limit", Err: err}
	case errors.Is(err, ErrClosed):
		return Accepted{}, &GiveError{Field: "text", Key: "voice.err.closed", Err: err}
	case errors.Is(err, ErrTheme):
		return Accepted{}, &GiveError{Field: "theme", Key: "voice.err.theme", Err: err}
	}
	return acc, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
