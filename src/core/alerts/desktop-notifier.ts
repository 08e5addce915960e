// The Notifier port over node-notifier: Notification Center (terminal-notifier)
// on macOS, toasts (SnoreToast) on Windows, notify-send on Linux. On Linux a
// notice that offers actions is sent by notify-send itself with `--action`
// (libnotify >= 0.7.10), which waits and prints the action chosen; elsewhere a
// click may open the dashboard (the tray passes onClick) or do nothing (the CLI).
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { NotificationAction, NotificationRequest, Notifier } from '../ports.js';

/** The app's id: electron-builder's appId, the Windows AppUserModelID and the toast's appID must all be this. */
export const APP_ID = 'dev.breather.app';

export interface DesktopNotifierOptions {
  appName: string;
  /** Windows toasts: the AppUserModelID of the Start-menu shortcut (default APP_ID). */
  appId?: string;
  iconPath?: string;
  sound?: boolean;
  /** Offer action buttons where supported. */
  actions?: boolean;
  platform?: NodeJS.Platform;
  onAction?: (action: NotificationAction['id'], request: NotificationRequest) => void;
  onClick?: (request: NotificationRequest) => void;
  onError?: (error: Error) => void;
  /** Linux actions: runs notify-send and resolves with its stdout (tests replace it). */
  runNotifySend?: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
}

interface NodeNotifierModule {
  notify(options: Record<string, unknown>, callback?: (error: Error | null, response: string, metadata?: { activationValue?: string; button?: string }) => void): unknown;
}

export function platformSupportsActions(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** The options node-notifier needs for one request on one platform (pure, so it is testable everywhere). */
export function notifierOptions(request: NotificationRequest, options: DesktopNotifierOptions): Record<string, unknown> {
  const platform = options.platform ?? process.platform;
  const base: Record<string, unknown> = { title: request.title, message: request.body };
  if (options.iconPath) base.icon = options.iconPath;
  const actions = options.actions !== false && platformSupportsActions(platform) ? (request.actions ?? []) : [];
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    // Critical notices stay on screen and pass Do Not Disturb: only for those that offer a checkpoint (limit near or hit).
    return { ...base, 'app-name': options.appName, urgency: request.actions?.some((a) => a.id === 'checkpoint') ? 'critical' : 'normal', ...(request.tag ? { hint: `string:x-dunst-stack-tag:${request.tag}` } : {}) };
  }
  if (platform === 'darwin') {
    return { ...base, sound: options.sound !== false, group: request.tag, ...(actions.length > 0 ? { actions: actions.map((a) => a.label), dropdownLabel: 'Breather', wait: true } : { wait: Boolean(options.onClick) }) };
  }
  return { ...base, appID: options.appId ?? APP_ID, sound: options.sound !== false, id: request.tag, ...(actions.length > 0 ? { actions: actions.map((a) => a.label), wait: true } : { wait: Boolean(options.onClick) }) };
}

const isLinuxLike = (platform: NodeJS.Platform) => platform === 'linux' || platform === 'freebsd' || platform === 'openbsd';

/**
 * notify-send's arguments for a Linux notice with actions, or null when it has none to offer.
 * Each action is named (`-A name=Label`): notify-send prints the chosen name. The default
 * action (a click on the body) opens the dashboard when the app can.
 */
export function notifySendArgs(request: NotificationRequest, options: DesktopNotifierOptions): string[] | null {
  const platform = options.platform ?? process.platform;
  const actions = options.actions !== false ? (request.actions ?? []) : [];
  if (!isLinuxLike(platform) || actions.length === 0) return null;
  const args = ['--app-name', options.appName, '--urgency', actions.some((a) => a.id === 'checkpoint') ? 'critical' : 'normal'];
  if (options.iconPath) args.push('--icon', options.iconPath);
  if (request.tag) args.push('--hint', `string:x-dunst-stack-tag:${request.tag}`);
  for (const action of actions) args.push('--action', `${action.id}=${action.label}`);
  if (options.onClick) args.push('--action', 'default=Open Breather');
  args.push('--wait', '--', request.title, request.body);
  return args;
}

/** notify-send --wait lives until the notice is acted on or closed: never longer than this, and never past our exit. */
const MAX_WAIT_MS = 30 * 60_000;
const waiting = new Set<ChildProcess>();
let exitHookInstalled = false;

async function runNotifySend(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Loaded here: node:child_process costs every start ~3 ms, and most runs notify nothing.
  const { spawn } = await import('node:child_process');
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of waiting) child.kill();
    });
  }
  return new Promise((resolve) => {
    const child = spawn('notify-send', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    waiting.add(child);
    const timer = setTimeout(() => child.kill(), MAX_WAIT_MS);
    timer.unref();
    child.once('close', () => {
      clearTimeout(timer);
      waiting.delete(child);
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Without an actions-capable server (or any server) notify-send shows the notice plainly, or
      // not at all, and then waits for ever: nothing will be chosen, so stop waiting.
      if (/not supported|could not connect|failed to connect/i.test(stderr)) child.kill();
    });
    child.once('error', (error) => resolve({ code: -1, stdout, stderr: error.message }));
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function createDesktopNotifier(options: DesktopNotifierOptions): Notifier {
  let module: NodeNotifierModule | null = null;
  const sendWithNodeNotifier = (request: NotificationRequest) => {
    // Loaded on first use: most runs never notify.
    module ??= createRequire(import.meta.url)('node-notifier') as NodeNotifierModule;
    module.notify(notifierOptions(request, options), (error, response, metadata) => {
      // notify-send's stderr arrives as a plain string, not an Error.
      if (error) options.onError?.(error instanceof Error ? error : new Error(String(error)));
      const chosen = (metadata?.activationValue ?? response ?? '').toString().toLowerCase();
      const action = request.actions?.find((a) => a.label.toLowerCase() === chosen);
      if (action) options.onAction?.(action.id, request);
      else if (chosen === 'activate' || chosen === 'contentsclicked' || chosen === 'clicked') options.onClick?.(request);
      // With wait: true the callback comes only after the user acts; don't hold the caller.
    });
  };
  return {
    notify(request) {
      const linuxArgs = notifySendArgs(request, options);
      if (linuxArgs) {
        // Waits until the notice is acted on or closed: not awaited, so the caller goes on.
        void (options.runNotifySend ?? runNotifySend)(linuxArgs).then(({ code, stdout, stderr }) => {
          if (code !== 0) {
            // No "actions" capability: notify-send already showed it plainly. Otherwise (an old notify-send, no server) try without actions.
            const shown = /non-interactively/i.test(stderr);
            options.onError?.(new Error(`notify-send --action failed (${stderr.trim().split('\n')[0] || `exit ${code}`})${shown ? '; shown without actions' : '; sent without actions'}`));
            if (!shown) sendWithNodeNotifier({ ...request, actions: [] });
            return;
          }
          const chosen = stdout.trim().split('\n').pop() ?? '';
          const action = request.actions?.find((a) => a.id === chosen);
          if (action) options.onAction?.(action.id, request);
          else if (chosen === 'default') options.onClick?.(request);
        });
        return Promise.resolve();
      }
      sendWithNodeNotifier(request);
      return Promise.resolve();
    },
  };
}
