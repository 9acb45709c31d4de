import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity.ts';
import { inventoryItems } from './inventory.ts';
import { prescriptionItems, prescriptions } from './medications.ts';
import { patients } from './patients.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A dispense of a prescription at a clinic (one visit to the counter: part or all of it). Its
 * units left the shelves as `dispense` movements of the inventory ledger that reference its lines.
 */
export const dispenses = pgTable(
  'dispenses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    prescriptionId: uuid('prescription_id')
      .notNull()
      .references(() => prescriptions.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicId: uuid('clinic_id')
      .notNull()
      .references(() => clinics.id),
    counsellingNote: text('counselling_note'),
    /** the prescription was completed by this dispense */
    completed: boolean('completed').notNull().default(false),
    dispensedBy: uuid('dispensed_by')
      .notNull()
      .references(() => users.id),
    dispensedAt: ts('dispensed_at').notNull().defaultNow(),
  },
  (t) => [index('dispenses_prescription').on(t.prescriptionId, t.dispensedAt), index('dispenses_patient').on(t.patientId)],
);

/** What a dispense gave for one prescription item: the product, how many, and whether it was a substitution. */
export const dispenseLines = pgTable(
  'dispense_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dispenseId: uuid('dispense_id')
      .notNull()
      .references(() => dispenses.id),
    prescriptionItemId: uuid('prescription_item_id')
      .notNull()
      .references(() => prescriptionItems.id),
    inventoryItemId: uuid('inventory_item_id')
      .notNull()
      .references(() => inventoryItems.id),
    quantity: integer('quantity').notNull(),
    substituted: boolean('substituted').notNull().default(false),
    substitutionReason: text('substitution_reason'),
  },
  (t) => [
    index('dispense_lines_dispense').on(t.dispenseId),
    index('dispense_lines_prescription_item').on(t.prescriptionItemId),
    check('dispense_lines_quantity', sql`${t.quantity} > 0`),
  ],
);
