// ipcMain handlers for every invoke channel of the contract. A call from any
// sender that is not one of our windows is refused; every payload is checked
// before a handler sees it (settings with the shared zod schema).
import { type CheckpointProjectRef, type InvokeChannel, type InvokeRequest, type InvokeResponse, INVOKE_CHANNELS, SettingsSchema, type SettingsIssue, settingsIssues } from '../shared/ipc-contract.js';
import type { IpcSenderInfo } from './windows.js';
import { isRecord } from '../core/json-object.js';

export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeRequest<C>, sender: IpcSenderInfo) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export class IpcRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRequestError';
  }
}


function noPayload(raw: unknown): void {
  if (raw !== undefined && raw !== null) throw new IpcRequestError('this channel takes no payload');
}

/** { checkpointId, projectDir }: short strings only; main looks both up in the checkpoint index. */
function projectRef(raw: unknown, channel: string): CheckpointProjectRef {
  const ok = isRecord(raw) && Object.keys(raw).every((k) => k === 'checkpointId' || k === 'projectDir') && typeof raw.checkpointId === 'string' && raw.checkpointId.length > 0 && raw.checkpointId.length <= 200 && typeof raw.projectDir === 'string' && raw.projectDir.length > 0 && raw.projectDir.length <= 4096;
  if (!ok) throw new IpcRequestError(`${channel} takes { checkpointId: string, projectDir: string }`);
  return { checkpointId: raw.checkpointId as string, projectDir: raw.projectDir as string };
}

/** Either a valid request, or a settings payload that failed the schema (answered, not thrown). */
type Parsed<C extends InvokeChannel> = { ok: true; request: InvokeRequest<C> } | { ok: false; issues: SettingsIssue[] };

export const validators: { [C in InvokeChannel]: (raw: unknown) => Parsed<C> } = {
  'status:get': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'settings:get': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'app:open-settings': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'dashboard:get': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'pause:resume': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'window:close': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'roots:discovered': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'integration:status': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'integration:install': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'integration:uninstall': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'integration:open-settings': (raw) => (noPayload(raw), { ok: true, request: undefined }),
  'checkpoint:copy-restore': (raw) => ({ ok: true, request: projectRef(raw, 'checkpoint:copy-restore') }),
  'checkpoint:open-prompt': (raw) => ({ ok: true, request: projectRef(raw, 'checkpoint:open-prompt') }),
  'checkpoint:now': (raw) => {
    if (raw === undefined) return { ok: true, request: {} };
    if (!isRecord(raw) || Object.keys(raw).some((k) => k !== 'pause') || (raw.pause !== undefined && typeof raw.pause !== 'boolean')) {
      throw new IpcRequestError('checkpoint:now takes { pause?: boolean }');
    }
    return { ok: true, request: raw.pause === undefined ? {} : { pause: raw.pause } };
  },
  'alerts:snooze': (raw) => {
    const minutes = isRecord(raw) ? raw.minutes : undefined;
    if (!isRecord(raw) || !(minutes === null || (typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= 24 * 60))) {
      throw new IpcRequestError('alerts:snooze takes { minutes: 1..1440 | null }');
    }
    return { ok: true, request: { minutes } };
  },
  'settings:set': (raw) => {
    const result = SettingsSchema.safeParse(raw);
    if (result.success) return { ok: true, request: result.data };
    return { ok: false, issues: settingsIssues(result.error.issues as Parameters<typeof settingsIssues>[0]) };
  },
};

export interface RegisterIpcOptions {
  ipcMain: IpcMainPort;
  isTrusted: (event: IpcSenderInfo) => boolean;
  handlers: InvokeHandlers;
  onRefused?: (channel: InvokeChannel, reason: string) => void;
}

async function dispatch<C extends InvokeChannel>(channel: C, raw: unknown, handlers: InvokeHandlers, sender: IpcSenderInfo): Promise<InvokeResponse<C>> {
  const parsed = validators[channel](raw) as Parsed<C>;
  if (!parsed.ok) return { ok: false, issues: parsed.issues } as unknown as InvokeResponse<C>;
  const handler = handlers[channel] as (request: InvokeRequest<C>, sender: IpcSenderInfo) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
  return handler(parsed.request, sender);
}

/** Registers every contract channel; returns a function that removes them. */
export function registerIpc(options: RegisterIpcOptions): () => void {
  for (const channel of INVOKE_CHANNELS) {
    options.ipcMain.handle(channel, (event, ...args) => {
      if (!options.isTrusted(event)) {
        options.onRefused?.(channel, 'foreign sender');
        throw new IpcRequestError(`${channel}: refused, the sender is not a Breather window`);
      }
      if (args.length > 1) throw new IpcRequestError(`${channel}: one payload at most`);
      return dispatch(channel, args[0], options.handlers, event);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) options.ipcMain.removeHandler(channel);
  };
}
