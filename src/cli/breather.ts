// The `breather` command: the terminal twin of the tray app. Built as its own
// bundle (dist/cli/breather-program.cjs) that cli-entry.ts loads and runs,
// once V8 is set for a short run and a first run's scan worker is starting.
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './cli-error.js';
import { blocksCommand, dailyCommand, sessionCommand } from './report-commands.js';
import { checkpointCommand, checkpointsCommand, pauseCommand, resumeCommand } from './checkpoint-commands.js';
import { restoreCommand } from './restore-command.js';
import { configGet, configReset, configSet } from './config-command.js';
import { limitsCommand, statusCommand, watchCommand } from './status-commands.js';
import { integrateInstall, integrateStatus, integrateUninstall, statuslineCommand } from './integrate-command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function dataOption(): Option {
  return new Option('--data-dir <dir>', 'Claude data folder to read (repeatable); overrides CLAUDE_CONFIG_DIR and the defaults').argParser(collect);
}

function timezoneOption(): Option {
  return new Option('--timezone <tz>', 'IANA time zone for the times shown (default: TZ, else local)');
}

function reportCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--json', 'print JSON (ccusage field names)')
    .option('--timezone <tz>', 'IANA time zone for days (default: TZ, else local)')
    .option('--since <date>', 'first day, YYYY-MM-DD')
    .option('--until <date>', 'last day, YYYY-MM-DD')
    .addOption(dataOption());
}

export function buildProgram(): Command {
  const program = new Command('breather')
    .description('Claude Code usage, limits and checkpoints, from the terminal.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  reportCommand(program, 'daily', 'usage per day').action(dailyCommand);
  reportCommand(program, 'session', 'usage per session').action(sessionCommand);
  reportCommand(program, 'blocks', 'usage per 5-hour block (ccusage rules)').option('--active', 'only the active block').action(blocksCommand);
  program.command('status').description('the current window, limits and data health').option('--json', 'print JSON').addOption(timezoneOption()).addOption(dataOption()).action(statusCommand);
  program
    .command('watch')
    .description('stay running; print the status whenever it changes (NDJSON with --json)')
    .option('--json', 'print one JSON object per line (status lines and alert events)')
    .option('--no-notify', 'print alerts but send no desktop notifications')
    .addOption(timezoneOption())
    .addOption(dataOption())
    .action(watchCommand);
  program.command('limits').description('usage-limit hits found in the transcripts').option('--json', 'print JSON').addOption(timezoneOption()).addOption(dataOption()).action(limitsCommand);
  const config = program.command('config').description('read and change settings (shared with the tray app)');
  config.command('get [path]').description('print all settings, or one (e.g. alerts.thresholds.five_hour)').option('--json', 'print JSON').action(configGet);
  config.command('set <path> <value>').description('set one value (JSON or text), validated').option('--json', 'print JSON').action(configSet);
  config.command('reset [path]').description('restore the default of one value, or of all').option('--json', 'print JSON').action(configReset);
  const projectOption = () => new Option('--project <dir>', 'this project only (default: every project with recent Claude activity)');
  const exitCodes = [
    '',
    'Exit codes:',
    '  0  saved (or nothing needed saving)',
    '  1  error, e.g. the record could not be written (any stash made is named)',
    '  2  bad usage',
    '  3  nothing saved: every snapshot was refused (conflicts, unborn HEAD,',
    '     HEAD moved) or no project is a git working tree',
  ].join('\n');
  program
    .command('checkpoint')
    .description('save each active repo as a git stash (files untouched) and write a resume prompt')
    .addOption(projectOption())
    .option('--json', 'print JSON')
    .addOption(dataOption())
    // Run by the StopFailure hook when no tray app or `watch` is there to take its request.
    .addOption(new Option('--limit-hit-session <id>', 'checkpoint and pause for a session stopped on a usage limit (once per window)').hideHelp())
    .addOption(new Option('--transcript <path>', "that session's transcript").hideHelp())
    .addHelpText('after', exitCodes)
    .action(checkpointCommand);
  program.command('pause').description('checkpoint, mark the projects paused and mute alerts until the window resets').addOption(projectOption()).option('--json', 'print JSON').addOption(dataOption()).addHelpText('after', exitCodes).action(pauseCommand);
  program.command('resume').description('clear the pause and print the latest resume prompt').addOption(projectOption()).option('--json', 'print JSON').action(resumeCommand);
  program
    .command('checkpoints')
    .description('list checkpoints and paused projects')
    .option('--repair', 'rebuild the index from refs/breather/checkpoints/* in the repositories the prompts name')
    .option('--json', 'print JSON')
    .addOption(timezoneOption())
    .action(checkpointsCommand);
  program
    .command('restore <id>')
    .description('print the commands that restore a checkpoint (id: full, unique prefix or tail, or "latest"), or run them with --apply')
    .option('--apply', 'apply the stash now, and each dirty submodule\'s stash (refused unless the working tree is clean)')
    .option('--project <dir>', 'only this project of the checkpoint, or another clone of its repository')
    .option('--json', 'print JSON')
    .action(restoreCommand);
  const integrate = program.command('integrate').description("connect Claude Code: official percentages, the pause gate, checkpoint on limit (its settings.json)");
  integrate.command('install').description('add the statusline bridge and hooks (backup first; your other settings stay)').option('--json', 'print JSON').action(integrateInstall);
  integrate.command('uninstall').description('take them out again (byte for byte when the file is untouched since)').option('--json', 'print JSON').action(integrateUninstall);
  integrate.command('status').description('what is installed, the bridge\'s last report, auto-continue').option('--json', 'print JSON').action(integrateStatus);
  program.command('statusline').description("Claude Code's statusline bridge: record the official figures from stdin, print a status line").action(statuslineCommand);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`breather: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`breather: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}

