// Pharmacy: the clinic's worklist of signed prescriptions to dispense, and dispensing them from
// stock — full or partial, first-expiry-first-out from lots neither expired nor recalled, generic
// substitution recorded when the prescriber allowed it, counselling notes — with a printable label.
// Each dispensed unit is a `dispense` movement of the inventory ledger (./inventory.ts).
import { Type, type Static } from '@sinclair/typebox';
import { Integer, OptionalText, StoredDate, Uuid } from './common.ts';
import { Dose, Frequency, Override } from './medications.ts';

export const permissions = ['pharmacy:dispense'] as const;
export const errorCodes = [
  /** the prescription is not active (draft, completed, cancelled or expired) */
  'PRESCRIPTION_NOT_DISPENSABLE',
  /** more than what remains to dispense of a prescription item */
  'OVER_DISPENSE',
  /** another product than the one prescribed, for an item the prescriber did not allow substituting */
  'SUBSTITUTION_NOT_ALLOWED',
] as const;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Uuid, name: Type.String() });

/** A product of the clinic's stock that can fill a prescription item, with what is available of it. */
export const StockOption = Type.Object({
  inventoryItemId: Uuid,
  name: Type.String(),
  unit: Type.String(),
  /** units in lots neither expired nor recalled, less reservations */
  available: Type.Integer(),
  /** the lot first-expiry-first-out would take first */
  nextLot: Nullable(Type.Object({ lotId: Uuid, lotNumber: Type.String(), expiresOn: StoredDate })),
  /** another product than the one prescribed (a generic substitution) */
  substitute: Type.Boolean(),
});
export type StockOption = Static<typeof StockOption>;

export const WorklistItem = Type.Object({
  prescriptionItemId: Uuid,
  formularyItemId: Nullable(Uuid),
  name: Type.String(),
  dose: Dose,
  frequency: Frequency,
  durationDays: Type.Integer(),
  route: Nullable(Type.String()),
  /** prescribed quantity, in `quantityUnit` */
  quantity: Type.Number(),
  quantityUnit: Type.String(),
  instructions: Nullable(Type.String()),
  substitutionAllowed: Type.Boolean(),
  /** safety alerts the prescriber overrode, with their reasons: shown to the pharmacist */
  overrides: Type.Array(Override),
  /** units dispensed so far, over every dispense */
  dispensed: Type.Integer(),
  /** what remains to dispense (0: done) */
  remaining: Type.Integer(),
  stock: Type.Array(StockOption),
});
export type WorklistItem = Static<typeof WorklistItem>;

export const WorklistEntry = Type.Object({
  prescriptionId: Uuid,
  signedAt: Type.String({ format: 'date-time' }),
  prescriber: Person,
  patient: Type.Object({
    id: Uuid,
    name: Type.String(),
    mrn: Type.String(),
    birthDate: StoredDate,
    sex: Type.String(),
  }),
  /** what the prescriber recorded when signing: shown to the pharmacist (null: not asked or unknown) */
  pregnant: Nullable(Type.Boolean()),
  breastfeeding: Nullable(Type.Boolean()),
  items: Type.Array(WorklistItem),
  /** some item was dispensed already (a partial dispense) */
  partlyDispensed: Type.Boolean(),
});
export type WorklistEntry = Static<typeof WorklistEntry>;
export const Worklist = Type.Object({ data: Type.Array(WorklistEntry) });
export type Worklist = Static<typeof Worklist>;

export const WorklistQuery = Type.Object(
  {
    /** a patient's name or MRN */
    q: Type.Optional(OptionalText(100)),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export type WorklistQuery = Static<typeof WorklistQuery>;

/**
 * A dispense at the active clinic: per prescription item, how many units, and optionally which
 * product (another one than prescribed is a generic substitution, only where the prescriber
 * allowed it). Lots are chosen first-expiry-first-out; all of it or nothing is dispensed.
 */
export const DispenseInput = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          prescriptionItemId: Uuid,
          quantity: Integer({ minimum: 1, maximum: 100_000 }),
          /** the product dispensed; by default the clinic's stocked product of the prescribed formulary item */
          inventoryItemId: Type.Optional(Uuid),
          /** why another product was given (recorded with a substitution) */
          substitutionReason: Type.Optional(OptionalText(500)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    counsellingNote: Type.Optional(OptionalText(2000)),
  },
  { additionalProperties: false },
);
export type DispenseInput = Static<typeof DispenseInput>;

export const DispenseLine = Type.Object({
  id: Uuid,
  prescriptionItemId: Uuid,
  inventoryItemId: Uuid,
  /** the product given */
  name: Type.String(),
  unit: Type.String(),
  /** the prescribed drug's name */
  prescribedName: Type.String(),
  quantity: Type.Integer(),
  substituted: Type.Boolean(),
  substitutionReason: Nullable(Type.String()),
  lots: Type.Array(Type.Object({ lotId: Uuid, lotNumber: Type.String(), expiresOn: StoredDate, quantity: Type.Integer() })),
});
export type DispenseLine = Static<typeof DispenseLine>;

export const Dispense = Type.Object({
  id: Uuid,
  prescriptionId: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  at: Type.String({ format: 'date-time' }),
  by: Person,
  counsellingNote: Nullable(Type.String()),
  lines: Type.Array(DispenseLine),
  /** every item of the prescription is fully dispensed: it is completed */
  completed: Type.Boolean(),
});
export type Dispense = Static<typeof Dispense>;
export const DispenseList = Type.Object({ data: Type.Array(Dispense) });
export type DispenseList = Static<typeof DispenseList>;

export const PrescriptionIdParams = Type.Object({ prescriptionId: Uuid }, { additionalProperties: false });
export const DispenseIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** Realtime events: identifiers only, to `pharmacy:<clinicId>` and the chart room `chart:<clinicId>`. */
export interface Events {
  'prescription.dispensed': {
    prescriptionId: string;
    dispenseId: string;
    patientId: string;
    clinicId: string;
    /** the prescription is now completed */
    completed: boolean;
  };
}
export const events = ['prescription.dispensed'] as const satisfies readonly (keyof Events)[];
