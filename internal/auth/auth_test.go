package auth_test

import (
	"context"
	"testing"

	"observatory/internal/auth"
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
