import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface SmsMessage {
  /** E.164 phone number */
  to: string;
  text: string;
}

export interface SmsProvider {
  send(msg: SmsMessage): Promise<void>;
}

/** A failed delivery. The message names the status only: never the number or the text. */
export class SmsDeliveryError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}

/**
 * The log adapter: one file per message in `<dataDir>/outbox/sms/`, for installations without an
 * SMS gateway and for tests. Files only: the application log never sees numbers or texts.
 */
export class LogSmsProvider implements SmsProvider {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'outbox', 'sms');
  }

  async send(msg: SmsMessage): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const name = `${stamp}-${crypto.randomBytes(6).toString('hex')}.txt`;
    await fs.writeFile(path.join(this.dir, name), `To: ${msg.to}\n\n${msg.text}`, { mode: 0o600, flag: 'wx' });
  }
}

/**
 * Delivery through an HTTP gateway: `POST <url>` with JSON `{ to, text }` and, when a token is
 * configured, `Authorization: Bearer <token>`. Any non-2xx answer or a timeout is a failure, so
 * that the job that sent it is retried.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(msg: SmsMessage): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ to: msg.to, text: msg.text }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new SmsDeliveryError(timedOut ? 'SMS gateway timed out' : 'SMS gateway unreachable');
    }
    // drain the body so that the connection is reused; its content may echo the message: ignore it
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new SmsDeliveryError(`SMS gateway answered ${res.status}`, res.status);
  }
}

export function createSmsProvider(opts: {
  provider: 'log' | 'http';
  dataDir: string;
  httpUrl?: string | undefined;
  httpToken?: string | undefined;
  httpTimeoutMs?: number;
}): SmsProvider {
  if (opts.provider === 'http') {
    if (!opts.httpUrl) throw new Error('SMS_HTTP_URL is required when SMS_PROVIDER=http');
    return new HttpSmsProvider(opts.httpUrl, opts.httpToken, opts.httpTimeoutMs);
  }
  return new LogSmsProvider(opts.dataDir);
}
