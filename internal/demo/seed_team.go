package demo

import (
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// seedAgentsPerLevel is how many agents Seed creates at a level that has no enabled agent.
var seedAgentsPerLevel = map[opsdesk.Level]int{opsdesk.LevelN1: 3, opsdesk.LevelN2: 2, opsdesk.LevelN3: 2}

// seedTeam finds the enabled agents of each level, who work the seeded tickets, and creates a
// few (without password) at a level that has none.
func (g *gen) seedTeam(res *SeedResult) error {
	g.agents = map[opsdesk.Level][]*opsdesk.User{}
	for _, l := range opsdesk.Levels {
		us, err := g.db.ListUsers(g.sys, store.UserFilter{Role: opsdesk.RoleAgent, Level: l})
		if err != nil {
			return err
		}
		for _, u := range us {
			if !u.Disabled {
				g.agents[l] = append(g.agents[l], u)
			}
		}
		// Numbered after any earlier seed agent of the level (kept, but disabled since).
		for k := 1; len(g.agents[l]) < seedAgentsPerLevel[l]; k++ {
			if k > 1000 {
				return fmt.Errorf("no free address for a seed agent at %s", l)
			}
			u := &opsdesk.User{Email: fmt.Sprintf("seed.agent.%s.%d@%s", strings.ToLower(string(l)), k, g.opt.Domain), Name: fmt.Sprintf("Seed agent %s-%d", l, k),
				Role: opsdesk.RoleAgent, Level: l, Lang: opsdesk.LangEN, Domains: []string{"application", "integration"}}
			err := g.createUser(u, false, "")
			if opsdesk.ErrorKind(err) == opsdesk.KindConflict {
				continue
			}
			if err != nil {
				return err
			}
			g.agents[l] = append(g.agents[l], u)
			res.Agents = append(res.Agents, u)
		}
	}
	return nil
}

// seedKnowledge finds the demo's knowledge articles (published, by English title), which
// resolutions link to, and writes those missing, published by the system actor.
func (g *gen) seedKnowledge(res *SeedResult) error {
	g.articles = make([]*opsdesk.Article, len(kbSpecs))
	for i, s := range kbSpecs {
		a, found, err := g.publishedArticle(s)
		if err != nil {
			return err
		}
		if !found {
			if a, err = g.article(s, g.sys); err != nil {
				return err
			}
			res.Articles++
		}
		g.articles[i] = a
	}
	return nil
}

// publishedArticle finds the published article of s's kind and category whose English title is
// s's; found is false when there is none.
func (g *gen) publishedArticle(s kbSpec) (a *opsdesk.Article, found bool, err error) {
	f := opsdesk.ArticleFilter{Status: opsdesk.ArticlePublished, Kind: s.kind, Category: s.category, Lang: opsdesk.LangEN, Limit: 200}
	for {
		as, next, err := g.db.ListArticles(g.sys, f)
		if err != nil {
			return nil, false, err
		}
		for _, a := range as {
			if a.Text(opsdesk.LangEN).Title == s.enTitle {
				return a, true, nil
			}
		}
		if next == "" {
			return nil, false, nil
		}
		f.Cursor = next
	}
}
