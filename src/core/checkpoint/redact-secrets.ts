// Redacts credentials from text that leaves the machine's transcripts: the
// resume prompt is written to disk and put on the clipboard, so a key pasted
// into a prompt must not travel with it. Rules are deliberately specific (known
// token shapes, secret-looking env names) so ordinary prose and code survive.

export interface RedactionResult {
  text: string;
  redactions: number;
}

const MARKER_PREFIX = '[REDACTED:';

function marker(kind: string): string {
  return `${MARKER_PREFIX}${kind}]`;
}

interface RedactionRule {
  kind: string;
  pattern: RegExp;
  /** Returns the replacement, or null to leave the match alone. */
  replace: (match: string, groups: string[]) => string | null;
}

/** Replaces the whole match. */
function whole(kind: string, pattern: RegExp, accept: (match: string) => boolean = () => true): RedactionRule {
  return { kind, pattern, replace: (match) => (accept(match) ? marker(kind) : null) };
}

/** Keeps group 1 (a label such as `KEY=`) and replaces group 2 (the value). */
function valueAfterLabel(kind: string, pattern: RegExp, accept: (value: string) => boolean = () => true): RedactionRule {
  return {
    kind,
    pattern,
    replace: (_match, groups) => {
      const label = groups[0] ?? '';
      const value = groups[1] ?? '';
      if (value.includes(MARKER_PREFIX) || !accept(value)) return null;
      return `${label}${marker(kind)}`;
    },
  };
}

const hasDigit = (s: string): boolean => /\d/.test(s);
const hasLetter = (s: string): boolean => /[A-Za-z]/.test(s);

// Name segments that mark an env variable as secret. Matched per `_`-separated
// segment so AUTHOR, MONKEY or PASSENGER do not count, plus a few fused words.
const SECRET_NAME_SEGMENTS = new Set([
  'KEY', 'KEYS', 'APIKEY', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS',
  'PWD', 'PASSPHRASE', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'AUTH', 'PRIVATE', 'DSN', 'COOKIE', 'SALT',
]);
const SECRET_NAME_FUSED = /(SECRET|PASSWORD|PASSWD|TOKEN|APIKEY|ACCESSKEY|PRIVATEKEY|CREDENTIAL|DATABASE_URL|CONNECTION_STRING)/;

// The shell's working directories, not passwords (only in the shell's own spelling: pwd=… is a password).
const NOT_SECRET_NAMES = new Set(['PWD', 'OLDPWD']);

export function isSecretLookingName(name: string): boolean {
  const upper = name.toUpperCase();
  if (NOT_SECRET_NAMES.has(name)) return false;
  if (SECRET_NAME_FUSED.test(upper)) return true;
  return upper.split(/[_\-.]+/).some((segment) => SECRET_NAME_SEGMENTS.has(segment));
}

// Values that are configuration, not credentials (MAX_TOKENS=32000, AUTH_ENABLED=true)
// or references to a secret stored elsewhere (API_KEY=$API_KEY).
function isPlainSettingOrReference(rawValue: string): boolean {
  const value = rawValue.trim().replace(/^(['"])(.*)\1$/, '$2').trim();
  if (value === '') return true;
  if (/^(\d{1,6}|true|false|yes|no|on|off|null|none|undefined)$/i.test(value)) return true;
  // A filesystem path (SSH_AUTH_SOCK, GOOGLE_APPLICATION_CREDENTIALS) points at a secret, it is not one.
  if (/^(~|\.{1,2})?\/[\w.\/-]*$/.test(value)) return true;
  return /^(\$\{?[A-Za-z_]|process\.env|os\.environ|os\.getenv|getenv\(|ENV\[|<[^>]*>$)/.test(value);
}

// Names whose value is a credential whatever it looks like (unlike KEY or TOKEN,
// which name plenty of ordinary settings and code variables).
const STRONG_SECRET_NAME = /(PASSWORD|PASSWD|PWD|PASSPHRASE|SECRET|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY)/;

function isStrongSecretName(name: string): boolean {
  const upper = name.toUpperCase().replace(/-/g, '_');
  return !NOT_SECRET_NAMES.has(name) && STRONG_SECRET_NAME.test(upper);
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

/** Random-looking: letters and digits, or long. Code identifiers (`pw`, `getToken`) are not. */
function looksRandom(value: string): boolean {
  return (hasDigit(value) && hasLetter(value)) || value.length >= 24 || /[^A-Za-z0-9_.]/.test(value);
}

/**
 * Whether `value`, given to a secret-looking name, should go. Strong names
 * (password, secret, api_key…) and env-style UPPER_CASE names lose any real
 * value; weaker ones (token, key, auth) only a random-looking one.
 */
function isSecretValue(name: string, rawValue: string): boolean {
  if (!isSecretLookingName(name) || rawValue.includes(MARKER_PREFIX) || isPlainSettingOrReference(rawValue)) return false;
  const value = unquote(rawValue.trim());
  if (/^[A-Za-z_][\w.]*\(/.test(value)) return false; // a call: getToken()
  const envStyle = /^[A-Z][A-Z0-9_]*$/.test(name);
  return envStyle || isStrongSecretName(name) ? true : looksRandom(value);
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / text.length) * Math.log2(count / text.length);
  return bits;
}

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const BASE64_40 = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const AWS_PAIR_DISTANCE = 300;

/**
 * An AWS secret access key carries no label of its own when pasted next to
 * its key id (`AKIA… wJalr…`). A 40-character base64 word within a few lines
 * of a key id, with upper and lower case, digits and high entropy, is one.
 * (A git sha is lowercase hex: it never qualifies.)
 */
function redactUnlabelledAwsSecrets(text: string): { text: string; redactions: number } {
  const ids = [...text.matchAll(AWS_KEY_ID)].map((m) => m.index);
  if (ids.length === 0) return { text, redactions: 0 };
  let redactions = 0;
  const next = text.replace(BASE64_40, (word: string, offset: number) => {
    const near = ids.some((at) => Math.abs(at - offset) <= AWS_PAIR_DISTANCE);
    const mixed = /[A-Z]/.test(word) && /[a-z]/.test(word) && /\d/.test(word);
    if (!near || !mixed || entropy(word) < 4) return word;
    redactions += 1;
    return marker('aws-secret-access-key');
  });
  return { text: next, redactions };
}

const RULES: RedactionRule[] = [
  // PEM private keys, including a block cut off before its END line.
  whole(
    'private-key',
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]*-----|[A-Za-z0-9+/=\s:,\-]*)/g,
  ),
  whole('anthropic-api-key', /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g),
  whole('stripe-key', /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g),
  // OpenAI style: sk-, sk-proj-, sk-svcacct-. Must contain a digit so hyphenated words never match.
  whole('openai-api-key', /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, (m) => hasDigit(m) && hasLetter(m.slice(3))),
  whole('github-token', /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})/g),
  whole('aws-access-key-id', /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g),
  valueAfterLabel('aws-secret-access-key', /(aws_secret_access_key["']?\s*[=:]\s*["']?)([A-Za-z0-9/+=]{20,})/gi),
  whole('slack-token', /(?<![A-Za-z0-9_])xox[baprs]-[A-Za-z0-9-]{10,}/g),
  whole('google-api-key', /(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]{35}/g),
  whole('jwt', /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g),
  // An Authorization header: whatever follows is a credential.
  valueAfterLabel(
    'authorization',
    /(\bAuthorization["']?[ \t]*[:=][ \t]*["'`]?(?:(?:Bearer|Basic|Token|Digest)[ \t]+)?)([^\s"'`,;]+)/gi,
    // Skip prose ("Authorization: required") and code references (`Bearer ${token}`).
    (v) => v.length >= 8 && !/^[a-z]+$/.test(v) && !/^[$`{(<]/.test(v),
  ),
  // A bare bearer token: long, token-shaped, so "the bearer of bad news" stays.
  valueAfterLabel('bearer-token', /(\bBearer\s+)([A-Za-z0-9._~+/-]{16,}=*)/gi, (v) => hasDigit(v) || v.length >= 32),
  // Password in a URL: scheme://user:password@host.
  // Bounded repeats: with /i the scheme class matches most text, and unbounded it backtracks quadratically.
  valueAfterLabel('url-password', /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{1,256}:)([^\s@/]{1,256})(?=@)/gi, (v) => !/^[$`{<]/.test(v)),
  // Env-file lines: KEY=value / export KEY=value, optionally quoted with `>`.
  {
    kind: 'env-secret',
    pattern: /^([> \t]*(?:export[ \t]+)?([A-Z][A-Z0-9_]*)[ \t]*=[ \t]*)(.+)$/gm,
    replace: (_match, groups) => {
      const [label = '', name = '', value = ''] = groups;
      if (!isSecretLookingName(name) || value.includes(MARKER_PREFIX) || isPlainSettingOrReference(value)) return null;
      return `${label}${marker('env-secret')}`;
    },
  },
  // NAME=value anywhere in a line (list items, `PGPASSWORD=x psql`, password=…),
  // any case. No spaces around `=`: `token = await getToken()` is code.
  {
    kind: 'assigned-secret',
    pattern: /((?<![\w.$-])([A-Za-z_][A-Za-z0-9_.-]{0,100})=(?!=))("[^"\n]*"|'[^'\n]*'|[^\s"'`;,()&|<>]+)/g,
    replace: (_match, groups) => {
      const [label = '', name = '', value = ''] = groups;
      // connect(password=password): a lowercase name given a bare word is code passing a variable.
      if (!/^[A-Z][A-Z0-9_]*$/.test(name) && /^[A-Za-z_]+$/.test(value)) return null;
      return isSecretValue(name, value) ? `${label}${marker('assigned-secret')}` : null;
    },
  },
  // Command-line flags: --password=…, --token …, --api-key=….
  {
    kind: 'flag-secret',
    pattern: /((?<![\w-])--?([A-Za-z][A-Za-z0-9_-]{1,60})(?:=|[ \t]+))("[^"\n]*"|'[^'\n]*'|[^\s"'`;,()&|<>-][^\s"'`;,()&|<>]*)/g,
    replace: (_match, groups) => {
      const [label = '', name = '', value = ''] = groups;
      if (!isStrongSecretName(name) && !/^((auth|access)[-_]?)?token$/i.test(name)) return null;
      if (value.includes(MARKER_PREFIX) || isPlainSettingOrReference(value)) return null;
      // `--password to set it` is prose: a spaced value must look like a credential.
      if (!label.endsWith('=') && !looksRandom(unquote(value))) return null;
      return `${label}${marker('flag-secret')}`;
    },
  },
  // mysql -pSECRET (the password glued to -p; a lone -p asks for it).
  valueAfterLabel(
    'mysql-password',
    /(\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mariadb|mariadb-dump)\b[^\n]{0,200}?[ \t]-p)([^\s-][^\s]*)/g,
    (v) => !/^[$`{<]/.test(v),
  ),
  // YAML `password: value` (unquoted) as a whole line, in a list or not.
  {
    kind: 'yaml-secret',
    pattern: /^([ \t>]*(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]{0,100})[ \t]*:[ \t]+)([^\s"'#|>&*!{[][^\s]*)[ \t]*$/gm,
    replace: (_match, groups) => {
      const [label = '', name = '', value = ''] = groups;
      return isSecretValue(name, value) ? `${label}${marker('yaml-secret')}` : null;
    },
  },
  // JSON / YAML style "api_key": "value" with a secret-looking key and a string value.
  {
    kind: 'config-secret',
    // The lookbehind anchors the name at a word start: without it long words backtrack quadratically.
    pattern: /((["']?)(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]{0,100})\2[ \t]*:[ \t]*(["']))([^"'\s]{8,})(?=\4)/g,
    replace: (_match, groups) => {
      const [label = '', , name = '', , value = ''] = groups;
      if (!isSecretLookingName(name) || value.includes(MARKER_PREFIX) || isPlainSettingOrReference(value)) return null;
      // Object keys named key/token are common in code; only random-looking values count (any value of a password).
      const random = (hasDigit(value) && hasLetter(value)) || value.length >= 24;
      if (!random && !isStrongSecretName(name)) return null;
      return `${label}${marker('config-secret')}`;
    },
  },
];

export function redactSecrets(text: string): RedactionResult {
  // Before the key id itself is replaced: the id is what marks its neighbour.
  const paired = redactUnlabelledAwsSecrets(text);
  let redactions = paired.redactions;
  let current = paired.text;
  for (const rule of RULES) {
    current = current.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      // replace() passes the groups, then the offset and the whole string (no named groups are used).
      const groups = rest.slice(0, -2).map((group) => (typeof group === 'string' ? group : ''));
      const replacement = rule.replace(match, groups);
      if (replacement === null) return match;
      redactions += 1;
      return replacement;
    });
  }
  return { text: current, redactions };
}
