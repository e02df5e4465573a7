package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// surveyTicket files a ticket for custA, takes it in charge and resolves it.
func surveyTicket(t *testing.T, db *store.DB, f *ticketFixture) *opsdesk.Ticket {
	t.Helper()
	tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "Exports fail", Description: "Since Monday"})
	if _, err := db.Take(as(f.agent), tk.Key); err != nil {
		t.Fatal(err)
	}
	resolveForSurvey(t, db, as(f.agent), tk.Key)
	return tk
}

func resolveForSurvey(t *testing.T, db *store.DB, ctx context.Context, key string) {
	t.Helper()
	st := opsdesk.StatusResolved
	if _, err := db.UpdateTicket(ctx, key, opsdesk.TicketPatch{Status: &st,
		Resolution: &opsdesk.Resolution{Summary: "Index rebuilt on the exports table", Cause: "defect"}}); err != nil {
		t.Fatalf("resolve %s: %v", key, err)
	}
}

func yes(rating int, comment string) opsdesk.SurveyAnswer {
	b := true
	return opsdesk.SurveyAnswer{Solved: &b, Rating: rating, Comment: comment}
}

func no(comment string) opsdesk.SurveyAnswer {
	b := false
	return opsdesk.SurveyAnswer{Solved: &b, Comment: comment}
}

func issueLink(t *testing.T, db *store.DB, ticketID int64) string {
	t.Helper()
	tok, err := db.IssueSurveyLink(admin, ticketID)
	if err != nil || tok == "" {
		t.Fatalf("issue link: %q %v", tok, err)
	}
	return tok
}

func ticketStatus(t *testing.T, db *store.DB, key string) opsdesk.Status {
	t.Helper()
	tk, err := db.TicketByKey(admin, key)
	if err != nil {
		t.Fatal(err)
	}
	return tk.Status
}

func TestSurveyYesClosesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := surveyTicket(t, db, f)
		list, err := db.TicketSurveys(as(f.agent), tk.Key)
		if err != nil || len(list) != 1 || list[0].State != opsdesk.SurveyOpen || list[0].Lang != opsdesk.LangFR ||
			!list[0].ExpiresAt.Equal(list[0].OpenedAt.Add(store.DefaultSurveyValidity)) {
			t.Fatalf("surveys after resolution: %+v %v", list, err)
		}
		tok := issueLink(t, db, tk.ID)

		// Reading the link (a mail scanner's prefetch, the GET of the page) changes nothing.
		for range 2 {
			s, err := db.SurveyByToken(context.Background(), tok)
			if err != nil || s.State != opsdesk.SurveyOpen || s.TicketKey != tk.Key || s.Summary != "Index rebuilt on the exports table" {
				t.Fatalf("survey by token: %+v %v", s, err)
			}
		}
		if st := ticketStatus(t, db, tk.Key); st != opsdesk.StatusResolved {
			t.Fatalf("status after reading = %s", st)
		}

		s, err := db.AnswerSurveyByToken(context.Background(), tok, yes(5, " Thanks "))
		if err != nil || s.State != opsdesk.SurveyAnswered || !s.Solved || s.Rating != 5 || s.Comment != "Thanks" ||
			s.Channel != opsdesk.SurveyByLink || s.AnsweredBy != f.custA.Email {
			t.Fatalf("answer: %+v %v", s, err)
		}
		if st := ticketStatus(t, db, tk.Key); st != opsdesk.StatusClosed {
			t.Fatalf("status after yes = %s", st)
		}
		hist, err := db.History(admin, tk.Key)
		if err != nil {
			t.Fatal(err)
		}
		last := hist[len(hist)-1]
		if last.Field != "status" || last.New != string(opsdesk.StatusClosed) || last.Reason != "confirmed by the customer" || last.ActorLabel != f.custA.Email {
			t.Errorf("last history line = %+v", last)
		}
		// A second answer, by link or portal, is refused; the first one stays.
		_, err = db.AnswerSurveyByToken(context.Background(), tok, no("still broken"))
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.AnswerSurvey(as(f.custA), tk.Key, yes(1, ""))
		wantKind(t, err, opsdesk.KindConflict)
		if s, _ := db.SurveyByToken(context.Background(), tok); s.State != opsdesk.SurveyAnswered || s.Rating != 5 {
			t.Errorf("after second answer: %+v", s)
		}
	})
}

func TestSurveyNoReopensWithComment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := surveyTicket(t, db, f)
		bad := []struct {
			name  string
			ans   opsdesk.SurveyAnswer
			field string
		}{
			{"no choice", opsdesk.SurveyAnswer{Rating: 3}, "solved"},
			{"rating out of range", yes(6, ""), "rating"},
			{"solved without rating", yes(0, "ok"), "rating"},
			{"not solved without comment", no("  "), "comment"},
			{"comment too long", no(strings.Repeat("x", opsdesk.MaxSurveyComment+1)), "comment"},
		}
		for _, b := range bad {
			_, err := db.AnswerSurvey(as(f.custA), tk.Key, b.ans)
			if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != b.field {
				t.Errorf("%s: %v, want invalid %s", b.name, err, b.field)
			}
		}
		// Staff do not answer for the customer.
		_, err := db.AnswerSurvey(as(f.agent), tk.Key, no("x"))
		wantKind(t, err, opsdesk.KindForbidden)

		ans := no("The export of March still fails")
		ans.Rating = 2
		s, err := db.AnswerSurvey(as(f.custA), tk.Key, ans)
		if err != nil || s.State != opsdesk.SurveyAnswered || s.Solved || s.Rating != 2 || s.Channel != opsdesk.SurveyByPortal {
			t.Fatalf("answer no: %+v %v", s, err)
		}
		got, err := db.TicketByKey(admin, tk.Key)
		if err != nil || got.Status != opsdesk.StatusOpen || got.ReopenCount != 1 {
			t.Fatalf("after no: %+v %v", got, err)
		}
		msgs, err := db.Messages(as(f.custA), tk.Key)
		if err != nil {
			t.Fatal(err)
		}
		m := msgs[len(msgs)-1]
		if m.Body != "The export of March still fails" || m.Internal || m.AuthorLabel != f.custA.Email || m.AuthorContactID == 0 {
			t.Errorf("customer's message = %+v", m)
		}
	})
}

func TestSurveyLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		now := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		tk := surveyTicket(t, db, f)
		tok := issueLink(t, db, tk.ID)

		// Forged and altered tokens are simply unknown.
		altered := tok[:len(tok)-1] + "A"
		if strings.HasSuffix(tok, "A") {
			altered = tok[:len(tok)-1] + "B"
		}
		for _, bad := range []string{"", "abc", strings.Repeat("A", 43), altered, tok + "x", "../" + tok[3:]} {
			_, err := db.SurveyByToken(context.Background(), bad)
			wantKind(t, err, opsdesk.KindNotFound)
			_, err = db.AnswerSurveyByToken(context.Background(), bad, yes(4, ""))
			wantKind(t, err, opsdesk.KindNotFound)
		}
		// Only opsdesk issues links.
		_, err := db.IssueSurveyLink(as(f.custA), tk.ID)
		wantKind(t, err, opsdesk.KindForbidden)

		// A later resolution supersedes the survey: its links stop working.
		if _, err := db.AddMessage(as(f.custA), tk.Key, "still there", false, nil); err != nil {
			t.Fatal(err)
		}
		st := opsdesk.StatusOpen
		if _, err := db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: &st, Reason: "customer wrote"}); err != nil {
			t.Fatal(err)
		}
		if s, err := db.SurveyByToken(context.Background(), tok); err != nil || s.State != opsdesk.SurveySuperseded {
			t.Fatalf("link of a reopened ticket: %+v %v", s, err)
		}
		var stored string // ended in the database too, not only seen as such
		if err := db.SQL().QueryRow(db.Rebind(`SELECT state FROM surveys WHERE ticket_id = ?`), tk.ID).Scan(&stored); err != nil || stored != string(opsdesk.SurveySuperseded) {
			t.Fatalf("stored state of the reopened ticket's survey: %q %v", stored, err)
		}
		resolveForSurvey(t, db, as(f.agent), tk.Key)
		if s, err := db.SurveyByToken(context.Background(), tok); err != nil || s.State != opsdesk.SurveySuperseded {
			t.Fatalf("link of an earlier resolution: %+v %v", s, err)
		}
		_, err = db.AnswerSurveyByToken(context.Background(), tok, yes(4, ""))
		wantKind(t, err, opsdesk.KindConflict)
		list, _ := db.TicketSurveys(admin, tk.Key)
		if len(list) != 2 || list[0].State != opsdesk.SurveySuperseded || list[1].State != opsdesk.SurveyOpen {
			t.Fatalf("surveys: %+v", list)
		}

		// Links expire with their survey (30 days by default).
		fresh := issueLink(t, db, tk.ID)
		now = now.Add(store.DefaultSurveyValidity + time.Minute)
		if s, err := db.SurveyByToken(context.Background(), fresh); err != nil || s.State != opsdesk.SurveyExpired {
			t.Fatalf("expired link: %+v %v", s, err)
		}
		_, err = db.AnswerSurveyByToken(context.Background(), fresh, yes(4, ""))
		wantKind(t, err, opsdesk.KindConflict)
		_, err = db.AnswerSurvey(as(f.custA), tk.Key, yes(4, ""))
		wantKind(t, err, opsdesk.KindConflict)
		if st := ticketStatus(t, db, tk.Key); st != opsdesk.StatusResolved {
			t.Errorf("status after refused answers = %s", st)
		}
	})
}

func TestSurveyOtherCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := surveyTicket(t, db, f)
		_, err := db.AnswerSurvey(as(f.custB), tk.Key, yes(5, ""))
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.TicketSurveys(as(f.custB), tk.Key)
		wantKind(t, err, opsdesk.KindNotFound)
		_, err = db.OpenSurvey(as(f.custB), tk.Key)
		wantKind(t, err, opsdesk.KindNotFound)
		if s, err := db.OpenSurvey(as(f.custA), tk.Key); err != nil || s.TicketID != tk.ID {
			t.Fatalf("own open survey: %+v %v", s, err)
		}
		if list, err := db.TicketSurveys(as(f.custA), tk.Key); err != nil || len(list) != 1 {
			t.Fatalf("own surveys: %+v %v", list, err)
		}
		if st := ticketStatus(t, db, tk.Key); st != opsdesk.StatusResolved {
			t.Errorf("status = %s", st)
		}
	})
}

func TestSurveyConcurrentAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := surveyTicket(t, db, f)
		tok := issueLink(t, db, tk.ID)
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				ans := yes(i%5+1, "")
				if i%2 == 1 {
					ans = no("nope")
				}
				_, errs[i] = db.AnswerSurveyByToken(context.Background(), tok, ans)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !opsdesk.IsKind(err, opsdesk.KindConflict):
				t.Errorf("concurrent answer: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d answers recorded, want 1 (%v)", ok, errs)
		}
		hist, _ := db.History(admin, tk.Key)
		changes := 0
		for _, h := range hist {
			if h.Field == "status" && h.Old == string(opsdesk.StatusResolved) {
				changes++
			}
		}
		if changes != 1 {
			t.Errorf("%d status changes from resolved, want 1", changes)
		}
	})
}

// A calendar open Monday to Friday, with Monday 8 March 2027 a holiday.
const surveyCalendar = `{"timezone": "Europe/Paris",
 "hours": {"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]], "wed": [["09:00","18:00"]], "thu": [["09:00","18:00"]], "fri": [["09:00","18:00"]]},
 "holidays": ["2027-03-08"], "always_open": false}`

func TestCloseUnanswered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		paris, _ := time.LoadLocation("Europe/Paris")
		now := time.Date(2027, 3, 5, 10, 0, 0, 0, paris) // a Friday
		db.Now = func() time.Time { return now }
		cal, err := db.ImportCalendar(admin, "Paris weekdays", []byte(surveyCalendar))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetContractCalendar(admin, f.acme.ID, cal.ID); err != nil {
			t.Fatal(err)
		}
		tk := surveyTicket(t, db, f)
		answered := surveyTicket(t, db, f)
		if _, err := db.AnswerSurvey(as(f.custA), answered.Key, yes(4, "")); err != nil {
			t.Fatal(err)
		}
		_, err = db.CloseUnanswered(as(f.custA), 3, 0)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.CloseUnanswered(admin, 0, 0)
		wantKind(t, err, opsdesk.KindInvalid)

		// Three business days after Friday: not Saturday, Sunday nor the Monday holiday, so
		// Tuesday, Wednesday and Thursday; the ticket closes once Thursday is over.
		for _, c := range []struct {
			at   time.Time
			want int
		}{
			{time.Date(2027, 3, 8, 23, 0, 0, 0, paris), 0},
			{time.Date(2027, 3, 11, 23, 59, 0, 0, paris), 0},
			{time.Date(2027, 3, 12, 0, 1, 0, 0, paris), 1},
			{time.Date(2027, 3, 12, 9, 0, 0, 0, paris), 0}, // already done: idempotent
		} {
			now = c.at
			keys, err := db.CloseUnanswered(admin, 3, 0)
			if err != nil || len(keys) != c.want {
				t.Fatalf("at %s: closed %v, %v; want %d", c.at, keys, err, c.want)
			}
			if c.want == 1 && keys[0] != tk.Key {
				t.Fatalf("closed %v, want %s", keys, tk.Key)
			}
		}
		got, _ := db.TicketByKey(admin, tk.Key)
		if got.Status != opsdesk.StatusClosed {
			t.Fatalf("status = %s", got.Status)
		}
		hist, _ := db.History(admin, tk.Key)
		if last := hist[len(hist)-1]; last.Reason != "closed without an answer after 3 business days" {
			t.Errorf("reason = %q", last.Reason)
		}
		list, _ := db.TicketSurveys(admin, tk.Key)
		if len(list) != 1 || list[0].State != opsdesk.SurveyExpired {
			t.Errorf("survey = %+v", list)
		}
		_, err = db.AnswerSurvey(as(f.custA), tk.Key, yes(5, ""))
		wantKind(t, err, opsdesk.KindConflict)
	})
}

func newSurveyCal(t *testing.T) *sla.Calendar {
	t.Helper()
	c, err := sla.ParseCalendar([]byte(surveyCalendar))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBusinessDaysEnd(t *testing.T) {
	f := newSurveyCal(t)
	paris := f.Location()
	cases := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{time.Date(2027, 3, 5, 10, 0, 0, 0, paris), 1, time.Date(2027, 3, 10, 0, 0, 0, 0, paris)},
		{time.Date(2027, 3, 5, 10, 0, 0, 0, paris), 5, time.Date(2027, 3, 16, 0, 0, 0, 0, paris)},
		{time.Date(2027, 3, 6, 23, 0, 0, 0, paris), 1, time.Date(2027, 3, 10, 0, 0, 0, 0, paris)},
		{time.Date(2027, 3, 9, 17, 0, 0, 0, paris), 2, time.Date(2027, 3, 12, 0, 0, 0, 0, paris)},
		// Across the spring change of time (28 March 2027).
		{time.Date(2027, 3, 26, 12, 0, 0, 0, paris), 1, time.Date(2027, 3, 30, 0, 0, 0, 0, paris)},
	}
	for _, c := range cases {
		if got := store.BusinessDaysEnd(f, c.from, c.n); !got.Equal(c.want) {
			t.Errorf("%s + %d business days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
