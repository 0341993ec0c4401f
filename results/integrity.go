package results

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// integrityErrors is how many problems the integrity check reports: the
// first few say that the file is damaged and where; a listing of
// thousands would not say more.
const integrityErrors = 5

// IntegrityCheckLimit bounds the integrity check a writer makes when it
// opens a database. The check reads the whole file, about 1.6 GB/s on
// one core (BenchmarkIntegrityCheck: 176 ms for 10 000 trials × 300
// epochs, 282 MiB); past the limit, files of several GiB, the rest of
// the file goes unchecked rather than delaying every run.
var IntegrityCheckLimit = time.Second

// checkIntegrity runs SQLite's quick_check, which reads every page and
// checks the b-tree structure, records and constraints but not that
// indexes match their tables, for at most IntegrityCheckLimit. A writer
// runs it before it writes, so that results are not appended to a
// damaged file, which rerunning could then no longer repair ("all trials
// are already in").
func (db *DB) checkIntegrity(ctx context.Context) error {
	limited, cancel := context.WithTimeout(ctx, IntegrityCheckLimit)
	defer cancel()
	problems, err := db.quickCheck(limited)
	switch {
	case err != nil && ctx.Err() == nil && limited.Err() != nil:
		return nil // checked for as long as the limit allows
	case err != nil:
		return db.damaged(classify(err))
	case len(problems) == 1 && problems[0] == "ok":
		return nil
	}
	return db.damaged(fmt.Errorf("%w: %s", ErrDamaged, strings.Join(problems, "; ")))
}

// quickCheck returns what PRAGMA quick_check says: "ok", or the first
// problems found.
func (db *DB) quickCheck(ctx context.Context) ([]string, error) {
	rows, err := db.write.QueryContext(ctx, fmt.Sprintf("PRAGMA quick_check(%d)", integrityErrors))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		problems = append(problems, s)
	}
	return problems, rows.Err()
}

// damaged adds to an ErrDamaged error how to recover what the file
// still holds; other errors are returned as they are.
func (db *DB) damaged(err error) error {
	if !errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("%w; nothing was written. Recover what it holds into a new file with "+
		"'sqlite3 %s .recover | sqlite3 recovered.db', then use --db recovered.db", err, db.path)
}
