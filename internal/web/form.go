package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Form keeps what a visitor typed and what is wrong with it, so a page can
// show the form again with the input kept and each bad field marked.
// Errors hold catalog keys; the page translates them.
type Form struct {
	Values url.Values
	Errors map[string]string
}

// maxFormBytes bounds a form body that carries no files.
const maxFormBytes = 1 << 20

// ParseForm reads a posted form (at most 1 MB).
func ParseForm(w http.ResponseWriter, r *http.Request) (*Form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	if err := CheckValues(r.PostForm); err != nil {
		return nil, err
	}
	return &Form{Values: r.PostForm, Errors: map[string]string{}}, nil
}

// ErrNUL is a form value holding a NUL byte: bad input, answered with 400.
var ErrNUL = errors.New("a form value holds a NUL byte")

// CheckValues refuses form values with a NUL byte.
func CheckValues(v url.Values) error {
	for k, vs := range v {
		if HasNUL(k) {
			return ErrNUL
		}
		for _, s := range vs {
			if HasNUL(s) {
				return ErrNUL
			}
		}
	}
	return nil
}

// NewForm starts a form with initial values.
func NewForm(values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values, Errors: map[string]string{}}
}

// Get is a field's trimmed value.
func (f *Form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Has reports whether a checkbox or field was sent non-empty.
func (f *Form) Has(name string) bool { return f.Get(name) != "" }

// Fail marks a field with a catalog key explaining what is wrong. The
// first problem found for a field is the one shown.
func (f *Form) Fail(field, key string) {
	if _, ok := f.Errors[field]; !ok {
		f.Errors[field] = key
	}
}

// Required marks each named field that is empty.
func (f *Form) Required(fields ...string) {
	for _, n := range fields {
		if f.Get(n) == "" {
			f.Fail(n, "form.required")
		}
	}
}

// MaxLen marks a field longer than n characters.
func (f *Form) MaxLen(field string, n int) {
	if len([]rune(f.Get(field))) > n {
		f.Fail(field, "form.too_long")
	}
}

// Error is the catalog key for a field's problem, or "".
func (f *Form) Error(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Valid reports whether no field is marked.
func (f *Form) Valid() bool { return len(f.Errors) == 0 }

// Value is a field's value for redisplay (untrimmed).
func (f *Form) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(field)
}
