package geo

import "strings"

// Continent keys. They are keys, not names: the UI translates them.
//
// The grouping follows the UN M49 regions, with the Americas split in two:
// Northern America, Central America and the Caribbean are north-america;
// South America (with Bouvet Island and South Georgia, as in M49) is
// south-america. Departures from M49: Cyprus (Western Asia there) is counted
// in Europe as an EU member state, and Kosovo (XK, not in ISO 3166-1 but in
// common use and in CLDR) is added in Europe. Turkey stays in Asia, as in
// M49. Antarctica (AQ) has its own key.
const (
	Africa       = "africa"
	Asia         = "asia"
	Europe       = "europe"
	NorthAmerica = "north-america"
	SouthAmerica = "south-america"
	Oceania      = "oceania"
	Antarctica   = "antarctica"
)

// Continents returns the continent keys in a stable display order.
func Continents() []string {
	return []string{Africa, NorthAmerica, SouthAmerica, Asia, Europe, Oceania, Antarctica}
}

type country struct {
	alpha2    string
	numeric   string // ISO 3166-1 numeric, as world-atlas spells it
	continent string
}

// countries holds every ISO 3166-1 alpha-2 code plus XK (Kosovo), sorted by
// code.
var countries = []country{
	{"AD", "020", Europe},
	{"AE", "784", Asia},
	{"AF", "004", Asia},
	{"AG", "028", NorthAmerica},
	{"AI", "660", NorthAmerica},
	{"AL", "008", Europe},
	{"AM", "051", Asia},
	{"AO", "024", Africa},
	{"AQ", "010", Antarctica},
	{"AR", "032", SouthAmerica},
	{"AS", "016", Oceania},
	{"AT", "040", Europe},
	{"AU", "036", Oceania},
	{"AW", "533", NorthAmerica},
	{"AX", "248", Europe},
	{"AZ", "031", Asia},
	{"BA", "070", Europe},
	{"BB", "052", NorthAmerica},
	{"BD", "050", Asia},
	{"BE", "056", Europe},
	{"BF", "854", Africa},
	{"BG", "100", Europe},
	{"BH", "048", Asia},
	{"BI", "108", Africa},
	{"BJ", "204", Africa},
	{"BL", "652", NorthAmerica},
	{"BM", "060", NorthAmerica},
	{"BN", "096", Asia},
	{"BO", "068", SouthAmerica},
	{"BQ", "535", NorthAmerica},
	{"BR", "076", SouthAmerica},
	{"BS", "044", NorthAmerica},
	{"BT", "064", Asia},
	{"BV", "074", SouthAmerica},
	{"BW", "072", Africa},
	{"BY", "112", Europe},
	{"BZ", "084", NorthAmerica},
	{"CA", "124", NorthAmerica},
	{"CC", "166", Oceania},
	{"CD", "180", Africa},
	{"CF", "140", Africa},
	{"CG", "178", Africa},
	{"CH", "756", Europe},
	{"CI", "384", Africa},
	{"CK", "184", Oceania},
	{"CL", "152", SouthAmerica},
	{"CM", "120", Africa},
	{"CN", "156", Asia},
	{"CO", "170", SouthAmerica},
	{"CR", "188", NorthAmerica},
	{"CU", "192", NorthAmerica},
	{"CV", "132", Africa},
	{"CW", "531", NorthAmerica},
	{"CX", "162", Oceania},
	{"CY", "196", Europe},
	{"CZ", "203", Europe},
	{"DE", "276", Europe},
	{"DJ", "262", Africa},
	{"DK", "208", Europe},
	{"DM", "212", NorthAmerica},
	{"DO", "214", NorthAmerica},
	{"DZ", "012", Africa},
	{"EC", "218", SouthAmerica},
	{"EE", "233", Europe},
	{"EG", "818", Africa},
	{"EH", "732", Africa},
	{"ER", "232", Africa},
	{"ES", "724", Europe},
	{"ET", "231", Africa},
	{"FI", "246", Europe},
	{"FJ", "242", Oceania},
	{"FK", "238", SouthAmerica},
	{"FM", "583", Oceania},
	{"FO", "234", Europe},
	{"FR", "250", Europe},
	{"GA", "266", Africa},
	{"GB", "826", Europe},
	{"GD", "308", NorthAmerica},
	{"GE", "268", Asia},
	{"GF", "254", SouthAmerica},
	{"GG", "831", Europe},
	{"GH", "288", Africa},
	{"GI", "292", Europe},
	{"GL", "304", NorthAmerica},
	{"GM", "270", Africa},
	{"GN", "324", Africa},
	{"GP", "312", NorthAmerica},
	{"GQ", "226", Africa},
	{"GR", "300", Europe},
	{"GS", "239", SouthAmerica},
	{"GT", "320", NorthAmerica},
	{"GU", "316", Oceania},
	{"GW", "624", Africa},
	{"GY", "328", SouthAmerica},
	{"HK", "344", Asia},
	{"HM", "334", Oceania},
	{"HN", "340", NorthAmerica},
	{"HR", "191", Europe},
	{"HT", "332", NorthAmerica},
	{"HU", "348", Europe},
	{"ID", "360", Asia},
	{"IE", "372", Europe},
	{"IL", "376", Asia},
	{"IM", "833", Europe},
	{"IN", "356", Asia},
	{"IO", "086", Africa},
	{"IQ", "368", Asia},
	{"IR", "364", Asia},
	{"IS", "352", Europe},
	{"IT", "380", Europe},
	{"JE", "832", Europe},
	{"JM", "388", NorthAmerica},
	{"JO", "400", Asia},
	{"JP", "392", Asia},
	{"KE", "404", Africa},
	{"KG", "417", Asia},
	{"KH", "116", Asia},
	{"KI", "296", Oceania},
	{"KM", "174", Africa},
	{"KN", "659", NorthAmerica},
	{"KP", "408", Asia},
	{"KR", "410", Asia},
	{"KW", "414", Asia},
	{"KY", "136", NorthAmerica},
	{"KZ", "398", Asia},
	{"LA", "418", Asia},
	{"LB", "422", Asia},
	{"LC", "662", NorthAmerica},
	{"LI", "438", Europe},
	{"LK", "144", Asia},
	{"LR", "430", Africa},
	{"LS", "426", Africa},
	{"LT", "440", Europe},
	{"LU", "442", Europe},
	{"LV", "428", Europe},
	{"LY", "434", Africa},
	{"MA", "504", Africa},
	{"MC", "492", Europe},
	{"MD", "498", Europe},
	{"ME", "499", Europe},
	{"MF", "663", NorthAmerica},
	{"MG", "450", Africa},
	{"MH", "584", Oceania},
	{"MK", "807", Europe},
	{"ML", "466", Africa},
	{"MM", "104", Asia},
	{"MN", "496", Asia},
	{"MO", "446", Asia},
	{"MP", "580", Oceania},
	{"MQ", "474", NorthAmerica},
	{"MR", "478", Africa},
	{"MS", "500", NorthAmerica},
	{"MT", "470", Europe},
	{"MU", "480", Africa},
	{"MV", "462", Asia},
	{"MW", "454", Africa},
	{"MX", "484", NorthAmerica},
	{"MY", "458", Asia},
	{"MZ", "508", Africa},
	{"NA", "516", Africa},
	{"NC", "540", Oceania},
	{"NE", "562", Africa},
	{"NF", "574", Oceania},
	{"NG", "566", Africa},
	{"NI", "558", NorthAmerica},
	{"NL", "528", Europe},
	{"NO", "578", Europe},
	{"NP", "524", Asia},
	{"NR", "520", Oceania},
	{"NU", "570", Oceania},
	{"NZ", "554", Oceania},
	{"OM", "512", Asia},
	{"PA", "591", NorthAmerica},
	{"PE", "604", SouthAmerica},
	{"PF", "258", Oceania},
	{"PG", "598", Oceania},
	{"PH", "608", Asia},
	{"PK", "586", Asia},
	{"PL", "616", Europe},
	{"PM", "666", NorthAmerica},
	{"PN", "612", Oceania},
	{"PR", "630", NorthAmerica},
	{"PS", "275", Asia},
	{"PT", "620", Europe},
	{"PW", "585", Oceania},
	{"PY", "600", SouthAmerica},
	{"QA", "634", Asia},
	{"RE", "638", Africa},
	{"RO", "642", Europe},
	{"RS", "688", Europe},
	{"RU", "643", Europe},
	{"RW", "646", Africa},
	{"SA", "682", Asia},
	{"SB", "090", Oceania},
	{"SC", "690", Africa},
	{"SD", "729", Africa},
	{"SE", "752", Europe},
	{"SG", "702", Asia},
	{"SH", "654", Africa},
	{"SI", "705", Europe},
	{"SJ", "744", Europe},
	{"SK", "703", Europe},
	{"SL", "694", Africa},
	{"SM", "674", Europe},
	{"SN", "686", Africa},
	{"SO", "706", Africa},
	{"SR", "740", SouthAmerica},
	{"SS", "728", Africa},
	{"ST", "678", Africa},
	{"SV", "222", NorthAmerica},
	{"SX", "534", NorthAmerica},
	{"SY", "760", Asia},
	{"SZ", "748", Africa},
	{"TC", "796", NorthAmerica},
	{"TD", "148", Africa},
	{"TF", "260", Africa},
	{"TG", "768", Africa},
	{"TH", "764", Asia},
	{"TJ", "762", Asia},
	{"TK", "772", Oceania},
	{"TL", "626", Asia},
	{"TM", "795", Asia},
	{"TN", "788", Africa},
	{"TO", "776", Oceania},
	{"TR", "792", Asia},
	{"TT", "780", NorthAmerica},
	{"TV", "798", Oceania},
	{"TW", "158", Asia},
	{"TZ", "834", Africa},
	{"UA", "804", Europe},
	{"UG", "800", Africa},
	{"UM", "581", Oceania},
	{"US", "840", NorthAmerica},
	{"UY", "858", SouthAmerica},
	{"UZ", "860", Asia},
	{"VA", "336", Europe},
	{"VC", "670", NorthAmerica},
	{"VE", "862", SouthAmerica},
	{"VG", "092", NorthAmerica},
	{"VI", "850", NorthAmerica},
	{"VN", "704", Asia},
	{"VU", "548", Oceania},
	{"WF", "876", Oceania},
	{"WS", "882", Oceania},
	{"XK", "", Europe},
	{"YE", "887", Asia},
	{"YT", "175", Africa},
	{"ZA", "710", Africa},
	{"ZM", "894", Africa},
	{"ZW", "716", Africa},
}

var (
	byAlpha2  = map[string]*country{}
	byNumeric = map[string]*country{}
)

func init() {
	for i := range countries {
		c := &countries[i]
		byAlpha2[c.alpha2] = c
		if c.numeric != "" {
			byNumeric[c.numeric] = c
		}
	}
}

// Continent returns the continent key of a country given by its ISO 3166-1
// alpha-2 code (any letter case), or "" for an unknown code.
func Continent(alpha2 string) string {
	if c, ok := byAlpha2[strings.ToUpper(alpha2)]; ok {
		return c.continent
	}
	return ""
}

// ValidCountry reports whether alpha2 is a known country code. It expects the
// canonical upper-case form, as stored; normalize input with strings.ToUpper.
func ValidCountry(alpha2 string) bool {
	_, ok := byAlpha2[alpha2]
	return ok
}

// Countries returns every known alpha-2 code, sorted.
func Countries() []string {
	out := make([]string, len(countries))
	for i, c := range countries {
		out[i] = c.alpha2
	}
	return out
}
