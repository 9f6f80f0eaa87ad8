import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { withExactBuffers } from './exact-buffers';

describe('withExactBuffers', () => {
  it('replaces a window on a larger buffer by an exact copy to transfer, anywhere in plain objects and arrays', () => {
    const slab = Buffer.allocUnsafe(65_536).fill(7);
    const window = slab.subarray(100, 687);
    const exact = new Uint8Array([1, 2, 3]);
    const when = new Date(0);
    const { value, transfer } = withExactBuffers({ der: window, nested: { list: [window, exact] }, exact, when, text: 'x' });
    expect(value.der.buffer.byteLength).toBe(587);
    expect(Buffer.from(value.der).equals(window)).toBe(true);
    expect(value.nested.list[0]).toBe(value.der);
    // Exact ones and everything else pass as they are, and are not transferred (the caller keeps them).
    expect(value.exact).toBe(exact);
    expect(value.nested.list[1]).toBe(exact);
    expect(value.when).toBe(when);
    expect(value.text).toBe('x');
    expect(transfer).toEqual([value.der.buffer]);
    expect(transfer).not.toContain(exact.buffer);
    expect(transfer).not.toContain(slab.buffer);
  });

  it('hands back the very same message when nothing in it needs copying', () => {
    const message = { id: 1, input: { name: new Uint8Array(4), list: ['a', new Uint8Array(2)] } };
    const { value, transfer } = withExactBuffers(message);
    expect(value).toBe(message);
    expect(transfer).toEqual([]);
  });

  it('sends through postMessage only the bytes of the view', () => {
    const window = Buffer.allocUnsafe(65_536).subarray(0, 10);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<Uint8Array>((resolve) => port2.once('message', (m: { der: Uint8Array }) => resolve(m.der)));
    const { value, transfer } = withExactBuffers({ der: window });
    port1.postMessage(value, transfer);
    return received.then((der) => {
      expect(der.buffer.byteLength).toBe(10);
      port1.close();
      port2.close();
    });
  });
});
