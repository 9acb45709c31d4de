import type { Static } from '@sinclair/typebox';
import type { LoginBody, TokenResponse as TokenResponseSchema } from '@sanita/contracts/auth';
import { pathOf, type CallArgsTuple, type Endpoint, type ResponseOf } from './endpoint.ts';
import { ApiError } from './errors.ts';

export type TokenResponse = Static<typeof TokenResponseSchema>;

export type SessionEvent =
  | { type: 'signed-in'; response: TokenResponse }
  | { type: 'signed-out'; reason: 'logout' | 'expired' }
  | { type: 'mfa-enrollment-required' };

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** extra request headers (e.g. `Idempotency-Key`); they cannot replace the ones the client sets itself */
  headers?: Record<string, string>;
}

export interface ClinicPreference {
  get(): string | null;
  clear(): void;
}

const CSRF_COOKIE = 'sanita_csrf';
const REFRESH_LOCK = 'sanita-refresh';
const CHANNEL = 'sanita-auth';
// Refresh a minute early so that a request never leaves with a token about to expire.
const REFRESH_MARGIN_SECONDS = 60;

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

// The headers the client sets from the session and the body: a caller's extra headers never replace them.
const OWN_HEADERS = new Set(['accept', 'authorization', 'content-type', 'x-clinic-id', 'x-csrf-token', 'cookie']);

function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (!OWN_HEADERS.has(name.toLowerCase())) out[name] = value;
  return out;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies and crashed servers answer with HTML or nothing; the status alone must do.
  }
  return ApiError.fromBody(res.status, res.statusText, body);
}

/**
 * Talks to the Sanita API. The access token lives only in this object's memory; the refresh token is
 * an HttpOnly cookie the browser sends to /api/auth. Refreshes are serialised within the tab (one
 * promise) and across tabs (a Web Lock) because presenting a spent refresh token revokes the whole
 * session family.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlightRefresh: Promise<TokenResponse> | null = null;
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private readonly channel: BroadcastChannel | null;
  private readonly clinic: ClinicPreference;

  constructor(clinic: ClinicPreference) {
    this.clinic = clinic;
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (event.data === 'logout' && this.accessToken) {
        this.dropSession();
        this.emit({ type: 'signed-out', reason: 'logout' });
      } else if (event.data === 'login' && !this.accessToken) {
        this.refresh().catch(() => undefined);
      }
    });
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  /** The current access token, for transports that authenticate themselves (the live-updates socket). */
  get currentAccessToken(): string | null {
    return this.accessToken;
  }

  /**
   * Calls a route declared with `endpoint()`: its params, body and query are typed by the contract
   * schemas, and so is the answer. An endpoint with a body schema sends `{}` when no body is given.
   */
  call<E extends Endpoint>(endpoint: E, ...[args]: CallArgsTuple<E>): Promise<ResponseOf<E>> {
    const a = (args ?? {}) as {
      params?: Record<string, string>;
      body?: unknown;
      query?: Record<string, QueryValue>;
      signal?: AbortSignal;
      headers?: Record<string, string>;
    };
    const body = a.body ?? (endpoint.schemas.body ? {} : undefined);
    return this.request<ResponseOf<E>>(endpoint.method, pathOf(endpoint.path, a.params), {
      body,
      query: a.query,
      signal: a.signal,
      headers: a.headers,
    });
  }

  private async request<T>(method: string, path: string, options: RequestOptions, retried = false): Promise<T> {
    const headers: Record<string, string> = { ...extraHeaders(options.headers), Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    const clinicId = this.clinic.get();
    if (clinicId) headers['X-Clinic-Id'] = clinicId;

    let res: Response;
    try {
      res = await fetch(path + buildQuery(options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'NETWORK', 'The server could not be reached');
    }

    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const type = res.headers.get('content-type') ?? '';
      return (type.includes('json') ? await res.json() : await res.text()) as T;
    }

    const error = await toApiError(res);
    if (!retried && error.status === 401 && error.code === 'INVALID_TOKEN') {
      await this.refresh();
      return this.request<T>(method, path, options, true);
    }
    if (!retried && error.status === 403 && error.code === 'CLINIC_FORBIDDEN' && clinicId) {
      // The remembered clinic is no longer one of ours (membership removed): fall back to the default.
      this.clinic.clear();
      return this.request<T>(method, path, options, true);
    }
    if (error.status === 403 && error.code === 'MFA_ENROLLMENT_REQUIRED') this.emit({ type: 'mfa-enrollment-required' });
    throw error;
  }

  async login(body: Static<typeof LoginBody>): Promise<TokenResponse> {
    const response = await this.request<TokenResponse>('POST', '/api/auth/login', { body });
    this.accept(response);
    this.channel?.postMessage('login');
    return response;
  }

  /** Exchanges the refresh cookie for a new access token; concurrent callers share one exchange. */
  refresh(): Promise<TokenResponse> {
    this.inFlightRefresh ??= this.exchangeRefreshToken().finally(() => {
      this.inFlightRefresh = null;
    });
    return this.inFlightRefresh;
  }

  async logout(): Promise<void> {
    try {
      await fetch('/api/auth/logout', {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'X-CSRF-Token': readCookie(CSRF_COOKIE) ?? '',
          ...(this.accessToken ? { Authorization: `Bearer ${this.accessToken}` } : {}),
        },
        credentials: 'include',
      });
    } catch {
      // Signing out locally matters more than telling a server we cannot reach.
    }
    this.dropSession();
    this.channel?.postMessage('logout');
    this.emit({ type: 'signed-out', reason: 'logout' });
  }

  private async exchangeRefreshToken(): Promise<TokenResponse> {
    const run = async (): Promise<TokenResponse> => {
      // Read inside the lock: another tab may have rotated the cookies while we waited.
      const csrf = readCookie(CSRF_COOKIE);
      if (!csrf) throw new ApiError(401, 'SESSION_ENDED', 'No session');
      const headers: Record<string, string> = { Accept: 'application/json', 'X-CSRF-Token': csrf };
      const clinicId = this.clinic.get();
      if (clinicId) headers['X-Clinic-Id'] = clinicId;
      let res: Response;
      try {
        res = await fetch('/api/auth/refresh', { method: 'POST', headers, credentials: 'include' });
      } catch {
        throw new ApiError(0, 'NETWORK', 'The server could not be reached');
      }
      if (!res.ok) throw await toApiError(res);
      return (await res.json()) as TokenResponse;
    };
    try {
      const response =
        typeof navigator !== 'undefined' && navigator.locks ? await navigator.locks.request(REFRESH_LOCK, run) : await run();
      this.accept(response);
      return response;
    } catch (err) {
      const wasSignedIn = this.accessToken !== null;
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        this.dropSession();
        if (wasSignedIn) this.emit({ type: 'signed-out', reason: 'expired' });
      }
      throw err;
    }
  }

  private accept(response: TokenResponse): void {
    this.accessToken = response.accessToken;
    clearTimeout(this.refreshTimer);
    const delay = Math.max(5, response.expiresIn - REFRESH_MARGIN_SECONDS) * 1000;
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, delay);
    this.emit({ type: 'signed-in', response });
  }

  private dropSession(): void {
    this.accessToken = null;
    clearTimeout(this.refreshTimer);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
