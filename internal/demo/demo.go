// Package demo loads the demo content: an administrator and the network's
// cities, practices, summits and declarations, written for this platform
// from public facts about the Living Together network.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"

	"observatory/internal/auth"
	"observatory/internal/db"
)

// AdminEmail is the demo administrator's address.
const AdminEmail = "admin@observatory.example"

// Result says what was loaded.
type Result struct {
	Loaded        bool // false: the database was not empty, nothing changed
	AdminEmail    string
	AdminPassword string // generated, shown once
}

// Empty reports whether the database holds no accounts yet.
func Empty(ctx context.Context, d *db.DB) (bool, error) {
	var n int
	err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n == 0, err
}

// Load fills an empty database with demo content.
func Load(ctx context.Context, d *db.DB, users *auth.Store) (Result, error) {
	empty, err := Empty(ctx, d)
	if err != nil || !empty {
		return Result{}, err
	}
	if err := loadCities(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadSummits(ctx, d); err != nil {
		return Result{}, err
	}
	pw := generatePassword()
	if _, err := users.Create(ctx, auth.NewUser{Email: AdminEmail, Name: "Secretariat (demo)", Role: auth.RoleAdmin, Password: pw}); err != nil {
		return Result{}, err
	}
	// Declarations come last: they refer to the cities and summits.
	if err := loadDeclarations(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadPractices(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadExchanges(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadNews(ctx, d); err != nil {
		return Result{}, err
	}
	if err := loadVoice(ctx, d); err != nil {
		return Result{}, err
	}
	return Result{Loaded: true, AdminEmail: AdminEmail, AdminPassword: pw}, nil
}

// generatePassword returns 20 random characters, grouped for reading aloud.
func generatePassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20]
}
