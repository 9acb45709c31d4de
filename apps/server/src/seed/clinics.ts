import type { SeedStep } from '../platform/module.ts';
import { clinics, organisation } from '../db/schema/identity.ts';

/** The demo organisation and its two clinics, Kinshasa and Goma. */
export const seedClinics: SeedStep = async (tx, demo) => {
  await tx.insert(organisation).values({ id: 1, name: 'Sanita Demo Health Group' }).onConflictDoNothing();
  const cs = await tx
    .insert(clinics)
    .values([
      {
        // the first clinic created is where a multi-site user acts by default
        createdAt: new Date(Date.now() - 1000),
        code: 'KIN',
        name: 'Clinique Sanita Kinshasa',
        timezone: 'Africa/Kinshasa',
        currencies: ['USD', 'CDF'],
        address: '12 Boulevard du 30 Juin, Gombe, Kinshasa',
        latitude: -4.3052,
        longitude: 15.3139,
        mrnPrefix: 'KIN',
      },
      {
        code: 'GOM',
        name: 'Clinique Sanita Goma',
        timezone: 'Africa/Lubumbashi',
        currencies: ['USD', 'CDF'],
        address: '45 Avenue du Lac, Himbi, Goma',
        latitude: -1.6792,
        longitude: 29.2228,
        mrnPrefix: 'GOM',
      },
    ])
    .returning({ id: clinics.id, code: clinics.code });

  const byCode = (code: string) => cs.find((c) => c.code === code)!.id;
  demo.clinics = {
    KIN: { id: byCode('KIN'), timezone: 'Africa/Kinshasa' },
    GOM: { id: byCode('GOM'), timezone: 'Africa/Lubumbashi' },
  };
};
