package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// maxJSON bounds a JSON request body: a description may be 200,000 characters of UTF-8.
const maxJSON = 1 << 20

// readJSON decodes the request body into dst strictly: one JSON object, no unknown keys, every
// value of the right type. The errors name the offending key and answer 400 (415 for a body
// that says it is not JSON, 413 for one too large).
func readJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpError{status: http.StatusUnsupportedMediaType, kind: "unsupported_media_type", field: "Content-Type",
				detail: "send the body as application/json"}
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return badRequest("", "the body must hold a single JSON object")
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("", "the body is empty: send a JSON object")
	case errors.As(err, &tooLarge):
		return &httpError{status: http.StatusRequestEntityTooLarge, kind: "too_large", detail: fmt.Sprintf("the body is larger than %d bytes", maxJSON)}
	case errors.As(err, &syntaxErr):
		return badRequest("", fmt.Sprintf("malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "malformed JSON: the body ends too early")
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return badRequest("", "the body must be a JSON object")
		}
		return badRequest(typeErr.Field, fmt.Sprintf("must be %s, not a JSON %s", jsonType(typeErr.Type.String()), typeErr.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return badRequest(name, fmt.Sprintf("unknown field %q", name))
	}
	return badRequest("", "malformed JSON: "+err.Error())
}

// jsonType names the JSON type a Go type is read from.
func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "a number"
	case goType == "bool" || goType == "*bool":
		return "true or false"
	case strings.Contains(goType, "string"), strings.HasPrefix(goType, "opsdesk."):
		return "a string"
	}
	return "an object"
}

// writeJSON answers v as JSON with the status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// created answers 201 with the new resource and where it lives.
func created(w http.ResponseWriter, location string, v any) error {
	w.Header().Set("Location", location)
	return writeJSON(w, http.StatusCreated, v)
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, opsdesk.NotFound("no %s %q", name, r.PathValue(name))
	}
	return id, nil
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, opsdesk.Invalid(name, "must be a positive whole number")
	}
	return n, nil
}

// queryList reads a comma-separated query parameter, also accepting it repeated.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
