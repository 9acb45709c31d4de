import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { bootDatabase } from './platform/boot.ts';
import { ROLES } from './platform/access.ts';
import { safeErrorMessage } from './platform/log.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const boot = await bootDatabase(config, (m) => console.log(`[sanita] ${m}`));
  const app = await buildApp({ config, database: boot.database });

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await boot.database.close();
    await boot.embedded?.stop();
  });

  await app.listen({ port: config.port, host: config.host });
  if (boot.seeded) {
    // the demo's upcoming visits were seeded with their reminders before the job queue ran
    await app.services.reminders.enqueueScheduled();
    const lines = [
      'Demo organisation created: clinics Kinshasa (KIN) and Goma (GOM).',
      `Sign in at ${config.publicUrl} as <role>@sanita.test, e.g. admin@sanita.test, doctor@sanita.test, patient@sanita.test`,
      `Roles: ${ROLES.join(', ')}`,
      boot.generatedDemoPassword
        ? `Password for every demo user (shown once, write it down): ${boot.generatedDemoPassword}`
        : 'Password for every demo user: the value of SANITA_DEMO_PASSWORD',
    ];
    const width = Math.max(...lines.map((l) => l.length)) + 4;
    console.log(`\n${'='.repeat(width)}\n${lines.map((l) => `  ${l}`).join('\n')}\n${'='.repeat(width)}\n`);
  }
  console.log(`[sanita] ready on ${config.publicUrl}  (API docs: ${config.publicUrl}/api/docs)`);
  // the HL7 v2 interface's MLLP listener (HL7_MLLP_PORT, default 2575; off with HL7_MLLP_PORT=off)
  try {
    const mllp = await app.services.hl7Listener.start();
    console.log(
      mllp
        ? `[sanita] HL7 v2 MLLP listening on ${mllp.host}:${mllp.port}${mllp.tls ? ' (TLS)' : ''}`
        : '[sanita] HL7 v2 MLLP listener off (HL7_MLLP_PORT=off)',
    );
  } catch (err) {
    // a port set on purpose must open; the default one already taken (another instance) only warns
    if (config.hl7MllpPortExplicit) throw err;
    console.warn(`[sanita] HL7 v2 MLLP listener not started: port ${config.hl7MllpPort} unavailable (${safeErrorMessage(err)})`);
  }
}

main().catch((err: unknown) => {
  // a failed migration or seed statement's message may carry its parameters: never print them
  console.error('[sanita] failed to start:', safeErrorMessage(err));
  process.exit(1);
});
