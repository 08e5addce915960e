// Strings stored once and named by position: how packed events and the index
// files carry the few models, folders and sessions that thousands of rows repeat.
export class StringTable {
  readonly strings: string[] = [];
  private readonly positions = new Map<string, number>();

  /** The position of `text`, added on first use. */
  at(text: string): number {
    let position = this.positions.get(text);
    if (position === undefined) this.positions.set(text, (position = this.strings.push(text) - 1));
    return position;
  }
}
