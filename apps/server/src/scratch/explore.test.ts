import { afterAll, beforeAll, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

it('explore', async () => {
  const c = await ctx.database.pool.connect();
  const names = [
    'mbuyi',
    'kabamba',
    'lumumba',
    'tshisekedi',
    'mavungu',
    'mukendi',
    'kiala',
    'banza',
    'ngoy',
    'lokeli',
    'ruth',
    'marie',
    'neema',
    'sifa',
    'kambale',
    'paluku',
    'diambu',
    'matondo',
    'kapinga',
    'eloise',
    'grace',
    'josee',
    'moise',
  ];
  const typos = (w: string) => {
    const out = new Set<string>();
    for (let i = 0; i < w.length; i++) {
      out.add(w.slice(0, i) + w.slice(i + 1)); // deletion
      if (i < w.length - 1) out.add(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)); // swap
      for (const ch of 'aeiouybkmnl') out.add(w.slice(0, i) + ch + w.slice(i + 1)); // substitution
    }
    out.delete(w);
    return [...out];
  };
  for (const n of names) {
    const ts = typos(n);
    const r = await c.query(`SELECT t, t <% $1 AS ok, word_similarity(t, $1) ws FROM unnest($2::text[]) t`, [`jean ${n}`, ts]);
    const miss = r.rows.filter((x) => !x.ok);
    console.log(
      n,
      `${r.rows.length - miss.length}/${r.rows.length} found; missed e.g.`,
      miss
        .slice(0, 12)
        .map((x) => `${x.t}(${Number(x.ws).toFixed(2)})`)
        .join(' '),
    );
  }
  c.release();
});
