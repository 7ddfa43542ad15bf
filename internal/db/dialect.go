package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect holds the few places where SQLite and PostgreSQL differ. Store
// code is written once in the portable subset ($N placeholders, RETURNING,
// ON CONFLICT … DO UPDATE) and asks the Dialect for the rest.
type Dialect struct {
	Engine Engine
}

// ILike is the case-insensitive LIKE operator (SQLite's LIKE already is, for ASCII).
func (d Dialect) ILike() string {
	if d.Engine == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// IsUniqueViolation reports whether err is a unique (or primary key)
// constraint violation, on either engine.
func IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a foreign key violation.
func IsForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// ForUpdate is the row-lock clause to append to a SELECT that guards a
// check-then-write (a capacity count) on PostgreSQL. SQLite needs none: its
// one writer holds the database lock for the whole transaction.
func (d Dialect) ForUpdate() string {
	if d.Engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
