/** The patient portal: what a patient user may do on their own record. */
export const permissions = ['portal:self'] as const;
