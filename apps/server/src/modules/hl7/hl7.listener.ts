import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import { MllpServer } from './mllp.ts';
import type { Hl7Service } from './hl7.service.ts';

/**
 * The MLLP listener of the HL7 interface. Not opened by the app itself (tests build many apps at
 * once): `npm start` (main.ts) calls `start()` once HTTP listens; tests call `start({ port: 0 })`.
 */
export class Hl7Listener {
  private server: MllpServer | null = null;

  constructor(
    private readonly config: Config,
    private readonly hl7: Hl7Service,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Opens the listener (config's port unless given; null = off). Returns where it listens, or null when off. */
  async start(options: { port?: number; host?: string } = {}): Promise<{ port: number; host: string; tls: boolean } | null> {
    const c = this.config;
    const port = options.port ?? c.hl7MllpPort;
    if (port === null) return null;
    const server = new MllpServer({
      port,
      host: options.host ?? c.hl7MllpHost,
      maxBytes: c.hl7MaxMessageBytes,
      tls: c.hl7MllpTlsCert && c.hl7MllpTlsKey ? { cert: c.hl7MllpTlsCert, key: c.hl7MllpTlsKey } : undefined,
      log: this.log,
      handle: this.hl7.receive,
      tooLarge: (head) => this.hl7.tooLarge(head, c.hl7MaxMessageBytes),
    });
    const address = await server.listen();
    this.server = server;
    return address;
  }

  get port(): number | null {
    return this.server?.port ?? null;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}
