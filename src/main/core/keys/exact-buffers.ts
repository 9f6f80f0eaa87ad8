// Bytes that cross to another thread by postMessage. Structured clone copies a view's whole
// ArrayBuffer, not the view: a 587-byte certificate sliced from Node's Buffer pool (64 KB slabs in
// Node 24) arrived on the main thread as a 64 KB ArrayBuffer. Those, one per certificate, piled up
// until a full GC and were most of the serving thread's ArrayBuffer memory.

/**
 * `value` with every Uint8Array in it (plain objects and arrays, any depth) that is a window on a
 * larger ArrayBuffer replaced by an exact copy, and the ArrayBuffers to transfer rather than copy:
 * the copies, which no one else holds. Other values are passed as they are.
 */
export function withExactBuffers<T>(value: T): { value: T; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  // One copy per view, so a view met twice still arrives as one object, as structured clone keeps it.
  const copies = new Map<Uint8Array, Uint8Array>();
  const visit = (v: unknown): unknown => {
    if (v instanceof Uint8Array) {
      if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) return v;
      let copy = copies.get(v);
      if (!copy) {
        copy = new Uint8Array(v);
        copies.set(v, copy);
        transfer.push(copy.buffer as ArrayBuffer);
      }
      return copy;
    }
    // Containers are rebuilt only when something in them was replaced: most messages have nothing to fix.
    if (Array.isArray(v)) {
      const items = v.map(visit);
      return items.some((item, i) => item !== v[i]) ? items : v;
    }
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      let out: Record<string, unknown> | undefined;
      for (const key in v) {
        const inner = (v as Record<string, unknown>)[key];
        const fixed = visit(inner);
        if (fixed !== inner) (out ??= { ...(v as Record<string, unknown>) })[key] = fixed;
      }
      return out ?? v;
    }
    return v;
  };
  return { value: visit(value) as T, transfer };
}
