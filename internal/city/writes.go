package city

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"

	"observatory/internal/audit"
	"observatory/internal/media"
)

// The writes: each runs in one transaction that it owns, with its audit
// entry, recorded for the actor that asked. The entries concern the city
// (target "city:ID"), so a city's history lists every change to it.

// citySubject names a city in the audit log and links its page.
func citySubject(c *City) audit.Subject {
	return audit.Subject{Kind: "city", ID: c.ID, Title: c.Name, Path: c.Path()}
}

func recordCity(ctx context.Context, tx *sql.Tx, by audit.Actor, action string, c *City, d Detail) error {
	return by.Record(ctx, tx, action, citySubject(c), d.JSON())
}

// Admit stores a new city.
func (s *Store) Admit(ctx context.Context, by audit.Actor, c *City) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := Create(ctx, tx, c); err != nil {
			return err
		}
		return recordCity(ctx, tx, by, "city.create", c, Detail{Subject: c.Name, Changes: Diff(nil, c.fields())})
	})
	if err != nil {
		return fmt.Errorf("admitting city %s: %w", c.Name, err)
	}
	return nil
}

// Change applies change to city id as stored now, with its audit entry
// (written only when something changed), and returns the city as saved.
func (s *Store) Change(ctx context.Context, by audit.Actor, id int64, action string, change func(old *City) *City) (*City, error) {
	var n *City
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.changeTx(ctx, tx, by, id, action, change)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("changing city %d (%s): %w", id, action, err)
	}
	return n, nil
}

// SetPhoto replaces the city's photo with img, or removes it when img is
// nil.
func (s *Store) SetPhoto(ctx context.Context, by audit.Actor, id int64, img *media.Image) (*City, error) {
	var n *City
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var photo int64
		if img != nil {
			var err error
			if photo, err = media.Save(ctx, tx, img); err != nil {
				return err
			}
		}
		var err error
		n, err = s.changeTx(ctx, tx, by, id, "city.photo", func(old *City) *City {
			upd := *old
			upd.PhotoID = photo
			return &upd
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("changing the photo of city %d: %w", id, err)
	}
	return n, nil
}

func (s *Store) changeTx(ctx context.Context, tx *sql.Tx, by audit.Actor, id int64, action string, change func(old *City) *City) (*City, error) {
	old, err := ForUpdate(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	n := change(old)
	changes := Diff(old.fields(), n.fields())
	if len(changes) == 0 {
		return n, nil
	}
	if err := Update(ctx, tx, old, n); err != nil {
		return nil, err
	}
	if err := recordCity(ctx, tx, by, action, n, Detail{Changes: changes}); err != nil {
		return nil, err
	}
	if n.Name != old.Name || !maps.Equal(n.Names, old.Names) {
		for _, renamed := range s.Renamed {
			if err := renamed(ctx, tx, id); err != nil {
				return nil, err
			}
		}
	}
	return n, nil
}

// SetFigures saves the city's foreign residents: the totals on the city
// and the groups by country.
func (s *Store) SetFigures(ctx context.Context, by audit.Actor, id int64, n *City, groups []Group) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := ForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		oldGroups, err := residents(ctx, tx, id)
		if err != nil {
			return err
		}
		upd := *old
		upd.ForeignResidents, upd.ForeignNationalities, upd.ForeignAsOf = n.ForeignResidents, n.ForeignNationalities, n.ForeignAsOf
		changes := append(Diff(old.fields(), upd.fields()), Diff(groupFields(oldGroups), groupFields(groups))...)
		if len(changes) == 0 {
			return nil
		}
		if err := Update(ctx, tx, old, &upd); err != nil {
			return err
		}
		if err := SetResidents(ctx, tx, id, upd.ForeignAsOf, groups); err != nil {
			return err
		}
		return recordCity(ctx, tx, by, "city.figures", &upd, Detail{Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("saving the figures of city %d: %w", id, err)
	}
	return nil
}

// errBadUser: the account linked to a person is not the city's.
var errBadUser = errors.New("the account does not belong to the city")

// SavePerson adds pe to city c (pe.ID zero) or updates it, with the photo
// img when there is one. The account pe names must be one of the city's.
func (s *Store) SavePerson(ctx context.Context, by audit.Actor, c *City, pe *Person, img *media.Image) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if pe.UserID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND city_id = $2`, pe.UserID, c.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errBadUser
			}
		}
		if img != nil {
			var err error
			if pe.PhotoID, err = media.Save(ctx, tx, img); err != nil {
				return err
			}
		}
		if pe.ID == 0 {
			if err := AddPerson(ctx, tx, pe); err != nil {
				return err
			}
			return recordCity(ctx, tx, by, "city.person.add", c, Detail{Subject: pe.Name, Changes: Diff(nil, pe.fields())})
		}
		old, err := PersonForUpdate(ctx, tx, c.ID, pe.ID)
		if err != nil {
			return err
		}
		if err := UpdatePerson(ctx, tx, pe); err != nil {
			return err
		}
		if ch := Diff(old.fields(), pe.fields()); len(ch) > 0 {
			return recordCity(ctx, tx, by, "city.person.update", c, Detail{Subject: pe.Name, Changes: ch})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("saving a person of city %d: %w", c.ID, err)
	}
	return nil
}

// RemovePerson deletes person id of city c.
func (s *Store) RemovePerson(ctx context.Context, by audit.Actor, c *City, id int64) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := PersonForUpdate(ctx, tx, c.ID, id)
		if err != nil {
			return err
		}
		if err := DeletePerson(ctx, tx, c.ID, id); err != nil {
			return err
		}
		return recordCity(ctx, tx, by, "city.person.delete", c, Detail{Subject: old.Name, Changes: Diff(old.fields(), nil)})
	})
	if err != nil {
		return fmt.Errorf("removing person %d of city %d: %w", id, c.ID, err)
	}
	return nil
}

// errBadPartner: the partner city named is not in the directory.
var errBadPartner = errors.New("no such partner city")

// SavePartnership adds p (p.ID zero) or updates it.
func (s *Store) SavePartnership(ctx context.Context, by audit.Actor, cityID int64, p *Partnership) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if p.PartnerCityID != 0 {
			if _, err := byID(ctx, tx, p.PartnerCityID); err != nil {
				return errBadPartner
			}
		}
		if p.ID == 0 {
			if err := AddPartnership(ctx, tx, p); err != nil {
				return err
			}
			return recordPartnership(ctx, tx, by, "city.partnership.add", p, Diff(nil, p.fields()))
		}
		old, err := PartnershipForUpdate(ctx, tx, cityID, p.ID)
		if err != nil {
			return err
		}
		if err := UpdatePartnership(ctx, tx, p); err != nil {
			return err
		}
		return recordPartnership(ctx, tx, by, "city.partnership.update", p, Diff(old.fields(), p.fields()))
	})
	if err != nil {
		return fmt.Errorf("saving a partnership of city %d: %w", p.CityID, err)
	}
	return nil
}

// RemovePartnership deletes partnership id of city cityID (either city of
// it may).
func (s *Store) RemovePartnership(ctx context.Context, by audit.Actor, cityID, id int64) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := PartnershipForUpdate(ctx, tx, cityID, id)
		if err != nil {
			return err
		}
		if err := DeletePartnership(ctx, tx, id); err != nil {
			return err
		}
		return recordPartnership(ctx, tx, by, "city.partnership.delete", old, Diff(old.fields(), nil))
	})
	if err != nil {
		return fmt.Errorf("removing partnership %d: %w", id, err)
	}
	return nil
}

// recordPartnership writes the audit entry in the history of both cities
// when both are in the directory, each naming the other.
func recordPartnership(ctx context.Context, tx *sql.Tx, by audit.Actor, action string, p *Partnership, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	city, err := byID(ctx, tx, p.CityID)
	if err != nil {
		return err
	}
	subject := p.PartnerName
	var partner *City
	if p.PartnerCityID != 0 {
		if partner, err = byID(ctx, tx, p.PartnerCityID); err != nil {
			return err
		}
		subject = partner.Name
	}
	if err := recordCity(ctx, tx, by, action, city, Detail{Subject: subject, Changes: changes}); err != nil {
		return err
	}
	if partner != nil {
		return recordCity(ctx, tx, by, action, partner, Detail{Subject: city.Name, Changes: changes})
	}
	return nil
}

// History lists the recorded changes to city id, newest first: limit
// entries older than entry before (all when before is 0).
func (s *Store) History(ctx context.Context, id, before int64, limit int) ([]audit.Entry, error) {
	return audit.List(ctx, s.DB, audit.Filter{Target: citySubject(&City{ID: id}).Target(), Before: before, Limit: limit})
}
