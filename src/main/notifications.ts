// Desktop notifications for the tray app: the core notifier (node-notifier)
// with action buttons where the platform has them. Checkpoint now / Snooze call
// back into the app; a click opens the dashboard.
import { createDesktopNotifier } from '../core/alerts/desktop-notifier.js';
import type { Notifier } from '../core/ports.js';
import type { Settings } from '../shared/settings.js';

export interface AppNotifierOptions {
  iconPath: string;
  settings: () => Settings;
  onCheckpoint: () => void;
  onSnooze: () => void;
  onOpenDashboard: () => void;
  onError?: (error: Error) => void;
  /** Tests replace the platform notifier. */
  create?: typeof createDesktopNotifier;
}

/** A notifier that reads sound/actions from the settings at each notice. */
export function createAppNotifier(options: AppNotifierOptions): Notifier {
  const create = options.create ?? createDesktopNotifier;
  return {
    notify(request) {
      const { sound, actions } = options.settings().notifications;
      const inner = create({
        appName: 'Breather',
        iconPath: options.iconPath,
        sound,
        actions,
        onAction: (action) => (action === 'checkpoint' ? options.onCheckpoint() : options.onSnooze()),
        onClick: () => options.onOpenDashboard(),
        ...(options.onError ? { onError: options.onError } : {}),
      });
      return inner.notify(request);
    },
  };
}
