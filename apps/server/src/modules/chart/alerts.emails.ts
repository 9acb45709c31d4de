import { DateTime } from 'luxon';

/**
 * The e-mail a clinic's doctors receive when a NEWS2 alert stays unacknowledged: no patient data
 * (e-mail leaves the system), only the clinic, when the alert was raised, its escalation level and
 * a link to the application, where a signed-in doctor sees who it is about.
 */
export function escalationEmail(
  language: string | null,
  v: { clinicName: string; raisedAt: Date; timezone: string; level: number; minutesOpen: number; appUrl: string },
): { subject: string; text: string } {
  const fr = !!language?.toLowerCase().startsWith('fr');
  const at = DateTime.fromJSDate(v.raisedAt, { zone: v.timezone }).toFormat('HH:mm');
  if (fr)
    return {
      subject: `${v.clinicName} : alerte NEWS2 non prise en charge (niveau ${v.level})`,
      text: `Une alerte NEWS2 levée à ${at} (heure locale) à ${v.clinicName} n'a pas été prise en charge depuis ${v.minutesOpen} minutes (escalade de niveau ${v.level}).\n\nOuvrez Sanita pour voir le patient et prendre l'alerte en charge : ${v.appUrl}\n`,
    };
  return {
    subject: `${v.clinicName}: NEWS2 alert not acknowledged (level ${v.level})`,
    text: `A NEWS2 alert raised at ${at} (local time) at ${v.clinicName} has not been acknowledged for ${v.minutesOpen} minutes (escalation level ${v.level}).\n\nOpen Sanita to see the patient and acknowledge the alert: ${v.appUrl}\n`,
  };
}
