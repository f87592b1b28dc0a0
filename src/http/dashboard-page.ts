import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { pageCsp, webDirectory } from './web-pages.js';

const dashboardCsp = pageCsp();

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
