package web

import "context"

// demoBanner tells the layout whether to show the demo banner: the database was filled by
// `opsdesk demo`. A failing read shows no banner rather than failing the page.
func (s *Server) demoBanner() bool {
	on, err := s.db.IsDemo(context.Background())
	if err != nil {
		s.log.Warn("web: read the demo mark", "err", err)
	}
	return on
}
