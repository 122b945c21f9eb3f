import { isLoopbackAddress, isPrivateAddress } from '../../src/fetch/address-guard.js';

describe('isPrivateAddress', () => {
  test.each([
    // IPv4 special-purpose ranges (RFC 6890)
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['0.0.0.0', 'this network'], ['0.1.2.3', 'this network'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'], ['100.64.0.1', 'CGNAT'], ['100.127.255.255', 'CGNAT'],
    ['192.0.0.8', 'IETF'], ['192.0.2.1', 'documentation'], ['198.18.0.1', 'benchmarking'], ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'], ['240.0.0.1', 'reserved'], ['255.255.255.255', 'broadcast'],
    // IPv6
    ['::1', 'loopback'], ['::', 'unspecified'], ['fc00::1', 'unique local'], ['fd12:3456::1', 'unique local'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local with zone'], ['febf::1', 'link-local'], ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'], ['2001:db8::1', 'documentation'], ['100::1', 'discard'], ['2001:0:4136:e378::1', 'Teredo'],
    ['[::1]', 'bracketed loopback'],
    // IPv6 forms of private IPv4 addresses
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'], ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'], ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped link-local, long form'], ['::127.0.0.1', 'IPv4-compatible'], ['::7f00:1', 'IPv4-compatible, hex'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of link-local'], ['64:ff9b::10.0.0.1', 'NAT64 of private'], ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of loopback'], ['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
    // not IP addresses at all
    ['not an ip', 'a name'], ['', 'empty'], ['127.1', 'shorthand'],
  ])('%s (%s) is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  test.each([
    ['8.8.8.8'], ['1.1.1.1'], ['172.32.0.1'], ['100.128.0.1'], ['93.184.216.34'], ['192.0.3.1'],
    ['2606:4700::1111'], ['2a00:1450:4001:80b::200e'], ['::ffff:8.8.8.8'], ['64:ff9b::808:808'], ['2002:808:808::1'], ['2001:4860::1'],
  ])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('isLoopbackAddress (17.9: allowLoopback)', () => {
  test.each([['127.0.0.1'], ['127.255.255.254'], ['::1'], ['[::1]'], ['0:0:0:0:0:0:0:1'], ['::ffff:127.0.0.1'], ['::ffff:7f00:1']])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  test.each([
    ['0.0.0.0'], ['::'], ['10.0.0.1'], ['192.168.1.1'], ['169.254.169.254'], ['::ffff:10.0.0.1'], ['::127.0.0.1'], ['2002:7f00:1::'],
    ['64:ff9b::7f00:1'], ['fe80::1'], ['8.8.8.8'], ['localhost'], [''],
  ])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});
