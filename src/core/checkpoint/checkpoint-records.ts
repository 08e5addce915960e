// The shape of a checkpoint record, as stored in checkpoints/index.json, and
// its validation. The index is a file people may edit or damage: every entry
// is checked on the way in, and one bad entry is skipped and named, never a
// TypeError in `checkpoints`, `restore` or `resume`.
import * as z from '../../shared/zod.js';

const nullableString = () => z._default(z.nullable(z.string()), null);
const nonEmptyString = () => z.string().check(z.minLength(1));

const SubmoduleRecordSchema = z.object({
  repoRoot: z.string(),
  status: z.string(),
  stashSha: nullableString(),
  /** HEAD of the submodule when it was stashed; restore checks it first. Absent in older records. */
  head: nullableString(),
  privateRef: nullableString(),
});

const ProjectRecordSchema = z.object({
  projectDir: nonEmptyString(),
  repoRoot: nullableString(),
  isGitRepo: z._default(z.boolean(), false),
  branch: nullableString(),
  head: nullableString(),
  status: z.enum(['stashed', 'nothing-to-stash', 'refused', 'not-a-repo', 'bare-repo']),
  stashSha: nullableString(),
  privateRef: nullableString(),
  refusal: nullableString(),
  /** Empty when the prompt could not be written (the state folder failed). */
  promptPath: z._default(z.string(), ''),
  sessionIds: z._default(z.array(z.string()), []),
  notCaptured: z._default(z.array(z.string()), []),
  skippedFiles: z._default(z.array(z.object({ path: z.string(), reason: z.string(), bytes: z.optional(z.number()) })), []),
  submodules: z._default(z.array(SubmoduleRecordSchema), []),
  changedFiles: z._default(z.number(), 0),
});

export const CheckpointRecordSchema = z.object({
  id: nonEmptyString(),
  createdAt: nonEmptyString(),
  trigger: z._default(z.string(), 'manual'),
  paused: z._default(z.boolean(), false),
  limit: z._default(z.nullable(z.object({ windowLabel: z.nullable(z.string()), resetsAt: z.nullable(z.string()) })), null),
  projects: z.array(ProjectRecordSchema),
});

export type CheckpointProjectRecord = z.output<typeof ProjectRecordSchema>;
export type CheckpointSubmoduleRecord = z.output<typeof SubmoduleRecordSchema>;
export type CheckpointRecord = z.output<typeof CheckpointRecordSchema>;

export interface ParsedEntries {
  records: CheckpointRecord[];
  /** One sentence per entry left out. */
  skipped: string[];
}

/** Valid records of an index's `checkpoints` array; the others are named. Pure. */
export function parseIndexEntries(entries: readonly unknown[]): ParsedEntries {
  const records: CheckpointRecord[] = [];
  const skipped: string[] = [];
  entries.forEach((entry, position) => {
    const parsed = CheckpointRecordSchema.safeParse(entry);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    const id = typeof (entry as { id?: unknown } | null)?.id === 'string' ? ` ("${(entry as { id: string }).id}")` : '';
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    skipped.push(`entry ${position + 1}${id} of the checkpoint index is not a valid checkpoint (${issue?.message ?? 'invalid'}${where}); skipped`);
  });
  return { records, skipped };
}

export type IdMatch =
  | { kind: 'found'; record: CheckpointRecord }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: CheckpointRecord[] };

/**
 * The checkpoint an id names: `latest`, the full id, a unique prefix, or a
 * unique suffix (the short tail shown in lists). An empty or ambiguous id
 * names nothing: the caller lists the candidates instead of guessing. Pure.
 */
export function resolveCheckpointId(records: readonly CheckpointRecord[], rawId: string): IdMatch {
  const id = rawId.trim();
  if (id === '') return { kind: 'ambiguous', candidates: [...records] };
  if (id === 'latest') {
    const newest = [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
    return newest ? { kind: 'found', record: newest } : { kind: 'none' };
  }
  const exact = records.filter((r) => r.id === id);
  if (exact.length === 1) return { kind: 'found', record: exact[0]! };
  const matches = exact.length > 1 ? exact : records.filter((r) => r.id.startsWith(id) || r.id.endsWith(id));
  if (matches.length === 1) return { kind: 'found', record: matches[0]! };
  return matches.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates: matches };
}
