package demo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// seedCodePrefix starts the codes of the customers Seed creates: SEED00001, SEED00002…
const seedCodePrefix = "SEED"

// Words the seeded customers' names and people are drawn from, by language.
var (
	seedNames = map[opsdesk.Lang][2][]string{
		opsdesk.LangFR: {{"Mutuelle", "Transports", "Clinique", "Banque", "Groupe", "Distribution", "Énergies", "Assurances"},
			{"du Rhône", "de l'Atlantique", "des Alpes", "du Nord", "de Provence", "de Bretagne", "du Val de Loire", "d'Occitanie"}},
		opsdesk.LangEN: {{"Harbour", "Northern", "Westfield", "Riverside", "Summit", "Oakwood", "Highland", "Eastgate"},
			{"Logistics", "Bank", "Insurance", "Retail", "Health", "Energy", "Foods", "Airways"}},
	}
	seedPeople = map[opsdesk.Lang][][2]string{
		opsdesk.LangFR: {{"camille.moreau", "Camille Moreau"}, {"hugo.lefebvre", "Hugo Lefebvre"}, {"lea.girard", "Léa Girard"},
			{"antoine.mercier", "Antoine Mercier"}, {"ines.faure", "Inès Faure"}, {"louis.blanc", "Louis Blanc"}},
		opsdesk.LangEN: {{"emily.carter", "Emily Carter"}, {"jack.turner", "Jack Turner"}, {"olivia.hall", "Olivia Hall"},
			{"harry.wood", "Harry Wood"}, {"grace.evans", "Grace Evans"}, {"noah.baker", "Noah Baker"}},
	}
	seedContacts = []string{"support", "it-ops", "dsi", "noc", "exploitation", "helpdesk"}
)

// seedCustomers creates n customers after the highest SEED code already used, with their
// environments, and gives their contracts the default SLA targets.
func (g *gen) seedCustomers(n int, res *SeedResult) error {
	cals, err := g.calendars()
	if err != nil {
		return err
	}
	next, err := g.nextSeedNumber()
	if err != nil {
		return err
	}
	for k := next; k < next+n; k++ {
		c, err := g.addCustomer(g.seedSpec(k), cals, false)
		if err != nil {
			return err
		}
		if err := g.customerEnvironments(c); err != nil {
			return err
		}
		g.custs = append(g.custs, c)
		res.Customers = append(res.Customers, c.Customer)
	}
	return g.db.SeedSLADefaults(g.sys)
}

// nextSeedNumber is the number after the highest SEEDnnnnn code of the desk.
func (g *gen) nextSeedNumber() (int, error) {
	cs, err := g.db.ListCustomers(g.sys)
	if err != nil {
		return 0, err
	}
	last := 0
	for _, c := range cs {
		if digits, ok := strings.CutPrefix(c.Code, seedCodePrefix); ok {
			if v, err := strconv.Atoi(digits); err == nil && v > last {
				last = v
			}
		}
	}
	return last + 1, nil
}

// seedSpec draws the k-th seeded customer: its language, name, tier, levels (one in five has
// no N1), calendar (French business days or London business days by language, some 24/7), two
// users, two mail-only contacts and a weight between 5 and 34.
func (g *gen) seedSpec(k int) customerSpec {
	code := fmt.Sprintf("%s%05d", seedCodePrefix, k)
	lang := opsdesk.LangFR
	if g.rnd.IntN(2) == 0 {
		lang = opsdesk.LangEN
	}
	words := seedNames[lang]
	s := customerSpec{code: code, name: fmt.Sprintf("%s %s %d", pick(g, words[0]), pick(g, words[1]), k),
		domain: strings.ToLower(code) + ".example", lang: lang, tier: pick(g, opsdesk.ContractTiers),
		levels: opsdesk.Levels, weight: 5 + g.rnd.IntN(30)}
	if g.rnd.IntN(5) == 0 {
		s.levels = []opsdesk.Level{opsdesk.LevelN2, opsdesk.LevelN3}
	}
	switch {
	case g.rnd.IntN(5) == 0:
		s.calendar = "always"
	case lang == opsdesk.LangEN:
		s.calendar = "london"
	}
	people := seedPeople[lang]
	first := g.rnd.IntN(len(people))
	s.users = [][2]string{people[first], people[(first+1+g.rnd.IntN(len(people)-1))%len(people)]}
	c := g.rnd.IntN(len(seedContacts))
	s.contacts = []string{seedContacts[c], seedContacts[(c+1)%len(seedContacts)]}
	return s
}
