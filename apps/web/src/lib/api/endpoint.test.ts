import { describe, expect, it } from 'vitest';
import { Patient, UpdatePatientBody } from '@sanita/contracts/patients';
import { endpoint, pathOf } from './endpoint.ts';
import { ApiError } from './errors.ts';

describe('routes declared from the contracts', () => {
  it('fills each path parameter, encoded', () => {
    const update = endpoint('PATCH', '/api/patients/:id', { body: UpdatePatientBody, response: Patient });
    expect(pathOf(update.path, { id: 'a/b c' })).toBe('/api/patients/a%2Fb%20c');
    expect(pathOf('/api/queue/tickets/:id/:action', { id: '42', action: 'skip' })).toBe('/api/queue/tickets/42/skip');
    expect(update.schemas.body).toBe(UpdatePatientBody);
  });

  it('refuses to call a path with a parameter left out rather than call the wrong URL', () => {
    expect(() => pathOf('/api/patients/:id', {})).toThrow(':id');
  });
});

describe('errors the API answers with', () => {
  it('keeps a code of the catalogue, its message and its field issues', () => {
    const err = ApiError.fromBody(400, 'Bad Request', {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'email: must match format "email"',
        details: [{ field: 'email', code: 'format', params: { format: 'email' }, message: 'must match format "email"' }, 'junk'],
      },
    });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.fieldIssues).toEqual([
      { field: 'email', code: 'format', params: { format: 'email' }, message: 'must match format "email"' },
    ]);
  });

  it('stands an unknown code or a body that is not ours for the code of its status', () => {
    expect(ApiError.fromBody(409, 'Conflict', { error: { code: 'SOMETHING_NEW', message: 'x' } }).code).toBe('CONFLICT');
    expect(ApiError.fromBody(503, 'Service Unavailable', null).code).toBe('UNAVAILABLE');
    expect(ApiError.fromBody(502, 'Bad Gateway', null).message).toBe('Bad Gateway');
    expect(ApiError.fromBody(500, '', null).code).toBe('INTERNAL');
    expect(ApiError.fromBody(418, '', null).code).toBe('BAD_REQUEST');
  });
});
