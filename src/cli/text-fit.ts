// Fitting text to the terminal: cut lines with "…", and choose which table
// columns to show and how wide, so a table never wraps at the window's edge.

/** The width to fit: the terminal's columns, or 80 when output is piped. */
export function terminalColumns(stream: { columns?: number; isTTY?: boolean } = process.stdout): number {
  const columns = stream.isTTY ? stream.columns : undefined;
  return columns && columns >= 20 ? columns : 80;
}

const chars = (text: string) => [...text];

/** Cuts the end off with "…" so the text is at most `width` characters. */
export function cutEnd(text: string, width: number): string {
  const list = chars(text);
  return list.length <= width ? text : `${list.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Cuts the middle out (paths keep their start and their name). */
export function cutMiddle(text: string, width: number): string {
  const list = chars(text);
  if (list.length <= width) return text;
  if (width <= 1) return '…';
  const tail = Math.ceil((width - 1) * 0.6);
  const head = width - 1 - tail;
  return `${list.slice(0, head).join('')}…${list.slice(list.length - tail).join('')}`;
}

export interface ColumnSpec {
  head: string;
  /** Lower drops first when the table is too wide; undefined: never dropped. */
  dropRank?: number;
  /** Can be narrowed (its cells cut with "…") down to this width, padding excluded. */
  minWidth?: number;
  /** Where a narrowed cell loses characters: its end (default) or its middle (paths keep their name). */
  cut?: 'end' | 'middle';
}

export interface FittedTable {
  /** Indexes of the columns kept, in order. */
  keep: number[];
  /** cli-table3 colWidths (padding included) for the kept columns. */
  colWidths: number[];
}

/** Widest line of a cell (cells may hold several lines). */
function cellWidth(cell: string): number {
  return Math.max(...cell.split('\n').map((line) => chars(line).length));
}

/**
 * Decides the columns: drop by rank (lowest first) until the natural widths fit,
 * then narrow the narrowable columns. Borders: one per column plus one; padding: two per cell.
 */
export function fitColumns(columns: readonly ColumnSpec[], rows: readonly string[][], width: number): FittedTable {
  const natural = columns.map((column, i) => Math.max(cellWidth(column.head), ...rows.map((row) => cellWidth(row[i] ?? ''))) + 2);
  let keep = columns.map((_, i) => i);
  const total = (kept: number[], widths: number[]) => kept.reduce((sum, i) => sum + widths[i]!, 0) + kept.length + 1;
  const droppable = columns
    .map((column, i) => ({ i, rank: column.dropRank }))
    .filter((c): c is { i: number; rank: number } => c.rank !== undefined)
    .sort((a, b) => a.rank - b.rank);
  const widths = [...natural];
  // Narrowing takes one character at a time from the column with the most to spare.
  const narrowed = () => {
    const trial = [...natural];
    let excess = total(keep, trial) - width;
    while (excess > 0) {
      let best = -1;
      for (const i of keep) {
        const min = columns[i]!.minWidth;
        if (min === undefined || trial[i]! <= min + 2) continue;
        if (best === -1 || trial[i]! - columns[i]!.minWidth! > trial[best]! - columns[best]!.minWidth!) best = i;
      }
      if (best === -1) break;
      trial[best] = trial[best]! - 1;
      excess -= 1;
    }
    return { trial, fits: excess <= 0 };
  };
  for (const { i } of droppable) {
    if (narrowed().fits) break;
    keep = keep.filter((k) => k !== i);
  }
  const { trial } = narrowed();
  for (const i of keep) widths[i] = trial[i]!;
  return { keep, colWidths: keep.map((i) => widths[i]!) };
}
