/**
 * The one HTTP app: the request form (`/`), the requesters' status pages (`/s/{token}`), the
 * REST API (`/api/v1`, described at `/api/openapi.json`), the staff console and Slack's buttons
 * and /ticket (`/slack/…`). The same app runs on Lambda behind an API Gateway HTTP API
 * (src/aws/lambda/http.ts) and under `ticketing serve` (src/local/http-server.ts).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { apiRoutes } from './api.js';
import { consoleRoutes } from './console/routes.js';
import { checkWebConfig, type WebDeps } from './deps.js';
import { formRoutes } from './form.js';
import { notice } from './pages/layout.js';
import { SITE_CSS } from './pages/site-css.js';
import { problem } from './problem.js';
import { slackRoutes, slackRoutesWanted } from './slack/routes.js';
import { statusRoutes } from './status-routes.js';
import { WebDeliveryError } from './web-mail.js';

const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';

export function createHttpApp(deps: WebDeps): OpenAPIHono {
  checkWebConfig(deps.config);
  const { config } = deps;
  const turnstile = config.web.form.turnstile ? [TURNSTILE_ORIGIN] : [];
  const app = new OpenAPIHono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(turnstile.length ? { scriptSrc: turnstile, frameSrc: turnstile, connectSrc: turnstile } : {}),
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
      strictTransportSecurity: deps.plainHttp ? false : 'max-age=31536000; includeSubDomains',
    }),
  );

  app.get('/assets/site.css', (c) => c.body(SITE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  app.get('/healthz', (c) => c.json({ ok: true }));

  if (config.web.form.enabled) app.route('/', formRoutes(deps));
  else app.get('/', (c) => c.html(notice(config.teamName, 'Ask for help', [`Please email ${config.supportAddresses[0]}: we'll answer there.`])));
  app.route('/', statusRoutes(deps));
  if (config.web.console.enabled) app.route('/', consoleRoutes(deps));
  // Slack's buttons and /ticket, once Slack can sign its requests to us.
  if (slackRoutesWanted(deps)) app.route('/', slackRoutes(deps));
  app.route('/', apiRoutes(deps));

  app.notFound((c) => (isApi(c) ? problem(c, 404, `Nothing here: ${c.req.method} ${c.req.path}. The API is described at /api/openapi.json.`) : c.html(notice(config.teamName, 'Page not found', ['There is nothing at this address. To ask for help, use the form on the front page.']), 404)));

  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own refusals (malformed JSON, a bad form body): the caller's mistake, said plainly.
      return isApi(c) ? problem(c, err.status as 400, err.message || 'The request could not be read.') : c.html(notice(config.teamName, 'That did not work', [err.message || 'The request could not be read.']), err.status);
    }
    deps.log(`HTTP ${c.req.method} ${c.req.path} failed: ${err.name}: ${err.message}`);
    // The log has the failure, the caller only that it happened; a request that got as far as the
    // pipeline is kept in the quarantine for an operator to replay (web-mail.ts).
    const kept = err instanceof WebDeliveryError;
    return isApi(c)
      ? problem(c, 503, kept ? 'Something went wrong on our side. Your request is kept and IT will process it; do not send it again.' : 'Something went wrong on our side, and the request was not taken. Please try again in a minute.', {}, { 'Retry-After': '60' })
      : c.html(
          notice(config.teamName, 'Something went wrong on our side', [
            kept ? 'We have kept what you sent, and IT will pick it up; please do not send it again.' : `Nothing was sent. Please try again in a minute, or email ${config.supportAddresses[0]}.`,
          ]),
          503,
        );
  });
  return app;
}

function isApi(c: Context): boolean {
  return c.req.path.startsWith('/api/');
}
