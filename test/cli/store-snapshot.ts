/**
 * Every row of every table of a SQLite store, for tests that try hostile input and must find
 * the store exactly as it was (row counts alone would miss an updated status or name).
 */
import Database from 'better-sqlite3';

export function storeSnapshot(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    // Some tables have no rowid: rows are compared as a sorted list of their JSON.
    const rows = (t: string) =>
      db
        .prepare(`SELECT * FROM "${t}"`)
        .all()
        .map((r) => JSON.stringify(r))
        .sort();
    return JSON.stringify(Object.fromEntries(tables.map((t) => [t, rows(t)])));
  } finally {
    db.close();
  }
}
