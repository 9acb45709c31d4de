import { sql } from 'drizzle-orm';
import type { ItemKind } from '@sanita/contracts/inventory';
import type { Executor } from '../../platform/db/database.ts';
import type { SeedStep } from '../../platform/module.ts';

/** A lot of the demo: at which clinic, its number, days to expiry (negative: expired), units, cost, and whether recalled. */
interface DemoLot {
  clinic: 'KIN' | 'GOM';
  lot: string;
  expires: number;
  units: number;
  cost: string;
  supplier: string;
  recalled?: string;
}
interface DemoItem {
  kind: ItemKind;
  name: string;
  unit: string;
  /** the formulary product (medications) */
  formulary?: string;
  code: string;
  reorder: { KIN: number; GOM: number };
  lots: DemoLot[];
}

const CAMEBU = 'CAMEBU (Centrale d’achat des médicaments essentiels)';
const ASRAMES = 'ASRAMES Goma';
const OPTIQUE = 'Optique Centrale Kinshasa';
const LABO = 'LaboMed Congo';

/**
 * The demo's catalogue and stock, for the common WHO EML products a clinic in the DR Congo
 * dispenses (every product the demo's prescriptions name, medications.seed.ts, among them), and the
 * optical and laboratory supplies: several lots per medication at both clinics,
 * some expiring within 30 to 90 days, one recalled lot, some items below their reorder level.
 */
const ITEMS: DemoItem[] = [
  {
    kind: 'medication',
    name: 'Paracetamol 500 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:paracetamol-500mg-tablet',
    code: 'MED-PARA-500',
    reorder: { KIN: 500, GOM: 300 },
    lots: [
      { clinic: 'KIN', lot: 'PCM24-118', expires: 25, units: 120, cost: '0.0150', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'PCM25-031', expires: 410, units: 1000, cost: '0.0140', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'PCM25-044', expires: 380, units: 600, cost: '0.0160', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Amoxicillin 500 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:amoxicillin-tablet-500mg',
    code: 'MED-AMOX-500',
    reorder: { KIN: 300, GOM: 200 },
    lots: [
      { clinic: 'KIN', lot: 'AMX24-907', expires: 55, units: 90, cost: '0.0450', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'AMX25-112', expires: 520, units: 500, cost: '0.0420', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'AMX25-087', expires: 300, units: 150, cost: '0.0480', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Amoxicillin 250 mg/5 mL oral suspension, 100 mL',
    unit: 'bottle',
    formulary: 'who-eml:amoxicillin-oral-solution-250mg-5ml',
    code: 'MED-AMOX-SUSP',
    reorder: { KIN: 20, GOM: 10 },
    lots: [
      { clinic: 'KIN', lot: 'AMS25-014', expires: 240, units: 40, cost: '1.2000', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'AMS25-009', expires: 75, units: 12, cost: '1.2500', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Ibuprofen 400 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:ibuprofen-400mg-tablet',
    code: 'MED-IBU-400',
    reorder: { KIN: 200, GOM: 100 },
    lots: [
      {
        clinic: 'KIN',
        lot: 'IBU24-551',
        expires: 200,
        units: 300,
        cost: '0.0300',
        supplier: CAMEBU,
        recalled: 'Manufacturer recall: tablets out of dissolution specification',
      },
      { clinic: 'KIN', lot: 'IBU25-020', expires: 450, units: 400, cost: '0.0320', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'IBU25-016', expires: 430, units: 250, cost: '0.0330', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Metformin 500 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:metformin-500mg-tablet',
    code: 'MED-METF-500',
    reorder: { KIN: 400, GOM: 200 },
    lots: [
      { clinic: 'KIN', lot: 'MTF24-310', expires: 85, units: 100, cost: '0.0250', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'MTF25-077', expires: 600, units: 180, cost: '0.0240', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'MTF25-061', expires: 590, units: 500, cost: '0.0260', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Amlodipine 5 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:amlodipine-5mg-tablet',
    code: 'MED-AMLO-5',
    reorder: { KIN: 200, GOM: 150 },
    lots: [
      { clinic: 'KIN', lot: 'AML25-040', expires: 500, units: 450, cost: '0.0200', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'AML24-288', expires: 40, units: 60, cost: '0.0220', supplier: ASRAMES },
      { clinic: 'GOM', lot: 'AML25-019', expires: 330, units: 50, cost: '0.0210', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Artemether 20 mg + lumefantrine 120 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:artemether-20mg-lumefantrine-120mg-tablet',
    code: 'MED-AL-20-120',
    reorder: { KIN: 480, GOM: 480 },
    lots: [
      { clinic: 'KIN', lot: 'ALU25-201', expires: 28, units: 240, cost: '0.1100', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'ALU25-344', expires: 410, units: 960, cost: '0.1050', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'ALU25-330', expires: 395, units: 720, cost: '0.1080', supplier: ASRAMES },
      { clinic: 'GOM', lot: 'ALU24-170', expires: -5, units: 48, cost: '0.1150', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Oral rehydration salts, sachet for 1 L',
    unit: 'sachet',
    formulary: 'who-eml:oral-rehydration-salts',
    code: 'MED-ORS',
    reorder: { KIN: 100, GOM: 100 },
    lots: [
      { clinic: 'KIN', lot: 'ORS25-066', expires: 700, units: 350, cost: '0.0800', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'ORS25-058', expires: 690, units: 80, cost: '0.0850', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Zinc sulfate 20 mg dispersible tablets',
    unit: 'tablet',
    formulary: 'who-eml:zinc-sulfate-20mg-tablet',
    code: 'MED-ZINC-20',
    reorder: { KIN: 100, GOM: 100 },
    lots: [
      { clinic: 'KIN', lot: 'ZNC25-012', expires: 65, units: 200, cost: '0.0120', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'ZNC25-010', expires: 480, units: 300, cost: '0.0120', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Sulfamethoxazole 400 mg + trimethoprim 80 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:sulfamethoxazole-400mg-trimethoprim-80mg-tablet',
    code: 'MED-SMX-TMP',
    reorder: { KIN: 200, GOM: 200 },
    lots: [
      { clinic: 'KIN', lot: 'CTX25-090', expires: 380, units: 500, cost: '0.0180', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'CTX25-071', expires: 360, units: 150, cost: '0.0190', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Ciprofloxacin 250 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:ciprofloxacin-250mg-tablet',
    code: 'MED-CIPRO-250',
    reorder: { KIN: 100, GOM: 100 },
    lots: [
      { clinic: 'KIN', lot: 'CIP25-015', expires: 35, units: 40, cost: '0.0600', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'CIP25-102', expires: 500, units: 200, cost: '0.0580', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'CIP25-097', expires: 470, units: 60, cost: '0.0620', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Clarithromycin 500 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:clarithromycin-500mg-tablet',
    code: 'MED-CLARI-500',
    reorder: { KIN: 50, GOM: 30 },
    lots: [
      { clinic: 'KIN', lot: 'CLA25-044', expires: 420, units: 84, cost: '0.2100', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'CLA25-040', expires: 400, units: 28, cost: '0.2200', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Ferrous salt 60 mg + folic acid 400 µg tablets',
    unit: 'tablet',
    formulary: 'who-eml:ferrous-salt-60mg-folic-acid-400ug-tablet',
    code: 'MED-FEFOL',
    reorder: { KIN: 300, GOM: 300 },
    lots: [
      { clinic: 'KIN', lot: 'FEF25-210', expires: 88, units: 300, cost: '0.0090', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'FEF25-388', expires: 640, units: 900, cost: '0.0085', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'FEF25-361', expires: 620, units: 600, cost: '0.0095', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Hydrochlorothiazide 25 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:hydrochlorothiazide-25mg-tablet',
    code: 'MED-HCTZ-25',
    reorder: { KIN: 150, GOM: 100 },
    lots: [
      { clinic: 'KIN', lot: 'HCT25-061', expires: 540, units: 360, cost: '0.0110', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'HCT25-058', expires: 530, units: 90, cost: '0.0120', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Metronidazole 500 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:metronidazole-500mg-tablet',
    code: 'MED-METRO-500',
    reorder: { KIN: 150, GOM: 150 },
    lots: [
      { clinic: 'KIN', lot: 'MTZ25-130', expires: 58, units: 60, cost: '0.0220', supplier: CAMEBU },
      { clinic: 'KIN', lot: 'MTZ25-287', expires: 480, units: 300, cost: '0.0210', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'MTZ25-270', expires: 470, units: 200, cost: '0.0230', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Simvastatin 20 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:simvastatin-20mg-tablet',
    code: 'MED-SIMVA-20',
    reorder: { KIN: 90, GOM: 60 },
    lots: [
      { clinic: 'KIN', lot: 'SIM25-019', expires: 610, units: 270, cost: '0.0300', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'SIM25-017', expires: 600, units: 30, cost: '0.0320', supplier: ASRAMES },
    ],
  },
  {
    kind: 'medication',
    name: 'Warfarin 5 mg tablets',
    unit: 'tablet',
    formulary: 'who-eml:warfarin-5mg-tablet',
    code: 'MED-WARF-5',
    reorder: { KIN: 60, GOM: 30 },
    lots: [
      { clinic: 'KIN', lot: 'WAR25-008', expires: 700, units: 140, cost: '0.0400', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'WAR25-006', expires: 690, units: 50, cost: '0.0420', supplier: ASRAMES },
    ],
  },
  {
    kind: 'optical_frame',
    name: 'Adult frame, metal, 52-18',
    unit: 'frame',
    code: 'OPT-FRM-M52',
    reorder: { KIN: 5, GOM: 3 },
    lots: [{ clinic: 'KIN', lot: 'FRM-2025-03', expires: 3650, units: 24, cost: '8.5000', supplier: OPTIQUE }],
  },
  {
    kind: 'contact_lens',
    name: 'Monthly soft contact lenses, −2.00',
    unit: 'box',
    code: 'OPT-CL-M200',
    reorder: { KIN: 4, GOM: 2 },
    lots: [{ clinic: 'KIN', lot: 'CLM25A77', expires: 720, units: 3, cost: '12.0000', supplier: OPTIQUE }],
  },
  {
    kind: 'lab_reagent',
    name: 'Malaria rapid diagnostic test (Pf/Pan), kit of 25',
    unit: 'kit',
    code: 'LAB-RDT-MAL',
    reorder: { KIN: 10, GOM: 10 },
    lots: [
      { clinic: 'KIN', lot: 'RDT25-410', expires: 45, units: 12, cost: '9.7500', supplier: LABO },
      { clinic: 'KIN', lot: 'RDT25-622', expires: 400, units: 20, cost: '9.5000', supplier: LABO },
      { clinic: 'GOM', lot: 'RDT25-590', expires: 390, units: 8, cost: '9.8000', supplier: LABO },
    ],
  },
  {
    kind: 'lab_reagent',
    name: 'Blood glucose test strips, box of 50',
    unit: 'box',
    code: 'LAB-GLU-50',
    reorder: { KIN: 5, GOM: 3 },
    lots: [{ clinic: 'KIN', lot: 'GLS25-118', expires: 270, units: 14, cost: '11.2000', supplier: LABO }],
  },
  {
    kind: 'consumable',
    name: 'Examination gloves, nitrile, size M, box of 100',
    unit: 'box',
    code: 'CON-GLV-M',
    reorder: { KIN: 20, GOM: 10 },
    lots: [
      { clinic: 'KIN', lot: 'GLV25-001', expires: 1100, units: 45, cost: '6.4000', supplier: CAMEBU },
      { clinic: 'GOM', lot: 'GLV25-002', expires: 1100, units: 9, cost: '6.6000', supplier: ASRAMES },
    ],
  },
  {
    kind: 'consumable',
    name: 'Syringe 5 mL with needle 21G',
    unit: 'piece',
    code: 'CON-SYR-5',
    reorder: { KIN: 200, GOM: 100 },
    lots: [{ clinic: 'KIN', lot: 'SYR25-330', expires: 1500, units: 800, cost: '0.0700', supplier: CAMEBU }],
  },
];

/** A lot with its receipt: the balance and the ledger's first movement, in one statement. */
async function receiveLot(
  tx: Executor,
  v: { clinicId: string; itemId: string; lot: DemoLot; userId: string; receivedDaysAgo: number },
) {
  await tx.execute(sql`
    WITH l AS (
      INSERT INTO inventory_lots (clinic_id, item_id, lot_number, expires_on, unit_cost, supplier, received_at, recalled_at, recall_reason, on_hand)
      VALUES (${v.clinicId}, ${v.itemId}, ${v.lot.lot}, current_date + ${v.lot.expires}::int, ${v.lot.cost}, ${v.lot.supplier},
        now() - make_interval(days => ${v.receivedDaysAgo}::int),
        ${v.lot.recalled ? sql`now() - interval '3 days'` : sql`NULL`}, ${v.lot.recalled ?? null}, ${v.lot.units})
      RETURNING id, item_id, clinic_id, on_hand, received_at
    )
    INSERT INTO inventory_movements (clinic_id, item_id, lot_id, kind, quantity, balance_after, reference, created_by, created_at)
    SELECT clinic_id, item_id, id, 'receive', on_hand, on_hand, ${`BL-${v.lot.lot}`}, ${v.userId}, received_at FROM l`);
}

/**
 * Demo stock at Kinshasa (received by the pharmacist) and Goma (by the administrator). Idempotent:
 * nothing is added once the catalogue has items.
 */
export const seedInventory: SeedStep = async (tx, demo) => {
  const [{ n } = { n: 0 }] = (await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM inventory_items`)).rows;
  if (n > 0) return;
  const pharmacist = demo.users['pharmacist@sanita.test'];
  const admin = demo.users['admin@sanita.test'];
  if (!pharmacist || !admin) return;
  const clinics = { KIN: demo.clinics.KIN.id, GOM: demo.clinics.GOM.id };
  const receivers = { KIN: pharmacist, GOM: admin };
  for (const [index, item] of ITEMS.entries()) {
    const { rows } = await tx.execute<{ id: string }>(sql`
      INSERT INTO inventory_items (kind, name, unit, formulary_item_id, code, created_by, updated_by)
      VALUES (${item.kind}, ${item.name}, ${item.unit},
        ${item.formulary ? sql`(SELECT id FROM formulary_items WHERE code = ${item.formulary})` : sql`NULL`},
        ${item.code}, ${admin}, ${admin})
      RETURNING id`);
    const itemId = rows[0]!.id;
    for (const clinic of ['KIN', 'GOM'] as const)
      await tx.execute(sql`
        INSERT INTO inventory_item_settings (clinic_id, item_id, reorder_level, updated_by)
        VALUES (${clinics[clinic]}, ${itemId}, ${item.reorder[clinic]}, ${admin})`);
    for (const [i, lot] of item.lots.entries())
      await receiveLot(tx, {
        clinicId: clinics[lot.clinic],
        itemId,
        lot,
        userId: receivers[lot.clinic],
        // the earliest-expiring lots came in first
        receivedDaysAgo: 90 - Math.min(80, i * 30 + (index % 5)),
      });
  }
};
