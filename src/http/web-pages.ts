import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from 'helmet';

type SourceValue = string | ((req: IncomingMessage, res: ServerResponse) => string);

/**
 * The Content-Security-Policy of the server's own pages (the dashboard, GraphiQL): only this
 * origin's files, no inline script, no third-party origin; connect-src 'self' covers the
 * same-origin GraphQL endpoint and its WebSocket. A page adds to style-src or font-src only what
 * it needs. The other security headers come from helmet for every route (express-app.ts).
 */
export function pageCsp(extra: { styleSrc?: SourceValue[]; fontSrc?: SourceValue[] } = {}) {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", ...(extra.styleSrc ?? [])],
      ...(extra.fontSrc ? { fontSrc: ["'self'", ...extra.fontSrc] } : {}),
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  });
}

/** dist/web (or a folder of it), built by `npm run build` (scripts/build-web.mjs), found from this file's location. */
export function webDirectory(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web', ...parts);
}
