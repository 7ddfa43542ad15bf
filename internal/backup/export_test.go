package backup

import (
	"context"

	"observatory/internal/db"
)

// Table is what the tests need to know of a table the archive carries.
type Table struct {
	Name    string
	Columns []string
	Kinds   []string
}

// Tables lists the tables an archive of d carries.
func Tables(ctx context.Context, d *db.DB) ([]Table, error) {
	ts, err := tables(ctx, d.R, d.Engine())
	if err != nil {
		return nil, err
	}
	out := make([]Table, len(ts))
	for i, t := range ts {
		out[i] = Table{t.name, t.columns, t.kinds}
	}
	return out, nil
}
