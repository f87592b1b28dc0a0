import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import helmet from 'helmet';

/**
 * Only the app's own files: no inline script or style, no third-party origin. connect-src 'self'
 * covers the same-origin GraphQL endpoint and its WebSocket. The other security headers come
 * from helmet for every route (express-app.ts).
 */
const dashboardCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
});

/** dist/web, built by `npm run build` (scripts/build-web.mjs), found from this file's location. */
function webDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

/** GET / and /assets/*: the dashboard page, which reads only the public GraphQL API. */
export function dashboardPage(): Router {
  const dir = webDirectory();
  const router = express.Router();
  router.use(['/', '/assets'], dashboardCsp);
  router.get('/', (_req, res) => {
    if (!existsSync(join(dir, 'index.html'))) {
      res.status(503).type('text/plain').send('The dashboard is not built yet: run npm run build.');
      return;
    }
    res.sendFile(join(dir, 'index.html'));
  });
  router.use('/assets', express.static(dir, { index: false, fallthrough: false }));
  return router;
}
