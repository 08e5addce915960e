// Index states git stash cannot save (unmerged or intent-to-add paths): the
// snapshot is refused with a reason instead of storing something git would not.
import type { GitSession } from './git-command.js';
import { displayPath, EMPTY_BLOB_ID, splitNul, type StagedEntry } from './git-paths.js';

// Empty blob ids (SHA-1 and SHA-256 repositories): an intent-to-add entry has one.
const EMPTY_BLOB_IDS = new Set([EMPTY_BLOB_ID, '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813']);

const LIST_LIMIT = 5;

/** Why git stash could not save this index (unmerged or intent-to-add paths), or null. */
export async function unstashableIndexReason(
  session: GitSession,
  indexFile: string,
  entries: readonly StagedEntry[],
): Promise<string | null> {
  const unmerged = [...new Set(entries.filter((entry) => entry.stage !== 0).map((entry) => displayPath(entry.path)))];
  if (unmerged.length > 0) {
    return (
      `${unmerged.length} file(s) have unresolved conflicts (${listSome(unmerged)}); ` +
      'git cannot stash unmerged paths. Resolve them and `git add` them, or abort the operation, then try again.'
    );
  }
  const intentToAdd = await intentToAddPaths(session, indexFile, entries);
  if (intentToAdd.length > 0) {
    return (
      `${intentToAdd.length} file(s) were added with \`git add -N\` (${listSome(intentToAdd)}); ` +
      'git stash cannot save intent-to-add files. `git add` them fully or `git reset` them, then try again.'
    );
  }
  return null;
}

/** Paths added with `git add -N`; only checked when an empty blob is staged. */
async function intentToAddPaths(
  session: GitSession,
  indexFile: string,
  entries: readonly StagedEntry[],
): Promise<string[]> {
  if (!entries.some((entry) => EMPTY_BLOB_IDS.has(entry.objectId))) return [];
  // Only an intent-to-add entry shows up as "added" between index and files.
  const added = await session.bytes(['diff-files', '-z', '--name-only', '--diff-filter=A'], { indexFile });
  return splitNul(added).map(displayPath);
}

function listSome(paths: readonly string[]): string {
  const shown = paths.slice(0, LIST_LIMIT).join(', ');
  return paths.length > LIST_LIMIT ? `${shown}, and ${paths.length - LIST_LIMIT} more` : shown;
}
