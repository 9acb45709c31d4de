import type { Tx } from './db/database.ts';

/** A listener run inside the transaction of the change it hears of: what it writes commits or rolls back with it. */
export type TxListener<T> = (tx: Tx, event: T) => Promise<void>;

/**
 * In-transaction hooks a service offers to the modules that come after it (`needs`): the HL7
 * interface queues an outbound order where the lab creates it; billing captures a charge where an
 * encounter finishes, a lab order is placed or a prescription is dispensed, so that nothing
 * billable is lost when a commit succeeds and nothing is billed when it rolls back. Realtime events
 * (after the commit) are for screens; these are for data.
 */
export class TxHooks<T> {
  private readonly listeners: TxListener<T>[] = [];

  on(listener: TxListener<T>): void {
    this.listeners.push(listener);
  }

  async run(tx: Tx, event: T): Promise<void> {
    for (const l of this.listeners) await l(tx, event);
  }
}
