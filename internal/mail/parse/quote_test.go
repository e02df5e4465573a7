package parse

import "testing"

func TestFoldQuotes(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{
			name: "no quote",
			text: "Hello,\nthe printer is broken.\n\nAlice",
			want: "Hello,\nthe printer is broken.\n\nAlice",
		},
		{
			name: "outlook english original message",
			text: "Thanks, that fixed it.\n\n-----Original Message-----\nFrom: Support <help@example.com>\nSent: Monday, March 4, 2024 10:00 AM\nTo: Alice\nSubject: RE: printer\n\nPlease restart it.",
			want: "Thanks, that fixed it.",
		},
		{
			name: "outlook french message d'origine",
			text: "Merci, c'est réglé.\n\n-----Message d'origine-----\nDe : Support <help@example.com>\nEnvoyé : lundi 4 mars 2024 10:00\nÀ : Alice\nObjet : RE: imprimante\n\nRedémarrez-la.",
			want: "Merci, c'est réglé.",
		},
		{
			name: "outlook english header block under underscores",
			text: "Works now.\n\n________________________________\nFrom: Support <help@example.com>\nSent: Monday, March 4, 2024 10:00\nTo: Alice\nSubject: printer\n\nRestart it.",
			want: "Works now.",
		},
		{
			name: "outlook french header block with no-break spaces",
			text: "Bonjour,\nc'est bon.\n\nDe\u00a0: Support <help@example.com>\nEnvoyé\u00a0: lundi 4 mars 2024 10:00\nÀ\u00a0: Alice\nObjet\u00a0: imprimante\n\nRedémarrez-la.",
			want: "Bonjour,\nc'est bon.",
		},
		{
			name: "outlook german header block",
			text: "Danke!\n\nVon: Support <help@example.com>\nGesendet: Montag, 4. März 2024 10:00\nAn: Alice\nBetreff: Drucker\n\nBitte neu starten.",
			want: "Danke!",
		},
		{
			name: "gmail english top posting",
			text: "Yes, tomorrow works.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Support <help@example.com> wrote:\n> Can we call tomorrow?\n>\n> Support",
			want: "Yes, tomorrow works.",
		},
		{
			name: "gmail attribution wrapped over two lines",
			text: "Yes.\n\nOn Mon, Mar 4, 2024 at 10:00 AM Support Team <\nhelp@example.com> wrote:\n\n> Can we call?",
			want: "Yes.",
		},
		{
			name: "apple french a écrit",
			text: "D'accord.\n\nLe 4 mars 2024 à 10:00, Support <help@example.com> a écrit :\n\n> Pouvons-nous appeler demain ?",
			want: "D'accord.",
		},
		{
			name: "gmail french with quotes",
			text: "Oui.\n\nLe lun. 4 mars 2024 à 10:00, Support <help@example.com> a écrit :\n> Question ?",
			want: "Oui.",
		},
		{
			name: "german am schrieb",
			text: "Passt.\n\nAm 04.03.2024 um 10:00 schrieb Support <help@example.com>:\n> Morgen?",
			want: "Passt.",
		},
		{
			name: "bottom posting keeps the answer",
			text: "On Mon, Mar 4, 2024 Support <help@example.com> wrote:\n> Can we call tomorrow?\n\nYes, after 10.\n\nAlice",
			want: "Yes, after 10.\n\nAlice",
		},
		{
			name: "interleaved answers",
			text: "Bob wrote:\n> first question?\nfirst answer\n> second question?\nsecond answer",
			want: "first answer\nsecond answer",
		},
		{
			name: "attribution without quote marks cuts the rest",
			text: "Sure.\n\nOn Mon, Mar 4, 2024 Support <help@example.com> wrote:\nCan we call tomorrow?",
			want: "Sure.",
		},
		{
			name: "trailing quote block only",
			text: "See my answer above.\n\n> old text\n> more old text",
			want: "See my answer above.",
		},
		{
			name: "forward with comment",
			text: "FYI\n\n---------- Forwarded message ---------\nFrom: Carol <carol@example.com>\nDate: Mon, Mar 4, 2024\nSubject: Outage\nTo: Alice\n\nThe site is down.",
			want: "FYI",
		},
		{
			name: "forward without comment keeps everything",
			text: "Begin forwarded message:\n\nFrom: Carol <carol@example.com>\nSubject: Outage\nDate: 4 March 2024\nTo: Alice\n\nThe site is down.",
			want: "Begin forwarded message:\n\nFrom: Carol <carol@example.com>\nSubject: Outage\nDate: 4 March 2024\nTo: Alice\n\nThe site is down.",
		},
		{
			name: "single from line in prose is not a header block",
			text: "From: the team, with thanks.\nWe fixed it.",
			want: "From: the team, with thanks.\nWe fixed it.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := foldQuotes(tt.text); got != tt.want {
				t.Errorf("foldQuotes =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
