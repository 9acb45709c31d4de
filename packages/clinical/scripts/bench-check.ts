// Micro-benchmark of the in-process medication check (issue 11 goal: ≤ 2 ms): 5 new items against a
// patient with 10 current medications and 5 allergies, with dose, age, pregnancy and renal state.
// Usage: npx tsx packages/clinical/scripts/bench-check.ts
import { checkMedications, type CheckInput } from '../src/medications.ts';

const items = [
  { name: 'Ibuprofen 400 mg tablet', dose: { amount: 400, unit: 'mg' }, timesPerDay: 3, route: 'oral' },
  { name: 'Clarithromycin 500 mg tablet', dose: { amount: 500, unit: 'mg' }, timesPerDay: 2, route: 'oral' },
  { name: 'Ceftriaxone 1 g powder for injection', dose: { amount: 1, unit: 'g' }, timesPerDay: 1, route: 'parenteral' },
  { name: 'Paracetamol 500 mg tablet', dose: { amount: 1, unit: 'g' }, timesPerDay: 4, route: 'oral' },
  { name: 'Omeprazole 20 mg capsule', dose: { amount: 20, unit: 'mg' }, timesPerDay: 1, route: 'oral' },
];
const current = [
  'Warfarin 5 mg tablet',
  'Simvastatin 40 mg tablet',
  'Fluoxetine 20 mg capsule',
  'Metformin 500 mg tablet',
  'Enalapril 10 mg tablet',
  'Amlodipine 5 mg tablet',
  'Furosemide 40 mg tablet',
  'Salbutamol inhaler 100 mcg',
  'Levothyroxine 50 mcg',
  'Diclofenac 50 mg tablet',
].map((name) => ({ name }));
const allergies = [
  { substanceCode: 'penicillins', substance: 'Penicillins', manifestations: ['urticaria'] },
  { substanceCode: 'sulfonamides', substance: 'Sulfonamides' },
  { substance: 'Codeine', type: 'intolerance' as const },
  { substanceCode: 'peanut', substance: 'Peanut' },
  { substance: 'Latex gloves' },
];
const patient = { ageYears: 67, weightKg: 72, pregnant: false, egfr: 40 };

function run(label: string, make: (i: number) => CheckInput, n: number) {
  for (let i = 0; i < 2000; i++) checkMedications(make(i)); // warm-up (JIT)
  const times: number[] = [];
  let alerts = 0;
  for (let i = 0; i < n; i++) {
    const input = make(i);
    const t0 = performance.now();
    alerts = checkMedications(input).alerts.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
  const mean = (times.reduce((s, t) => s + t, 0) / n).toFixed(3);
  console.log(
    `${label}: ${n} checks, ${alerts} alerts each — mean ${mean} ms, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`,
  );
}

const n = Number(process.argv[2] ?? 20000);
run('5 items × 10 current × 5 allergies (names seen before)', () => ({ items, current, allergies, patient }), n);
// every name new to the name cache (the server re-checking text it has not seen)
run(
  '5 items × 10 current × 5 allergies (every name new)',
  (i) => ({
    items: items.map((m) => ({ ...m, name: `${m.name} #${i}` })),
    current: current.map((m) => ({ name: `${m.name} #${i}` })),
    allergies,
    patient,
  }),
  n,
);
