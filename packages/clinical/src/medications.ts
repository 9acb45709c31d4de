// Medication safety: the checks and the knowledge they run on (docs/medications.md). The formulary
// catalogue (729 WHO EML products) is a separate import, `@sanita/clinical/medications/formulary.gen`,
// so that the browser bundle carries the checks without the catalogue.
export {
  ALERT_CODES,
  ALERT_HEADINGS,
  checkMedications,
  resolveIngredients,
  type AlertCode,
  type AlertOther,
  type AllergyInput,
  type CheckInput,
  type CheckResult,
  type MedicationAlert,
  type MedicationInput,
  type PatientContext,
} from './medications/check.ts';
export { ALLERGY_GROUPS, CLASSES, INGREDIENTS, OTHER_INTERACTIONS, SOURCES, SYNONYMS } from './medications/knowledge.ts';
export { normalizeName, ingredientKeys } from './medications/names.ts';
export type * from './medications/types.ts';
export {
  administrationsPerDay,
  checkDose,
  computeQuantity,
  doseForChecks,
  doseText,
  frequencyText,
  instructionsText,
  parseStrength,
  type Dose,
  type Frequency,
  type FrequencyKind,
  type InstructionsInput,
  type Lang,
  type Quantity,
  type QuantityInput,
} from './medications/dosing.ts';
