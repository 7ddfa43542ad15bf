package auth_test

import (
	"context"
	"strconv"
	"testing"

	"observatory/internal/auth"
	"observatory/internal/db"
	"observatory/internal/testutil"
	"observatory/internal/web"
)

func TestPolicy(t *testing.T) {
	admin := &web.Viewer{ID: 1, Role: auth.RoleAdmin}
	editor := &web.Viewer{ID: 2, Role: auth.RoleEditor, CityID: 7}
	delegate := &web.Viewer{ID: 3, Role: auth.RoleDelegate, CityID: 7}
	unbound := &web.Viewer{ID: 4, Role: auth.RoleEditor}
	for _, c := range []struct {
		v      *web.Viewer
		action string
		want   bool
	}{
		{admin, auth.AdminDashboard, true}, {admin, auth.UsersManage, true},
		{editor, auth.AdminDashboard, false}, {editor, auth.UsersManage, false}, {editor, auth.CityEditOwn, true},
		{delegate, auth.CityEditOwn, false}, {delegate, auth.DeclarationSignOwn, true},
		{unbound, auth.CityEditOwn, false}, {nil, auth.AccountOwn, false}, {editor, auth.AccountOwn, true},
	} {
		if got := auth.Can(c.v, c.action); got != c.want {
			t.Errorf("Can(%v, %s) = %v", c.v, c.action, got)
		}
	}
	if !auth.CanForCity(editor, auth.CityEditOwn, auth.CityEditAny, 7) || auth.CanForCity(editor, auth.CityEditOwn, auth.CityEditAny, 8) {
		t.Error("an editor edits their own city and no other")
	}
	if !auth.CanForCity(admin, auth.CityEditOwn, auth.CityEditAny, 8) {
		t.Error("an admin edits any city")
	}
}

func TestHasherVerifiesAndBoundsConcurrency(t *testing.T) {
	h := auth.NewHasher(2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Verify(ctx, "correct horse", enc); !ok {
		t.Error("the right password is refused")
	}
	if ok, _ := h.Verify(ctx, "wrong horse", enc); ok {
		t.Error("a wrong password is accepted")
	}
	if ok, _ := h.Verify(ctx, "anything", ""); ok {
		t.Error("an account without a password accepts one")
	}
	// A caller whose request has ended does not start a hash.
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Hash(short, "x"); err == nil {
		t.Error("a hash ran after its context ended")
	}
}

// Wrong passwords sent at once (as to several servers sharing the
// database) are counted before they are checked: at most the limit of
// them are checked, the others are refused, and then the right password
// waits too.
func TestParallelSignInsStayWithinTheLimit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		users := &auth.Store{DB: d, Hasher: auth.NewHasher(0)}
		if _, err := users.Create(ctx, auth.NewUser{Email: "sec@example.org", Name: "Secretariat", Role: auth.RoleAdmin, Password: "a good long password"}); err != nil {
			t.Fatal(err)
		}
		login := auth.NewLogin(users)
		errs := make(chan error, 15)
		for i := range 15 {
			go func() {
				_, err := login.Authenticate(ctx, "sec@example.org", "wrong password "+strconv.Itoa(i), "192.0.2.1")
				errs <- err
			}()
		}
		counts := map[error]int{}
		for range 15 {
			counts[<-errs]++
		}
		// Attempts refused while others were being counted may leave the
		// limit not quite used; never more than it.
		if counts[auth.ErrBadCredentials] > 5 || counts[auth.ErrBadCredentials]+counts[auth.ErrTooManyTries] != 15 {
			t.Errorf("15 wrong passwords at once: %v; want at most 5 checked, the others refused", counts)
		}
		checked := counts[auth.ErrBadCredentials]
		for ; checked < 10; checked++ {
			if _, err := login.Authenticate(ctx, "sec@example.org", "wrong again", "192.0.2.1"); err == auth.ErrTooManyTries {
				break
			}
		}
		if checked != 5 {
			t.Errorf("%d wrong passwords checked in all, want 5", checked)
		}
		if _, err := login.Authenticate(ctx, "sec@example.org", "a good long password", "192.0.2.1"); err != auth.ErrTooManyTries {
			t.Errorf("the right password after the limit: %v", err)
		}
	})
}
