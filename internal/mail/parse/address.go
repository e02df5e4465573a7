package parse

import (
	"regexp"
	"strings"
)

// mailbox is one parsed address: a decoded display name and a lower-case addr-spec.
type mailbox struct {
	name, addr string
}

// parseAddressList reads an address header leniently: display names may be unquoted and
// contain commas, encoded words or raw 8-bit text; groups are flattened; angle brackets may be
// missing or unbalanced. Entries without any address are returned with an empty addr so that
// callers can skip them.
func (st *state) parseAddressList(field, v string) []mailbox {
	var out []mailbox
	chunks := splitAddresses(v)
	for i := 0; i < len(chunks); i++ {
		c := chunks[i]
		// "Smith, John <j@example.com>": a chunk without "@" or "<" joins the next one.
		for !strings.ContainsAny(c, "@<") && i+1 < len(chunks) && !strings.ContainsAny(chunks[i+1], ":;") {
			i++
			c += "," + chunks[i]
		}
		if m, ok := st.parseMailbox(field, c); ok {
			out = append(out, m)
		}
	}
	return out
}

// splitAddresses splits at commas (and group-ending semicolons) outside quotes, comments and
// angle brackets, and drops group names ("Team: a@x, b@y;").
func splitAddresses(v string) []string {
	var (
		out            []string
		cur            strings.Builder
		quoted         bool
		depth, angle   int
		sawAt, sawText bool
		sawAngle       bool
	)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			cur.WriteByte(c)
			cur.WriteByte(v[i+1])
			i++
			continue
		case c == '"' && depth == 0:
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '<':
			angle++
			sawAngle = true
		case c == '>' && angle > 0:
			angle--
			if angle == 0 {
				// "A <a@x> B <b@x>": a second mailbox may follow without a comma.
				if rest := strings.TrimLeft(v[i+1:], " \t"); rest != "" && !strings.ContainsAny(rest[:1], ",;(") && strings.Contains(rest, "@") {
					cur.WriteByte(c)
					out = append(out, cur.String())
					cur.Reset()
					sawAt, sawText, sawAngle = false, false, false
					continue
				}
			}
		case angle > 0:
		case c == ':' && !sawAt && !sawAngle:
			// group name: drop what was collected
			cur.Reset()
			sawText = false
			continue
		case c == ',' || c == ';':
			out = append(out, cur.String())
			cur.Reset()
			sawAt, sawText, sawAngle = false, false, false
			continue
		}
		if c == '@' {
			sawAt = true
		}
		if c != ' ' && c != '\t' {
			sawText = true
		}
		cur.WriteByte(c)
	}
	if sawText || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// parseMailbox reads "Name <addr>", "addr (Name)" or a bare addr-spec.
func (st *state) parseMailbox(field, c string) (mailbox, bool) {
	c = strings.TrimSpace(c)
	if c == "" {
		return mailbox{}, false
	}
	var name, addr string
	if lt := lastUnquoted(c, '<'); lt >= 0 {
		name = c[:lt]
		addr = c[lt+1:]
		if gt := strings.IndexByte(addr, '>'); gt >= 0 {
			addr = addr[:gt]
		}
	} else {
		addr = stripComments(c)
		if open := strings.IndexByte(c, '('); open >= 0 {
			if cl := strings.LastIndexByte(c, ')'); cl > open {
				name = c[open+1 : cl]
			}
		}
		if f := strings.Fields(addr); len(f) > 1 {
			// "John john@example.com": keep the word with "@" as the address.
			addr = ""
			var rest []string
			for _, w := range f {
				if addr == "" && strings.Contains(w, "@") {
					addr = w
				} else {
					rest = append(rest, w)
				}
			}
			if addr == "" {
				addr = f[len(f)-1]
				rest = f[:len(f)-1]
			}
			if name == "" {
				name = strings.Join(rest, " ")
			}
		}
	}
	addr = cleanAddr(st.decodeRaw(field, addr))
	name = st.decodeHeaderText(field, unquote(strings.TrimSpace(stripComments(name))))
	name = strings.Join(strings.Fields(name), " ")
	if addr == "" && name == "" {
		return mailbox{}, false
	}
	return mailbox{name: name, addr: addr}, true
}

// cleanAddr normalises an addr-spec: blanks, quotes around the whole address, "mailto:",
// source routes and stray brackets are removed, and the result is lower-cased.
func cleanAddr(a string) string {
	a = strings.TrimSpace(stripComments(a))
	a = strings.Trim(a, "<>\"' \t")
	if strings.HasPrefix(strings.ToLower(a), "mailto:") {
		a = a[len("mailto:"):]
	}
	if strings.HasPrefix(a, "@") {
		if i := strings.IndexByte(a, ':'); i >= 0 {
			a = a[i+1:] // obsolete source route "@relay:user@host"
		}
	}
	if !strings.HasPrefix(a, "\"") {
		a = strings.Join(strings.Fields(a), "")
	}
	return strings.ToLower(strings.TrimSpace(a))
}

// usable reports whether an addr-spec looks like a mailbox: local@domain, or a bare local part
// made of atom characters ("mailer-daemon", "moderator"), which old and local mail still uses.
func usable(addr string) bool {
	if addr == "" || strings.ContainsAny(addr, " \t<>,;[]()\\") {
		return false
	}
	if strings.Contains(addr, "\"") && !quotedLocal.MatchString(addr) {
		return false
	}
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return at > 0 && at < len(addr)-1
	}
	return localOnly.MatchString(addr)
}

var (
	localOnly   = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]*$`)
	quotedLocal = regexp.MustCompile(`^"[^"]*"@[^"@]+$`)
)

func lastUnquoted(s string, c byte) int {
	quoted, pos := false, -1
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == '"':
			quoted = !quoted
		case s[i] == c && !quoted:
			pos = i
		}
	}
	return pos
}

// unquote removes the double quotes of a quoted-string display name and its escapes.
func unquote(s string) string {
	if !strings.Contains(s, "\"") {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			out.WriteByte(s[i])
		case s[i] == '"':
		default:
			out.WriteByte(s[i])
		}
	}
	return out.String()
}
