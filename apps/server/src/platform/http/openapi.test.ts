import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestContext, type TestContext } from '../../../test/helpers.ts';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/openapi.json');
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('OpenAPI document', () => {
  it('is served at /api/docs and the committed docs/openapi.json matches the routes (npm run openapi rewrites it)', async () => {
    const live = ctx.app.swagger() as { paths: Record<string, unknown> };
    expect(Object.keys(live.paths)).toEqual(
      expect.arrayContaining(['/api/patients', '/api/auth/login', '/api/admin/audit/verify']),
    );
    const ui = await ctx.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(ui.statusCode).toBe(200);
    const text = `${JSON.stringify(live, null, 2)}\n`;
    if (process.env.OPENAPI_WRITE === '1') fs.writeFileSync(file, text);
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').toBe(text);
  });
});

describe('security headers', () => {
  it('go on every response: API, errors and pages, with a CSP that allows only our own origin and its websocket', async () => {
    for (const url of ['/health', '/api/patients', '/api/no-such-route']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/connect-src 'self' wss?:\/\//);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});
