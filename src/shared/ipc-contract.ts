// The one IPC contract between the tray app's main process, the preload bridge
// and the renderer pages. Main's handlers and the preload's bridge are typed
// against these maps, so a channel or payload that drifts fails to compile.
// This module is the renderer's only runtime import from shared: it re-exports
// the settings schema so the settings page validates exactly as main does.
import type { Settings } from './settings.js';
import type { Status } from './status.js';

export { SettingsSchema, PLAN_PRESET_IDS, WEEKDAYS } from './settings.js';
export type { Settings } from './settings.js';
export type { Status, WindowStatus, WindowId, LimitSource } from './status.js';

/** What a checkpoint did, in a shape a page can show. */
export interface CheckpointSummary {
  ok: boolean;
  /** null when nothing was checkpointed (no active project, or it failed). */
  id: string | null;
  paused: boolean;
  projects: { projectDir: string; status: string; promptPath: string }[];
  message: string;
}

export interface SettingsView {
  settings: Settings;
  path: string;
  /** A repair notice from opening the file, or a hotkey that could not be registered. */
  notices: string[];
}

export type SettingsSetResult = { ok: true; settings: Settings } | { ok: false; issues: string[] };

/** Request/response per invoke channel (renderer → main, answered). */
export interface InvokeMap {
  'status:get': { request: void; response: Status | null };
  'checkpoint:now': { request: { pause?: boolean }; response: CheckpointSummary };
  /** minutes: null snoozes until the 5-hour window resets. */
  'alerts:snooze': { request: { minutes: number | null }; response: { ok: true; until: string | null } };
  'settings:get': { request: void; response: SettingsView };
  'settings:set': { request: Settings; response: SettingsSetResult };
  'app:open-settings': { request: void; response: void };
}

/** Payload per push channel (main → renderer). */
export interface EventMap {
  'status:changed': Status;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['response'];

/** Every invoke channel, checked against the map in both directions. */
export const INVOKE_CHANNELS = ['status:get', 'checkpoint:now', 'alerts:snooze', 'settings:get', 'settings:set', 'app:open-settings'] as const satisfies readonly InvokeChannel[];
type MissingInvoke = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
const _allInvoke: MissingInvoke extends never ? true : never = true;
void _allInvoke;

export const EVENT_CHANNELS = ['status:changed'] as const satisfies readonly EventChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}

/** What the preload exposes as `window.breather`: the contract, nothing else. */
export interface BreatherBridge {
  invoke<C extends InvokeChannel>(channel: C, ...request: InvokeRequest<C> extends void ? [] | [InvokeRequest<C>] : [InvokeRequest<C>]): Promise<InvokeResponse<C>>;
  /** Subscribes to a push channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The name the bridge is exposed under. */
export const BRIDGE_KEY = 'breather';
