import { describe, expect, it } from 'vitest';

import { isSecretLookingName, redactSecrets } from '../../../src/core/checkpoint/redact-secrets.js';

// Fake secrets are assembled at run time so no literal token shape sits in the
// source (secret scanners on push would flag it).
function fake(prefix: string, length: number, alphabet = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY'): string {
  let body = '';
  for (let i = 0; body.length < length; i += 1) body += alphabet[(i * 7 + 3) % alphabet.length];
  return `${prefix}${body}`;
}

const SECRETS = {
  anthropic: fake(['sk', 'ant', 'api03-'].join('-'), 60),
  openai: fake('sk-' + 'proj-', 48),
  openaiLegacy: fake('sk-', 48),
  githubPat: fake('gh' + 'p_', 36),
  githubOauth: fake('gh' + 'o_', 36),
  githubServer: fake('gh' + 's_', 36),
  githubFineGrained: fake('github' + '_pat_', 82),
  awsKeyId: fake('AK' + 'IA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
  awsSessionKeyId: fake('AS' + 'IA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
  awsSecret: fake('', 40, 'abcdEFGH1234/+ijklMNOP5678'),
  slack: fake('xo' + 'xb-', 40, '0123456789abcdefABCDEF-'),
  google: fake('AI' + 'za', 35, 'abcdEFGH1234_-ijklMNOP5678'),
  stripeLive: fake('sk' + '_live_', 24),
  stripeRestricted: fake('rk' + '_live_', 24),
  jwt: [fake('ey' + 'J', 30), fake('ey' + 'J', 60), fake('', 43)].join('.'),
  bearer: fake('', 40, 'abcDEF0123456789'),
};

function redacted(text: string): string {
  return redactSecrets(text).text;
}

describe('redactSecrets: known token shapes', () => {
  const cases: [string, string, string][] = [
    ['Anthropic key', SECRETS.anthropic, 'anthropic-api-key'],
    ['OpenAI project key', SECRETS.openai, 'openai-api-key'],
    ['OpenAI legacy key', SECRETS.openaiLegacy, 'openai-api-key'],
    ['GitHub PAT', SECRETS.githubPat, 'github-token'],
    ['GitHub OAuth token', SECRETS.githubOauth, 'github-token'],
    ['GitHub server token', SECRETS.githubServer, 'github-token'],
    ['GitHub fine-grained PAT', SECRETS.githubFineGrained, 'github-token'],
    ['AWS access key id', SECRETS.awsKeyId, 'aws-access-key-id'],
    ['AWS session key id', SECRETS.awsSessionKeyId, 'aws-access-key-id'],
    ['Slack token', SECRETS.slack, 'slack-token'],
    ['Google API key', SECRETS.google, 'google-api-key'],
    ['Stripe live key', SECRETS.stripeLive, 'stripe-key'],
    ['Stripe restricted key', SECRETS.stripeRestricted, 'stripe-key'],
    ['JWT', SECRETS.jwt, 'jwt'],
  ];

  it.each(cases)('redacts a %s inside prose', (_label, secret, kind) => {
    const result = redactSecrets(`I pasted ${secret} by mistake, sorry.`);
    expect(result.text).toBe(`I pasted [REDACTED:${kind}] by mistake, sorry.`);
    expect(result.redactions).toBe(1);
  });

  it('redacts an aws_secret_access_key assignment but keeps the label', () => {
    expect(redacted(`aws_secret_access_key = ${SECRETS.awsSecret}`)).toBe('aws_secret_access_key = [REDACTED:aws-secret-access-key]');
  });

  it('redacts Authorization headers and bare bearer tokens', () => {
    expect(redacted(`curl -H "Authorization: Bearer ${SECRETS.bearer}" https://api.example.com`)).toBe(
      'curl -H "Authorization: Bearer [REDACTED:authorization]" https://api.example.com',
    );
    expect(redacted(`Authorization: Basic ${fake('', 24, 'dXNlcjpwYXNz')}`)).toBe('Authorization: Basic [REDACTED:authorization]');
    expect(redacted(`the client sends bearer ${SECRETS.bearer} each time`)).toBe('the client sends bearer [REDACTED:bearer-token] each time');
    // A JWT in a header is reported once, as a JWT.
    const jwtHeader = redactSecrets(`Authorization: Bearer ${SECRETS.jwt}`);
    expect(jwtHeader).toEqual({ text: 'Authorization: Bearer [REDACTED:jwt]', redactions: 1 });
  });

  it('redacts a PEM private key block, and one cut off before its END line', () => {
    const body = fake('', 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/');
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', body, body, '-----END RSA PRIVATE KEY-----'].join('\n');
    expect(redacted(`key file:\n${pem}\ndone`)).toBe('key file:\n[REDACTED:private-key]\ndone');
    const openssh = ['-----BEGIN OPENSSH PRIVATE KEY-----', body, body].join('\n');
    expect(redacted(`cut: ${openssh}`)).toBe('cut: [REDACTED:private-key]');
    // A public key or certificate is not a secret.
    const cert = ['-----BEGIN CERTIFICATE-----', body, '-----END CERTIFICATE-----'].join('\n');
    expect(redacted(cert)).toBe(cert);
  });

  it('redacts the password of a URL with credentials', () => {
    expect(redacted('connect to postgres://app:s3cretPassw0rd@db.internal:5432/app')).toBe(
      'connect to postgres://app:[REDACTED:url-password]@db.internal:5432/app',
    );
  });
});

describe('redactSecrets: env files and config', () => {
  it('redacts values of secret-looking KEY=value and export lines, keeping the names', () => {
    const env = [
      '# database',
      'DATABASE_URL=postgres://localhost/dev',
      'export STRIPE_WEBHOOK_SECRET="whsec_abc123def456"',
      'DB_PASSWORD=hunter2hunter2',
      'API_TOKEN = abcdef0123456789',
      'SENTRY_DSN=https://abc@o1.ingest.sentry.io/1',
      'NODE_ENV=production',
      'PORT=3000',
      'AUTHOR=Jane Doe',
      'CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000',
      'AUTH_ENABLED=true',
      'SSH_AUTH_SOCK=/tmp/ssh-XXXX/agent.123',
      'PWD=/home/dev/project',
      'GITHUB_TOKEN=$GITHUB_TOKEN',
    ].join('\n');
    expect(redacted(env)).toBe(
      [
        '# database',
        'DATABASE_URL=[REDACTED:env-secret]',
        'export STRIPE_WEBHOOK_SECRET=[REDACTED:env-secret]',
        'DB_PASSWORD=[REDACTED:env-secret]',
        'API_TOKEN = [REDACTED:env-secret]',
        'SENTRY_DSN=[REDACTED:env-secret]',
        'NODE_ENV=production',
        'PORT=3000',
        'AUTHOR=Jane Doe',
        'CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000',
        'AUTH_ENABLED=true',
        'SSH_AUTH_SOCK=/tmp/ssh-XXXX/agent.123',
        'PWD=/home/dev/project',
        'GITHUB_TOKEN=$GITHUB_TOKEN',
      ].join('\n'),
    );
  });

  it('reports a key inside an env line once, by its specific kind', () => {
    expect(redactSecrets(`ANTHROPIC_API_KEY=${SECRETS.anthropic}`)).toEqual({
      text: 'ANTHROPIC_API_KEY=[REDACTED:anthropic-api-key]',
      redactions: 1,
    });
  });

  it('redacts env lines quoted in a Markdown blockquote', () => {
    expect(redacted('> SECRET_KEY=abc123xyz789')).toBe('> SECRET_KEY=[REDACTED:env-secret]');
  });

  it('redacts random-looking string values of secret-named keys in JSON and YAML', () => {
    expect(redacted('{"client_secret": "q8w7e6r5t4y3", "name": "demo"}')).toBe('{"client_secret": "[REDACTED:config-secret]", "name": "demo"}');
    expect(redacted("password: 'Tr0ub4dor&3'")).toBe("password: '[REDACTED:config-secret]'");
  });

  it('recognises secret-looking names by segment', () => {
    expect(['API_KEY', 'GH_TOKEN', 'DB_PASS', 'AWS_SECRET_ACCESS_KEY', 'NPM_AUTH', 'SENTRY_DSN', 'DATABASE_URL', 'apiKey'].map(isSecretLookingName)).toEqual(
      [true, true, true, true, true, true, true, true],
    );
    expect(['AUTHOR', 'MONKEY_PATCH', 'PASSENGER_COUNT', 'NODE_ENV', 'PWD', 'KEYBOARD'].map(isSecretLookingName)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('redactSecrets: leaves ordinary text alone', () => {
  const ordinary = [
    'The bearer of bad news arrived with a risk-management-framework-document.',
    'Use a task-specific key-value store; desk-side support handles the rest.',
    'const token = await getToken();\nconst apiKey = process.env.API_KEY;\nheaders.Authorization = `Bearer ${token}`;',
    'for key, value in settings.items():\n    print(key, value)',
    'git stash apply --index 3f2a9c1b7e5d4a6f8b0c2d4e6f8a0b1c2d3e4f5a',
    'See https://github.com/anthropics/claude-code/issues/1234 and http://localhost:3000/login',
    'items.map((item) => ({ key: item.id, label: item.name }))',
    '{"max_tokens": 4096, "model": "claude-sonnet-4-5"}',
    'Ask for the sk- prefix in the docs; the skeleton is fine.',
    'AKIA is the prefix of an AWS key id; ghp_ starts a GitHub token.',
    'The function returns { token: "abc" } in tests.',
    'headers.Authorization = `Bearer ${accessTokenValue}`;',
    'Authorization: required for all endpoints',
    'const url = `https://${user}:${password}@host`;',
    'MY_API_KEY="<your key here>"',
    'the access token expired; bearer tokens are rotated every 3600s',
  ];

  it.each(ordinary)('keeps %j unchanged', (text) => {
    expect(redactSecrets(text)).toEqual({ text, redactions: 0 });
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactSecrets(`API_KEY=${SECRETS.openai}\nAuthorization: Bearer ${SECRETS.bearer}\n${SECRETS.githubPat}`);
    expect(once.redactions).toBe(3);
    expect(redactSecrets(once.text)).toEqual({ text: once.text, redactions: 0 });
  });
});

describe('redactSecrets: cost on long adversarial input', () => {
  // Long transcript text must not trigger quadratic regex backtracking.
  const adversarial: [string, string][] = [
    ['lowercase run', 'r'.repeat(200_000)],
    ['uppercase run', 'R'.repeat(200_000)],
    ['digit run', '7'.repeat(200_000)],
    ['repeated key prefixes', 'sk-ant-sk-'.repeat(20_000)],
    ['repeated name: pairs', 'a:'.repeat(100_000)],
    ['repeated "key": "', '"key": "'.repeat(25_000)],
    ['repeated bearer', 'Bearer '.repeat(30_000)],
    ['repeated JWT prefix', 'eyJeyJ.'.repeat(30_000)],
    ['dotted mixed-case run', 'aB.'.repeat(70_000)],
    ['long URL user part', `http://${'u'.repeat(200_000)}`],
    ['unterminated PEM blocks', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(5_000)],
    ['repeated URL schemes', 'http://a:'.repeat(20_000)],
    ['blank lines with env-like tail', `${'\n'.repeat(100_000)}X`],
  ];

  it.each(adversarial)('handles a %s in linear time', (_label, text) => {
    const started = performance.now();
    const result = redactSecrets(text);
    const elapsedMs = performance.now() - started;
    expect(typeof result.text).toBe('string');
    expect(elapsedMs).toBeLessThan(2000);
  });
});
