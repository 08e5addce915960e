// `breather checkpoints --repair`: rebuilds lost index entries from what the
// repositories still hold. Every checkpoint leaves a private ref
// refs/breather/checkpoints/<checkpoint id>-<n> in its repository, and a
// resume prompt naming the project directory; the prompts say which
// repositories to look in, the refs say what was saved there.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRunner } from '../ports.js';
import type { CheckpointProjectRecord, CheckpointRecord } from './checkpoint-records.js';
import { CheckpointStore, checkpointsDir, projectSlug } from './checkpoint-store.js';
import { gitLine, splitNul } from './git-paths.js';
import { DEFAULT_PRIVATE_REF_PREFIX } from './git-stash-format.js';
import { gitTopLevel } from './checkpoint-service.js';

export interface RepairReport {
  /** Repositories looked in. */
  repositories: string[];
  /** Ids of records rebuilt from refs. */
  rebuilt: string[];
  /** Records the index already had. */
  kept: number;
  notices: string[];
}

/** The project directory a prompt names (its "- Project directory: `…`" line), or null. Pure. */
export function projectDirFromPrompt(markdown: string): string | null {
  const match = /^- Project directory: (`+)(.+)\1$/m.exec(markdown);
  const inner = match?.[2];
  if (inner === undefined) return null;
  // Code spans pad both sides with one space only around a backtick at an end; a name's own spaces stay.
  return /^ `| `$/.test(inner) && inner.startsWith(' ') && inner.endsWith(' ') ? inner.slice(1, -1) : inner;
}

/** Project directories named by the prompt files under checkpoints/. */
async function projectsNamedByPrompts(stateDir: string): Promise<string[]> {
  const root = checkpointsDir(stateDir);
  const found = new Set<string>();
  const folders = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const folder of folders.filter((f) => f.isDirectory())) {
    const files = (await readdir(join(root, folder.name)).catch(() => [])).filter((name) => name.endsWith('.md'));
    for (const file of files) {
      const dir = projectDirFromPrompt(await readFile(join(root, folder.name, file), 'utf8').catch(() => ''));
      // A slug check: the prompt really belongs to this folder (and a name the
      // prompt could not show exactly, e.g. one with a newline, is not guessed).
      if (dir && projectSlug(dir) === folder.name) found.add(dir);
    }
  }
  return [...found];
}

interface PrivateRef {
  ref: string;
  sha: string;
  /** The stash message: `On <branch>: breather checkpoint <iso> - (<trigger>)`. */
  subject: string;
  head: string;
}

async function privateRefs(git: GitRunner, repo: string): Promise<PrivateRef[]> {
  const listed = await git.run(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(subject)%00%(parent)%00', DEFAULT_PRIVATE_REF_PREFIX], { cwd: repo });
  if (listed.code !== 0) return [];
  const fields = splitNul(listed.stdout).map((field) => field.toString('utf8').replace(/^\n/, ''));
  const refs: PrivateRef[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    refs.push({ ref: fields[i]!, sha: fields[i + 1]!, subject: fields[i + 2]!, head: fields[i + 3]!.split(' ')[0] ?? '' });
  }
  return refs;
}

const SUBJECT = /^On (.+): breather checkpoint (\S+)(?: - \((.+)\))?$/;

/** A project record rebuilt from one private ref. */
function recordFromRef(stateDir: string, repoRoot: string, ref: PrivateRef): { id: string; createdAt: string; trigger: string; project: CheckpointProjectRecord } {
  const name = ref.ref.slice(DEFAULT_PRIVATE_REF_PREFIX.length);
  const parsed = SUBJECT.exec(ref.subject);
  const createdAt = parsed?.[2] ?? '';
  const branch = parsed && parsed[1] !== '(no branch)' ? parsed[1]! : null;
  const promptPath = createdAt ? new CheckpointStore(stateDir).promptPathFor(repoRoot, new Date(createdAt)) : '';
  return {
    // The checkpoint id is the ref name without its "-<project number>" tail.
    id: name.replace(/-\d+$/, ''),
    createdAt,
    trigger: parsed?.[3] ?? 'manual',
    project: {
      projectDir: repoRoot,
      repoRoot,
      isGitRepo: true,
      branch,
      head: ref.head || null,
      status: 'stashed',
      stashSha: ref.sha,
      privateRef: ref.ref,
      refusal: null,
      promptPath: promptPath && existsSync(promptPath) ? promptPath : '',
      sessionIds: [],
      notCaptured: ['rebuilt by `breather checkpoints --repair`: submodule stashes and skipped files are not known'],
      skippedFiles: [],
      submodules: [],
      changedFiles: 0,
    },
  };
}

/** Rebuilds the index: keeps valid records, adds one per private ref no record names. */
export async function repairCheckpointIndex(stateDir: string, git: GitRunner): Promise<RepairReport> {
  const store = new CheckpointStore(stateDir);
  const rebuilt: string[] = [];
  const repositories = new Set<string>();
  const { records, notices } = await store.replaceAll(async (current) => {
    // One git call per folder, however many checkpoints name it (the index lock is held meanwhile).
    for (const dir of new Set([...(await projectsNamedByPrompts(stateDir)), ...current.flatMap((r) => r.projects.map((p) => p.repoRoot ?? p.projectDir))])) {
      const top = await gitTopLevel(git, dir);
      if (top) repositories.add(top);
    }
    const known = new Set(current.flatMap((r) => r.projects.map((p) => p.stashSha)));
    const added = new Map<string, CheckpointRecord>();
    for (const repo of repositories) {
      for (const ref of await privateRefs(git, repo)) {
        if (known.has(ref.sha)) continue;
        known.add(ref.sha);
        const { id, createdAt, trigger, project } = recordFromRef(stateDir, repo, ref);
        let record = added.get(id);
        if (!record) added.set(id, (record = { id, createdAt: createdAt || new Date(0).toISOString(), trigger, paused: false, limit: null, projects: [] }));
        record.projects.push(project);
      }
    }
    rebuilt.push(...added.keys());
    return [...current, ...added.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  });
  return { repositories: [...repositories], rebuilt, kept: records.length - rebuilt.length, notices };
}
