// The notification that ends every checkpoint, whatever started it (menu,
// hotkey, notification action, automatic): what was saved and where the
// resume prompt is, or why nothing was saved. Pure.
import type { CheckpointOutcome, CheckpointTrigger } from '../checkpoint/checkpoint-service.js';
import type { CheckpointRecord } from '../checkpoint/checkpoint-store.js';
import type { NotificationRequest } from '../ports.js';

const TRIGGER_WORDS: Partial<Record<CheckpointTrigger, string>> = {
  hotkey: 'from the hotkey',
  notification: 'from the notification',
  'limit-hit': 'automatically at the limit',
  threshold: 'automatically at the threshold',
};

/** A project's folder name, as the tray shows it. */
export const projectName = (dir: string): string => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

/** First 7 hex digits, as git shows a commit. */
const shortSha = (sha: string): string => sha.slice(0, 7);

/**
 * The stash was made but the state folder refused the record or the prompt:
 * say both, with the stash's id (the one thing needed to get the work back).
 */
function unrecordedNotice(record: CheckpointRecord, storageError: string, how: string | undefined): NotificationRequest {
  const stashes = record.projects.filter((p) => p.stashSha);
  const lines =
    stashes.length > 0
      ? [`Stash made (your files are untouched): ${stashes.map((p) => `${projectName(p.projectDir)} ${shortSha(p.stashSha!)}`).join(', ')}.`]
      : ['No stash was needed: there were no uncommitted changes.'];
  lines.push(`But the checkpoint record could not be written: ${storageError}.`, 'Check that the Breather state folder is writable and has free space.');
  const title = stashes.length > 0 ? `Stash made${how ? ` ${how}` : ''}, record not saved` : `Checkpoint not recorded${how ? ` ${how}` : ''}`;
  return { title, body: lines.join('\n'), tag: 'breather-checkpoint' };
}

export function checkpointNotice(outcome: CheckpointOutcome | { error: Error }, trigger: CheckpointTrigger, pause: boolean): NotificationRequest {
  const tag = 'breather-checkpoint';
  if ('error' in outcome) return { title: 'Checkpoint failed', body: `Nothing was saved: ${outcome.error.message}`, tag };
  const record = outcome.record;
  if (!record) return { title: 'Nothing to checkpoint', body: outcome.skipped ?? 'No Claude Code session was active recently, so nothing was saved.', tag };
  const how = TRIGGER_WORDS[trigger];
  if (outcome.storageError) return unrecordedNotice(record, outcome.storageError, how);
  const stashed = record.projects.filter((p) => p.status === 'stashed');
  const names = record.projects.map((p) => projectName(p.projectDir));
  const title = `${pause || record.paused ? 'Paused and checkpointed' : 'Checkpointed'} ${names.length === 1 ? names[0] : `${names.length} projects`}${how ? ` ${how}` : ''}`;
  const lines = [
    stashed.length > 0
      ? `Saved as a stash (your files are untouched): ${stashed.reduce((n, p) => n + p.changedFiles, 0)} changed file(s).`
      : 'No stash: there were no uncommitted changes.',
    `Resume prompt: ${record.projects[0]!.promptPath}`,
  ];
  const refused = record.projects.filter((p) => p.status === 'refused');
  if (refused.length > 0) lines.push(`Not saved in ${refused.map((p) => p.projectDir).join(', ')}: ${refused[0]!.refusal ?? 'refused'}.`);
  return { title, body: lines.join('\n'), tag };
}
