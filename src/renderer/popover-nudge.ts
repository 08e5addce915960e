// The popover's one-line nudge, "Connect Claude Code for official figures":
// shown while Breather has never had an official (statusline) figure and the
// integration is not installed. It opens Settings at the Claude Code section
// (installing changes the user's Claude Code settings: that is done there,
// seen). "Not now" hides it for good; the Settings window keeps Install.
import type { IntegrationView, Status } from '../shared/ipc-contract.js';
import { breather, byId } from './bridge.js';

const DISMISSED_KEY = 'breather.connectNudgeDismissed';

let integration: IntegrationView | null = null;

function dismissed(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** No official figure ever, none in the status now, not installed, not dismissed. */
export function wantsNudge(view: IntegrationView | null, status: Status | null): boolean {
  if (!view || view.installed === 'yes' || view.bridge.figuresReceivedAt !== null) return false;
  return !Object.values(status?.windows ?? {}).some((w) => w?.source === 'statusline');
}

export function renderNudge(status: Status | null): void {
  byId('connect-nudge').hidden = dismissed() || !wantsNudge(integration, status);
}

/** Asks main what is installed (at start, and whenever the popover is shown again). */
export function startNudge(currentStatus: () => Status | null): void {
  const refresh = () =>
    void breather()
      .invoke('integration:status')
      .then(
        (view) => {
          integration = view;
          renderNudge(currentStatus());
        },
        () => undefined,
      );
  byId('connect-claude').addEventListener('click', () => void breather().invoke('integration:open-settings'));
  byId('connect-dismiss').addEventListener('click', () => {
    try {
      window.localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // No storage: hidden until the popover reloads.
    }
    byId('connect-nudge').hidden = true;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh();
  });
  refresh();
}
