// File names from git are raw bytes (not always UTF-8, may hold newlines).
// They stay Buffers end to end and are only turned into text for people.

/** Splits `-z` output into its NUL-terminated records. */
export function splitNul(output: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let start = 0;
  for (let end = output.indexOf(0, start); end !== -1; end = output.indexOf(0, start)) {
    records.push(output.subarray(start, end));
    start = end + 1;
  }
  if (start < output.length) records.push(output.subarray(start));
  return records;
}

/**
 * One value git printed on its own line (a path, a ref, a sha), exactly: only
 * the single trailing newline goes. Never trim(): a folder may end in a space
 * or hold a newline, and "proj " is not "proj".
 */
export function gitLine(output: Buffer): string {
  const text = output.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The inverse of splitNul: each record followed by a NUL, for `--stdin -z`. */
export function joinNul(records: readonly Buffer[]): Buffer {
  const nul = Buffer.from([0]);
  return Buffer.concat(records.flatMap((record) => [record, nul]));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file name as text for display. Valid UTF-8 is shown as is (newlines as
 * `\n`); a name that is not UTF-8 has every non-ASCII byte written `\xNN`.
 */
export function displayPath(name: Buffer): string {
  let text: string;
  try {
    text = strictUtf8.decode(name);
  } catch {
    text = Array.from(name, (byte) =>
      (byte >= 0x20 && byte < 0x7f) || byte === 0x0a
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`,
    ).join('');
  }
  return text.replace(/\n/g, '\\n');
}

export interface StagedEntry {
  mode: string;
  objectId: string;
  stage: number;
  path: Buffer;
}

/** Parses `git ls-files -s -z`: `<mode> <object> <stage>\t<path>\0`. */
export function parseStagedEntries(output: Buffer): StagedEntry[] {
  return splitNul(output).map((record) => {
    const tab = record.indexOf(0x09);
    const [mode = '', objectId = '', stage = '0'] = record.subarray(0, tab).toString('latin1').split(' ');
    return { mode, objectId, stage: Number(stage), path: record.subarray(tab + 1) };
  });
}

export const GITLINK_MODE = '160000';
export const EMPTY_BLOB_ID = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
