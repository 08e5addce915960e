// Issue #10 item 3: every listed credential form, from a fixture file, is
// redacted; ordinary prose and code about tokens and passwords are not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/core/checkpoint/redact-secrets.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/redaction');

// Values are made at run time (see the fixture's header): each distinct, so a
// survivor is traced to its line.
function secretFor(line: number): string {
  return `hunter${line}Secret${(line * 7919).toString(36)}x`;
}
const awsId = () => ['AK', 'IA'].join('') + 'Q7RT2ZXW4MNB6KPL';
const awsSecret = () => ['wJalrXUtnFEMI', 'K7MDENGbPxRfi', 'CYzEXAMPLEk'].join('/') + 'Q';

function everyForm(): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const lines = readFileSync(join(FIXTURES, 'every-form.txt'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line, i) =>
      line
        .replace('{{SECRET}}', () => {
          secrets.push(secretFor(i));
          return secretFor(i);
        })
        .replace('{{AWS_ID}}', awsId)
        .replace('{{AWS_SECRET}}', () => {
          secrets.push(awsSecret());
          return awsSecret();
        }),
    );
  return { text: lines.join('\n'), secrets };
}

describe('redactSecrets: every form in the fixture', () => {
  const { text, secrets } = everyForm();
  const result = redactSecrets(text);

  it('leaves no value behind', () => {
    expect(awsSecret()).toHaveLength(40);
    for (const secret of secrets) expect(result.text, `${secret} survived`).not.toContain(secret);
    expect(result.text).not.toContain(awsId());
  });

  it('keeps every label, so the prompt still says what was there', () => {
    for (const label of ['password=', '- DB_PASSWORD=', 'PGPASSWORD=', ' psql -h db', '--password=', 'mysql -u root -p', 'password: ', '- secret: ']) {
      expect(result.text).toContain(label);
    }
  });

  it('is idempotent', () => {
    expect(redactSecrets(result.text)).toEqual({ text: result.text, redactions: 0 });
  });

  it('finds each line on its own too', () => {
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      const alone = redactSecrets(line).text;
      for (const secret of secrets.filter((s) => line.includes(s) && s !== awsSecret())) expect(alone, line).not.toContain(secret);
    }
  });
});

describe('redactSecrets: prose and code about secrets stay', () => {
  const prose = readFileSync(join(FIXTURES, 'prose.txt'), 'utf8');
  it.each(prose.split('\n').filter((line) => line !== ''))('keeps %j', (line) => {
    expect(redactSecrets(line)).toEqual({ text: line, redactions: 0 });
  });

  it('keeps a 40-character base64 word with no access key id near it', () => {
    const text = `checksum ${awsSecret()} of the archive`;
    expect(redactSecrets(text).text).toBe(text);
  });
});
