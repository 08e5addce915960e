// The popover's detail panels: the window and the week broken down by project
// and by model, and the last checkpoints with their two actions.
import type { DashboardData, UsageShare } from '../shared/ipc-contract.js';
import { element } from './bridge.js';
import { dayClock, usd } from './format.js';

function shareList(title: string, shares: UsageShare[]): HTMLElement {
  const list = element('ul', { className: 'shares' });
  if (shares.length === 0) list.append(element('li', { className: 'muted', text: 'no usage' }));
  for (const s of shares) {
    const bar = element('span', { className: 'share-bar' });
    // A CSSOM property, not a style attribute: allowed under style-src 'self'.
    bar.style.width = `${Math.max(2, Math.round(s.share * 100))}%`;
    const item = element('li', {}, element('span', { className: 'share-name', text: s.name }), element('span', { className: 'share-value', text: `${Math.round(s.share * 100)}% · ${usd(s.costUSD)}` }), element('span', { className: 'share-track' }, bar));
    item.title = s.name;
    list.append(item);
  }
  return element('div', { className: 'share-group' }, element('h3', { text: title }), list);
}

export function renderBreakdown(data: DashboardData): void {
  for (const [id, part] of [['breakdown-window', data.breakdown.window], ['breakdown-week', data.breakdown.week]] as const) {
    document.getElementById(id)!.replaceChildren(shareList('By project', part.byProject), shareList('By model', part.byModel));
  }
}

export interface CheckpointActions {
  copyRestore(checkpointId: string, projectDir: string): void;
  openPrompt(checkpointId: string, projectDir: string): void;
}

export function renderCheckpoints(data: DashboardData, actions: CheckpointActions): void {
  const list = document.getElementById('checkpoints')!;
  const nowMs = Date.parse(data.now);
  if (data.checkpoints.length === 0) {
    list.replaceChildren(element('li', { className: 'muted', text: 'No checkpoints yet. "Checkpoint now" saves your uncommitted work as a stash and writes a resume prompt.' }));
    return;
  }
  list.replaceChildren(
    ...data.checkpoints.map((c) => {
      const project = c.projects[0];
      const more = c.projects.length > 1 ? ` +${c.projects.length - 1}` : '';
      const head = element('p', { className: 'checkpoint-head' }, element('strong', { text: `${project?.name ?? 'no project'}${more}` }), element('span', { className: 'muted', text: ` · ${dayClock(c.createdAt, nowMs)} · ${c.trigger}${c.paused ? ' · paused' : ''}` }));
      const item = element('li', { testId: 'checkpoint' }, head);
      if (project) {
        const copy = element('button', { text: 'Copy restore command' });
        copy.type = 'button';
        copy.disabled = project.restoreCommand === null;
        if (project.restoreCommand === null) copy.title = 'Nothing was stashed in this checkpoint';
        copy.setAttribute('aria-label', `Copy restore command for ${project.name}`);
        copy.addEventListener('click', () => actions.copyRestore(c.id, project.projectDir));
        const open = element('button', { text: 'Open resume prompt' });
        open.type = 'button';
        open.setAttribute('aria-label', `Open resume prompt for ${project.name}`);
        open.addEventListener('click', () => actions.openPrompt(c.id, project.projectDir));
        item.append(element('div', { className: 'checkpoint-actions' }, copy, open));
      }
      return item;
    }),
  );
}
