// The command lines install writes into Claude Code's settings: absolute paths
// to Breather's own hook bundle, run by the Node that runs Breather now. From
// a source checkout that is `node …/dist/cli/breather-hook.mjs`; in the
// packaged app it is the app's own executable in Node mode
// (ELECTRON_RUN_AS_NODE=1), since a user of the app may have no Node at all.
import type { BreatherCommands, HookEvent } from './claude-settings-merge.js';

export interface HookEntryPoint {
  /** The executable: node, or the Electron app binary. */
  runtime: string;
  /** Absolute path of dist/cli/breather-hook.mjs. */
  script: string;
  electronRunAsNode: boolean;
}

export type HookSubcommand = 'statusline' | 'pre-tool-use' | 'stop-failure' | 'session-start';

export const SUBCOMMAND_OF_EVENT: Readonly<Record<HookEvent, HookSubcommand>> = {
  PreToolUse: 'pre-tool-use',
  StopFailure: 'stop-failure',
  SessionStart: 'session-start',
};

/** Files inside app.asar can't be read or run by outside programs (notify-send, SnoreToast, Claude Code): the unpacked copy. */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * The packaged app keeps dist/ inside app.asar; Claude Code starts the hook
 * as a separate process, so it runs the copy electron-builder unpacks beside
 * it (asarUnpack in electron-builder.yml): a real file, self-contained.
 */
export function hookEntryPoint(script: string, runtime: string = process.execPath, versions: NodeJS.ProcessVersions = process.versions): HookEntryPoint {
  const electron = typeof versions.electron === 'string';
  const unpacked = electron ? unpackedPath(script) : script;
  return { runtime, script: unpacked, electronRunAsNode: electron };
}

/**
 * One argument for the shell Claude Code runs hook commands with: sh on macOS
 * and Linux; on Windows Claude Code runs them with Git Bash too, where double
 * quotes keep `C:\Program Files\…` whole (a backslash before a letter stays a
 * backslash) and Windows paths cannot contain `"`.
 */
export function quoteShellArg(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[A-Za-z0-9_\/.:,@%+=-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/(["$`])/g, '\\$1')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function hookCommandLine(entry: HookEntryPoint, subcommand: HookSubcommand, platform: NodeJS.Platform = process.platform): string {
  const env = entry.electronRunAsNode ? 'ELECTRON_RUN_AS_NODE=1 ' : '';
  return `${env}${quoteShellArg(entry.runtime, platform)} ${quoteShellArg(entry.script, platform)} ${subcommand}`;
}

/** Every command install writes; SessionStart only when the user opted in. */
export function breatherCommands(entry: HookEntryPoint, options: { sessionStart: boolean }, platform: NodeJS.Platform = process.platform): BreatherCommands {
  const hooks: BreatherCommands['hooks'] = {
    PreToolUse: hookCommandLine(entry, SUBCOMMAND_OF_EVENT.PreToolUse, platform),
    StopFailure: hookCommandLine(entry, SUBCOMMAND_OF_EVENT.StopFailure, platform),
  };
  if (options.sessionStart) hooks.SessionStart = hookCommandLine(entry, SUBCOMMAND_OF_EVENT.SessionStart, platform);
  return { statusline: hookCommandLine(entry, 'statusline', platform), hooks };
}
