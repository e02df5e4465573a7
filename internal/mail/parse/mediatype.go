package parse

import (
	"sort"
	"strconv"
	"strings"
)

// parseMediaType parses a Content-Type or Content-Disposition value leniently. It has the
// signature of enmime.CustomParseMediaType so that enmime reads boundaries through it too.
// The type is lower-cased; parameter names are lower-cased, values are kept as written except
// that quoted strings are unquoted and RFC 2231 extended and continued parameters are joined
// and decoded. It never fails: garbage yields an empty type or fewer parameters.
func parseMediaType(v string) (mtype string, params map[string]string, invalid []string, err error) {
	v = strings.TrimSpace(v)
	params = map[string]string{}
	if v == "" {
		return "", params, nil, nil
	}
	typ, rest := v, ""
	if i := strings.IndexByte(v, ';'); i >= 0 {
		typ, rest = v[:i], v[i+1:]
	}
	typ = stripComments(typ)
	if eq := strings.IndexByte(typ, '='); eq >= 0 {
		// "name=value" without a type, or a type followed by a parameter without ";".
		if sp := strings.LastIndexAny(typ[:eq], " \t"); sp >= 0 {
			typ, rest = typ[:sp], typ[sp+1:]+";"+rest
		} else {
			typ, rest = "", v
		}
	}
	mtype = normaliseType(typ)
	raw := splitParams(rest)
	params = joinRFC2231(raw)
	return mtype, params, nil, nil
}

// normaliseType lower-cases a media type and repairs common damage ("text/", "text",
// "text/plain/html", stray spaces).
func normaliseType(t string) string {
	t = strings.ToLower(strings.Trim(strings.TrimSpace(t), "\"'"))
	t = strings.Join(strings.Fields(t), "")
	parts := strings.Split(t, "/")
	switch {
	case t == "":
		return ""
	case len(parts) == 1 && parts[0] == "text":
		return "text/plain"
	case len(parts) == 1 && parts[0] == "multipart":
		return "multipart/mixed"
	case len(parts) == 1:
		return t
	case parts[1] == "" && parts[0] == "text":
		return "text/plain"
	case parts[1] == "" && parts[0] == "multipart":
		return "multipart/mixed"
	case parts[1] == "":
		return "application/octet-stream"
	}
	return parts[0] + "/" + parts[1]
}

type rawParam struct{ name, value string }

// splitParams splits "a=1; b="x;y"; c" into name/value pairs, honouring quoted strings with
// backslash escapes. Unquoted values run to the next ";" so unquoted names with spaces survive.
func splitParams(s string) []rawParam {
	var out []rawParam
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ';' || s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ';' {
			j++
		}
		name := strings.ToLower(strings.TrimSpace(s[i:j]))
		if j >= len(s) || s[j] == ';' {
			i = j // a parameter without value is ignored
			continue
		}
		j++ // skip '='
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		var value strings.Builder
		if j < len(s) && s[j] == '"' {
			j++
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				value.WriteByte(s[j])
				j++
			}
			j++ // closing quote
			for j < len(s) && s[j] != ';' {
				j++ // junk after the closing quote
			}
		} else {
			k := j
			for k < len(s) && s[k] != ';' {
				k++
			}
			value.WriteString(strings.TrimSpace(s[j:k]))
			j = k
		}
		if name != "" && !strings.ContainsAny(name, " \t\"") {
			out = append(out, rawParam{name, value.String()})
		}
		i = j
	}
	return out
}

// joinRFC2231 joins RFC 2231 continuations ("name*0", "name*1*") and decodes extended values
// ("name*=charset'lang'%xx"). Plain values win over nothing; extended values win over plain
// ones. The first occurrence of a repeated parameter is kept.
func joinRFC2231(raw []rawParam) map[string]string {
	type section struct {
		n        int
		extended bool
		value    string
	}
	params := map[string]string{}
	sections := map[string][]section{}
	var order []string
	for _, p := range raw {
		name, ext := p.name, false
		if strings.HasSuffix(name, "*") {
			name, ext = strings.TrimSuffix(name, "*"), true
		}
		base, num, hasNum := strings.Cut(name, "*")
		if !hasNum && !ext {
			if _, seen := params[base]; !seen {
				params[base] = p.value
			}
			continue
		}
		n := 0
		if hasNum {
			v, err := strconv.Atoi(num)
			if err != nil {
				continue
			}
			n = v
		}
		if _, seen := sections[base]; !seen {
			order = append(order, base)
		}
		sections[base] = append(sections[base], section{n, ext, p.value})
	}
	for _, base := range order {
		secs := sections[base]
		sort.SliceStable(secs, func(i, j int) bool { return secs[i].n < secs[j].n })
		var (
			data    []byte
			charset string
		)
		for i, s := range secs {
			if i > 0 && s.n == secs[i-1].n {
				continue
			}
			v := s.value
			if s.extended {
				if i == 0 {
					if p := strings.SplitN(v, "'", 3); len(p) == 3 {
						charset, v = p[0], p[2]
					}
				}
				data = append(data, percentDecode(v)...)
			} else {
				data = append(data, v...)
			}
		}
		s, _ := decodeCharset(data, charset, "")
		params[base] = s
	}
	return params
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// stripComments removes RFC 5322 comments "(...)" outside quoted strings.
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var out strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (quoted || depth > 0):
			if depth == 0 {
				out.WriteByte(c)
				out.WriteByte(s[i+1])
			}
			i++
		case c == '"' && depth == 0:
			quoted = !quoted
			out.WriteByte(c)
		case c == '(' && !quoted:
			depth++
		case c == ')' && !quoted && depth > 0:
			depth--
		case depth == 0:
			out.WriteByte(c)
		}
	}
	return out.String()
}
