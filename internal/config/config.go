// Package config reads typed settings from flags, with OBSERVATORY_*
// environment variables as defaults. It is passed explicitly; no globals.
package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Config is everything the server needs to start.
type Config struct {
	Addr       string
	DB         string
	Demo       bool
	BaseURL    string
	SMTPURL    string
	TrustProxy bool
	LogFormat  string
	DebugAddr  string
	// VoicePowBase is the residents' ideas' proof-of-work difficulty for a
	// quiet network (0: the default); VoiceLimit their ideas per network
	// prefix and hour (0: the default).
	VoicePowBase int64
	VoiceLimit   int
	// DelegateDataDays is how many days after a summit's last day its
	// delegations' personal details are erased (0: DefaultDelegateDataDays).
	DelegateDataDays int
	// APILimit is the API requests per minute and client address (0: 600;
	// negative: no limit).
	APILimit int
	// DataLicense is the open data's licence, an SPDX identifier
	// (CC-BY-4.0 when empty).
	DataLicense string
	// SecondFactorAdmins makes administrators set up a second factor
	// before anything else; SecretKey (32 bytes, hex or base64) encrypts
	// second-factor secrets in the database.
	SecondFactorAdmins bool
	SecretKey          string
}

// DefaultDelegateDataDays is the retention of delegations' personal
// details after a summit when nothing else is said.
const DefaultDelegateDataDays = 90

// DelegateDays is the retention in days after a summit's last day.
func (c *Config) DelegateDays() int {
	if c.DelegateDataDays <= 0 {
		return DefaultDelegateDataDays
	}
	return c.DelegateDataDays
}

// DefaultDB is the SQLite file used when nothing else is said.
const DefaultDB = "./data/observatory.db"

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, ok := os.LookupEnv(name); ok {
		b, err := strconv.ParseBool(v)
		if err == nil {
			return b
		}
	}
	return def
}

// DBFlag adds --db (default from OBSERVATORY_DB) to a subcommand's flags.
func DBFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("OBSERVATORY_DB", DefaultDB), "SQLite file path or postgres:// URL (env OBSERVATORY_DB)")
}

// ServeFlags adds every server setting to fs and returns the config they fill.
func ServeFlags(fs *flag.FlagSet) *Config {
	c := &Config{}
	fs.StringVar(&c.Addr, "addr", env("OBSERVATORY_ADDR", "127.0.0.1:8080"), "address to listen on (env OBSERVATORY_ADDR)")
	fs.StringVar(&c.DB, "db", env("OBSERVATORY_DB", DefaultDB), "SQLite file path or postgres:// URL (env OBSERVATORY_DB)")
	fs.BoolVar(&c.Demo, "demo", envBool("OBSERVATORY_DEMO", false), "load demo content on first start if the database is empty (env OBSERVATORY_DEMO)")
	fs.StringVar(&c.BaseURL, "base-url", env("OBSERVATORY_BASE_URL", ""), "public URL of the site (env OBSERVATORY_BASE_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("OBSERVATORY_SMTP_URL", ""), "outgoing mail server URL (env OBSERVATORY_SMTP_URL)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("OBSERVATORY_TRUST_PROXY", false), "trust X-Forwarded-* headers (env OBSERVATORY_TRUST_PROXY)")
	fs.StringVar(&c.LogFormat, "log-format", env("OBSERVATORY_LOG_FORMAT", "text"), "text or json (env OBSERVATORY_LOG_FORMAT)")
	fs.Int64Var(&c.VoicePowBase, "voice-pow", int64(envInt("OBSERVATORY_VOICE_POW", 0)), "proof-of-work maxnumber for residents' ideas, 0 for the default (env OBSERVATORY_VOICE_POW)")
	fs.IntVar(&c.VoiceLimit, "voice-limit", envInt("OBSERVATORY_VOICE_LIMIT", 0), "residents' ideas per network prefix and hour, 0 for the default (env OBSERVATORY_VOICE_LIMIT)")
	fs.IntVar(&c.DelegateDataDays, "delegate-data-days", envInt("OBSERVATORY_DELEGATE_DATA_DAYS", DefaultDelegateDataDays), "days after a summit's last day when its delegations' e-mail addresses, travel times and needs are erased (env OBSERVATORY_DELEGATE_DATA_DAYS)")
	fs.IntVar(&c.APILimit, "api-limit", envInt("OBSERVATORY_API_LIMIT", 0), "API requests per minute and client address, 0 for the default of 600, -1 for none (env OBSERVATORY_API_LIMIT)")
	fs.StringVar(&c.DataLicense, "data-license", env("OBSERVATORY_DATA_LICENSE", "CC-BY-4.0"), "licence of the open data: CC-BY-4.0, CC0-1.0, CC-BY-SA-4.0, ODbL-1.0 or DL-DE-BY-2.0 (env OBSERVATORY_DATA_LICENSE)")
	fs.BoolVar(&c.SecondFactorAdmins, "second-factor-admins", envBool("OBSERVATORY_SECOND_FACTOR_ADMINS", true), "administrators must use a second factor (TOTP) (env OBSERVATORY_SECOND_FACTOR_ADMINS)")
	fs.StringVar(&c.SecretKey, "secret-key", env("OBSERVATORY_SECRET_KEY", ""), "32 random bytes as hex (openssl rand -hex 32) that encrypt second-factor secrets in the database; keep it out of backups of the database (env OBSERVATORY_SECRET_KEY)")
	fs.StringVar(&c.DebugAddr, "debug-addr", env("OBSERVATORY_DEBUG_ADDR", ""), "address for Prometheus metrics (/metrics) and Go's profiler (/debug/pprof/), off when empty; keep it private (env OBSERVATORY_DEBUG_ADDR)")
	return c
}

// Check returns the first setting that cannot work, as one sentence.
func (c *Config) Check() error {
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url %q must be an absolute http(s) URL such as https://observatory.example.org", c.BaseURL)
		}
	}
	if c.SMTPURL != "" && c.BaseURL == "" {
		return fmt.Errorf("--smtp-url needs --base-url (such as https://observatory.example.org), because links in mail are made from the configured address only, never from the address a request names")
	}
	if c.DelegateDataDays < 0 || c.DelegateDataDays > 3650 {
		return fmt.Errorf("--delegate-data-days must be between 1 and 3650, not %d", c.DelegateDataDays)
	}
	switch c.DataLicense {
	case "", "CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0", "ODbL-1.0", "DL-DE-BY-2.0":
	default:
		return fmt.Errorf("--data-license must be one of CC-BY-4.0, CC0-1.0, CC-BY-SA-4.0, ODbL-1.0, DL-DE-BY-2.0, not %q", c.DataLicense)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	return nil
}

// LinkBase is the address links in mail start with, without a trailing
// slash: the base URL, or, where no mail leaves the platform (it is only
// logged), the address the server listens on. Never a request's Host.
func (c *Config) LinkBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Secure reports whether the public site is served over TLS.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
