// commit-tree needs an author and committer. When the user has none, git
// stash itself falls back to `git stash <git@stash>`; so do we, through the
// environment of our own commands only (never by writing config).
import type { GitSession } from './git-command.js';

export const FALLBACK_NAME = 'git stash';
export const FALLBACK_EMAIL = 'git@stash';

export interface IdentityProbe {
  authorKnown: boolean;
  committerKnown: boolean;
  configuredName: string;
  configuredEmail: string;
}

/**
 * Environment that supplies the missing identities, keeping whichever half
 * (name or email) the user did configure. Empty when nothing is missing. Pure.
 */
export function fallbackIdentityEnv(probe: IdentityProbe): Record<string, string> {
  const env: Record<string, string> = {};
  const name = probe.configuredName || FALLBACK_NAME;
  const email = probe.configuredEmail || FALLBACK_EMAIL;
  if (!probe.authorKnown) Object.assign(env, { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email });
  if (!probe.committerKnown) Object.assign(env, { GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email });
  return env;
}

/** Asks git whether it can name an author and committer (strictly, as commit-tree will). */
export async function probeIdentity(session: GitSession): Promise<IdentityProbe> {
  const [author, committer] = await Promise.all([
    session.attempt(['var', 'GIT_AUTHOR_IDENT']),
    session.attempt(['var', 'GIT_COMMITTER_IDENT']),
  ]);
  const probe: IdentityProbe = {
    authorKnown: author.code === 0,
    committerKnown: committer.code === 0,
    configuredName: '',
    configuredEmail: '',
  };
  if (probe.authorKnown && probe.committerKnown) return probe;
  const [name, email] = await Promise.all([
    session.attempt(['config', '--get', 'user.name']),
    session.attempt(['config', '--get', 'user.email']),
  ]);
  probe.configuredName = name.code === 0 ? name.stdout.toString('utf8').trim() : '';
  probe.configuredEmail = email.code === 0 ? email.stdout.toString('utf8').trim() : '';
  return probe;
}
