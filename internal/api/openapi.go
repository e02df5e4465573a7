package api

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The OpenAPI document is written by hand, operation by operation, in openapi_ops.go; the JSON
// schemas of bodies are derived from the very Go types the handlers decode and encode, so they
// cannot drift from the wire format. A test checks the operations against the route table.

// openAPI serves the OpenAPI 3.1 document of the API.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, a.document())
}

// pathParams describes the parameters that appear in paths.
var pathParams = map[string]string{
	"number": "the ticket's number, e.g. OPS-1042",
	"id":     "numeric id",
	"code":   "customer code, e.g. ACME",
	"sid":    "numeric id of a server of the environment",
	"did":    "numeric id of a deployment of the environment",
	"gid":    "numeric id of an access grant",
	"wid":    "numeric id of a maintenance window of the environment",
}

// document builds the OpenAPI document from the operations.
func (a *API) document() map[string]any {
	sb := &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}}
	paths := map[string]map[string]any{}
	for key, o := range operations() {
		method, path, _ := strings.Cut(key, " ")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = o.build(sb, key, path)
	}
	sb.ref(reflect.TypeFor[Problem](), true)
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "opsdesk API",
			"version": "1",
			"description": "The REST API of opsdesk. Authenticate with an API token: Authorization: Bearer <token>. " +
				"Errors are RFC 9457 problem documents (application/problem+json) naming the offending input in field. " +
				"Lists of tickets are paged by cursor: pass next_cursor back as cursor, with the same filters.",
		},
		"servers": []any{map[string]any{"url": a.cfg.BaseURL}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         sb.defs,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

// schemas collects the named JSON schemas of Go types into components.
type schemas struct {
	defs  map[string]any
	names map[reflect.Type]string
}

// ref returns a reference to t's schema, defining it on first use. Fields of a response are
// required unless omitempty; fields of a request only when tagged required:"true".
func (s *schemas) ref(t reflect.Type, response bool) map[string]any {
	if t.Name() == "" {
		return map[string]any{"type": "object"}
	}
	name, ok := s.names[t]
	if !ok {
		name = schemaName(t)
		s.names[t] = name
		s.defs[name] = s.object(t, response)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// hand returns a reference to the hand-written schema of that name, defining it on first use.
func (s *schemas) hand(name string) map[string]any {
	if _, ok := s.defs[name]; !ok {
		def, ok := handSchemas()[name]
		if !ok {
			panic("openapi: no hand-written schema " + name)
		}
		s.defs[name] = def
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func schemaName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 { // items[pkg.Message] → MessageList
		elem := n[i+1 : len(n)-1]
		elem = elem[strings.LastIndexAny(elem, "./")+1:]
		return capitalise(elem) + "List"
	}
	return capitalise(n)
}

func capitalise(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func (s *schemas) object(t reflect.Type, response bool) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		p := s.schema(f.Type, response)
		if d := f.Tag.Get("doc"); d != "" {
			p["description"] = d
		}
		if e := f.Tag.Get("enum"); e != "" {
			p["enum"] = strings.Split(e, ",")
		}
		if fm := f.Tag.Get("format"); fm != "" {
			p["format"] = fm
		}
		props[name] = p
		if f.Tag.Get("required") == "true" || (response && !strings.Contains(opts, "omitempty")) {
			required = append(required, name)
		}
	}
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		slices.Sort(required)
		o["required"] = required
	}
	if !response {
		o["additionalProperties"] = false // requests are decoded strictly
	}
	return o
}

// schemaOwner is a type whose JSON form no Go kind describes (a string or a list, say): it
// writes its own schema.
type schemaOwner interface{ openapiSchema() map[string]any }

func (s *schemas) schema(t reflect.Type, response bool) map[string]any {
	if t == reflect.TypeFor[nullable]() {
		return map[string]any{"type": []string{"string", "integer", "null"}}
	}
	if t.Kind() != reflect.Pointer && t.Implements(reflect.TypeFor[schemaOwner]()) {
		return reflect.Zero(t).Interface().(schemaOwner).openapiSchema()
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := s.schema(t.Elem(), response)
		if typ, ok := inner["type"].(string); ok {
			inner["type"] = []string{typ, "null"}
			return inner
		}
		return map[string]any{"oneOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": s.schema(t.Elem(), response)}
	case reflect.Struct:
		return s.ref(t, response)
	}
	panic("openapi: no schema for " + t.String())
}

// param is a query parameter of an operation.
type param struct{ name, desc string }

// op is the hand-written description of one operation.
type op struct {
	summary string
	query   []param
	body    any  // zero value of the JSON request body, nil for none
	upload  bool // the body is a file: multipart/form-data or raw bytes
	status  int  // success status (default 200)
	resp    any  // zero value of the JSON answer; nil for none (204) or a download
	file    bool // the answer is a file's content
	public  bool // no token needed
	// bodySchema and respSchema name a hand-written schema (handSchemas) for a JSON body or
	// answer that no Go type describes, instead of body and resp.
	bodySchema, respSchema string
	csv                    bool // the answer may also be text/csv (Accept: text/csv or ?format=csv)
}

func (o op) build(sb *schemas, key, path string) map[string]any {
	out := map[string]any{"summary": o.summary, "operationId": operationID(key)}
	var params []any
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			name := strings.Trim(seg, "{}")
			params = append(params, map[string]any{"name": name, "in": "path", "required": true,
				"description": pathParams[name], "schema": map[string]any{"type": "string"}})
		}
	}
	for _, p := range o.query {
		params = append(params, map[string]any{"name": p.name, "in": "query", "description": p.desc, "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		out["parameters"] = params
	}
	switch {
	case o.body != nil:
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": sb.ref(reflect.TypeOf(o.body), false)}}}
	case o.bodySchema != "":
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": sb.hand(o.bodySchema)}}}
	case o.upload:
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "required": []string{"file"},
				"properties": map[string]any{
					"file":     map[string]any{"type": "string", "contentMediaType": "application/octet-stream", "description": "the file (repeatable)"},
					"body":     map[string]any{"type": "string", "description": "text of the message carrying the file"},
					"internal": map[string]any{"type": "boolean", "description": "attach to an internal note (staff only)"}}}},
			"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream",
				"description": "the raw content; give its name with ?name="}}}}
	}
	status := o.status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case o.resp != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": sb.ref(reflect.TypeOf(o.resp), true)}}
	case o.respSchema != "":
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": sb.hand(o.respSchema)}}
	case o.file:
		ok["content"] = map[string]any{"*/*": map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}
	}
	if o.csv {
		content, _ := ok["content"].(map[string]any)
		if content == nil {
			content = map[string]any{}
			ok["content"] = content
		}
		content["text/csv"] = map[string]any{"schema": map[string]any{"type": "string"}}
	}
	problem := map[string]any{"description": "a problem: the kind is the last segment of type",
		"content": map[string]any{"application/problem+json": map[string]any{"schema": sb.ref(reflect.TypeFor[Problem](), true)}}}
	out["responses"] = map[string]any{strconv.Itoa(status): ok, "default": problem}
	if o.public {
		out["security"] = []any{}
	}
	return out
}

// operationID turns "GET /api/v1/tickets/{number}/history" into "get_tickets_number_history".
func operationID(key string) string {
	method, path, _ := strings.Cut(key, " ")
	path = strings.NewReplacer(Prefix+"/", "", "{", "", "}", "", "/", "_", ".", "_").Replace(path)
	return strings.ToLower(method) + "_" + path
}
