/**
 * `npm run claims:verify`: signs the claim ledger's head if it moved, then walks the whole ledger
 * and checks the signed heads. Exits 0 when intact, 1 naming the first bad event, 2 when it could not run.
 */
import { loadConfig } from '../config.ts';
import { bootDatabase } from '../platform/boot.ts';
import { KeyStore } from '../platform/auth/keys.ts';
import { Crypto, loadMasterKey } from '../platform/crypto.ts';
import { signLedgerHead, verifyLedger } from '../modules/claims/ledger.ts';

async function run(): Promise<number> {
  const config = loadConfig();
  const boot = await bootDatabase(config, () => {}, { seed: false });
  try {
    const keys = new KeyStore(boot.database.pool, new Crypto(loadMasterKey(config.masterKey, config.dataDir)));
    await keys.init();
    await signLedgerHead(boot.database.pool, (m) => keys.sign(m));
    const r = await verifyLedger(boot.database.pool, (m, kid, sig) => keys.verify(m, kid, sig));
    if (r.ok) {
      console.log(`claim ledger intact: ${r.checked} events checked, head ${r.headSeq}, ${r.signedHeads} signed heads verified`);
      return 0;
    }
    const bad = r.firstBad!;
    console.log(
      `claim ledger BROKEN at ${bad.seq !== null ? `event ${bad.seq}` : 'a signed head'}` +
        `${bad.claimId ? ` (claim ${bad.claimId})` : ''}: ${bad.reason}. ${r.checked} events verified before it.`,
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
    console.error(`claim ledger verification could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
