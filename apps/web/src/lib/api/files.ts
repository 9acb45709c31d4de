import type { ApiClient } from './client.ts';
import { ApiError } from './errors.ts';
import { clinicPreference } from '../clinicPreference.ts';

/**
 * A request the JSON client does not make: a form with a file up, or content (a PDF, an image) down
 * as a Blob. Same credentials (the access token, the active clinic), refreshed once on an expired token.
 */
export async function rawRequest(
  api: ApiClient,
  method: string,
  url: string,
  body?: FormData,
  retried = false,
): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = api.currentAccessToken;
  if (token) headers.Authorization = `Bearer ${token}`;
  const clinicId = clinicPreference.get();
  if (clinicId) headers['X-Clinic-Id'] = clinicId;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  if (res.ok) return res;
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  const error = ApiError.fromBody(res.status, res.statusText, parsed);
  if (!retried && res.status === 401 && error.code === 'INVALID_TOKEN') {
    await api.refresh();
    return rawRequest(api, method, url, body, true);
  }
  throw error;
}

/** Content as a Blob of the given type (the API authenticates with a header an <iframe> or <img> cannot send). */
export async function fetchBlob(api: ApiClient, url: string, type: string): Promise<Blob> {
  const res = await rawRequest(api, 'GET', url);
  return new Blob([await res.arrayBuffer()], { type });
}

/** Saves a Blob under a file name, as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
