// The Notifier port over node-notifier: Notification Center (terminal-notifier)
// on macOS, toasts (SnoreToast) on Windows, notify-send on Linux. Action
// buttons exist only where the platform has them; elsewhere a click may open
// the dashboard (the tray passes onClick) or do nothing (the CLI).
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

export function createDesktopNotifier(options: DesktopNotifierOptions): Notifier {
  let module: NodeNotifierModule | null = null;
  return {
    notify(request) {
      // Loaded on first use: most runs never notify.
      module ??= createRequire(import.meta.url)('node-notifier') as NodeNotifierModule;
      const nodeOptions = notifierOptions(request, options);
      return new Promise((resolve) => {
        module!.notify(nodeOptions, (error, response, metadata) => {
          // notify-send's stderr arrives as a plain string, not an Error.
          if (error) options.onError?.(error instanceof Error ? error : new Error(String(error)));
          const chosen = (metadata?.activationValue ?? response ?? '').toString().toLowerCase();
          const action = request.actions?.find((a) => a.label.toLowerCase() === chosen);
          if (action) options.onAction?.(action.id, request);
          else if (chosen === 'activate' || chosen === 'contentsclicked' || chosen === 'clicked') options.onClick?.(request);
          // With wait: true the callback comes only after the user acts; don't hold the caller.
        });
        resolve();
      });
    },
  };
}
