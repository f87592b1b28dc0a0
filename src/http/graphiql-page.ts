import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { pageCsp, webDirectory } from './web-pages.js';

/**
 * As strict as the dashboard's (dashboard-page.ts): scripts and stylesheets from this origin only,
 * GraphQL and its WebSocket to this origin only. One difference: GraphiQL's dialogs and menus
 * (Radix, through react-remove-scroll) add a <style> element while they are open. Rather than
 * 'unsafe-inline', style-src admits a <style> element carrying this response's nonce, which the
 * page hands to that code (src/web/graphiql/main.ts); the nonce is new on every response, so
 * markup injected into the page could not know it. Fonts are data: URLs in GraphiQL's stylesheet.
 */
const graphiqlCsp = pageCsp({
  styleSrc: [(_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
  fontSrc: ['data:'],
});

/**
 * GET /graphiql and /graphiql/assets/*: GraphiQL bundled from npm, for when Apollo Sandbox (from a
 * CDN) cannot load: offline, or behind a network that blocks it. It is a static page: whoever uses
 * it still signs in through the API and sends the Authorization header like any client.
 */
export function graphiqlPage(dir = webDirectory('graphiql')): Router {
  const router = express.Router();
  router.get('/graphiql', withNonce, graphiqlCsp, async (_req, res, next) => {
    let html: string;
    try {
      html = await readFile(join(dir, 'index.html'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return next(error);
      res.status(503).type('text/plain').send('GraphiQL is not built yet: run npm run build.');
      return;
    }
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(html.replace('CSP_NONCE', res.locals.cspNonce as string));
  });
  router.use(
    '/graphiql/assets',
    withNonce,
    graphiqlCsp,
    express.static(dir, { index: false, fallthrough: false }),
  );
  return router;
}

/** A fresh nonce for this response's Content-Security-Policy and page. */
const withNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
};
