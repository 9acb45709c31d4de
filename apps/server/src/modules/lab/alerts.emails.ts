import { DateTime } from 'luxon';

/**
 * The e-mails of a critical lab value: to the ordering doctor when it is released, and to the
 * clinic's doctors on duty when nobody acknowledges it. No patient data (e-mail leaves the system):
 * the clinic, the order number, when, and a link to the application where a signed-in doctor sees it.
 */
export function criticalEmail(
  language: string | null,
  v: {
    clinicName: string;
    timezone: string;
    orderNumber: string;
    raisedAt: Date;
    /** 0 when raised, else the escalation level */
    level: number;
    minutesOpen: number;
    appUrl: string;
  },
): { subject: string; text: string } {
  const fr = !!language?.toLowerCase().startsWith('fr');
  const at = DateTime.fromJSDate(v.raisedAt, { zone: v.timezone }).toFormat('HH:mm');
  if (fr) {
    if (v.level === 0)
      return {
        subject: `${v.clinicName} : valeur critique de laboratoire (${v.orderNumber})`,
        text: `Un résultat critique de la demande ${v.orderNumber} a été validé à ${at} (heure locale) à ${v.clinicName}.\n\nOuvrez Sanita pour voir le résultat et en accuser réception : ${v.appUrl}\n`,
      };
    return {
      subject: `${v.clinicName} : valeur critique de laboratoire non prise en charge (niveau ${v.level})`,
      text: `Un résultat critique de la demande ${v.orderNumber}, validé à ${at} (heure locale) à ${v.clinicName}, n'a pas été pris en charge depuis ${v.minutesOpen} minutes (escalade de niveau ${v.level}).\n\nOuvrez Sanita pour voir le résultat et en accuser réception : ${v.appUrl}\n`,
    };
  }
  if (v.level === 0)
    return {
      subject: `${v.clinicName}: critical laboratory value (${v.orderNumber})`,
      text: `A critical result of order ${v.orderNumber} was released at ${at} (local time) at ${v.clinicName}.\n\nOpen Sanita to see the result and acknowledge it: ${v.appUrl}\n`,
    };
  return {
    subject: `${v.clinicName}: critical laboratory value not acknowledged (level ${v.level})`,
    text: `A critical result of order ${v.orderNumber}, released at ${at} (local time) at ${v.clinicName}, has not been acknowledged for ${v.minutesOpen} minutes (escalation level ${v.level}).\n\nOpen Sanita to see the result and acknowledge it: ${v.appUrl}\n`,
  };
}
