import type { SeedStep } from '../platform/module.ts';
import { ROLES } from '../platform/access.ts';
import { memberships, users } from '../db/schema/identity.ts';

const DISPLAY: Record<string, string> = {
  super_admin: 'Sarah Kalonji',
  admin: 'Alain Mputu',
  manager: 'Marthe Ilunga',
  doctor: 'Dr Amani Mukendi',
  nurse: 'Grâce Nsimba',
  receptionist: 'Ruth Kabamba',
  pharmacist: 'Paul Kasongo',
  lab_technician: 'Eric Tshibangu',
  optician: 'Nadia Lukusa',
  accountant: 'Joël Banza',
  cashier: 'Rose Mwamba',
  secretary: 'Irène Kanku',
  insurer: 'Victor Ngoy',
  patient: 'Marie Mbuyi',
};

/**
 * One user per role at Kinshasa (`<role>@sanita.test`; admins and managers at both sites), a doctor
 * and a receptionist at Goma, and the portal account of the demo patient.
 */
export const seedUsers: SeedStep = async (tx, demo) => {
  const { passwordHash } = demo;
  const kin = demo.clinics.KIN.id;
  const gom = demo.clinics.GOM.id;
  const userIds = demo.users;
  // the language each account's UI switches to at sign-in: English for the Kinshasa demo accounts (the
  // walkthroughs and browser tests read English), French for Goma's staff, who show the French UI
  const add = async (email: string, name: string, roleClinics: [string, string][], patientId: string | null = null) => {
    const locale = email.endsWith('.goma@sanita.test') ? 'fr' : 'en';
    const [u] = await tx
      .insert(users)
      .values({ email, displayName: name, passwordHash, locale, emailVerifiedAt: new Date(), patientId })
      .returning({ id: users.id });
    await tx.insert(memberships).values(roleClinics.map(([clinicId, roleId]) => ({ userId: u!.id, clinicId, roleId })));
    userIds[email] = u!.id;
  };
  for (const role of ROLES) {
    if (role === 'patient') continue;
    const both = role === 'super_admin' || role === 'admin' || role === 'manager';
    await add(
      `${role}@sanita.test`,
      DISPLAY[role]!,
      both
        ? [
            [kin, role],
            [gom, role],
          ]
        : [[kin, role]],
    );
  }
  await add('doctor.goma@sanita.test', 'Dr Kahindo Paluku', [[gom, 'doctor']]);
  await add('receptionist.goma@sanita.test', 'Esther Masika', [[gom, 'receptionist']]);
  const patientId = demo.portalPatientId;
  if (patientId) await add('patient@sanita.test', 'Marie Mbuyi', [[kin, 'patient']], patientId);
};
