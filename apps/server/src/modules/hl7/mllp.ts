import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';

/** MLLP framing: <VT> message <FS><CR>. */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const END = Buffer.from([FS, CR]);

export interface MllpOptions {
  port: number;
  host: string;
  /** the largest message accepted, bytes: a longer frame is answered with `tooLarge` and the connection closed */
  maxBytes: number;
  tls?: { cert: string; key: string };
  /** a connection idle this long (e.g. a truncated frame that never ends) is closed */
  idleMs?: number;
  log: FastifyBaseLogger;
  /** answers one message (the ACK text); never throws (a failure is an ACK too) */
  handle(message: string): Promise<string>;
  /** the answer to a frame over the limit (an AR naming the size), from the frame's beginning */
  tooLarge(head: string): string;
}

/**
 * An MLLP listener (plain TCP or TLS) written for the interface's needs rather than taken from
 * @medplum/hl7's Hl7Server, which buffers frames without a size limit: messages of one connection
 * are answered in order, one at a time; bytes outside a frame (wrong framing) close the connection;
 * a frame over `maxBytes` is answered AR and the connection closed without buffering the rest. A
 * connection's failure never reaches the others or the listener.
 */
export class MllpServer {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: MllpOptions) {}

  async listen(): Promise<{ port: number; host: string; tls: boolean }> {
    const o = this.options;
    const onConnection = (socket: net.Socket) => this.accept(socket);
    const server = o.tls
      ? tls.createServer({ cert: fs.readFileSync(o.tls.cert), key: fs.readFileSync(o.tls.key) }, onConnection)
      : net.createServer(onConnection);
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => o.log.error({ err }, 'hl7 mllp listener error'));
    this.server = server;
    const address = server.address() as net.AddressInfo;
    return { port: address.port, host: o.host, tls: !!o.tls };
  }

  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : null;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const o = this.options;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(o.idleMs ?? 60_000, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));

    /** unread bytes: inside a frame, its content so far (after VT) */
    let buf: Buffer = Buffer.alloc(0);
    let inFrame = false;
    /** where to look for FS CR next (what was searched holds none) */
    let scanFrom = 0;
    let queue: Promise<void> = Promise.resolve();
    let closing = false;

    const answer = (text: string) => {
      if (socket.destroyed) return;
      socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'utf8'), Buffer.from([FS, CR])]));
    };
    const dispatch = (frame: Buffer) => {
      const text = frame.toString('utf8');
      queue = queue.then(async () => {
        try {
          answer(await o.handle(text));
        } catch (err) {
          o.log.error({ err }, 'hl7 message handling failed');
        }
      });
    };
    const close = (last?: () => void) => {
      closing = true;
      buf = Buffer.alloc(0);
      void queue.then(() => {
        last?.();
        socket.end();
      });
    };

    socket.on('data', (data: Buffer) => {
      if (closing) return;
      buf = buf.length ? Buffer.concat([buf, data]) : data;
      for (;;) {
        if (!inFrame) {
          let i = 0;
          while (i < buf.length && (buf[i] === CR || buf[i] === 0x0a || buf[i] === 0x20)) i++;
          buf = buf.subarray(i);
          if (!buf.length) return;
          // bytes outside a frame: this peer does not speak MLLP
          if (buf[0] !== VT) return close();
          buf = buf.subarray(1);
          inFrame = true;
          scanFrom = 0;
        }
        const end = buf.indexOf(END, scanFrom);
        if (end < 0) {
          if (buf.length > o.maxBytes) {
            const head = buf.subarray(0, 4096).toString('utf8');
            return close(() => answer(o.tooLarge(head)));
          }
          scanFrom = Math.max(0, buf.length - 1);
          // keep our own copy: the socket may reuse its buffer
          if (buf === data) buf = Buffer.from(data);
          return;
        }
        if (end > o.maxBytes) {
          const head = buf.subarray(0, 4096).toString('utf8');
          return close(() => answer(o.tooLarge(head)));
        }
        const frame = Buffer.from(buf.subarray(0, end));
        buf = buf.subarray(end + 2);
        inFrame = false;
        dispatch(frame);
      }
    });
  }
}
