// The settings page: edits a copy of the settings, validates it with the same
// schema main uses (so mistakes show at once, as sentences beside their
// fields), and sends it with settings:set; main's answer (and what it could
// not apply, such as a hotkey another app holds) is shown at once.
// First: it must run before the shared schema is built.
import './zod-jitless.js';
import { PLAN_PRESET_IDS, type Settings, SettingsSchema, type SettingsIssue, WEEKDAYS, settingsIssues } from '../shared/ipc-contract.js';
import { breather, byId, element } from './bridge.js';
import { loadIntegration, showIntegrationSection } from './settings-integration.js';
import { FIELD_FOR_PATH, acceleratorOf, applyDisabled, candidate, fill, input } from './settings-form.js';

let loaded: Settings | null = null;
let recording = false;
const MAC = /Mac/.test(navigator.platform);

function fillSelect(id: string, values: readonly string[], labels: Record<string, string> = {}): void {
  byId<HTMLSelectElement>(id).replaceChildren(
    ...values.map((value) => {
      const option = element('option', { text: labels[value] ?? value });
      option.value = value;
      return option;
    }),
  );
}

/** Shows each issue under its field (aria-describedby points there) and focuses the first. */
function showIssues(issues: SettingsIssue[]): void {
  for (const field of Array.from(document.querySelectorAll('[aria-invalid="true"]'))) field.removeAttribute('aria-invalid');
  for (const error of Array.from(document.querySelectorAll('.field-error'))) error.textContent = '';
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const issue of issues) {
    const id = FIELD_FOR_PATH.find(([pattern]) => pattern.test(issue.path))?.[1];
    if (!id) {
      unplaced.push(issue.message);
      continue;
    }
    const field = byId(id);
    field.setAttribute('aria-invalid', 'true');
    const error = byId(`${id}-error`);
    if (!error.textContent?.includes(issue.message)) error.textContent = `${error.textContent ? `${error.textContent} ` : ''}${issue.message}`;
    first ??= field;
  }
  byId('notices').replaceChildren(...unplaced.map((message) => element('li', { text: message })));
  first?.focus();
}

function saved(text: string, ok: boolean): void {
  const line = byId('saved');
  line.textContent = text;
  line.classList.toggle('warn', !ok);
}

function dirty(): boolean {
  return loaded !== null && JSON.stringify(candidate(loaded)) !== JSON.stringify(loaded);
}

async function save(): Promise<boolean> {
  if (!loaded) return false;
  const result = SettingsSchema.safeParse(candidate(loaded));
  if (!result.success) {
    showIssues(settingsIssues(result.error.issues as Parameters<typeof settingsIssues>[0]));
    saved('Not saved: see the fields marked in red.', false);
    return false;
  }
  showIssues([]);
  saved('Saving…', true);
  try {
    const answer = await breather().invoke('settings:set', result.data);
    if (!answer.ok) {
      showIssues(answer.issues);
      saved('Not saved: Breather refused these values.', false);
      return false;
    }
    loaded = answer.settings;
    fill(loaded);
    const hotkeyNotice = answer.notices.find((n) => /hotkey/i.test(n));
    byId('hotkey-status').textContent = hotkeyNotice ?? (loaded.globalHotkey ? `${loaded.globalHotkey} is registered.` : 'No global hotkey.');
    byId('notices').replaceChildren(...answer.notices.filter((n) => n !== hotkeyNotice).map((n) => element('li', { text: n })));
    saved(answer.notices.length > 0 ? 'Saved, with a problem shown above.' : 'Saved.', answer.notices.length === 0);
    return true;
  } catch (error) {
    saved(`Not saved: ${(error as Error).message}`, false);
    return false;
  }
}

async function load(): Promise<void> {
  try {
    const view = await breather().invoke('settings:get');
    loaded = view.settings;
    fill(loaded);
    byId('settings-path').textContent = view.path;
    byId('notices').replaceChildren(...view.notices.map((notice) => element('li', { text: notice })));
    showIssues([]);
    saved('', true);
  } catch (error) {
    saved(`Could not load the settings: ${(error as Error).message}`, false);
  }
}

async function loadWslRoots(): Promise<void> {
  const roots = await breather().invoke('roots:discovered').catch(() => []);
  byId('wsl-roots').replaceChildren(...(roots.length > 0 ? roots.map((r) => element('li', { text: `${r.label}: ${r.path}` })) : [element('li', { text: 'No WSL distribution with Claude Code data found (Windows only).' })]));
}

function record(): void {
  recording = true;
  const button = byId<HTMLButtonElement>('hotkey-record');
  button.textContent = 'Press the keys…';
  byId('hotkey-status').textContent = 'Press the new shortcut, or Escape to cancel.';
  input('hotkey').focus();
}

function onRecordKey(event: KeyboardEvent): void {
  if (!recording) return;
  event.preventDefault();
  event.stopPropagation();
  if (event.key === 'Escape') {
    recording = false;
    byId('hotkey-record').textContent = 'Record…';
    byId('hotkey-status').textContent = '';
    return;
  }
  const accelerator = acceleratorOf(event, MAC);
  if (!accelerator) return;
  recording = false;
  input('hotkey').value = accelerator;
  byId('hotkey-record').textContent = 'Record…';
  // Register it at once, so a shortcut another app holds is reported now, not after a restart.
  void save();
}

function askToLeave(): void {
  if (!dirty()) {
    void breather().invoke('window:close');
    return;
  }
  byId<HTMLDialogElement>('leave-dialog').showModal();
}

function start(): void {
  fillSelect('plan-preset', ['', ...PLAN_PRESET_IDS], { '': 'Unknown / not set', pro: 'Pro', max_5x: 'Max 5×', max_20x: 'Max 20×', custom: 'Custom caps' });
  fillSelect('anchor-weekday', WEEKDAYS);
  const form = byId<HTMLFormElement>('settings-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  form.addEventListener('change', applyDisabled);
  byId('reload').addEventListener('click', () => void load());
  byId('hotkey-record').addEventListener('click', record);
  byId('hotkey-clear').addEventListener('click', () => {
    input('hotkey').value = '';
  });
  document.addEventListener('keydown', onRecordKey, true);
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || recording || byId<HTMLDialogElement>('leave-dialog').open) return;
    // The same Escape would otherwise close the dialog it opens.
    event.preventDefault();
    askToLeave();
  });
  const dialog = byId<HTMLDialogElement>('leave-dialog');
  byId('leave-stay').addEventListener('click', () => dialog.close());
  byId('leave-discard').addEventListener('click', () => {
    dialog.close();
    if (loaded) fill(loaded);
    void breather().invoke('window:close');
  });
  byId('leave-save').addEventListener('click', () => {
    dialog.close();
    void save().then((ok) => {
      if (ok) void breather().invoke('window:close');
    });
  });
  // Closing the window with unsaved edits: main asks before it lets the page go.
  window.addEventListener('beforeunload', (event) => {
    if (dirty()) event.preventDefault();
  });
  // The popover's "Connect Claude Code" opens this window at that section.
  breather().on('settings:show-section', (section) => {
    if (section === 'integration') showIntegrationSection();
  });
  void load();
  void loadWslRoots();
  void loadIntegration();
}

start();
