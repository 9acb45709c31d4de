import { DateTime } from 'luxon';

/** Appointment messages in the patient's language (English unless French is preferred). */
type Locale = 'en' | 'fr';

export interface AppointmentMessageVars {
  name: string;
  clinicName: string;
  practitionerName: string;
  startsAt: Date;
  timezone: string;
  portalUrl: string;
}

/** "Tuesday 10 March 2026 at 09:40" in the clinic's time zone and the reader's language. */
export function localWhen(startsAt: Date, timezone: string, locale: Locale): string {
  const d = DateTime.fromJSDate(startsAt, { zone: timezone }).setLocale(locale);
  return locale === 'fr'
    ? `${d.toFormat('cccc d LLLL yyyy')} à ${d.toFormat('HH:mm')}`
    : `${d.toFormat('cccc d LLLL yyyy')} at ${d.toFormat('HH:mm')}`;
}

const localeOf = (l: string | null | undefined): Locale => (l?.toLowerCase().startsWith('fr') ? 'fr' : 'en');

export function reminderEmail(language: string | null, v: AppointmentMessageVars): { subject: string; text: string } {
  const l = localeOf(language);
  const when = localWhen(v.startsAt, v.timezone, l);
  if (l === 'fr')
    return {
      subject: `Rappel : rendez-vous à ${v.clinicName} le ${when}`,
      text: `Bonjour ${v.name},\n\nNous vous rappelons votre rendez-vous avec ${v.practitionerName} à ${v.clinicName} le ${when} (heure locale).\n\nSi vous ne pouvez pas venir, annulez ou déplacez-le depuis votre portail patient (${v.portalUrl}) ou appelez ${v.clinicName}, afin que quelqu'un d'autre puisse être reçu.\n`,
    };
  return {
    subject: `Reminder: appointment at ${v.clinicName} on ${when}`,
    text: `Hello ${v.name},\n\nThis is a reminder of your appointment with ${v.practitionerName} at ${v.clinicName} on ${when} (local time).\n\nIf you cannot come, cancel or reschedule it in your patient portal (${v.portalUrl}) or call ${v.clinicName}, so that someone else can be seen.\n`,
  };
}

export function reminderSms(language: string | null, v: AppointmentMessageVars): string {
  const l = localeOf(language);
  const when = localWhen(v.startsAt, v.timezone, l);
  return l === 'fr'
    ? `${v.clinicName} : rappel de votre rendez-vous avec ${v.practitionerName} le ${when}. Pour annuler : ${v.portalUrl}`
    : `${v.clinicName}: reminder of your appointment with ${v.practitionerName} on ${when}. To cancel: ${v.portalUrl}`;
}

export function waitlistOfferEmail(
  language: string | null,
  v: AppointmentMessageVars & { holdExpiresAt: Date },
): { subject: string; text: string } {
  const l = localeOf(language);
  const when = localWhen(v.startsAt, v.timezone, l);
  const until = DateTime.fromJSDate(v.holdExpiresAt, { zone: v.timezone }).toFormat('HH:mm');
  if (l === 'fr')
    return {
      subject: `Une place s'est libérée à ${v.clinicName} le ${when}`,
      text: `Bonjour ${v.name},\n\nVous êtes sur la liste d'attente : une place s'est libérée avec ${v.practitionerName} à ${v.clinicName} le ${when} (heure locale).\n\nElle vous est réservée jusqu'à ${until}. Acceptez-la ou refusez-la dans votre portail patient : ${v.portalUrl}\n`,
    };
  return {
    subject: `A slot opened at ${v.clinicName} on ${when}`,
    text: `Hello ${v.name},\n\nYou are on the waiting list: a slot opened with ${v.practitionerName} at ${v.clinicName} on ${when} (local time).\n\nIt is held for you until ${until}. Accept or decline it in your patient portal: ${v.portalUrl}\n`,
  };
}
