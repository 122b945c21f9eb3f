import { ServiceEndpoint, sortEndpoints } from '../../src/discovery/endpoint.js';
import { OPENID_1_0_TYPE, OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../../src/constants.js';

const endpoint = (typeUris: string[], extra: Partial<ConstructorParameters<typeof ServiceEndpoint>[0]> = {}) =>
  new ServiceEndpoint({ opEndpoint: 'http://op.example/', claimedId: 'http://user.example/', typeUris, ...extra });

describe('ServiceEndpoint', () => {
  test.each([
    [[OPENID_IDP_2_0_TYPE], '2.0', true],
    [[OPENID_2_0_TYPE], '2.0', false],
    [[OPENID_2_0_TYPE, OPENID_1_1_TYPE], '2.0', false],
    [[OPENID_1_1_TYPE], '1.1', false],
    [[OPENID_1_1_TYPE, OPENID_1_0_TYPE], '1.1', false],
    [[OPENID_1_0_TYPE], '1.0', false],
  ])('types %j: version %s, OP Identifier %s', (types, version, isOP) => {
    const e = endpoint(types);
    expect([e.version, e.isOPIdentifier, e.isOpenID2()]).toEqual([version, isOP, version === '2.0']);
  });

  test('getLocalId is the local identifier, else the claimed one', () => {
    expect(endpoint([OPENID_2_0_TYPE]).getLocalId()).toBe('http://user.example/');
    expect(endpoint([OPENID_2_0_TYPE], { localId: 'http://op.example/u/1' }).getLocalId()).toBe('http://op.example/u/1');
    expect(endpoint([OPENID_IDP_2_0_TYPE], { claimedId: undefined }).getLocalId()).toBeUndefined();
  });

  test('immutable, type list included, and defaults', () => {
    const types = [OPENID_2_0_TYPE];
    const e = endpoint(types);
    types.push('http://later/');
    expect(e.typeUris).toEqual([OPENID_2_0_TYPE]);
    expect(Object.isFrozen(e) && Object.isFrozen(e.typeUris)).toBe(true);
    expect(() => {
      (e as { opEndpoint: string }).opEndpoint = 'http://evil/';
    }).toThrow(TypeError);
    expect([e.usedYadis, e.priority, e.displayIdentifier]).toEqual([false, undefined, 'http://user.example/']);
  });

  test('toJSON includes the computed properties', () => {
    expect(JSON.parse(JSON.stringify(endpoint([OPENID_IDP_2_0_TYPE], { claimedId: undefined, priority: 3, usedYadis: true })))).toEqual({
      opEndpoint: 'http://op.example/', version: '2.0', isOPIdentifier: true, typeUris: [OPENID_IDP_2_0_TYPE], priority: 3, usedYadis: true,
    });
  });

  test('sortEndpoints: OP Identifier, 2.0, 1.x; then priority (none last); stable; the input is not changed', () => {
    const list = [
      endpoint([OPENID_1_1_TYPE], { opEndpoint: 'a', priority: 0 }),
      endpoint([OPENID_2_0_TYPE], { opEndpoint: 'b' }),
      endpoint([OPENID_2_0_TYPE], { opEndpoint: 'c', priority: 5 }),
      endpoint([OPENID_IDP_2_0_TYPE], { opEndpoint: 'd', priority: 9 }),
      endpoint([OPENID_2_0_TYPE], { opEndpoint: 'e', priority: 5 }),
      endpoint([OPENID_1_0_TYPE], { opEndpoint: 'f' }),
    ];
    expect(sortEndpoints(list).map((e) => e.opEndpoint)).toEqual(['d', 'c', 'e', 'b', 'a', 'f']);
    expect(list.map((e) => e.opEndpoint)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
