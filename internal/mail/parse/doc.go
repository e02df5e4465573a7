// Package parse turns one raw inbound e-mail (RFC 5322 / MIME) into a [Message]: the sender,
// recipients, decoded subject, threading identifiers, body text, sanitised HTML, attachments,
// and the robot and bounce signals a service desk needs before it opens or updates a ticket.
//
// The parser is built for real-world mail rather than for well-formed mail. It never panics and
// it never drops content silently: whatever could not be read cleanly is recorded in
// [Message.Defects]. MIME structure is read with github.com/jhillyerd/enmime; header repair,
// charset and encoded-word decoding, transfer decoding, body selection, HTML reduction and
// sanitising are done here so that every decision is explicit and testable.
package parse
