// What the menu, the hotkey, notification actions and the pages can ask for,
// in one place: each IPC handler and tray action is a thin call into the core
// service, the settings store, the windows or the hotkey.
import type { CheckpointOutcome, CheckpointTrigger } from '../core/checkpoint/checkpoint-service.js';
import type { CheckpointSummary, SettingsView } from '../shared/ipc-contract.js';
import type { Status } from '../shared/status.js';
import type { AppSettingsStore } from './electron-settings-store.js';
import type { HotkeyResult } from './hotkey.js';
import type { InvokeHandlers } from './ipc.js';
import type { WindowKind } from './windows.js';

export interface AppActionDeps {
  status(): Status | null;
  checkpoint(trigger: CheckpointTrigger, options: { pause?: boolean }): Promise<CheckpointOutcome>;
  snooze(minutes: number | null): Promise<string | null>;
  settings: AppSettingsStore;
  hotkey(): HotkeyResult;
  showWindow(kind: WindowKind): void;
}

export function summarize(outcome: CheckpointOutcome, pause: boolean): CheckpointSummary {
  const record = outcome.record;
  if (!record) return { ok: false, id: null, paused: false, projects: [], message: outcome.skipped ?? 'Nothing to checkpoint: no Claude Code session was active recently.' };
  const stashed = record.projects.filter((p) => p.status === 'stashed').length;
  return {
    ok: true,
    id: record.id,
    paused: pause,
    projects: record.projects.map((p) => ({ projectDir: p.projectDir, status: p.status, promptPath: p.promptPath })),
    message: `${pause ? 'Paused and checkpointed' : 'Checkpointed'} ${record.projects.length} project${record.projects.length === 1 ? '' : 's'} (${stashed} stashed).`,
  };
}

export function settingsView(deps: AppActionDeps): SettingsView {
  const hotkey = deps.hotkey();
  const notices = [deps.settings.notice, hotkey.status === 'taken' || hotkey.status === 'invalid' ? hotkey.message : undefined].filter((n): n is string => Boolean(n));
  return { settings: deps.settings.settings, path: deps.settings.path, notices };
}

export async function checkpointSummary(deps: AppActionDeps, trigger: CheckpointTrigger, pause: boolean): Promise<CheckpointSummary> {
  try {
    return summarize(await deps.checkpoint(trigger, { pause }), pause);
  } catch (error) {
    return { ok: false, id: null, paused: false, projects: [], message: `Checkpoint failed: ${(error as Error).message}` };
  }
}

export function invokeHandlers(deps: AppActionDeps): InvokeHandlers {
  return {
    'status:get': () => deps.status(),
    'checkpoint:now': (request) => checkpointSummary(deps, 'menu', Boolean(request.pause)),
    'alerts:snooze': async (request) => ({ ok: true, until: await deps.snooze(request.minutes) }),
    'settings:get': () => {
      deps.settings.reload();
      return settingsView(deps);
    },
    'settings:set': (request) => {
      try {
        return { ok: true, settings: deps.settings.replace(request) };
      } catch (error) {
        return { ok: false, issues: [(error as Error).message] };
      }
    },
    'app:open-settings': () => deps.showWindow('settings'),
  };
}
