// What `integrate install` changed, kept in Breather's state directory so
// `uninstall` can undo exactly that: the statusLine it replaced (whole), the
// keys it created, and the bytes before and after (byte-identical undo while
// nobody has touched the file since).
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';

export const INTEGRATION_RECORD_FILE = 'claude-integration.json';

export interface IntegrationRecord {
  version: 1;
  settingsPath: string;
  installedAt: string;
  /** The statusLine object Breather's replaced; null when there was none. */
  previousStatusLine: Record<string, unknown> | null;
  createdFile: boolean;
  createdHooksKey: boolean;
  createdEvents: string[];
  /** The copy of the file as it was before the first install (null when it did not exist). */
  backupPath: string | null;
  originalSha256: string | null;
  /** The file as install last wrote it. */
  writtenSha256: string;
  commands: { statusline: string; hooks: Record<string, string> };
}

export function integrationRecordPath(stateDir: string): string {
  return join(stateDir, INTEGRATION_RECORD_FILE);
}

export async function readIntegrationRecord(stateDir: string): Promise<IntegrationRecord | null> {
  try {
    const value = JSON.parse(await readFile(integrationRecordPath(stateDir), 'utf8')) as IntegrationRecord;
    return value && value.version === 1 && typeof value.settingsPath === 'string' ? value : null;
  } catch {
    return null;
  }
}

export async function writeIntegrationRecord(stateDir: string, record: IntegrationRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(integrationRecordPath(stateDir), `${JSON.stringify(record, null, 2)}\n`);
}

export async function removeIntegrationRecord(stateDir: string): Promise<void> {
  await rm(integrationRecordPath(stateDir), { force: true });
}
