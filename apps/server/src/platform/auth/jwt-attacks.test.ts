import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as jose from 'jose';
import crypto from 'node:crypto';
import { cookiesOf, createTestContext, TEST_PASSWORD, type TestContext } from '../../../test/helpers.ts';
import { AUDIENCE } from './tokens.ts';

let ctx: TestContext;
let valid: string;
let userId: string;
let sessionId: string;
let refreshCookie: string;

beforeAll(async () => {
  ctx = await createTestContext();
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'doctor@sanita.test', password: TEST_PASSWORD },
  });
  valid = res.json().accessToken;
  userId = res.json().user.id;
  sessionId = jose.decodeJwt(valid).sid as string;
  refreshCookie = cookiesOf(res).sanita_refresh!;
});
afterAll(() => ctx.close());

const me = (token: string) =>
  ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    sid: sessionId,
    typ: 'access',
    iss: ctx.config.publicUrl,
    aud: AUDIENCE,
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

function ourKey() {
  return ctx.app.services.keys.signingKey();
}

async function signWithOurKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const { kid, key } = ourKey();
  return new jose.SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header }).sign(key);
}

describe('access tokens resist forgery', () => {
  it('accepts the genuine token (control)', async () => {
    expect((await me(valid)).statusCode).toBe(200);
    // and a token we sign ourselves with the right claims, proving the helpers build valid tokens
    expect((await me(await signWithOurKey(claims()))).statusCode).toBe(200);
  });

  it('rejects alg "none"', async () => {
    const [, payload] = valid.split('.');
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: ourKey().kid })}.${payload}.`;
    expect((await me(token)).statusCode).toBe(401);
  });

  it('rejects a stripped signature', async () => {
    const [h, p] = valid.split('.');
    expect((await me(`${h}.${p}.`)).statusCode).toBe(401);
    expect((await me(`${h}.${p}`)).statusCode).toBe(401);
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [h, , s] = valid.split('.');
    const other = ctx.ids.users['admin@sanita.test'];
    expect((await me(`${h}.${b64(claims({ sub: other }))}.${s}`)).statusCode).toBe(401);
  });

  it('rejects HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const jwks = (await ctx.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{ keys: jose.JWK[] }>();
    const pub = jwks.keys.find((k) => k.kid === ourKey().kid)!;
    const pem = crypto.createPublicKey({ key: pub as crypto.JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    for (const secret of [Buffer.from(String(pem)), Buffer.from(pub.x!, 'base64url'), Buffer.from(JSON.stringify(pub))]) {
      const token = await new jose.SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: pub.kid, typ: 'at+jwt' })
        .sign(secret);
      expect((await me(token)).statusCode).toBe(401);
    }
  });

  it('rejects an attacker key named by jwk, jku or an unknown kid, and our kid with a foreign signature', async () => {
    const { privateKey, publicKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = await jose.exportJWK(publicKey);
    const forged = (header: Record<string, unknown>) =>
      new jose.SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', ...header }).sign(privateKey);
    expect((await me(await forged({ jwk }))).statusCode).toBe(401);
    expect((await me(await forged({ kid: ourKey().kid, jwk }))).statusCode).toBe(401);
    expect((await me(await forged({ jku: 'http://127.0.0.1:1/jwks.json', kid: 'attacker' }))).statusCode).toBe(401);
    expect((await me(await forged({ kid: 'attacker-key' }))).statusCode).toBe(401);
    expect((await me(await forged({ kid: ourKey().kid }))).statusCode).toBe(401);
    expect((await me(await forged({}))).statusCode).toBe(401);
  });

  it('rejects expired tokens, and wrong audience, issuer or type', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect((await me(await signWithOurKey(claims({ iat: past - 900, exp: past })))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims({ aud: 'another-api' })))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims({ iss: 'https://evil.example' })))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims({ typ: 'refresh' })))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims(), { typ: 'JWT' }))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims({ sid: undefined })))).statusCode).toBe(401);
    expect((await me(await signWithOurKey(claims({ sid: crypto.randomUUID() })))).statusCode).toBe(401);
  });

  it('rejects the refresh token used as an access token', async () => {
    expect((await me(refreshCookie)).statusCode).toBe(401);
  });

  it('rejects a token after logout, and revokes the family when a spent refresh token is reused', async () => {
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nurse@sanita.test', password: TEST_PASSWORD },
    });
    const token = login.json().accessToken as string;
    const c = cookiesOf(login);
    const refresh = (cookie: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        cookies: { sanita_refresh: cookie, sanita_csrf: c.sanita_csrf! },
        headers: { 'x-csrf-token': c.sanita_csrf! },
      });
    const rotated = await refresh(c.sanita_refresh!);
    expect(rotated.statusCode).toBe(200);
    expect((await refresh(c.sanita_refresh!)).statusCode).toBe(401);
    expect((await me(token)).statusCode).toBe(401);
    expect((await me(rotated.json().accessToken)).statusCode).toBe(401);

    const again = await ctx.login('nurse@sanita.test');
    await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${again.token}`, 'x-csrf-token': again.cookies.sanita_csrf! },
      cookies: { sanita_csrf: again.cookies.sanita_csrf! },
    });
    expect((await me(again.token)).statusCode).toBe(401);
  });

  it('publishes only public keys at /.well-known/jwks.json', async () => {
    const jwks = (await ctx.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{ keys: jose.JWK[] }>();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(k.d).toBeUndefined();
    }
  });
});
