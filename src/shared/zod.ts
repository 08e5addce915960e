// zod/mini, with zod's English messages: the schemas in src/ import zod
// through here. zod/mini is a tenth of classic zod's size in the CLI bundle
// (every command parses it at start), but sets no message locale by itself,
// so without this every issue would read "Invalid input".
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
