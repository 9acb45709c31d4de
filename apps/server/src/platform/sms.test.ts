import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createSmsProvider, HttpSmsProvider, LogSmsProvider } from './sms.ts';

describe('log SMS adapter', () => {
  it('writes one file per message into <dataDir>/outbox/sms', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanita-sms-'));
    try {
      const sms = new LogSmsProvider(dir);
      await sms.send({ to: '+243810000001', text: 'Rappel : rendez-vous demain à 09:30' });
      await sms.send({ to: '+243810000002', text: 'Second' });
      const outbox = path.join(dir, 'outbox', 'sms');
      const files = fs.readdirSync(outbox).sort();
      expect(files).toHaveLength(2);
      const contents = files.map((f) => fs.readFileSync(path.join(outbox, f), 'utf8')).sort();
      expect(contents).toEqual(['To: +243810000001\n\nRappel : rendez-vous demain à 09:30', 'To: +243810000002\n\nSecond']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTP SMS adapter', () => {
  let server: http.Server;
  let url: string;
  const received: { auth: string | undefined; type: string | undefined; body: unknown }[] = [];
  let answer = 202;
  let delayMs = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(raw) });
        setTimeout(() => {
          res.statusCode = answer;
          // a gateway that echoes the message back: the error must still not carry it
          res.end(raw);
        }, delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts {to, text} as JSON with the bearer token', async () => {
    received.length = 0;
    answer = 202;
    await new HttpSmsProvider(url, 'secret-token').send({ to: '+243810000001', text: 'Hello' });
    expect(received).toEqual([
      { auth: 'Bearer secret-token', type: 'application/json', body: { to: '+243810000001', text: 'Hello' } },
    ]);
  });

  it('sends no Authorization header without a token', async () => {
    received.length = 0;
    answer = 200;
    await new HttpSmsProvider(url, undefined).send({ to: '+1', text: 'x' });
    expect(received[0]!.auth).toBeUndefined();
  });

  it('throws on a non-2xx answer, naming the status and neither the number nor the text', async () => {
    answer = 503;
    const err = await new HttpSmsProvider(url, 't')
      .send({ to: '+243810000099', text: 'confidential text' })
      .then(() => null)
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('503');
    expect(err!.message).not.toContain('+243810000099');
    expect(err!.message).not.toContain('confidential');
  });

  it('gives up after its timeout', async () => {
    answer = 200;
    delayMs = 1_000;
    try {
      await expect(new HttpSmsProvider(url, undefined, 200).send({ to: '+1', text: 'slow' })).rejects.toThrow(/timed out/);
    } finally {
      delayMs = 0;
    }
  });

  it('an unreachable gateway is an error', async () => {
    await expect(new HttpSmsProvider('http://127.0.0.1:1/send', undefined, 2_000).send({ to: '+1', text: 'x' })).rejects.toThrow(
      /unreachable/,
    );
  });
});

describe('SMS configuration', () => {
  it('defaults to the log adapter', () => {
    const config = loadConfig({});
    expect(config.smsProvider).toBe('log');
    expect(createSmsProvider({ provider: config.smsProvider, dataDir: os.tmpdir() })).toBeInstanceOf(LogSmsProvider);
  });

  it('refuses to start with SMS_PROVIDER=http and no SMS_HTTP_URL', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMS_PROVIDER: 'http' })).toThrow(/SMS_HTTP_URL/);
    expect(() => loadConfig({ SMS_PROVIDER: 'carrier-pigeon' })).toThrow(/SMS_PROVIDER/);
  });

  it('builds the HTTP adapter from SMS_HTTP_URL', () => {
    const config = loadConfig({ SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example.org/send', SMS_HTTP_TOKEN: 'x' });
    expect(
      createSmsProvider({
        provider: config.smsProvider,
        dataDir: os.tmpdir(),
        httpUrl: config.smsHttpUrl,
        httpToken: config.smsHttpToken,
      }),
    ).toBeInstanceOf(HttpSmsProvider);
  });
});
