package apiv1

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"observatory/internal/web"
)

// Unauthorized answers 401 to a request that needs a token and came
// without one.
func Unauthorized(w http.ResponseWriter, r *http.Request, rd *web.Renderer) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="observatory"`)
	Fail(w, r, rd, Problem{Status: http.StatusUnauthorized, Code: "unauthorized"})
}

// Body reads a request's JSON body of at most max bytes into v, strictly:
// a field v does not have is refused, and so is a NUL character (which no
// store keeps); an empty body leaves v as it is. It answers the request
// itself when the body is too large (413) or not such JSON (400), and
// returns the body as read (for Idempotent).
func Body(w http.ResponseWriter, r *http.Request, rd *web.Renderer, max int, v any) ([]byte, bool) {
	b, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	if err != nil || len(b) > max {
		Fail(w, r, rd, Problem{Status: http.StatusRequestEntityTooLarge, Code: "invalid-body"})
		return nil, false
	}
	if len(strings.TrimSpace(string(b))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil || web.HasNUL(string(b)) {
			detail := ""
			if err != nil {
				detail = err.Error()
			}
			Fail(w, r, rd, Problem{Status: http.StatusBadRequest, Code: "invalid-body", Detail: detail})
			return nil, false
		}
	}
	return b, true
}
