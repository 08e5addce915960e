// Opens the usage engine the way every CLI command needs it: roots resolved,
// the persisted index loaded, transcripts refreshed, the index saved.
import { access, constants, stat } from 'node:fs/promises';
import { resolveClaudeRoots } from '../core/ingest/claude-roots.js';
import { UsageEngine, type LimitHitDetector } from '../core/ingest/usage-engine.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';
import { progressReporter } from './progress-line.js';

export interface DataOptions {
  dataDir?: string[];
}

export interface OpenedUsage {
  engine: UsageEngine;
  stateDir: string;
}

/** Roots the user named (flag or CLAUDE_CONFIG_DIR) must exist and be readable. */
async function assertReadableRoots(roots: readonly string[]): Promise<void> {
  for (const root of roots) {
    try {
      const s = await stat(root);
      if (!s.isDirectory()) throw new UsageError(`Data directory ${root} is not a directory.`);
      await access(root, constants.R_OK | constants.X_OK);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `Data directory ${root} does not exist.` : `Data directory ${root} cannot be read (${code}).`);
    }
  }
}

export async function openUsage(options: DataOptions, detectLimitHit?: LimitHitDetector): Promise<OpenedUsage> {
  const explicit = (options.dataDir?.length ?? 0) > 0 || Boolean(process.env.CLAUDE_CONFIG_DIR?.trim());
  const roots = resolveClaudeRoots({ dataDirs: options.dataDir ?? [] });
  if (explicit) await assertReadableRoots(roots);
  const stateDir = resolveStateDir();
  const onProgress = progressReporter();
  const engine = new UsageEngine({
    roots,
    stateDir,
    // Built next to this bundle by scripts/build.mjs.
    parallel: { workerScript: new URL('./scan-worker.mjs', import.meta.url) },
    ...(detectLimitHit ? { detectLimitHit } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  await engine.open();
  await engine.refresh();
  try {
    await engine.persist();
  } catch (error) {
    process.stderr.write(`headroom: could not save the index in ${stateDir}: ${(error as Error).message}\n`);
  }
  return { engine, stateDir };
}
