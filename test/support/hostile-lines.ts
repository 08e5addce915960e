// Lines for the parsers' property tests: every line of a generated corpus, and
// hostile variants of a good assistant line, each changing one thing a fast
// path must notice.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Prng } from './corpus-generator.js';

/** Every line of every transcript under `dir`, without its newline. */
export function* transcriptLines(dir: string): Generator<Buffer> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* transcriptLines(path);
    else if (entry.endsWith('.jsonl')) {
      const buffer = readFileSync(path);
      let start = 0;
      for (let nl = buffer.indexOf(10); nl !== -1; start = nl + 1, nl = buffer.indexOf(10, start)) yield buffer.subarray(start, nl);
    }
  }
}

/** Hostile variants of a good assistant line: each changes one thing the fast path must notice. */
export function mutate(rng: Prng, good: string): string {
  const replaceOnce = (from: string | RegExp, to: string) => good.replace(from, to);
  const options: (() => string)[] = [
    () => replaceOnce('"cwd":"', '"cwd":"C:\\\\Users\\\\'),
    // Escapes in kept values: decoded as JSON.parse decodes them; invalid ones declined.
    () => good.replace('"sessionId":"session-1"', '"sessionId":"s\\u00e9\\"q\\\\"'),
    () => good.replace('"model":"', '"model":"\\u003csynthetic>'),
    () => good.replace(/"model":"[^"]*"/, '"model":"\\u003csynthetic\\u003e"'),
    () => good.replace(/"timestamp":"([^"]*)Z"/, '"timestamp":"$1\\u005a"'),
    () => good.replace(/"requestId":"/, '"requestId":"r\\/\\b\\f\\n\\r\\t'),
    () => good.replace('"cwd":"', '"cwd":"bad\\x'),
    () => good.replace('"cwd":"', '"cwd":"short\\u12'),
    () => good.replace('"cwd":"', '"c\\u0077d":"'),
    () => replaceOnce('"cwd":"', '"cwd": "'),
    () => replaceOnce('"sessionId":"', '"cwd":"/other","sessionId":"'),
    () => good.replace(/"timestamp":"[^"]*"/, '$&,"timestamp":"2026-11-02T00:00:00.000Z"'),
    () => good.replace(/"requestId":"[^"]*"/, '$&,"message":null'),
    () => good.replace('"usage":{', '"usage":{"input_tokens":777,'),
    () => good.replace(/"output_tokens":\d+/, `"output_tokens":${rng.pick(['1e308', '-0', '1.0', '01', '"12"', 'null', '{}', '[]', 'true', '-5', '2e3', '9007199254740993', 'NaN', '1.5E+2', '1000000000', '1000000001', '999999999999999', '-0.0'])}`),
    () => good.replace(/"input_tokens":\d+,/, ''),
    () => good.replace(/,"requestId":"[^"]*"/, ''),
    () => good.replace('"text":"', '"text":"],\\"stop_reason\\":null,\\"usage\\":{\\"input_tokens\\":99999}}'),
    () => good.replace('"text":"', `"text":"${String.fromCharCode(rng.int(0, 31))}`),
    () => good.replace('"gitBranch":"main"', `"gitBranch":"ma${String.fromCharCode(rng.int(0, 31))}in"`),
    () => good.replace('"usage":{', '"usage":{"server_tool_use":{"web_search_requests":1},"iterations":[1],'),
    () => good.replace('"usage":{', '"usage":{"cache_creation":{"ephemeral_1h_input_tokens":5,"deep":{"x":1}},'),
    () => good.replace('"cwd":"/work/project-a"', '"cwd":"/wörk/プロジェクト"'),
    () => good.replace('"sessionId":"session-1"', '"sessionId":"sé"'),
    () => good.slice(0, rng.int(1, good.length - 1)),
    () => good.replace('"type":"assistant"', '"type":"user"'),
    () => good.replace('"model":"', '"model":"<synthetic>'),
    () => good.replace('}', ' }'),
    () => good.replace(/\}$/, ',"isApiErrorMessage":true}'),
    () => good.replace('"content":[', '"content":"just text","x":['),
  ];
  return rng.pick(options)();
}

