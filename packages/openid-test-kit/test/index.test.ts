import * as kit from '../src/index.js';

test('every attack has a unique snake_case name, a one-line title and a safe answer', () => {
  expect(new Set(kit.ATTACK_NAMES).size).toBe(kit.ATTACKS.length);
  for (const attack of kit.ATTACKS) {
    expect(attack.name).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    expect(attack.title).not.toMatch(/\n/);
    expect(attack.safeAnswer).not.toMatch(/\n/);
    expect(attack.kind === 'assertion').toBe(attack.forge !== undefined);
  }
});
