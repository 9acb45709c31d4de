import ucum from '@lhncbc/ucum-lhc';

const utils = ucum.UcumLhcUtils.getInstance();

/**
 * Molar masses (g/mol) of analytes whose results come in mass (mg/dL) or substance (mmol/L) units,
 * by LOINC code and by the catalogue's usual code: UCUM converts between the two only with it.
 */
const MOLAR_MASS: Record<string, number> = {
  // glucose
  '2345-7': 180.156,
  '2339-0': 180.156,
  '41653-7': 180.156,
  GLU: 180.156,
  // creatinine
  '2160-0': 113.12,
  '38483-4': 113.12,
  CREAT: 113.12,
  // urea nitrogen (as N2) and urea
  '3094-0': 28.014,
  BUN: 28.014,
  '3091-6': 60.06,
  UREA: 60.06,
  // lipids
  '2093-3': 386.65,
  CHOL: 386.65,
  '2085-9': 386.65,
  HDL: 386.65,
  '13457-7': 386.65,
  '2089-1': 386.65,
  LDL: 386.65,
  '2571-8': 885.7,
  TG: 885.7,
  // electrolytes
  '2823-3': 39.098,
  '6298-4': 39.098,
  K: 39.098,
  '2951-2': 22.99,
  '2947-0': 22.99,
  NA: 22.99,
  '17861-6': 40.078,
  CA: 40.078,
  // bilirubin, uric acid
  '1975-2': 584.66,
  TBIL: 584.66,
  '3084-1': 168.11,
  URIC: 168.11,
};

/** Whether the string is a valid UCUM unit. */
export function validUnit(unit: string): boolean {
  return utils.validateUnitString(unit).status === 'valid';
}

/**
 * The value in `to` (the test's unit), or null when `from` is not UCUM or cannot be converted (a mass
 * to a substance concentration needs the analyte's molar mass: known for the common chemistry tests).
 */
export function convert(value: number, from: string, to: string, analyte: { code: string; loinc: string | null }): number | null {
  if (from === to) return value;
  if (!validUnit(from)) return null;
  const direct = utils.convertUnitTo(from, value, to);
  if (direct.status === 'succeeded' && direct.toVal !== null) return direct.toVal;
  const mass = (analyte.loinc && MOLAR_MASS[analyte.loinc]) || MOLAR_MASS[analyte.code.toUpperCase()];
  if (!mass) return null;
  const molar = utils.convertUnitTo(from, value, to, { molecularWeight: mass });
  return molar.status === 'succeeded' && molar.toVal !== null ? molar.toVal : null;
}
