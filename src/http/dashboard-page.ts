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

/**
 * The app's icon, in the source rather than in dist/ so every page (the dashboard, /graphiql, the
 * Sandbox) gets it even before a build. A ledger's two columns under a rising line.
 */
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1d2430"/>
<path d="M7 23h18M7 18h18" stroke="#6b7482" stroke-width="2"/>
<path d="M7 14l6-5 5 3 7-6" fill="none" stroke="#1f9d55" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

/** dist/web, built by `npm run build` (scripts/build-web.mjs), found from this file's location. */
function webDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

/**
 * GET / and /assets/*: the dashboard page, which reads only the public GraphQL API; and the icon
 * at /favicon.svg, also at /favicon.ico for the browsers and tools that ask for that path
 * whatever the page says (SVG content under an .ico name: browsers go by the content type).
 */
export function dashboardPage(): Router {
  const dir = webDirectory();
  const router = express.Router();
  // Per route: router.use('/') would match every path, /graphql's Sandbox page included.
  router.get('/', dashboardCsp, (_req, res) => {
    if (!existsSync(join(dir, 'index.html'))) {
      res.status(503).type('text/plain').send('The dashboard is not built yet: run npm run build.');
      return;
    }
    res.sendFile(join(dir, 'index.html'));
  });
  router.get(['/favicon.svg', '/favicon.ico'], dashboardCsp, (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(FAVICON_SVG);
  });
  router.use('/assets', dashboardCsp, express.static(dir, { index: false, fallthrough: false }));
  return router;
}
