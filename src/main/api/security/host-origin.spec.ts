import { describe, expect, it } from 'vitest';
import { HostPolicy } from './host-origin';

describe('HostPolicy', () => {
  const loopback = new HostPolicy();
  loopback.setPort(7443);

  it('accepts only the loopback names with our port', () => {
    for (const host of ['127.0.0.1:7443', 'localhost:7443', '[::1]:7443', 'LOCALHOST:7443']) expect(loopback.check(host, undefined), host).toBeUndefined();
    for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:7444', 'evil.example:7443', '192.168.1.5:7443', 'localhost.:7443', '127.0.0.1:7443.evil']) {
      expect(loopback.check(host, undefined)?.status, String(host)).toBe(400);
    }
  });

  it('accepts an Origin only when it is one of ours', () => {
    expect(loopback.check('127.0.0.1:7443', 'http://127.0.0.1:7443')).toBeUndefined();
    expect(loopback.check('127.0.0.1:7443', 'http://localhost:7443')).toBeUndefined();
    for (const origin of ['null', 'http://evil.example', 'https://127.0.0.1:7443', 'http://127.0.0.1:7444', 'http://127.0.0.1']) {
      expect(loopback.check('127.0.0.1:7443', origin)?.status, origin).toBe(403);
    }
  });

  it('with --listen ADDR also accepts ADDR', () => {
    const lan = new HostPolicy('192.168.1.5');
    lan.setPort(80);
    expect(lan.check('192.168.1.5:80', 'http://192.168.1.5:80')).toBeUndefined();
    expect(lan.check('10.0.0.1:80', undefined)?.status).toBe(400);
  });

  it('with --listen 0.0.0.0 accepts IP literals (no DNS name can rebind) but still no foreign names', () => {
    const any = new HostPolicy('0.0.0.0');
    any.setPort(7443);
    expect(any.check('10.1.2.3:7443', 'http://10.1.2.3:7443')).toBeUndefined();
    expect(any.check('[fe80::1]:7443', undefined)).toBeUndefined();
    expect(any.check('10.1.2.3:7443', 'http://evil.example')?.status).toBe(403);
    expect(any.check('evil.example:7443', undefined)?.status).toBe(400);
    expect(any.check('10.1.2.3:80', undefined)?.status).toBe(400);
  });
});
