package auth

import "observatory/internal/web"

// Roles, from the widest to the narrowest.
const (
	RoleAdmin     = "admin"     // the network's secretariat
	RoleModerator = "moderator" // moderates residents' ideas and comments
	RoleEditor    = "editor"    // keeps one city's profile and practices
	RoleDelegate  = "delegate"  // represents one city at summits, signs declarations
)

// Roles lists every role in the order forms show them.
var Roles = []string{RoleAdmin, RoleModerator, RoleEditor, RoleDelegate}

// CityBound reports whether a role acts for one city.
func CityBound(role string) bool { return role == RoleEditor || role == RoleDelegate }

// Actions that handlers ask the policy about. An action ending in ".own"
// is allowed only for the viewer's own city (see CanForCity).
const (
	AccountOwn         = "account.own"      // change one's own password
	AccountSecurity    = "account.security" // one's own second factor; open before it is set up
	AdminDashboard     = "admin.dashboard"
	AuditRead          = "audit.read"
	UsersManage        = "users.manage"
	CityAdmit          = "city.admit"
	CityEditAny        = "city.edit.any"
	CityEditOwn        = "city.edit.own"
	PracticeReview     = "practice.review"
	PracticeWriteOwn   = "practice.write.own"
	ExchangeOwn        = "exchange.own"
	ExchangeManage     = "exchange.manage"
	SummitManage       = "summit.manage"
	SummitRegisterOwn  = "summit.register.own"
	DeclarationManage  = "declaration.manage"
	DeclarationSignOwn = "declaration.sign.own"
	VoiceModerate      = "voice.moderate"
	VoiceManageAny     = "voice.manage.any"
	VoiceManageOwn     = "voice.manage.own"
	NewsPublish        = "news.publish"
	NewsWriteOwn       = "news.write.own" // a city's editors write their city's news
	LegalEdit          = "legal.edit"     // the privacy notice, the imprint, erasure requests
)

// policy is the one table that says which role may do what.
var policy = map[string][]string{
	AccountOwn:         Roles,
	AccountSecurity:    Roles,
	AdminDashboard:     {RoleAdmin, RoleModerator},
	AuditRead:          {RoleAdmin},
	UsersManage:        {RoleAdmin},
	CityAdmit:          {RoleAdmin},
	CityEditAny:        {RoleAdmin},
	CityEditOwn:        {RoleEditor},
	PracticeReview:     {RoleAdmin},
	PracticeWriteOwn:   {RoleEditor},
	ExchangeOwn:        {RoleEditor, RoleDelegate},
	ExchangeManage:     {RoleAdmin},
	SummitManage:       {RoleAdmin},
	SummitRegisterOwn:  {RoleEditor, RoleDelegate},
	DeclarationManage:  {RoleAdmin},
	DeclarationSignOwn: {RoleDelegate},
	VoiceModerate:      {RoleAdmin, RoleModerator},
	VoiceManageAny:     {RoleAdmin},
	VoiceManageOwn:     {RoleEditor},
	NewsPublish:        {RoleAdmin},
	NewsWriteOwn:       {RoleEditor},
	LegalEdit:          {RoleAdmin},
}

// Can reports whether v may do action at all (for ".own" actions: for
// some city, namely its own).
func Can(v *web.Viewer, action string) bool {
	if v == nil {
		return false
	}
	for _, r := range policy[action] {
		if r == v.Role {
			return !CityBound(r) || v.CityID != 0
		}
	}
	return false
}

// CanForCity reports whether v may do action for city: with the ".any"
// form of the action (for ".own" actions), or with the ".own" form when
// the city is the viewer's own.
func CanForCity(v *web.Viewer, ownAction, anyAction string, city int64) bool {
	if v == nil {
		return false
	}
	if anyAction != "" && Can(v, anyAction) {
		return true
	}
	return Can(v, ownAction) && v.CityID == city && city != 0
}
