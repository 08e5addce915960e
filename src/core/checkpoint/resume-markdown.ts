// Markdown building blocks for the resume prompt: fences and code spans that
// survive any content, escaping, trimming and shell quoting. Pure.
import path from 'node:path';

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fenced(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** An inline code span that survives backticks in its content. */
export function inlineCode(text: string): string {
  const single = text.replace(/\s*\n\s*/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(single) + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${single}${pad}${ticks}`;
}

/** One line of plain text with Markdown syntax escaped. */
export function inlineText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

/** Keeps the first `maxChars` characters and says how much was cut. */
export function trimText(text: string, maxChars: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  // Do not split a surrogate pair.
  let cut = maxChars;
  const code = trimmed.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${trimmed.slice(0, cut).trimEnd()}\n… [${trimmed.length - cut} more characters not shown]`;
}

export function capList<T>(items: T[], max: number): { shown: T[]; more: number } {
  return items.length <= max ? { shown: items, more: 0 } : { shown: items.slice(0, max), more: items.length - max };
}

export function moreLine(more: number): string[] {
  return more > 0 ? [`- … and ${more} more`] : [];
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE_SHELL_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 12) : sha;
}

export function displayPath(filePath: string, projectDir: string): string {
  const relative = path.relative(projectDir, filePath);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative;
  return filePath;
}

/** If a cut left a fence open, closes it so the rest of a viewer's page is not swallowed. */
export function closeOpenFence(markdown: string): string {
  let open: string | null = null;
  for (const line of markdown.split('\n')) {
    const fence = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === null) open = fence;
    else if (line.trim() === '`'.repeat(line.trim().length) && line.trim().length >= open.length) open = null;
  }
  return open === null ? markdown : `${markdown}\n${open}`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
