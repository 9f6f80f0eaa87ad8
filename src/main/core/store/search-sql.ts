import type { SQLInputValue } from 'node:sqlite';
import type { CertificateSearchParsed, SearchCondition, SearchExpression, SearchField } from '../../../shared/search';
import { NAMES_FTS_TABLE } from './schema';

// Translates the cloud's certificatesearch body into one SQL WHERE clause and ORDER BY.
// Every value travels as a bound parameter: the SQL text is assembled only from the fixed
// fragments below, chosen by whitelisted field and operator names.

/** A search the store cannot run, naming the part of the body at fault. */
export class SearchQueryError extends Error {
  constructor(
    /** Dotted path into the search body, e.g. `expression.operands.1.operator`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SearchQueryError';
  }
}

type FieldKind =
  /** Stored as is; compared as is (ids, statuses, dekHash). */
  | { kind: 'exact'; column: string; upper?: boolean }
  /** Upper-case hex without colons; the value is normalised the same way. */
  | { kind: 'hex'; column: string }
  /** Stored lower-cased; compared case-insensitively. */
  | { kind: 'text'; column: string }
  /** The subject CNs, lower-cased and joined by newlines. */
  | { kind: 'cn' }
  | { kind: 'san'; sanType: 'DNS' | 'IP' }
  | { kind: 'app' }
  /** Milliseconds since the epoch. */
  | { kind: 'date'; column: string };

const REQUEST_STATUS = '(SELECT r.status FROM certificate_requests r WHERE r.id = c.request_id)';

const FIELDS: Record<SearchField, FieldKind> = {
  id: { kind: 'exact', column: 'c.id' },
  subjectCN: { kind: 'cn' },
  subjectAlternativeNameDns: { kind: 'san', sanType: 'DNS' },
  subjectAlternativeNameIp: { kind: 'san', sanType: 'IP' },
  fingerprint: { kind: 'hex', column: 'c.fingerprint' },
  sha256Fingerprint: { kind: 'hex', column: 'c.sha256' },
  serialNumber: { kind: 'hex', column: 'c.serial' },
  certificateStatus: { kind: 'exact', column: 'c.status', upper: true },
  revocationStatus: { kind: 'exact', column: 'c.revocation', upper: true },
  requestStatus: { kind: 'exact', column: REQUEST_STATUS, upper: true },
  appstackIds: { kind: 'app' },
  certificateIssuingTemplateId: { kind: 'exact', column: 'c.template_id' },
  validityEnd: { kind: 'date', column: 'c.validity_end' },
  validityStart: { kind: 'date', column: 'c.validity_start' },
  keyType: { kind: 'exact', column: 'c.key_type', upper: true },
  issuerDN: { kind: 'text', column: 'c.issuer_dn_lower' },
  dekHash: { kind: 'exact', column: 'c.dek_hash' },
};

/** Columns a search may order by; SANs and applications are multi-valued and have none. */
const ORDER_COLUMNS: Partial<Record<SearchField, string>> = {
  id: 'c.id',
  subjectCN: 'c.cn_lower',
  fingerprint: 'c.fingerprint',
  sha256Fingerprint: 'c.sha256',
  serialNumber: 'c.serial',
  certificateStatus: 'c.status',
  revocationStatus: 'c.revocation',
  requestStatus: REQUEST_STATUS,
  certificateIssuingTemplateId: 'c.template_id',
  validityEnd: 'c.validity_end',
  validityStart: 'c.validity_start',
  keyType: 'c.key_type',
  issuerDN: 'c.issuer_dn_lower',
  dekHash: 'c.dek_hash',
};

const MAX_IN_VALUES = 1000;

export interface CompiledSearch {
  /** `1` when there is no expression. */
  where: string;
  params: SQLInputValue[];
  orderBy: string;
  limit: number;
  offset: number;
}

export interface CompileOptions {
  /** Whether the trigram table exists, so substring search can use it. */
  fullText: boolean;
  /** The last certificate rid in the trigram table; newer certificates are not in it yet (they are added in batches). */
  namesIndexedThrough?: number;
}

/** Normalises a fingerprint or serial as the store keeps it: upper-case hex, no colons or spaces. */
export function normalizeHex(value: string): string {
  return value.replace(/[\s:]/g, '').toUpperCase();
}

function likePattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** An FTS5 phrase: the trigram tokenizer matches it as a substring. */
function ftsPhrase(column: 'cn' | 'sans', needle: string): string {
  return `${column} : "${needle.replace(/"/g, '""')}"`;
}

class Compiler {
  readonly params: SQLInputValue[] = [];
  constructor(private readonly options: CompileOptions) {}

  expression(expr: SearchExpression, path: string): string {
    if (expr.operator === 'AND' || expr.operator === 'OR') {
      const group = expr as { operator: 'AND' | 'OR'; operands: SearchExpression[] };
      if (group.operands.length === 0) return expr.operator === 'AND' ? '1' : '0';
      const parts = group.operands.map((op, i) => this.expression(op, `${path}.operands.${i}`));
      return `(${parts.join(expr.operator === 'AND' ? ' AND ' : ' OR ')})`;
    }
    return this.condition(expr as SearchCondition, path);
  }

  private bind(value: SQLInputValue): string {
    this.params.push(value);
    return '?';
  }

  private condition(cond: SearchCondition, path: string): string {
    const field = FIELDS[cond.field];
    if (!field) throw new SearchQueryError(`${path}.field`, `unknown field "${String(cond.field)}"`);
    const op = cond.operator;
    if ((op === 'GT' || op === 'GTE' || op === 'LT' || op === 'LTE') && field.kind !== 'date') {
      throw new SearchQueryError(`${path}.operator`, `${op} applies only to validityStart and validityEnd; for ${cond.field} use EQ, IN, FIND or MATCH`);
    }
    if ((op === 'FIND' || op === 'MATCH') && field.kind === 'date') {
      throw new SearchQueryError(`${path}.operator`, `${op} does not apply to ${cond.field}; use EQ, GT, GTE, LT, LTE or IN with an ISO 8601 date`);
    }
    const values = op === 'IN' ? this.inValues(cond, path) : [this.singleValue(cond, path)];
    const normalize = (v: string | number, i: number): SQLInputValue => this.normalize(field, v, op === 'IN' ? `${path}.values.${i}` : `${path}.value`);
    const norm = values.map(normalize);

    switch (field.kind) {
      case 'exact':
      case 'hex':
      case 'text':
      case 'date':
        return this.onColumn(field.column, op, norm);
      case 'cn':
        return this.onCn(op, norm as string[]);
      case 'san':
        return this.onSans(field.sanType, op, norm as string[]);
      case 'app':
        return this.onApps(op, norm as string[]);
    }
  }

  private singleValue(cond: SearchCondition, path: string): string | number {
    const v = cond.value;
    if (v === undefined || v === '' || typeof v === 'boolean') {
      throw new SearchQueryError(`${path}.value`, `${cond.operator} on ${cond.field} needs a string or number value`);
    }
    return v;
  }

  private inValues(cond: SearchCondition, path: string): (string | number)[] {
    const vs = cond.values;
    if (!vs || vs.length === 0) throw new SearchQueryError(`${path}.values`, `IN on ${cond.field} needs a non-empty values array`);
    if (vs.length > MAX_IN_VALUES) throw new SearchQueryError(`${path}.values`, `IN takes at most ${MAX_IN_VALUES} values, got ${vs.length}`);
    return vs;
  }

  private normalize(field: FieldKind, v: string | number, path: string): SQLInputValue {
    switch (field.kind) {
      case 'date': {
        const ms = typeof v === 'number' ? v : Date.parse(v);
        if (!Number.isFinite(ms)) throw new SearchQueryError(path, `"${v}" is not a date; use ISO 8601 such as 2027-01-01T00:00:00Z`);
        return ms;
      }
      case 'hex':
        return normalizeHex(String(v));
      case 'exact':
        return field.upper ? String(v).toUpperCase() : String(v);
      default:
        return String(v).toLowerCase();
    }
  }

  private onColumn(column: string, op: SearchCondition['operator'], values: SQLInputValue[]): string {
    switch (op) {
      case 'EQ':
        return `${column} = ${this.bind(values[0]!)}`;
      case 'IN':
        return `${column} IN (${values.map((v) => this.bind(v)).join(', ')})`;
      case 'GT':
        return `${column} > ${this.bind(values[0]!)}`;
      case 'GTE':
        return `${column} >= ${this.bind(values[0]!)}`;
      case 'LT':
        return `${column} < ${this.bind(values[0]!)}`;
      case 'LTE':
        return `${column} <= ${this.bind(values[0]!)}`;
      case 'FIND':
      case 'MATCH':
        return `${column} LIKE ${this.bind(likePattern(String(values[0])))} ESCAPE '\\'`;
    }
  }

  /**
   * The trigram index narrows the candidates, with the certificates not in it yet (the last
   * batch's worth at most); LIKE then decides exactly (phrases of < 3 characters match nothing in FTS5).
   */
  private ftsFilter(column: 'cn' | 'sans', needle: string): string {
    if (!this.options.fullText || [...needle].length < 3) return '';
    // One IN over a UNION, not an OR of two tests: SQLite scans every row for the OR.
    const matches = `SELECT rowid FROM ${NAMES_FTS_TABLE} WHERE ${NAMES_FTS_TABLE} MATCH ${this.bind(ftsPhrase(column, needle))}`;
    const pending = `SELECT rid FROM certificates WHERE rid > ${this.bind(this.options.namesIndexedThrough ?? 0)}`;
    return `c.rid IN (${matches} UNION ALL ${pending}) AND `;
  }

  private onCn(op: SearchCondition['operator'], values: string[]): string {
    if (op === 'FIND' || op === 'MATCH') {
      const needle = values[0]!;
      const fts = this.ftsFilter('cn', needle);
      return `(${fts}c.cn_lower LIKE ${this.bind(likePattern(needle))} ESCAPE '\\')`;
    }
    // cn_lower holds every CN, one per line: EQ and IN match any one of them exactly.
    const one = (v: string): string => `instr(char(10) || c.cn_lower || char(10), ${this.bind(`\n${v}\n`)}) > 0`;
    return `(${values.map(one).join(' OR ')})`;
  }

  private onSans(sanType: 'DNS' | 'IP', op: SearchCondition['operator'], values: string[]): string {
    // Placeholders are numbered by position, so the type is bound before the test's values.
    const exists = (test: () => string): string => {
      const type = this.bind(sanType);
      return `EXISTS (SELECT 1 FROM certificate_sans s WHERE s.cert_id = c.id AND s.type = ${type} AND ${test()})`;
    };
    if (op === 'FIND' || op === 'MATCH') {
      const needle = values[0]!;
      const fts = this.ftsFilter('sans', needle);
      return `(${fts}${exists(() => `s.value LIKE ${this.bind(likePattern(needle))} ESCAPE '\\'`)})`;
    }
    if (op === 'EQ') return exists(() => `s.value = ${this.bind(values[0]!)}`);
    return exists(() => `s.value IN (${values.map((v) => this.bind(v)).join(', ')})`);
  }

  private onApps(op: SearchCondition['operator'], values: string[]): string {
    const exists = (test: string): string => `EXISTS (SELECT 1 FROM certificate_applications a WHERE a.cert_id = c.id AND ${test})`;
    if (op === 'FIND' || op === 'MATCH') return exists(`a.app_id LIKE ${this.bind(likePattern(values[0]!))} ESCAPE '\\'`);
    if (op === 'EQ') return exists(`a.app_id = ${this.bind(values[0]!)}`);
    return exists(`a.app_id IN (${values.map((v) => this.bind(v)).join(', ')})`);
  }
}

function orderBy(search: CertificateSearchParsed): string {
  const orders = search.ordering?.orders ?? [];
  // Newest first by default; rid breaks ties so paging is stable.
  if (orders.length === 0) return 'c.rid DESC';
  const parts = orders.map((o, i) => {
    const column = ORDER_COLUMNS[o.field];
    if (!column) {
      throw new SearchQueryError(`ordering.orders.${i}.field`, `cannot order by ${o.field}; order by one of ${Object.keys(ORDER_COLUMNS).join(', ')}`);
    }
    return `${column} ${o.direction === 'DESC' ? 'DESC' : 'ASC'}`;
  });
  return [...parts, 'c.rid ASC'].join(', ');
}

/** The WHERE, ORDER BY and paging of a search over `certificates c`. */
export function compileSearch(search: CertificateSearchParsed, options: CompileOptions): CompiledSearch {
  const compiler = new Compiler(options);
  const where = search.expression ? compiler.expression(search.expression, 'expression') : '1';
  const { pageNumber, pageSize } = search.paging;
  return { where, params: compiler.params, orderBy: orderBy(search), limit: pageSize, offset: pageNumber * pageSize };
}
