import { permissions } from '@sanita/contracts/hl7';
import { defineModule, routes } from '../../platform/module.ts';
import { Hl7Listener } from './hl7.listener.ts';
import { Hl7Outbound } from './hl7.outbound.ts';
import { hl7Routes } from './hl7.routes.ts';
import { Hl7Service } from './hl7.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    hl7: { hl7: Hl7Service; hl7Listener: Hl7Listener; hl7Outbound: Hl7Outbound };
  }
}

const [read, manage] = permissions;

/**
 * HL7 v2 interface: the MLLP listener (ORU^R01 results, ADT^A01/A04/A08 registrations and updates,
 * each answered with an ACK), the message log with replay, and the unmatched queue the lab
 * resolves. Patients are registered and updated through the patients service (its duplicate
 * check); results are recorded through the lab's services.
 */
export const hl7Module = defineModule({
  name: 'hl7',
  permissions,
  grants: { super_admin: [read, manage], admin: [read, manage], lab_technician: [read, manage] },
  needs: ['patients', 'lab'],
  services: ({ db, config, log, jobs }, { patients, lab }) => {
    const hl7 = new Hl7Service(db, patients, lab, { adtClinic: config.hl7AdtClinic, log });
    const lis = config.hl7LisHost ? { host: config.hl7LisHost, port: config.hl7LisPort } : null;
    const hl7Outbound = new Hl7Outbound(db, jobs, lis, log);
    // each new lab order is queued for the laboratory information system in its own transaction
    if (hl7Outbound.enabled) lab.orderCreated.on(hl7Outbound.queueOrder);
    return { hl7, hl7Listener: new Hl7Listener(config, hl7, log), hl7Outbound };
  },
  routes: ({ hl7 }) => [routes(hl7Routes, { hl7 })],
  start: async ({ hl7Outbound }) => {
    await hl7Outbound.start();
  },
  stop: async ({ hl7Listener }) => {
    await hl7Listener.close();
  },
  onPatientMerge: ({ hl7 }) => hl7.mergePatients,
  matrix: new URL('./hl7.matrix.ts', import.meta.url),
});
