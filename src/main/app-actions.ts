// What the menu, the hotkey, notification actions and the pages can ask for,
// in one place: each IPC handler and tray action is a thin call into the core
// service, the settings store, the windows or the hotkey.
import type { CheckpointOutcome, CheckpointTrigger } from '../core/checkpoint/checkpoint-service.js';
import type { CheckpointRecord } from '../core/checkpoint/checkpoint-store.js';
import { restoreCommandFor } from '../core/app/tray-dashboard.js';
import { checkpointNotice } from '../core/app/tray-feedback.js';
import type { CheckpointProjectRef, CheckpointSummary, DashboardData, DiscoveredRoot, SettingsSection, SettingsView } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import type { Status } from '../shared/status.js';
import type { AppSettingsStore } from './electron-settings-store.js';
import type { HotkeyResult } from './hotkey.js';
import { type IntegrationPort, integrationView, runIntegrationAction } from './integration-actions.js';
import type { InvokeHandlers } from './ipc.js';
import type { WindowKind } from './windows.js';

export interface AppActionDeps {
  status(): Status | null;
  /** Runs a checkpoint and ends in a notification saying what happened. */
  checkpoint(trigger: CheckpointTrigger, options: { pause?: boolean }): Promise<CheckpointOutcome>;
  snooze(minutes: number | null): Promise<string | null>;
  settings: AppSettingsStore;
  hotkey(): HotkeyResult;
  showWindow(kind: WindowKind): void;
  dashboard(): Promise<DashboardData | null>;
  resume(): Promise<string[]>;
  checkpoints(): Promise<CheckpointRecord[]>;
  copyText(text: string): void;
  openPath(path: string): Promise<string>;
  /** Hides the window whose webContents sent the request. */
  closeWindowOf(contentsId: number): void;
  /** Applies a saved settings change at once; returns what could not be applied. */
  applySettings(next: Settings, previous: Settings): Promise<string[]>;
  discoveredRoots(): DiscoveredRoot[];
  /** Claude Code's settings.json, through the same core calls as `breather integrate`. */
  integration: IntegrationPort;
  /** Shows the Settings window scrolled to one section. */
  showSettingsSection(section: SettingsSection): void;
}

export function summarize(outcome: CheckpointOutcome, pause: boolean): CheckpointSummary {
  const record = outcome.record;
  if (!record) return { ok: false, id: null, paused: false, projects: [], message: outcome.skipped ?? 'Nothing to checkpoint: no Claude Code session was active recently.' };
  const stashed = record.projects.filter((p) => p.status === 'stashed').length;
  const projects = record.projects.map((p) => ({ projectDir: p.projectDir, status: p.status, promptPath: p.promptPath }));
  if (outcome.storageError) {
    // Same words as the notification: the stash exists, the record does not.
    const notice = checkpointNotice(outcome, 'menu', pause);
    return { ok: false, id: record.id, paused: pause, projects, message: `${notice.title}. ${notice.body.replace(/\n/g, ' ')}` };
  }
  return {
    ok: true,
    id: record.id,
    paused: pause,
    projects,
    message: `${pause ? 'Paused and checkpointed' : 'Checkpointed'} ${record.projects.length} project${record.projects.length === 1 ? '' : 's'} (${stashed} stashed).`,
  };
}

export function hotkeyNotice(hotkey: HotkeyResult): string | undefined {
  return hotkey.status === 'taken' || hotkey.status === 'invalid' ? hotkey.message : undefined;
}

export function settingsView(deps: AppActionDeps): SettingsView {
  const notices = [deps.settings.notice, hotkeyNotice(deps.hotkey())].filter((n): n is string => Boolean(n));
  return { settings: deps.settings.settings, path: deps.settings.path, notices };
}

export async function checkpointSummary(deps: AppActionDeps, trigger: CheckpointTrigger, pause: boolean): Promise<CheckpointSummary> {
  try {
    return summarize(await deps.checkpoint(trigger, { pause }), pause);
  } catch (error) {
    return { ok: false, id: null, paused: false, projects: [], message: `Checkpoint failed: ${(error as Error).message}` };
  }
}

/** A project of a checkpoint in the index: the page names it, main looks it up (never a path from the page). */
async function findProject(deps: AppActionDeps, ref: CheckpointProjectRef) {
  const record = (await deps.checkpoints()).find((c) => c.id === ref.checkpointId);
  return record ? { record, project: record.projects.find((p) => p.projectDir === ref.projectDir) ?? null } : null;
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
    'settings:set': async (request) => {
      const previous = deps.settings.settings;
      let saved: Settings;
      try {
        saved = deps.settings.replace(request);
      } catch (error) {
        return { ok: false, issues: [{ path: '', message: (error as Error).message }] };
      }
      return { ok: true, settings: saved, notices: await deps.applySettings(saved, previous) };
    },
    'app:open-settings': () => deps.showWindow('settings'),
    'dashboard:get': () => deps.dashboard(),
    'pause:resume': async () => ({ resumed: await deps.resume() }),
    'checkpoint:copy-restore': async (request) => {
      const found = await findProject(deps, request);
      if (!found?.project?.stashSha) return { ok: false, command: null };
      const command = restoreCommandFor(found.record.id, found.project.projectDir);
      deps.copyText(command);
      return { ok: true, command };
    },
    'checkpoint:open-prompt': async (request) => {
      const found = await findProject(deps, request);
      if (!found?.project) return { ok: false, message: 'That checkpoint is no longer in the index.' };
      const error = await deps.openPath(found.project.promptPath);
      return error === '' ? { ok: true, message: 'Opened the resume prompt.' } : { ok: false, message: `Could not open the resume prompt: ${error}` };
    },
    'window:close': (_request, sender) => deps.closeWindowOf(sender.sender.id),
    'roots:discovered': () => deps.discoveredRoots(),
    'integration:status': async () => integrationView(await deps.integration.status()),
    'integration:install': () => runIntegrationAction(deps.integration, 'install'),
    'integration:uninstall': () => runIntegrationAction(deps.integration, 'uninstall'),
    'integration:open-settings': () => deps.showSettingsSection('integration'),
  };
}
