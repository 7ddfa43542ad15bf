package summit

import "observatory/internal/db"

func isFK(err error) bool { return err != nil && db.IsForeignKeyViolation(err) }
