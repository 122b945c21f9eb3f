// Accounts and remembered consent decisions, in SQLite. Passwords are hashed
// with crypto.scrypt and a per-user salt, and compared in constant time.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const scrypt = promisify(scryptCallback);

export class Accounts {
  constructor(filename) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL, email TEXT, fullname TEXT, nickname TEXT);
      CREATE TABLE IF NOT EXISTS decisions (name TEXT NOT NULL, realm TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (name, realm));`);
  }

  async create(name, password, profile = {}) {
    const salt = randomBytes(16);
    const hash = await scrypt(password, salt, 32);
    this.db
      .prepare('INSERT OR REPLACE INTO users (name, salt, hash, email, fullname, nickname) VALUES (?, ?, ?, ?, ?, ?)')
      .run(name, salt, hash, profile.email ?? null, profile.fullname ?? null, profile.nickname ?? name);
  }

  has(name) {
    return this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name) !== undefined;
  }

  /** The user's profile if the password is right, else undefined. */
  async verify(name, password) {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(String(name));
    // Hash even for unknown users, so timing does not reveal which names exist.
    const hash = await scrypt(String(password), row?.salt ?? randomBytes(16), 32);
    if (row === undefined || !timingSafeEqual(hash, row.hash)) return undefined;
    return this.profile(row.name);
  }

  profile(name) {
    const row = this.db.prepare('SELECT name, email, fullname, nickname FROM users WHERE name = ?').get(name);
    if (row === undefined) return undefined;
    const [firstName, ...rest] = (row.fullname ?? '').split(' ');
    return { name: row.name, email: row.email ?? undefined, fullname: row.fullname ?? undefined, nickname: row.nickname ?? undefined, firstName: firstName || undefined, lastName: rest.join(' ') || undefined };
  }

  remembered(name, realm) {
    const row = this.db.prepare('SELECT fields FROM decisions WHERE name = ? AND realm = ?').get(name, realm);
    return row === undefined ? undefined : JSON.parse(row.fields);
  }

  /** The sites the user always allows, with the fields each receives. */
  sites(name) {
    return this.db.prepare('SELECT realm, fields FROM decisions WHERE name = ? ORDER BY realm').all(name).map((row) => ({ realm: row.realm, fields: JSON.parse(row.fields) }));
  }

  /** Forgets an "always allow": the site asks again next time. True when there was one. */
  forget(name, realm) {
    return this.db.prepare('DELETE FROM decisions WHERE name = ? AND realm = ?').run(name, String(realm)).changes > 0;
  }

  remember(name, realm, fields) {
    this.db.prepare('INSERT OR REPLACE INTO decisions (name, realm, fields) VALUES (?, ?, ?)').run(name, realm, JSON.stringify(fields));
  }

  close() {
    this.db.close();
  }
}
