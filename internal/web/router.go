package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"observatory/internal/i18n"
)

// Router registers routes on one ServeMux: pages once per language
// (/de/…, /en/…, /fr/…), everything else as given. Each route is measured
// under its pattern.
type Router struct {
	Mux *http.ServeMux
	// Routes lists every route as registered, with the actions that guard
	// it (empty for a public route), so tests can check the table.
	Routes []Route
	// Cache, when set before routes are registered, puts the handler of
	// each public route (a page, or one outside the language tree) behind
	// the shared answer cache; it decides which by the route's pattern.
	Cache func(pattern string, h http.Handler, page bool) http.Handler

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewRouter makes a router whose metrics register in reg.
func NewRouter(reg prometheus.Registerer) *Router {
	rt := &Router{
		Mux: http.NewServeMux(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "observatory_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "observatory_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	reg.MustRegister(rt.requests, rt.latency)
	return rt
}

// Route is one registered route.
type Route struct {
	Pattern string   // as written in the table, "GET /cities/{id}"
	Page    bool     // served under every language prefix
	Actions []string // the viewer needs one of them; none for a public route
}

// Guarded is a handler behind a permission check: only a viewer allowed
// one of Actions gets through (auth.Handlers.Require builds it).
type Guarded struct {
	Actions []string
	Handler http.HandlerFunc
}

// Page registers a public page for every language: "GET /cities/{id}"
// serves /de/cities/{id}, /en/cities/{id} and /fr/cities/{id}.
func (rt *Router) Page(pattern string, h http.HandlerFunc) {
	rt.Routes = append(rt.Routes, Route{Pattern: pattern, Page: true})
	var hh http.Handler = h
	if rt.Cache != nil {
		hh = rt.Cache(pattern, h, true)
	}
	rt.page(pattern, hh.ServeHTTP)
}

// Private registers a page for every language that only the viewers g
// lets through may use.
func (rt *Router) Private(pattern string, g Guarded) {
	rt.Routes = append(rt.Routes, Route{Pattern: pattern, Page: true, Actions: g.Actions})
	rt.page(pattern, g.Handler)
}

func (rt *Router) page(pattern string, h http.HandlerFunc) {
	method, p, _ := strings.Cut(pattern, " ")
	label := method + " /{lang}" + p
	for _, lang := range i18n.Langs {
		full := method + " /" + lang + p
		if p == "/" {
			full = method + " /" + lang + "/{$}"
		}
		rt.Mux.Handle(full, rt.measure(label, withLang(lang, h)))
	}
}

// Handle registers a route outside the language tree (API, feeds, health).
func (rt *Router) Handle(pattern string, h http.Handler) {
	rt.Routes = append(rt.Routes, Route{Pattern: pattern})
	if rt.Cache != nil {
		h = rt.Cache(pattern, h, false)
	}
	rt.Mux.Handle(pattern, rt.measure(pattern, h))
}

func withLang(lang string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey, lang)))
	})
}

func (rt *Router) measure(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info(r).route = route
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		rt.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		rt.requests.WithLabelValues(route, r.Method, statusText(sw.status)).Inc()
	})
}

func statusText(code int) string {
	const digits = "0123456789"
	return string([]byte{digits[code/100%10], digits[code/10%10], digits[code%10]})
}
