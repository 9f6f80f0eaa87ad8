import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CaError } from '../common/errors';
import { CRYPTO_JOBS, type CryptoJobInput, type CryptoJobName, type CryptoJobOutput } from './crypto-jobs';
import { withExactBuffers } from './exact-buffers';

// A small pool of worker threads, one per CPU but one, for the CPU-heavy steps of a request (key pair +
// CSR, certificate signing). On the main thread those steps are most of a request's CPU time:
// with them here, concurrent requests use every CPU and the event loop (the API, the UI's IPC)
// keeps its turn.
//
// Jobs are pure (CRYPTO_JOBS), so whenever a worker is not there — still starting, crashed, or
// no worker entry file next to this module (an Electron bundle built without one) — the job runs
// on this thread instead, with the same result.

/** A worker's report: the output of job `id`, or why it failed. */
type Reply = { id: number; output: unknown } | { id: number; error: { name: string; message: string; retryable?: boolean } };

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, { resolve(value: unknown): void; reject(error: Error): void; run(): Promise<unknown> }>;
}

const WORKER_FILE = 'crypto-worker';

/** Where the worker entry is: the .ts beside this file when running from source (tests, tsx), the .js beside the bundle otherwise. */
function workerEntry(): { url: URL; execArgv?: string[] } | undefined {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  // Built from a variable so bundlers leave it alone (they rewrite `new URL('literal', import.meta.url)`).
  const file = `./${WORKER_FILE}${fromSource ? '.ts' : '.js'}`;
  const url = new URL(file, here);
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  if (!fromSource) return { url };
  // A worker does not inherit the host's TypeScript loader (vitest's, for one): give it tsx's.
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { url, execArgv: ['--import', tsx] };
}

function errorFrom(reply: Extract<Reply, { error: unknown }>['error']): Error {
  if (reply.name === 'CaError') return new CaError(reply.message, reply.retryable ?? false);
  const error = new Error(reply.message);
  error.name = reply.name;
  return error;
}

export class CryptoPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  private disabled: boolean;
  /** Jobs running on this thread now. */
  private inThread = 0;

  /** `threads` 0 runs every job on this thread; `alwaysWorkers` sends even a lone job to a worker (tests). */
  constructor(
    readonly threads: number,
    private readonly alwaysWorkers = false,
  ) {
    this.disabled = threads < 1;
  }

  /** Starts the workers now rather than at the first job (jobs run on this thread until one is ready). */
  warm(): void {
    if (this.disabled || this.closed || this.slots.length > 0) return;
    const entry = workerEntry();
    if (!entry) {
      this.disabled = true;
      return;
    }
    for (let i = 0; i < this.threads; i++) this.start(entry);
  }

  /**
   * Runs `job` on this thread when nothing else is running (a hand-off to a worker and back costs
   * more than it saves for a lone request), otherwise on the least busy ready worker; on this
   * thread as well when no worker is ready.
   */
  run<N extends CryptoJobName>(job: N, input: CryptoJobInput<N>): Promise<CryptoJobOutput<N>> {
    const inThread = () => (CRYPTO_JOBS[job] as (i: CryptoJobInput<N>) => Promise<CryptoJobOutput<N>>)(input);
    const busy = this.inThread + this.slots.reduce((n, s) => n + s.inFlight.size, 0);
    // Workers start the first time jobs overlap: a user making one certificate at a time never pays for them.
    if (busy > 0 || this.alwaysWorkers) this.warm();
    const ready = this.slots.filter((s) => s.ready);
    if (ready.length === 0 || (busy === 0 && !this.alwaysWorkers)) {
      this.inThread++;
      return inThread().finally(() => this.inThread--);
    }
    const slot = ready.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = this.nextId++;
    return new Promise<CryptoJobOutput<N>>((resolve, reject) => {
      if (slot.inFlight.size === 0) slot.worker.ref(); // a job in flight keeps the process alive, an idle pool does not
      slot.inFlight.set(id, { resolve: resolve as (value: unknown) => void, reject, run: inThread });
      const message = withExactBuffers({ id, job, input });
      slot.worker.postMessage(message.value, message.transfer);
    });
  }

  /** How many workers are up; 0 means jobs run on this thread. */
  get readyWorkers(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private start(entry: { url: URL; execArgv?: string[] }): void {
    let worker: Worker;
    try {
      worker = new Worker(entry.url, { execArgv: entry.execArgv, name: 'keypair-satellite crypto' });
    } catch {
      this.disabled = true;
      return;
    }
    worker.unref();
    const slot: Slot = { worker, ready: false, inFlight: new Map() };
    this.slots.push(slot);
    worker.on('message', (message: Reply | 'ready') => {
      if (message === 'ready') {
        slot.ready = true;
        return;
      }
      const job = slot.inFlight.get(message.id);
      if (!job) return;
      slot.inFlight.delete(message.id);
      if (slot.inFlight.size === 0) worker.unref();
      if ('error' in message) job.reject(errorFrom(message.error));
      else job.resolve(message.output);
    });
    const gone = () => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      // A worker that failed to load or crashed: its jobs run again here (they are pure), and no
      // new worker is started in a loop; the pool goes on in this thread.
      if (!slot.ready) this.disabled = true;
      for (const job of slot.inFlight.values()) job.run().then(job.resolve, job.reject);
      slot.inFlight.clear();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }
}

function threadsFromEnvironment(): number {
  const configured = process.env.KS_CRYPTO_THREADS;
  // One CPU stays with the event loop, which serves the API and the UI and commits to the store:
  // on 2 CPUs, 1 worker served about 11% more requests over the API than 2 (10 runs alternated).
  if (configured === undefined || configured === '') return Math.max(1, availableParallelism() - 1);
  const n = Number(configured);
  if (!Number.isInteger(n) || n < 0) throw new Error(`KS_CRYPTO_THREADS must be a whole number (0 runs crypto on the main thread), got "${configured}"`);
  return n;
}

let shared: CryptoPool | undefined;

/** The process's pool: one worker per CPU but one (KS_CRYPTO_THREADS overrides; 0 keeps every job on the main thread). */
export function cryptoPool(): CryptoPool {
  shared ??= new CryptoPool(threadsFromEnvironment());
  return shared;
}
