// zod probes eval() (new Function) when a schema is built, for a faster
// parser; the pages' CSP forbids eval. Imported before any schema exists.
import { config } from 'zod/mini';

config({ jitless: true });
