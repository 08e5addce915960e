// The Settings window's "Claude Code integration" section: what
// `breather integrate status` says (installed or not, each command's path,
// the bridge's last report and the Claude Code version it saw, auto-continue)
// with Install / Uninstall, each answered by main with a sentence.
import type { IntegrationActionResult, IntegrationView } from '../shared/ipc-contract.js';
import { breather, byId, element } from './bridge.js';
import { ago, dayClock } from './format.js';

const slot = () => byId('integration-slot');

function stateLine(view: IntegrationView): string {
  if (view.installed === 'yes') return view.upToDate ? 'Installed.' : 'Installed, with other paths: Install again to update them.';
  if (view.installed === 'partly') return 'Partly installed: Install again to complete it.';
  return 'Not installed.';
}

function when(iso: string, now: number): string {
  return `${dayClock(iso, now)} (${ago(iso, now)})`;
}

function bridgeLine(view: IntegrationView, now: number): string {
  const b = view.bridge;
  if (!b.lastReportAt) return 'Bridge: no report yet (it runs when Claude Code draws its status line).';
  const version = b.claudeCodeVersion ? ` from Claude Code ${b.claudeCodeVersion}` : '';
  const figures = b.figuresReceivedAt ? `official figures since ${when(b.figuresReceivedAt, now)}` : 'no official figures yet (needs Claude Code 2.1.80+ on Pro/Max)';
  return `Bridge: last report ${when(b.lastReportAt, now)}${version}; ${figures}.`;
}

function autoContinueLine(view: IntegrationView): string {
  const auto = view.autoContinue;
  const state = auto.state === 'unknown' ? 'not shown in its settings' : auto.state;
  return `Claude Code's auto-continue at the usage limit: ${state}${auto.where ? ` (in ${auto.where})` : ''}.`;
}

function commandList(view: IntegrationView): HTMLElement {
  const list = element('dl', { className: 'integration-commands', testId: 'integration-commands' });
  for (const c of view.commands) {
    const value = c.command ? element('code', { text: c.command }) : element('span', { className: 'muted', text: 'not installed' });
    const dd = element('dd', {}, value);
    if (c.note) dd.append(element('span', { className: 'muted', text: ` (${c.note})` }));
    list.append(element('dt', { text: c.name }), dd);
  }
  return list;
}

function buttons(view: IntegrationView): HTMLElement {
  const install = element('button', { text: view.installed === 'no' ? 'Install' : 'Install again', testId: 'integration-install' });
  install.type = 'button';
  install.id = 'integration-install';
  install.classList.toggle('primary', view.installed !== 'yes' || !view.upToDate);
  install.disabled = view.installed === 'yes' && view.upToDate && !view.problem;
  const uninstall = element('button', { text: 'Uninstall', testId: 'integration-uninstall' });
  uninstall.type = 'button';
  uninstall.id = 'integration-uninstall';
  uninstall.disabled = view.installed === 'no' && !view.problem;
  install.addEventListener('click', () => void act('integration:install'));
  uninstall.addEventListener('click', () => void act('integration:uninstall'));
  return element('div', { className: 'row integration-actions' }, install, uninstall);
}

/** Draws the section from main's view; keeps the last action's sentence. */
export function renderIntegration(view: IntegrationView, now: number = Date.now()): void {
  const message = document.getElementById('integration-message');
  const kept = message?.textContent ?? '';
  const keptWarn = message?.classList.contains('warn') ?? false;
  const host = slot();
  host.hidden = false;
  host.dataset.installed = view.installed;
  const state = element('p', { className: 'integration-state', text: stateLine(view), testId: 'integration-state' });
  const where = element('p', { className: 'hint', text: `In ${view.settingsPath}${view.settingsExists ? '' : ' (no file yet: Install creates it)'}.` });
  const problem = element('p', { className: 'field-error', text: view.problem ?? '', testId: 'integration-problem' });
  const line = element('p', { className: 'message', testId: 'integration-message' });
  line.id = 'integration-message';
  line.setAttribute('role', 'status');
  line.textContent = kept;
  line.classList.toggle('warn', keptWarn);
  const wrapped = view.wrappedStatusLine ? [element('p', { className: 'hint', text: `Your own statusLine (${view.wrappedStatusLine}) still shows: Breather passes its output through. Uninstall puts it back.` })] : [];
  host.replaceChildren(state, where, problem, commandList(view), ...wrapped, element('p', { className: 'hint', text: bridgeLine(view, now) }), element('p', { className: 'hint', text: autoContinueLine(view) }), buttons(view), line);
}

function say(text: string, ok: boolean): void {
  const line = byId('integration-message');
  line.textContent = text;
  line.classList.toggle('warn', !ok);
}

async function act(channel: 'integration:install' | 'integration:uninstall'): Promise<void> {
  for (const b of Array.from(slot().querySelectorAll('button'))) b.disabled = true;
  say(channel === 'integration:install' ? 'Installing…' : 'Uninstalling…', true);
  let result: IntegrationActionResult;
  try {
    result = await breather().invoke(channel);
  } catch (error) {
    result = { ok: false, changed: false, message: `${channel === 'integration:install' ? 'Install' : 'Uninstall'} failed: ${(error as Error).message}`, view: null };
  }
  if (result.view) renderIntegration(result.view);
  else await loadIntegration();
  say(result.message, result.ok);
}

export async function loadIntegration(): Promise<void> {
  try {
    renderIntegration(await breather().invoke('integration:status'));
  } catch (error) {
    const host = slot();
    host.hidden = false;
    host.replaceChildren(element('p', { className: 'field-error', text: `Could not read Claude Code's settings: ${(error as Error).message}` }));
  }
}

/** The popover's nudge lands here: the section in view, its first button focused, the state fresh. */
export function showIntegrationSection(): void {
  void loadIntegration().then(() => {
    const section = slot().closest('fieldset') ?? slot();
    section.scrollIntoView({ block: 'start' });
    slot().querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus({ preventScroll: true });
  });
}
