package parse

import (
	"regexp"
	"strings"
)

var (
	// quoteSeparator matches the line Outlook, Thunderbird, Gmail and Apple Mail put above a
	// quoted or forwarded original message.
	quoteSeparator = regexp.MustCompile(`(?i)^\s*(?:-{2,}\s*(?:original message|original-?nachricht|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|originalmeddelande|oprindelig meddelelse|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht)\s*-{2,}|(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado)\s*:)\s*$`)
	// underscoreRule is the line Outlook on the web puts above the header block of the original.
	underscoreRule = regexp.MustCompile(`^\s*_{20,}\s*$`)
	// quoteFromField is the first line of a quoted header block (From:, De :, Von:, ...).
	quoteFromField = regexp.MustCompile(`(?i)^\s*[*>]*\s*(?:from|de|von|van|da|fra|från|od|от)\s*[*]?\s*:\s*\S`)
	// quoteOtherField is any other line of such a header block.
	quoteOtherField = regexp.MustCompile(`(?i)^\s*[*>]*\s*(?:sent|envoyé|envoyé le|gesendet|date|datum|to|à|a|an|aan|cc|subject|objet|betreff|onderwerp|verzonden|inviato|oggetto|enviado|enviada|asunto|para|per|til|till|skickat|ämne|emne)\s*[*]?\s*:`)
	// attributionStart is the cheap test for the first word of an attribution.
	attributionStart = regexp.MustCompile(`(?i)^\s*(?:on|le|am|el|op|il|em|den)\s`)
	// attribution matches "On … wrote:" lines in the languages support mail arrives in.
	attribution = regexp.MustCompile(`(?i)^\s*(?:on\s.{1,250}\swrote|le\s.{1,250}\sa\s+écrit|am\s.{1,250}\sschrieb.{0,120}|el\s.{1,250}\sescribió|op\s.{1,250}\sschreef.{0,120}|il\s.{1,250}\sha\s+scritto|em\s.{1,250}\sescreveu|den\s.{1,250}\sskrev.{0,120})\s*:\s*$`)
)

// looseAttribution recognises an attribution line that only says "… wrote:".
var looseAttribution = regexp.MustCompile(`(?i)\b(?:wrote|écrit|schrieb|escribió|schreef|scritto|escreveu|skrev)\b.{0,200}:\s*$`)

// foldQuotes returns text without the quoted earlier conversation. Everything from an
// Outlook-style header on is dropped: a separator ("-----Original Message-----",
// "---------- Forwarded message ---------", "Begin forwarded message:", and their French,
// German, Spanish, Italian, Dutch, Portuguese and Nordic forms) or a From:/De :/Von: block with
// Sent/Date/To/Subject lines, optionally under a line of underscores. An attribution ("On …
// wrote:", "Le … a écrit :", "Am … schrieb …:") followed by "> " lines is dropped with those
// lines, so answers written below or between quotes stay; an attribution followed by unquoted
// text (quote marks lost in HTML) cuts the rest. All remaining "> " lines are dropped, with a
// "… wrote:" line just above them. When folding would leave nothing (a forward without
// comment), the whole text is returned.
func foldQuotes(text string) string {
	// Matching sees no-break spaces ("De\u00a0:") as spaces; the output keeps the text as is.
	lines := strings.Split(strings.ReplaceAll(text, "\u00a0", " "), "\n")
	orig := strings.Split(text, "\n")
	drop := make([]bool, len(lines))
	cut := len(lines)
	for i := 0; i < cut; i++ {
		if headerQuoteStarts(lines, i) {
			cut = i
			break
		}
		end, ok := attributionAt(lines, i)
		if !ok {
			continue
		}
		next := end + 1
		for next < len(lines) && strings.TrimSpace(lines[next]) == "" {
			next++
		}
		if next < len(lines) && isQuoted(lines[next]) {
			for k := i; k <= end; k++ {
				drop[k] = true
			}
			i = end
			continue
		}
		cut = i
	}
	var kept []string
	inQuote := false
	for i, l := range orig[:cut] {
		switch {
		case drop[i] || isQuoted(l):
			// An unrecognised attribution ("Jane <j@x> wrote:") just above a quote goes too.
			if isQuoted(l) && !inQuote {
				kept = dropAttribution(kept)
			}
			inQuote = isQuoted(l) || (inQuote && strings.TrimSpace(l) == "")
		default:
			kept = append(kept, l)
			inQuote = inQuote && strings.TrimSpace(l) == ""
		}
	}
	out := manyBlankLines.ReplaceAllString(strings.Join(kept, "\n"), "\n\n")
	out = strings.TrimSpace(out)
	if out == "" {
		return text
	}
	return out
}

func isQuoted(l string) bool { return strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") }

// dropAttribution removes a trailing "… wrote:" line (and blank lines after it) from kept.
func dropAttribution(kept []string) []string {
	j := len(kept)
	for j > 0 && strings.TrimSpace(kept[j-1]) == "" {
		j--
	}
	if j > 0 && looseAttribution.MatchString(kept[j-1]) {
		return kept[:j-1]
	}
	return kept
}

// headerQuoteStarts reports whether an Outlook-style quoted original starts at lines[i].
func headerQuoteStarts(lines []string, i int) bool {
	l := lines[i]
	if quoteSeparator.MatchString(l) {
		return true
	}
	if underscoreRule.MatchString(l) {
		for j := i + 1; j < len(lines) && j <= i+2; j++ {
			if quoteFromField.MatchString(lines[j]) {
				return true
			}
		}
	}
	if quoteFromField.MatchString(l) {
		n := 0
		for j := i + 1; j < len(lines) && j <= i+6; j++ {
			if quoteOtherField.MatchString(lines[j]) {
				n++
			}
		}
		return n >= 2
	}
	return false
}

// attributionAt reports whether an attribution starts at lines[i]; it may be wrapped over up to
// three lines, and end is the index of its last line.
func attributionAt(lines []string, i int) (end int, ok bool) {
	if !attributionStart.MatchString(lines[i]) {
		return 0, false
	}
	joined := lines[i]
	for j := i; j < len(lines) && j < i+3; j++ {
		if j > i {
			joined += " " + strings.TrimSpace(lines[j])
		}
		if attribution.MatchString(joined) {
			return j, true
		}
	}
	return 0, false
}
