// The oracle for the tests: installed on demand (see scripts/ccusage-oracle.mjs).
// Outside CI a machine without registry access skips the oracle tests; under
// CI=true a missing oracle is a failure, so a green CI always compared.
// @ts-expect-error: a plain .mjs script shared with the bench, typed below.
import { ensureCcusage } from '../../scripts/ccusage-oracle.mjs';

export interface CcusageBinary {
  path: string;
  label: string;
  version: string;
}

export function ccusageForTests(): { binary: CcusageBinary | null; reason: string } {
  try {
    return { binary: (ensureCcusage as () => CcusageBinary)(), reason: '' };
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return { binary: null, reason: `ccusage could not be installed: ${(error as Error).message.split('\n')[0]}` };
  }
}
