// Minimal edits to a JSON text that belongs to someone else: only the ranges
// Breather adds or removes change, every other byte (foreign keys, their
// order, inline arrays, odd spacing, the final newline) stays as it was.
// jsonc-parser finds the ranges; the inserted text follows the file's own
// indentation unit and line ending. Inserting then removing the same thing
// gives back the original bytes.
import { type Node, findNodeAtLocation, parseTree } from 'jsonc-parser';

export interface JsonTextStyle {
  /** One level of indentation: "  ", "    " or "\t". */
  indent: string;
  eol: '\n' | '\r\n';
}

/** The indentation unit and line ending a JSON text already uses (2 spaces and \n when it shows none). */
export function detectJsonStyle(text: string): JsonTextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let indent = '  ';
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of text.split(/\r?\n/)) {
    const lead = /^[ \t]+(?=\S)/.exec(line)?.[0];
    if (!lead) continue;
    if (lead.startsWith('\t')) {
      indent = '\t';
      break;
    }
    if (lead.length < smallest) {
      smallest = lead.length;
      indent = lead;
    }
  }
  return { indent, eol };
}

/** A tree of the text, or null when it is not one JSON object. */
export function objectTree(text: string): Node | null {
  const root = parseTree(text);
  return root && root.type === 'object' ? root : null;
}

export function nodeAt(root: Node, path: (string | number)[]): Node | undefined {
  return findNodeAtLocation(root, path);
}

/** The whitespace a line starts with, for the line holding offset. */
function lineIndentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** value as JSON in the file's style, its inner lines indented from `base`. */
function formatValue(value: unknown, base: string, style: JsonTextStyle): string {
  return JSON.stringify(value, null, style.indent).split('\n').join(`${style.eol}${base}`);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Appends `"key": value` (object) or `value` (array) as the last member of container. */
function appendMember(text: string, container: Node, member: (indent: string) => string, style: JsonTextStyle): string {
  const children = container.children ?? [];
  const last = children[children.length - 1];
  if (!last) {
    const outer = lineIndentAt(text, container.offset);
    const inner = outer + style.indent;
    const [open, close] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
    return splice(text, container.offset, container.offset + container.length, `${open}${style.eol}${inner}${member(inner)}${style.eol}${outer}${close}`);
  }
  const inner = lineIndentAt(text, last.offset);
  const at = last.offset + last.length;
  return splice(text, at, at, `,${style.eol}${inner}${member(inner)}`);
}

/** Removes one member (an array element or an object's property node) with its separator. */
function removeMember(text: string, container: Node, index: number): string {
  const children = container.children ?? [];
  const node = children[index];
  if (!node) return text;
  if (children.length === 1) {
    const [open, close] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
    return splice(text, container.offset, container.offset + container.length, `${open}${close}`);
  }
  if (index === children.length - 1) {
    const previous = children[index - 1]!;
    return splice(text, previous.offset + previous.length, node.offset + node.length, '');
  }
  return splice(text, node.offset, children[index + 1]!.offset, '');
}

/** Replaces the value at path (an object property's value or an array element) in place. */
export function replaceAt(text: string, path: (string | number)[], value: unknown, style: JsonTextStyle): string {
  const root = objectTree(text);
  const existing = root && nodeAt(root, path);
  if (!existing) throw new Error(`nothing at ${path.join('.')}`);
  const holder = existing.parent?.type === 'property' ? existing.parent : existing;
  const base = lineIndentAt(text, holder.offset);
  return splice(text, existing.offset, existing.offset + existing.length, formatValue(value, base, style));
}

/** Sets an object property: replaces its value in place, or appends it as the last property. */
export function setProperty(text: string, objectPath: (string | number)[], key: string, value: unknown, style: JsonTextStyle): string {
  const root = objectTree(text);
  const container = root && (objectPath.length === 0 ? root : nodeAt(root, objectPath));
  if (!container || container.type !== 'object') throw new Error(`no object at ${objectPath.join('.') || 'the top level'}`);
  if (nodeAt(root!, [...objectPath, key])) return replaceAt(text, [...objectPath, key], value, style);
  return appendMember(text, container, (inner) => `${JSON.stringify(key)}: ${formatValue(value, inner, style)}`, style);
}

/** Removes an object property, if present. */
export function removeProperty(text: string, objectPath: (string | number)[], key: string): string {
  const root = objectTree(text);
  const container = root && (objectPath.length === 0 ? root : nodeAt(root, objectPath));
  if (!container || container.type !== 'object') return text;
  const index = (container.children ?? []).findIndex((p) => p.children?.[0]?.value === key);
  return index < 0 ? text : removeMember(text, container, index);
}

/** Appends an element to the array at path. */
export function appendElement(text: string, arrayPath: (string | number)[], value: unknown, style: JsonTextStyle): string {
  const root = objectTree(text);
  const container = root && nodeAt(root, arrayPath);
  if (!container || container.type !== 'array') throw new Error(`no array at ${arrayPath.join('.')}`);
  return appendMember(text, container, (inner) => formatValue(value, inner, style), style);
}

/** Removes the element at index of the array at path. */
export function removeElement(text: string, arrayPath: (string | number)[], index: number): string {
  const root = objectTree(text);
  const container = root && nodeAt(root, arrayPath);
  if (!container || container.type !== 'array') return text;
  return removeMember(text, container, index);
}
