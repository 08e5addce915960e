// End to end on a real Linux desktop stack: `breather watch` decides an alert
// and the notification really goes out over D-Bus to a notification daemon.
// A private session bus, Xvfb, dunst and dbus-monitor are started here and
// killed in afterAll, whatever happens. Missing binaries fail the test.
import { afterAll, describe, expect, it } from 'vitest';
import { PLAN_PRESETS } from '../../src/core/limits/plan-presets.js';
import type { Alert } from '../../src/shared/status.js';
import { costLine } from '../support/live-monitor-harness.js';
import { PrivateDesktop, parseNotifyCalls, pollUntil, requireBinaries } from '../support/linux-desktop.js';
import { CliProcess, runCli } from '../support/run-cli.js';
import { tempDir, writeTranscript } from '../support/usage-lines.js';

const MIN = 60_000;
const desktop = new PrivateDesktop();
let watch: CliProcess | null = null;

afterAll(async () => {
  await watch?.stop();
  await desktop.stopAll();
}, 30_000);

type AlertLine = Alert & { type: 'alert'; shown: boolean; suppressed: string | null };

describe('Linux desktop notifications (real D-Bus, Xvfb, dunst)', () => {
  it('breather watch sends the threshold alert as a Notify call with app name, title and body', { timeout: 120_000 }, async () => {
    expect(process.platform, 'this test proves the Linux notification path').toBe('linux');
    requireBinaries();

    await desktop.startBus();
    expect(desktop.busAddress).toMatch(/^unix:/);
    await desktop.startDisplay();
    await desktop.startDunst();
    const monitor = await desktop.startNotifyMonitor();

    // The chain works before Breather is involved: a probe goes through the monitor to dunst.
    const probe = await desktop.run('notify-send', ['--app-name', 'probe', 'probe-summary', 'probe-body']);
    expect(probe.code, probe.stderr).toBe(0);
    await pollUntil(() => parseNotifyCalls(monitor.stdout).some((c) => c.summary === 'probe-summary'), 'the probe Notify call', 30_000);
    await desktop.run('dunstctl', ['close-all']);

    // A Pro user whose current 5-hour block is past 50 %, with activity minutes ago.
    const home = tempDir('breather-e2e-home-');
    const root = tempDir('breather-e2e-root-');
    const set = await runCli(['config', 'set', 'plan.preset', 'pro'], { BREATHER_HOME: home });
    expect(set.code, set.stderr).toBe(0);
    const now = Date.now();
    const lines = [costLine(now - 4 * MIN, 5.5), costLine(now - 3 * MIN, 5)];
    const cost = lines.reduce((sum, l) => sum + l.costUSD, 0);
    expect(cost / PLAN_PRESETS.pro.caps.five_hour!).toBeGreaterThan(0.5);
    expect(cost / PLAN_PRESETS.pro.caps.five_hour!).toBeLessThan(0.75);
    writeTranscript(root, '-work-project-a/session-1.jsonl', lines.map((l) => l.line));

    watch = new CliProcess(['watch', '--json', '--data-dir', root], { BREATHER_HOME: home, ...desktop.env });
    const deadline = Date.now() + 30_000;
    let alert: AlertLine | null = null;
    const seen: string[] = [];
    while (!alert) {
      const line = await watch.nextLine(Math.max(1, deadline - Date.now()));
      seen.push(line);
      const event = JSON.parse(line) as { type: string };
      if (event.type === 'alert' && (event as AlertLine).shown) alert = event as AlertLine;
    }
    expect(alert, seen.join('\n')).toMatchObject({ kind: 'threshold', window: 'five_hour', suppressed: null });
    expect(alert.title).toMatch(/^5-hour limit: 5\d% used$/);

    const call = await pollUntil(
      () => parseNotifyCalls(monitor.stdout).find((c) => c.summary === alert!.title),
      `a Notify call titled "${alert.title}" (monitor output:\n${monitor.stdout.slice(-3000)}\nwatch stderr: ${watch.stderr})`,
      30_000,
    );
    expect(call.appName).toBe('Breather');
    expect(call.summary).toBe(alert.title);
    expect(call.body).toBe(alert.body);
    expect(call.icon).toMatch(/assets\/icon\.png$/);
    expect(watch.stderr).not.toMatch(/notification failed/);

    // dunst accepted it and is showing it.
    const count = await pollUntil(async () => {
      const reply = await desktop.run('dunstctl', ['count', 'displayed']);
      return Number(reply.stdout.trim()) >= 1 ? reply.stdout.trim() : null;
    }, 'dunst to display the notification', 15_000);
    expect(Number(count)).toBeGreaterThanOrEqual(1);
  });
});
