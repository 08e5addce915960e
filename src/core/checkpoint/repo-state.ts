// Operations in progress (merge, rebase, ...) live as marker files in the git
// dir. A stash records trees, not these markers, so the snapshot must say
// what it leaves out.
import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** Marker files and directories, relative to the (per-worktree) git dir. */
export const REPO_STATE_MARKERS = [
  'MERGE_HEAD',
  'rebase-merge',
  'rebase-apply',
  'rebase-apply/applying',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'sequencer',
  'BISECT_LOG',
  'index.lock',
] as const;

export type RepoStateMarker = (typeof REPO_STATE_MARKERS)[number];

/** Which markers exist in the git dir. Reads only. */
export async function readRepoStateMarkers(gitDir: string): Promise<Set<RepoStateMarker>> {
  const present = await Promise.all(
    REPO_STATE_MARKERS.map(async (marker) => {
      try {
        await access(join(gitDir, marker));
        return marker;
      } catch {
        return null;
      }
    }),
  );
  return new Set(present.filter((marker): marker is RepoStateMarker => marker !== null));
}

/** Human sentences for each state the stash does not capture. Pure. */
export function describeUncapturedState(markers: ReadonlySet<RepoStateMarker>): string[] {
  const notes: string[] = [];
  if (markers.has('MERGE_HEAD')) {
    notes.push('a merge is in progress (MERGE_HEAD); the stash does not record it, so the merge must be redone or concluded by hand');
  }
  if (markers.has('rebase-merge') || (markers.has('rebase-apply') && !markers.has('rebase-apply/applying'))) {
    const where = markers.has('rebase-merge') ? 'rebase-merge' : 'rebase-apply';
    notes.push(`a rebase is in progress (${where}); the stash records the files, not the rebase's remaining steps`);
  }
  if (markers.has('rebase-apply/applying')) {
    notes.push('a `git am` is in progress (rebase-apply); the stash records the files, not the patches still to apply');
  }
  if (markers.has('CHERRY_PICK_HEAD')) {
    notes.push('a cherry-pick is in progress (CHERRY_PICK_HEAD); the stash does not record it');
  }
  if (markers.has('REVERT_HEAD')) {
    notes.push('a revert is in progress (REVERT_HEAD); the stash does not record it');
  }
  if (markers.has('sequencer') && !markers.has('CHERRY_PICK_HEAD') && !markers.has('REVERT_HEAD')) {
    notes.push('a cherry-pick or revert sequence is in progress (sequencer); the stash does not record the remaining commits');
  }
  if (markers.has('BISECT_LOG')) {
    notes.push('a bisect is in progress (BISECT_LOG); the stash does not record it');
  }
  if (markers.has('index.lock')) {
    notes.push(
      'another git command holds index.lock; the staged state captured is the last one it finished writing, and the lock was left alone',
    );
  }
  return notes;
}
