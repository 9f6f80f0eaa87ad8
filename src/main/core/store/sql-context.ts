import type { StatementSync } from 'node:sqlite';

/** What a table's rows need from the store: its cached statements, its transactions. */
export interface SqlContext {
  stmt(sql: string): StatementSync;
  prepare(sql: string): StatementSync;
  transaction<T>(fn: () => T): T;
}

export type Row = Record<string, unknown>;

export function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const toBuffer = (v: unknown): Buffer => Buffer.from(v as Uint8Array);
