// Index entries are validated one by one, and an id names one checkpoint or none.
import { describe, expect, it } from 'vitest';
import { type CheckpointRecord, parseIndexEntries, resolveCheckpointId } from '../../../src/core/checkpoint/checkpoint-records.js';

function record(id: string, createdAt: string): CheckpointRecord {
  const [parsed] = parseIndexEntries([{ id, createdAt, projects: [{ projectDir: '/p', status: 'stashed', stashSha: 'a'.repeat(40) }] }]).records;
  return parsed!;
}

describe('parseIndexEntries', () => {
  it('keeps valid entries (filling fields older versions did not write) and names the others', () => {
    const good = { id: 'c1', createdAt: '2026-01-01T00:00:00.000Z', projects: [{ projectDir: '/p', status: 'refused' }] };
    const { records, skipped } = parseIndexEntries([null, { id: 'x' }, 7, good, { ...good, projects: [{ status: 'stashed' }] }]);
    expect(records).toHaveLength(1);
    expect(records[0]!.projects[0]).toMatchObject({ projectDir: '/p', submodules: [], notCaptured: [], stashSha: null, promptPath: '' });
    expect(skipped.map((s) => s.slice(0, 8))).toEqual(['entry 1 ', 'entry 2 ', 'entry 3 ', 'entry 5 ']);
    expect(skipped[1]).toContain('("x")');
  });
});

describe('resolveCheckpointId', () => {
  const records = [
    record('2026-11-29T10-00-00-000Z-aaaa1111', '2026-11-29T10:00:00.000Z'),
    record('2026-11-29T11-00-00-000Z-bbbb2222', '2026-11-29T11:00:00.000Z'),
    record('2026-11-29T11-30-00-000Z-cccc1111', '2026-11-29T11:30:00.000Z'),
  ];
  const found = (id: string) => {
    const match = resolveCheckpointId(records, id);
    return match.kind === 'found' ? match.record.id : match.kind === 'ambiguous' ? match.candidates.map((r) => r.id) : null;
  };

  it('names one checkpoint by latest, full id, unique prefix or unique tail', () => {
    expect(found('latest')).toBe(records[2]!.id);
    expect(found(records[0]!.id)).toBe(records[0]!.id);
    expect(found('2026-11-29T11-00')).toBe(records[1]!.id);
    expect(found('bbbb2222')).toBe(records[1]!.id);
  });

  it('refuses to guess: empty and ambiguous ids list the candidates', () => {
    expect(found('')).toEqual(records.map((r) => r.id));
    expect(found('  ')).toEqual(records.map((r) => r.id));
    expect(found('2026-11-29T11')).toEqual([records[1]!.id, records[2]!.id]);
    expect(found('1111')).toEqual([records[0]!.id, records[2]!.id]);
    expect(found('nope')).toBeNull();
    expect(resolveCheckpointId([], 'latest')).toEqual({ kind: 'none' });
  });
});
