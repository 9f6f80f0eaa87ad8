import { describe, expect, it } from 'vitest';
import { formatIpv6, ipAddressBytes, parseIpv4, parseIpv6 } from './ip-address';

describe('strict IP literals', () => {
  it.each(['0.0.0.0', '192.0.2.10', '255.255.255.255', '10.0.0.1'])('IPv4 %s is 4 bytes', (ip) => {
    expect(parseIpv4(ip)?.length).toBe(4);
  });

  it.each(['256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1.2.3.', '', ' 1.2.3.4', '1.2.3.4 ', '0x7f.0.0.1', '1..2.3', '+1.2.3.4'])('IPv4 %j is refused', (ip) => {
    expect(parseIpv4(ip)).toBeUndefined();
  });

  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:c000:201'],
  ])('IPv6 %s is 16 bytes, written %s', (ip, canonical) => {
    const bytes = parseIpv6(ip);
    expect(bytes?.length).toBe(16);
    expect(formatIpv6(bytes!)).toBe(canonical);
  });

  it.each([':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', 'fe80::1%eth0', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '::1.2.3.4:5', '::256.1.1.1', '[::1]'])('IPv6 %j is refused', (ip) => {
    expect(parseIpv6(ip)).toBeUndefined();
  });

  it('routes by the presence of a colon', () => {
    expect(ipAddressBytes('192.0.2.1')).toEqual(new Uint8Array([192, 0, 2, 1]));
    expect(ipAddressBytes('::1')?.at(15)).toBe(1);
  });
});
