// The program's commands by name, for the entry, which must not load the
// program to know them: each keeps its own code cache (compiled-program.ts),
// and some start a first scan's worker early (scan-threads.ts). A test holds
// this list to the commands breather.ts defines.
export const CLI_COMMANDS: ReadonlySet<string> = new Set([
  'daily',
  'session',
  'blocks',
  'status',
  'watch',
  'limits',
  'config',
  'checkpoint',
  'pause',
  'resume',
  'checkpoints',
  'restore',
  'integrate',
  'statusline',
  'help',
]);

/** The command a run names before its arguments are parsed: its first argument that is not an option. */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}
