package apiv1

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"observatory/internal/web"
)

//go:embed openapi.yaml
var source []byte

//go:embed templates
var Templates embed.FS

// Doc is the API's OpenAPI document, read once from the embedded source.
type Doc struct {
	Render *web.Renderer
	// JSON is the document as JSON, without servers (each answer names
	// the site it was asked from).
	JSON []byte
	// T is the loaded document, for the reference page and the tests.
	T *openapi3.T

	tree map[string]any
	ref  refData
}

// NewDoc reads and checks the embedded document.
func NewDoc(rd *web.Renderer) (*Doc, error) {
	var tree map[string]any
	if err := yaml.Unmarshal(source, &tree); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("the OpenAPI document as JSON: %w", err)
	}
	t, err := Load(b)
	if err != nil {
		return nil, err
	}
	d := &Doc{Render: rd, JSON: b, T: t, tree: tree}
	d.ref = d.reference()
	return d, nil
}

// Load reads and validates an OpenAPI document given as JSON.
func Load(b []byte) (*openapi3.T, error) {
	l := openapi3.NewLoader()
	t, err := l.LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("loading the OpenAPI document: %w", err)
	}
	if err := t.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	return t, nil
}

// Source is the document as kept (YAML), for tools that generate clients.
func Source() []byte { return source }

// OpenAPI is GET /api/v1/openapi.json: the document with this site as server.
func (d *Doc) OpenAPI(w http.ResponseWriter, r *http.Request) {
	if _, ok := Query(w, r, d.Render); !ok {
		return
	}
	t := make(map[string]any, len(d.tree)+1)
	for k, v := range d.tree {
		t[k] = v
	}
	t["servers"] = []map[string]string{{"url": Base(r, d.Render), "description": d.Render.SiteName}}
	w.Header().Set("Cache-Control", "public, max-age=300")
	JSON(w, http.StatusOK, t)
}

// ProblemType is GET /api/v1/problems/{code}: the address of an error type
// leads to its description on the reference page.
func (d *Doc) ProblemType(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !slices.Contains(Codes, code) {
		NotFound(w, r, d.Render)
		return
	}
	http.Redirect(w, r, "/"+Lang(r)+"/data/api#problem-"+code, http.StatusFound)
}

// NotFound answers any other address under /api/v1.
func (d *Doc) NotFound(w http.ResponseWriter, r *http.Request) { NotFound(w, r, d.Render) }

// The reference page.

type refData struct {
	Groups   []refGroup
	Problems []string
	Document string
}

type refGroup struct {
	Tag, Description string
	Ops              []refOp
}

type refOp struct {
	Anchor, Method, Path, Summary, Description string
	Token                                      bool
	Params                                     []refParam
	Body                                       string
	Responses                                  []refResponse
}

type refParam struct {
	Name, In, Type, Description string
	Required                    bool
}

type refResponse struct {
	Status, Description, Schema string
}

// schemaName is a schema's name (its component) or its type.
func schemaName(s *openapi3.SchemaRef) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	if s.Value == nil || s.Value.Type == nil {
		return ""
	}
	t := strings.Join(s.Value.Type.Slice(), " | ")
	if s.Value.Items != nil {
		t += " of " + schemaName(s.Value.Items)
	}
	return t
}

func (d *Doc) reference() refData {
	out := refData{Problems: Codes}
	byTag := map[string]*refGroup{}
	var order []string
	for _, tg := range d.T.Tags {
		byTag[tg.Name] = &refGroup{Tag: tg.Name, Description: tg.Description}
		order = append(order, tg.Name)
	}
	paths := d.T.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		item := d.T.Paths.Value(p)
		for _, m := range []string{"GET", "POST", "PATCH"} {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := refOp{Anchor: op.OperationID, Method: m, Path: p, Summary: op.Summary, Description: op.Description,
				Token: needsToken(op.Security)}
			for _, pr := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if pr.Value == nil {
					continue
				}
				o.Params = append(o.Params, refParam{Name: pr.Value.Name, In: pr.Value.In, Type: schemaName(pr.Value.Schema),
					Description: pr.Value.Description, Required: pr.Value.Required})
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
					o.Body = schemaName(mt.Schema)
				}
			}
			codes := slices.Collect(func(yield func(string) bool) {
				for c := range op.Responses.Map() {
					if !yield(c) {
						return
					}
				}
			})
			sort.Strings(codes)
			for _, c := range codes {
				rs := op.Responses.Value(c)
				if rs == nil || rs.Value == nil {
					continue
				}
				x := refResponse{Status: c}
				if rs.Value.Description != nil {
					x.Description = *rs.Value.Description
				}
				for _, mt := range rs.Value.Content {
					x.Schema = schemaName(mt.Schema)
				}
				o.Responses = append(o.Responses, x)
			}
			tag := "about"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			g := byTag[tag]
			if g == nil {
				g = &refGroup{Tag: tag}
				byTag[tag] = g
				order = append(order, tag)
			}
			g.Ops = append(g.Ops, o)
		}
	}
	for _, tag := range order {
		if g := byTag[tag]; len(g.Ops) > 0 {
			out.Groups = append(out.Groups, *g)
		}
	}
	return out
}

// Reference is /{lang}/data/api: the API's reference, read from the
// document, with its conventions and errors.
func (d *Doc) Reference(w http.ResponseWriter, r *http.Request) {
	data := d.ref
	data.Document = Base(r, d.Render) + Prefix + "/openapi.json"
	p := d.Render.NewPage(r, "", data)
	p.Title = p.T("api.ref.title")
	p.Description = p.T("api.ref.lead")
	d.Render.HTML(w, r, http.StatusOK, "apiv1/reference", p)
}

// needsToken reports whether an operation's security asks for a token:
// one listed beside an empty requirement ({}) is optional.
func needsToken(sec *openapi3.SecurityRequirements) bool {
	if sec == nil || len(*sec) == 0 {
		return false
	}
	for _, req := range *sec {
		if len(req) == 0 {
			return false
		}
	}
	return true
}
