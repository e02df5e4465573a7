package opsdesk

// DefaultProjectTemplate is the template seeded on a fresh database (code "default"): the five
// phases of bringing a customer into service, with their usual checklist. Admins may edit it
// afterwards; seeding never overwrites it.
func DefaultProjectTemplate() *ProjectTemplate {
	pre := func(fr, en, dfr, den string, side OwnerSide, days int) TemplateItem {
		return TemplateItem{Kind: ItemPrerequisite, TitleFR: fr, TitleEN: en, DescriptionFR: dfr, DescriptionEN: den, OwnerSide: side, OffsetDays: days}
	}
	del := func(fr, en, dfr, den string, side OwnerSide, days int) TemplateItem {
		return TemplateItem{Kind: ItemDeliverable, TitleFR: fr, TitleEN: en, DescriptionFR: dfr, DescriptionEN: den, OwnerSide: side, OffsetDays: days}
	}
	task := func(fr, en, dfr, den string, days int) TemplateItem {
		return TemplateItem{Kind: ItemTask, TitleFR: fr, TitleEN: en, DescriptionFR: dfr, DescriptionEN: den, OwnerSide: SideVendor, OffsetDays: days}
	}
	return &ProjectTemplate{
		Code: "default", NameFR: "Mise en service standard", NameEN: "Standard go-live", IsDefault: true,
		Phases: []TemplatePhase{
			{Code: PhasePreframing, NameFR: "Pré-cadrage technique", NameEN: "Technical pre-framing", Items: []TemplateItem{
				pre("Architecture cible", "Target architecture",
					"Schéma de l'architecture cible validé : composants, zones réseau, haute disponibilité.",
					"Target architecture diagram agreed: components, network zones, high availability.", SideCustomer, 10),
				pre("Serveurs", "Servers",
					"Liste des serveurs mis à disposition par environnement (nom, rôle, adresse).",
					"Servers provided for each environment (name, role, address).", SideCustomer, 14),
				pre("Dimensionnement", "Capacity sizing",
					"Volumétrie attendue et dimensionnement CPU, mémoire et disque de chaque serveur.",
					"Expected volumes and CPU, memory and disk sizing of each server.", SideVendor, 14),
				pre("Systèmes d'exploitation et versions", "Operating systems and versions",
					"Système et version de chaque serveur, conformes aux prérequis de l'éditeur.",
					"Operating system and version of each server, matching the vendor's requirements.", SideCustomer, 14),
				pre("Réseau et flux", "Network and flows",
					"Matrice des flux ouverts (source, destination, port, protocole) et noms DNS.",
					"Matrix of opened flows (source, destination, port, protocol) and DNS names.", SideCustomer, 21),
				pre("Délégation des comptes stores (Apple/Google)", "App-store account delegation (Apple/Google)",
					"Accès délégué à l'éditeur sur les comptes Apple App Store Connect et Google Play Console.",
					"Vendor delegated access to the Apple App Store Connect and Google Play Console accounts.", SideCustomer, 21),
				pre("Accès", "Accesses",
					"Comptes et accès (VPN, bastion, consoles) ouverts pour l'équipe Ops.",
					"Accounts and accesses (VPN, bastion, consoles) opened for the Ops team.", SideCustomer, 21),
			}},
			{Code: PhaseFraming, NameFR: "Cadrage technique", NameEN: "Technical framing", Items: []TemplateItem{
				del("Planning et jalons validés", "Plan and milestones validated",
					"Tâches, jalons, charges et responsables du projet validés avec le client.",
					"Tasks, milestones, estimates and assignees of the project agreed with the customer.", SideVendor, 30),
				del("Priorités arbitrées", "Priorities agreed",
					"Priorité du projet arbitrée entre l'équipe Ops et les chefs de projet.",
					"Project priority agreed between the Ops team and the project managers.", SideVendor, 30),
			}},
			{Code: PhaseDeployment, NameFR: "Déploiement", NameEN: "Deployment", Items: []TemplateItem{
				task("Recette : installer, configurer, déployer, tester", "Test: install, configure, deploy, test",
					"Installation et configuration sur l'environnement de recette, déploiement et tests.",
					"Install and configure on the test environment, deploy and test.", 45),
				task("Préproduction : installer, configurer, déployer, tester", "Preprod: install, configure, deploy, test",
					"Même chose en préproduction, après la recette.", "The same on preprod, after test.", 60),
				task("Production : installer, configurer, déployer, tester", "Prod: install, configure, deploy, test",
					"Mise en production après validation en préproduction.", "Go-live on prod once preprod is validated.", 75),
			}},
			{Code: PhaseOperations, NameFR: "Gestion opérationnelle", NameEN: "Operational management", Items: []TemplateItem{
				del("Environnements pris en charge", "Environments supported",
					"Les environnements passent en support Run.", "The environments are handed over to Run support.", SideVendor, 80),
				del("Contrat de support et SLA actifs", "Support contract and SLA active",
					"Contrat, niveaux de support et engagements de service en vigueur.",
					"Contract, support levels and service commitments in force.", SideVendor, 80),
				del("Sondes actives", "Probes on",
					"Sondes de disponibilité configurées sur la production.", "Availability probes configured on prod.", SideVendor, 80),
				del("Accès enregistrés", "Access grants recorded",
					"Les accès de l'équipe sont enregistrés avec leur échéance.", "The team's access grants are recorded with their expiry.", SideVendor, 80),
			}},
			{Code: PhaseImprovement, NameFR: "Amélioration continue", NameEN: "Continuous improvement", Items: []TemplateItem{
				task("Revue de la supervision", "Monitoring review",
					"Revue des sondes, seuils et alertes (tâche récurrente du plan).",
					"Review of probes, thresholds and alerts (a recurring task of the plan).", 120),
				task("Audit", "Audit", "Audit de sécurité et de conformité planifié, constats enregistrés.",
					"Security and compliance audit scheduled, findings recorded.", 180),
				task("Revue de performance", "Performance review",
					"Revue des performances (récurrente), constats enregistrés.", "Performance review (recurring), findings recorded.", 180),
			}},
		},
	}
}
