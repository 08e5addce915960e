// Where indexes are saved in the state folder, and whether one ever was: kept
// apart from index-store.ts (the codec and the whole index behind it) because
// the CLI's entry asks before anything else is loaded (cli-entry.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The folder of all indexes, in the state directory. */
export const INDEX_ROOT = 'index';
/** Each index's aggregates: present once it has been saved. */
export const AGGREGATES_FILE = 'usage-index.bin';

/** Whether an index for any set of roots was ever saved in this state folder. */
export function anyIndexSaved(stateDir: string): boolean {
  const root = join(stateDir, INDEX_ROOT);
  try {
    return readdirSync(root).some((name) => existsSync(join(root, name, AGGREGATES_FILE)));
  } catch {
    return false;
  }
}
