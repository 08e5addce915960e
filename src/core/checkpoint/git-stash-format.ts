// Names and messages of the snapshot's commits and refs, matching what
// `git stash push -u` writes so `git stash list` and `git log` read the same.

/** How git stash names the branch: detached HEAD is `(no branch)`. */
export function branchLabel(branch: string | null): string {
  return branch ?? '(no branch)';
}

/** `<branch>: <short sha> <subject>`, the tail of git stash's part messages. */
export function headSummary(branch: string | null, shortSha: string, subject: string): string {
  return `${branchLabel(branch)}: ${shortSha} ${subject}`;
}

export function indexCommitMessage(summary: string): string {
  return `index on ${summary}`;
}

export function untrackedCommitMessage(summary: string): string {
  return `untracked files on ${summary}`;
}

/** The stash's own message, also its `git stash list` line. One line. */
export function stashMessage(branch: string | null, now: Date, note?: string): string {
  const base = `On ${branchLabel(branch)}: breather checkpoint ${now.toISOString()}`;
  const oneLineNote = note?.replace(/\s+/g, ' ').trim();
  return oneLineNote ? `${base} - ${oneLineNote}` : base;
}

/** Default checkpoint id: sortable time plus the stash's short sha. */
export function defaultCheckpointId(now: Date, stashSha: string): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${stashSha.slice(0, 12)}`;
}

export const DEFAULT_PRIVATE_REF_PREFIX = 'refs/breather/checkpoints/';

// A deliberately narrow subset of git's ref-name rules: enough for ids we or
// callers make up, and nothing that git check-ref-format would reject.
const SAFE_REF_COMPONENT = /^(?!\.)(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9._-]+$/;

/** `<prefix><id>`, or throws when either part is not a safe ref name. Pure. */
export function checkpointRefName(prefix: string, id: string): string {
  if (!prefix.startsWith('refs/') || !prefix.endsWith('/')) {
    throw new TypeError(`privateRefPrefix must start with "refs/" and end with "/": ${JSON.stringify(prefix)}`);
  }
  const components = prefix.slice(0, -1).split('/');
  if (!components.every((part) => SAFE_REF_COMPONENT.test(part))) {
    throw new TypeError(`privateRefPrefix is not a valid ref prefix: ${JSON.stringify(prefix)}`);
  }
  if (!SAFE_REF_COMPONENT.test(id)) {
    throw new TypeError(`checkpoint id may only use letters, digits, ".", "_" and "-": ${JSON.stringify(id)}`);
  }
  return `${prefix}${id}`;
}
