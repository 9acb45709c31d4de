import { afterEach, describe, expect, it, vi } from 'vitest';
import { Type } from '@sinclair/typebox';
import { ApiClient } from './client.ts';
import { endpoint } from './endpoint.ts';

const pay = endpoint('POST', '/api/payments', { body: Type.Object({ amount: Type.String() }), response: Type.Object({}) });

function sent(): Headers {
  const init = vi.mocked(fetch).mock.calls[0]?.[1];
  return new Headers(init?.headers);
}

describe('extra request headers', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends a caller's header (an Idempotency-Key) along with the session's own, which it cannot replace", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 201, headers: { 'content-type': 'application/json' } })),
    );
    const api = new ApiClient({ get: () => 'clinic-1', clear: () => undefined });
    await api.call(pay, {
      body: { amount: '10' },
      headers: { 'Idempotency-Key': 'pay-1', 'x-clinic-id': 'other', 'content-type': 'text/plain' },
    });
    const headers = sent();
    expect(headers.get('Idempotency-Key')).toBe('pay-1');
    expect(headers.get('X-Clinic-Id')).toBe('clinic-1');
    expect(headers.get('Content-Type')).toBe('application/json');
  });
});
