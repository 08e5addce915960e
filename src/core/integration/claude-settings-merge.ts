// What `breather integrate install|uninstall` does to Claude Code's
// settings.json, as pure functions from text to text. Breather owns exactly
// three things in that file: the `statusLine` it sets, and its own hook entries
// (recognised by their command, wherever they sit). Everything else is the
// user's and keeps its bytes.
import { isDeepStrictEqual } from 'node:util';
import { type JsonTextStyle, appendElement, detectJsonStyle, nodeAt, objectTree, removeElement, removeProperty, replaceAt, setProperty } from './json-text-edits.js';
import { isRecord } from '../json-object.js';

/** The hook events Breather registers, with the per-entry timeout (seconds) Claude Code enforces. */
export const HOOK_EVENTS = ['PreToolUse', 'StopFailure', 'SessionStart'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export const HOOK_TIMEOUT_SECONDS: Readonly<Record<HookEvent, number>> = { PreToolUse: 5, StopFailure: 15, SessionStart: 5 };
/** PreToolUse gates every tool; StopFailure only fires for us on usage limits. */
const HOOK_MATCHER: Readonly<Record<HookEvent, string | null>> = { PreToolUse: '*', StopFailure: 'rate_limit', SessionStart: null };

/** Every command Breather writes runs its hook bundle: that file name marks an entry as Breather's. */
export const HOOK_BUNDLE_NAME = 'breather-hook.mjs';

export interface BreatherCommands {
  statusline: string;
  hooks: Partial<Record<HookEvent, string>>;
}

export function isBreatherCommand(command: unknown): boolean {
  return typeof command === 'string' && command.includes(HOOK_BUNDLE_NAME);
}

export class SettingsFileError extends Error {
  constructor(
    readonly kind: 'invalid-json' | 'not-an-object' | 'read-only' | 'unexpected-shape',
    message: string,
  ) {
    super(message);
    this.name = 'SettingsFileError';
  }
}

export interface ParsedClaudeSettings {
  /** The text edits apply to (a byte-order mark, if any, is kept aside). */
  text: string;
  bom: string;
  value: Record<string, unknown>;
  style: JsonTextStyle;
}


/** Strict JSON only: Claude Code reads settings.json with JSON.parse, so comments are an error there too. */
export function parseClaudeSettings(raw: string, path: string): ParsedClaudeSettings {
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = raw.slice(bom.length);
  // An empty file is an empty object: Breather writes a fresh one.
  const text = body.trim() === '' ? '{}\n' : body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(
      'invalid-json',
      `${path} is not valid JSON (${(error as Error).message}). Claude Code's settings.json allows no comments or trailing commas; fix it first. Nothing was changed.`,
    );
  }
  if (!isRecord(value) || !objectTree(text)) throw new SettingsFileError('not-an-object', `${path} does not hold a JSON object. Nothing was changed.`);
  return { text, bom, value, style: detectJsonStyle(text) };
}

function statusLineFor(commands: BreatherCommands): Record<string, unknown> {
  return { type: 'command', command: commands.statusline, padding: 0 };
}

function hookGroupFor(event: HookEvent, command: string): Record<string, unknown> {
  const matcher = HOOK_MATCHER[event];
  return { ...(matcher === null ? {} : { matcher }), hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS[event] }] };
}

interface HookLocation {
  group: number;
  hook: number;
  /** The group holds nothing but Breather's hook. */
  alone: boolean;
}

/** Breather's hooks in one event's list, last first (so removing them one by one keeps indices valid). */
function breatherHooksIn(list: unknown): HookLocation[] {
  if (!Array.isArray(list)) return [];
  const found: HookLocation[] = [];
  list.forEach((group, g) => {
    const hooks = isRecord(group) && Array.isArray(group.hooks) ? group.hooks : [];
    hooks.forEach((hook, h) => {
      if (isRecord(hook) && isBreatherCommand(hook.command)) found.push({ group: g, hook: h, alone: hooks.length === 1 });
    });
  });
  return found.reverse();
}

function hooksObject(value: Record<string, unknown>, path: string): Record<string, unknown> | null {
  if (value.hooks === undefined) return null;
  if (!isRecord(value.hooks)) throw new SettingsFileError('unexpected-shape', `${path}: "hooks" is not an object, so Breather cannot add its hooks. Nothing was changed.`);
  return value.hooks;
}

export interface InstallEdit {
  text: string;
  changed: boolean;
  /** The statusLine that Breather's replaced (whole), when it was someone else's; undefined when none was. */
  replacedStatusLine: Record<string, unknown> | undefined;
  createdHooksKey: boolean;
  createdEvents: HookEvent[];
}

/** Removes Breather's hooks of one event (leaving a group the user shares with them otherwise intact). */
function withoutBreatherHooks(text: string, event: string, list: unknown): string {
  for (const at of breatherHooksIn(list)) {
    text = at.alone ? removeElement(text, ['hooks', event], at.group) : removeElement(text, ['hooks', event, at.group, 'hooks'], at.hook);
  }
  return text;
}

/**
 * Sets Breather's statusLine and hooks. Idempotent: on a file that already has
 * exactly these, `changed` is false and the text is returned as it was.
 */
export function applyInstall(parsed: ParsedClaudeSettings, commands: BreatherCommands, path: string): InstallEdit {
  const { style, value } = parsed;
  let text = parsed.text;
  const hooks = hooksObject(value, path);
  const current = value.statusLine;
  if (current !== undefined && current !== null && !isRecord(current)) {
    throw new SettingsFileError('unexpected-shape', `${path}: "statusLine" is not an object, so Breather cannot keep it to restore later. Nothing was changed.`);
  }
  const ours = isRecord(current) && isBreatherCommand(current.command);
  const replacedStatusLine = current !== undefined && !ours && isRecord(current) ? current : undefined;
  const wanted = statusLineFor(commands);
  if (!isDeepStrictEqual(current, wanted)) text = setProperty(text, [], 'statusLine', wanted, style);

  const createdEvents: HookEvent[] = [];
  let createdHooksKey = false;
  for (const event of HOOK_EVENTS) {
    const command = commands.hooks[event];
    const list = hooks?.[event];
    const existing = breatherHooksIn(list);
    if (command === undefined) {
      // Not wanted (an opt-in event turned off): take ours away if present.
      if (existing.length > 0) text = withoutBreatherHooks(text, event, list);
      continue;
    }
    const group = hookGroupFor(event, command);
    const [first, ...extra] = [...existing].reverse();
    if (first && extra.length === 0 && first.alone && isDeepStrictEqual((list as unknown[])[first.group], group)) continue;
    if (first) {
      // Out of date (the app moved, a timeout changed) or duplicated: rewrite ours in place.
      for (const at of [...extra].reverse()) text = at.alone ? removeElement(text, ['hooks', event], at.group) : removeElement(text, ['hooks', event, at.group, 'hooks'], at.hook);
      text = first.alone ? replaceAt(text, ['hooks', event, first.group], group, style) : replaceAt(text, ['hooks', event, first.group, 'hooks', first.hook], (group.hooks as unknown[])[0], style);
      continue;
    }
    const root = objectTree(text)!;
    if (!nodeAt(root, ['hooks'])) {
      text = setProperty(text, [], 'hooks', { [event]: [group] }, style);
      createdHooksKey = true;
      createdEvents.push(event);
    } else if (!Array.isArray(list)) {
      if (list !== undefined) throw new SettingsFileError('unexpected-shape', `${path}: "hooks.${event}" is not a list. Nothing was changed.`);
      text = setProperty(text, ['hooks'], event, [group], style);
      createdEvents.push(event);
    } else {
      text = appendElement(text, ['hooks', event], group, style);
    }
  }
  return { text, changed: text !== parsed.text, replacedStatusLine, createdHooksKey, createdEvents };
}

export interface UninstallFacts {
  /** The statusLine to put back; undefined: remove Breather's. */
  previousStatusLine: Record<string, unknown> | undefined;
  createdHooksKey: boolean;
  createdEvents: readonly string[];
}

/**
 * Takes out what install put in: Breather's statusLine (the previous one comes
 * back) and every hook whose command is Breather's. A statusLine the user has
 * since changed is theirs and stays. Lists and the `hooks` object are removed
 * only when Breather created them and they are empty again.
 */
export function applyUninstall(parsed: ParsedClaudeSettings, facts: UninstallFacts): { text: string; changed: boolean } {
  const { style, value } = parsed;
  let text = parsed.text;
  const current = value.statusLine;
  if (isRecord(current) && isBreatherCommand(current.command)) {
    text = facts.previousStatusLine ? replaceAt(text, ['statusLine'], facts.previousStatusLine, style) : removeProperty(text, [], 'statusLine');
  }
  const hooks = isRecord(value.hooks) ? value.hooks : null;
  if (hooks) {
    for (const [event, list] of Object.entries(hooks)) {
      if (breatherHooksIn(list).length === 0) continue;
      text = withoutBreatherHooks(text, event, list);
      const after = JSON.parse(text) as Record<string, Record<string, unknown[]>>;
      if (after.hooks?.[event]?.length === 0 && (facts.createdEvents.includes(event) || facts.createdHooksKey)) text = removeProperty(text, ['hooks'], event);
    }
    const after = JSON.parse(text) as Record<string, unknown>;
    if (facts.createdHooksKey && isRecord(after.hooks) && Object.keys(after.hooks).length === 0) text = removeProperty(text, [], 'hooks');
  }
  return { text, changed: text !== parsed.text };
}

/** What Breather has in a settings object right now. */
export interface InstalledParts {
  statusLine: { command: string } | null;
  /** The statusLine there is someone else's. */
  foreignStatusLine: Record<string, unknown> | null;
  hooks: Partial<Record<HookEvent, { command: string; timeout: number | null }>>;
}

export function installedParts(value: Record<string, unknown>): InstalledParts {
  const status = value.statusLine;
  const ours = isRecord(status) && isBreatherCommand(status.command);
  const parts: InstalledParts = {
    statusLine: ours ? { command: String(status.command) } : null,
    foreignStatusLine: !ours && isRecord(status) ? status : null,
    hooks: {},
  };
  const hooks = isRecord(value.hooks) ? value.hooks : {};
  for (const event of HOOK_EVENTS) {
    const list = hooks[event];
    const at = breatherHooksIn(list)[0];
    if (!at) continue;
    const hook = ((list as Record<string, unknown[]>[])[at.group]!.hooks as Record<string, unknown>[])[at.hook]!;
    parts.hooks[event] = { command: String(hook.command), timeout: typeof hook.timeout === 'number' ? hook.timeout : null };
  }
  return parts;
}
