/**
 * `npm run audit:verify`: seals pending audit rows, then walks the whole hash chain and checks the
 * signed heads. Exits 0 when intact, 1 naming the first bad row, 2 when it could not run.
 */
import { loadConfig } from '../config.ts';
import { bootDatabase } from '../platform/boot.ts';
import { sealAudit, verifyAudit } from '../platform/audit/chain.ts';
import { KeyStore } from '../platform/auth/keys.ts';
import { Crypto, loadMasterKey } from '../platform/crypto.ts';

async function run(): Promise<number> {
  const config = loadConfig();
  const boot = await bootDatabase(config, () => {}, { seed: false });
  try {
    const keys = new KeyStore(boot.database.pool, new Crypto(loadMasterKey(config.masterKey, config.dataDir)));
    await keys.init();
    await sealAudit(boot.database.pool, (m) => keys.sign(m), 0);
    const r = await verifyAudit(boot.database.pool, (m, kid, sig) => keys.verify(m, kid, sig));
    if (r.ok) {
      console.log(
        `audit chain intact: ${r.checked} rows checked, head seal ${r.headSeq}, ${r.signedHeads} signed heads verified`,
      );
      return 0;
    }
    const bad = r.firstBad!;
    console.log(
      `audit chain BROKEN at ${bad.auditId !== null ? `audit row ${bad.auditId}` : 'a signed head'}` +
        `${bad.seq !== null ? ` (seal ${bad.seq})` : ''}: ${bad.reason}. ${r.checked} rows verified before it.`,
    );
    return 1;
  } finally {
    await boot.database.close();
    await boot.embedded?.stop();
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`audit verification could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
