// The program's commands by name, for the entry, which must not load the
// program to know them: each keeps its own code cache (compiled-program.ts).
// A test holds this list to the commands breather.ts defines.
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
