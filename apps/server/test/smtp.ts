import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** the body with quoted-printable soft breaks and escapes undone */
  text: string;
}

/** A real SMTP server on a free port that keeps what it receives (and writes it to `saveDir` when given). */
export async function startSmtp(saveDir?: string): Promise<{
  url: string;
  mails: ReceivedMail[];
  waitFor(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('latin1')));
      stream.on('end', () => {
        const bytes = raw
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
        const text = Buffer.from(bytes, 'latin1').toString('utf8');
        const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw, text };
        mails.push(mail);
        if (saveDir) {
          fs.mkdirSync(saveDir, { recursive: true });
          fs.writeFileSync(path.join(saveDir, `${Date.now()}-${mails.length}.json`), JSON.stringify(mail));
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, timeoutMs = 5000) {
      const start = Date.now();
      for (;;) {
        const m = mails.find((x) => x.to.includes(to));
        if (m) {
          mails.splice(mails.indexOf(m), 1);
          return m;
        }
        if (Date.now() - start > timeoutMs) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function tokenFrom(mail: ReceivedMail, pathName: string): string {
  const m = new RegExp(`${pathName}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${pathName} link in mail`);
  return m[1]!;
}
