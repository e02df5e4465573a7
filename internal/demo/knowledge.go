package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbSpec is a knowledge-base entry in both languages.
type kbSpec struct {
	kind             opsdesk.ArticleKind
	category         string
	frTitle, frBody  string
	enTitle, enBody  string
	frSteps, enSteps []opsdesk.Step
	customersVisible bool
}

var kbSpecs = []kbSpec{
	{opsdesk.ArticlePlain, "application",
		"Connexion impossible après changement de mot de passe",
		"Si la connexion échoue juste après un changement de mot de passe, videz le cache du navigateur puis reconnectez-vous. Si le compte est verrouillé après cinq essais, il se déverrouille seul au bout de 15 minutes.",
		"Cannot log in after a password change",
		"If logging in fails right after a password change, clear the browser cache and log in again. An account locked after five attempts unlocks itself after 15 minutes.",
		nil, nil, true},
	{opsdesk.ArticlePlain, "application",
		"Rapports lents en fin de mois",
		"Les rapports mensuels lancés entre 9 h et 11 h le premier jour ouvré sont mis en file d'attente. Planifiez-les la veille au soir depuis l'écran Rapports > Planification.",
		"Slow reports at month end",
		"Monthly reports started between 9 and 11 am on the first business day are queued. Schedule them the evening before from Reports > Scheduling.",
		nil, nil, true},
	{opsdesk.ArticlePlain, "integration",
		"Erreurs 401 sur l'API après rotation des clés",
		"Après la rotation annuelle des clés, les jetons émis avec l'ancienne clé sont refusés (HTTP 401). Régénérez le jeton du compte technique dans Administration > Intégrations.",
		"API 401 errors after key rotation",
		"After the yearly key rotation, tokens issued with the old key are refused (HTTP 401). Generate the service account's token again under Administration > Integrations.",
		nil, nil, true},
	{opsdesk.ArticleProcedure, "infrastructure",
		"Renouveler le certificat TLS d'un environnement",
		"Procédure interne de renouvellement d'un certificat arrivant à expiration.",
		"Renew an environment's TLS certificate",
		"Internal procedure to renew a certificate that is about to expire.",
		[]opsdesk.Step{{Instruction: "Générer la demande de certificat (CSR) sur le proxy", Expected: "Fichier .csr créé"},
			{Instruction: "Faire signer la demande par l'autorité du client", Expected: "Certificat signé reçu"},
			{Instruction: "Installer le certificat et recharger le proxy", Expected: "Nouvelle date d'expiration visible"}},
		[]opsdesk.Step{{Instruction: "Generate the certificate signing request (CSR) on the proxy", Expected: ".csr file created"},
			{Instruction: "Have the customer's authority sign the request", Expected: "Signed certificate received"},
			{Instruction: "Install the certificate and reload the proxy", Expected: "New expiry date shown"}}, false},
	{opsdesk.ArticleProcedure, "database",
		"Relancer un traitement batch nocturne en échec",
		"Procédure interne pour relancer un batch de nuit sans doublon.",
		"Restart a failed nightly batch job",
		"Internal procedure to restart a night batch without duplicates.",
		[]opsdesk.Step{{Instruction: "Lire le journal du batch et noter le dernier lot traité", Expected: "Numéro de lot connu"},
			{Instruction: "Purger les verrous du lot en cours", Expected: "Aucun verrou restant"},
			{Instruction: "Relancer le batch à partir du lot suivant", Expected: "Batch terminé sans erreur"}},
		[]opsdesk.Step{{Instruction: "Read the batch log and note the last batch processed", Expected: "Batch number known"},
			{Instruction: "Clear the locks of the current batch", Expected: "No lock left"},
			{Instruction: "Restart the job from the next batch", Expected: "Job finished without error"}}, false},
}

// knowledge writes the articles and procedures, submitted by an agent and published by the ops
// manager, as the review workflow asks.
func (g *gen) knowledge() error {
	g.at(g.end.Add(-Period + 2*time.Hour))
	for _, s := range kbSpecs {
		a, err := g.article(s, g.as(g.ops))
		if err != nil {
			return err
		}
		g.articles = append(g.articles, a)
	}
	return nil
}

// article writes one entry, submitted by the first N2 agent and published by publisher (an ops
// manager or an admin).
func (g *gen) article(s kbSpec, publisher context.Context) (*opsdesk.Article, error) {
	n := &opsdesk.NewArticle{Kind: s.kind, Category: s.category, Texts: []opsdesk.ArticleText{
		{Lang: opsdesk.LangFR, Title: s.frTitle, Body: s.frBody, Steps: s.frSteps},
		{Lang: opsdesk.LangEN, Title: s.enTitle, Body: s.enBody, Steps: s.enSteps}}}
	if s.customersVisible {
		n.Visibility = opsdesk.VisibleCustomers
	}
	agent := g.agents[opsdesk.LevelN2][0]
	a, err := g.db.CreateArticle(g.as(agent), n)
	if err != nil {
		return nil, fmt.Errorf("article %q: %w", s.enTitle, err)
	}
	if a, err = g.db.SetArticleStatus(g.as(agent), a.ID, opsdesk.ArticleReview, a.Version, ""); err != nil {
		return nil, fmt.Errorf("submit %q: %w", s.enTitle, err)
	}
	if a, err = g.db.SetArticleStatus(publisher, a.ID, opsdesk.ArticlePublished, a.Version, ""); err != nil {
		return nil, fmt.Errorf("publish %q: %w", s.enTitle, err)
	}
	return a, nil
}

// deflections records customers who found their answer in a public article while filing a
// request in the portal, and left without filing: about one a day over the history.
func (g *gen) deflections() error {
	var public []*opsdesk.Article
	for i, s := range kbSpecs {
		if s.customersVisible {
			public = append(public, g.articles[i])
		}
	}
	for i := range 90 {
		c := pick(g, g.custs)
		g.at(g.office(c, g.end.Add(-Period+time.Duration(i)*24*time.Hour+time.Duration(g.rnd.IntN(600))*time.Minute)))
		if g.now.After(g.end) {
			break
		}
		if err := g.db.RecordDeflection(g.as(pick(g, c.users)), pick(g, public).ID, fmt.Sprintf("demo-visit-%d", i)); err != nil {
			return fmt.Errorf("deflection: %w", err)
		}
	}
	return nil
}
