/** 22.2: pairwise identifiers: derivation, stability, realm normalization, recognition. */
import { PairwiseIdentifiers } from '../../src/server/pairwise.js';
import { RealmError } from '../../src/errors.js';

const KEY = Buffer.alloc(32, 1);
const BASE = 'https://op.example/id/';

describe('22.2: PairwiseIdentifiers', () => {
  const pairwise = new PairwiseIdentifiers({ key: KEY, base: BASE });

  test('22.2: stable per (user, realm), different across realms, users and keys', () => {
    const id = pairwise.identifierFor('alice', 'https://rp.example/');
    expect(id).toMatch(/^https:\/\/op\.example\/id\/[A-Za-z0-9_-]{32}$/);
    expect(pairwise.identifierFor('alice', 'https://rp.example/')).toBe(id);
    expect(pairwise.identifierFor('alice', 'https://other.example/')).not.toBe(id);
    expect(pairwise.identifierFor('bob', 'https://rp.example/')).not.toBe(id);
    expect(new PairwiseIdentifiers({ key: Buffer.alloc(32, 2), base: BASE }).identifierFor('alice', 'https://rp.example/')).not.toBe(id);
  });

  test('22.2: one realm spelled two ways is one realm', () => {
    expect(pairwise.identifierFor('alice', 'HTTPS://RP.example:443/')).toBe(pairwise.identifierFor('alice', 'https://rp.example/'));
  });

  test('22.2: isFor and isPairwise recognise identifiers, and nothing else', () => {
    const id = pairwise.identifierFor('alice', 'https://rp.example/');
    expect(pairwise.isFor(id, 'alice', 'https://rp.example/')).toBe(true);
    expect(pairwise.isFor(id, 'alice', 'https://other.example/')).toBe(false);
    expect(pairwise.isFor(id, 'bob', 'https://rp.example/')).toBe(false);
    expect(pairwise.isFor(`${id}x`, 'alice', 'https://rp.example/')).toBe(false);
    expect(pairwise.isPairwise(id)).toBe(true);
    expect(pairwise.isPairwise(`${id}x`)).toBe(false);
    expect(pairwise.isPairwise('https://op.example/user/alice')).toBe(false);
  });

  test('22.2: a realm that is not one is a RealmError', () => {
    expect(() => pairwise.identifierFor('alice', 'not a realm')).toThrow(RealmError);
  });
});
