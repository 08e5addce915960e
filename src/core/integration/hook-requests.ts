// Hand-over from a hook to the running tray app or `watch`: the service marks
// itself in `<state>/service.json`; a hook that finds it alive drops a request
// file into `<state>/requests/` and returns at once; the service watches that
// folder (fs events, no polling), claims each file by renaming it, and acts.
import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import { readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../atomic-file.js';
import { isRecord } from '../json-object.js';
import { isLiveProcess, readJsonFileSync } from './hook-runtime.js';

export const SERVICE_MARKER_FILE = 'service.json';
export const REQUESTS_DIR = 'requests';

/** StopFailure with error "rate_limit": checkpoint (and pause) this session's project. */
export interface LimitCheckpointRequest {
  version: 1;
  kind: 'limit-checkpoint';
  sessionId: string | null;
  cwd: string;
  projectDir: string;
  transcriptPath: string | null;
  receivedAt: string;
}

export function requestsDir(stateDir: string): string {
  return join(stateDir, REQUESTS_DIR);
}

/** Whether a tray app or `watch` is running on this state directory. */
export function runningServicePid(stateDir: string): number | null {
  const read = readJsonFileSync(join(stateDir, SERVICE_MARKER_FILE));
  return read.state === 'ok' && isLiveProcess(read.value.pid) ? (read.value.pid as number) : null;
}

export function writeRequestSync(stateDir: string, request: LimitCheckpointRequest): string {
  const dir = requestsDir(stateDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${Date.now()}-${process.pid}-${Math.random().toString(16).slice(2, 8)}.json`);
  writeFileAtomicSync(path, JSON.stringify(request));
  return path;
}

function asRequest(value: unknown): LimitCheckpointRequest | null {
  if (!isRecord(value) || value.version !== 1 || value.kind !== 'limit-checkpoint') return null;
  if (typeof value.projectDir !== 'string' || typeof value.cwd !== 'string') return null;
  return value as unknown as LimitCheckpointRequest;
}

export interface RequestInboxOptions {
  stateDir: string;
  onRequest: (request: LimitCheckpointRequest) => Promise<void>;
  onError: (error: Error) => void;
}

/** The service side: the marker, the folder watch, each request taken once. */
export class RequestInbox {
  private watcher: FSWatcher | null = null;
  private draining: Promise<void> = Promise.resolve();
  private again = false;

  constructor(private readonly options: RequestInboxOptions) {}

  async start(): Promise<void> {
    const dir = requestsDir(this.options.stateDir);
    mkdirSync(dir, { recursive: true });
    await writeFileAtomic(join(this.options.stateDir, SERVICE_MARKER_FILE), `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`);
    this.watcher = watch(dir, () => this.drain());
    this.watcher.on('error', (error) => this.options.onError(error));
    // Requests left while nothing was listening (handled once the service has started).
    this.drain();
  }

  private drain(): void {
    this.again = true;
    this.draining = this.draining.then(async () => {
      while (this.again) {
        this.again = false;
        await this.takeAll().catch((error: Error) => this.options.onError(error));
      }
    });
  }

  private async takeAll(): Promise<void> {
    const dir = requestsDir(this.options.stateDir);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
      const claimed = join(dir, `${name}.taken-${process.pid}`);
      // The rename is the claim: a second service (or a second event) finds the file gone.
      if (!(await rename(join(dir, name), claimed).then(() => true, () => false))) continue;
      const request = asRequest(await readFile(claimed, 'utf8').then((t) => JSON.parse(t) as unknown, () => null));
      await rm(claimed, { force: true });
      if (request) await this.options.onRequest(request);
      else this.options.onError(new Error(`ignored an unreadable hook request ${name}`));
    }
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.draining;
    const marker = readJsonFileSync(join(this.options.stateDir, SERVICE_MARKER_FILE));
    if (marker.state === 'ok' && marker.value.pid === process.pid) await rm(join(this.options.stateDir, SERVICE_MARKER_FILE), { force: true });
  }
}
