import { Button, type ButtonProps } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { notifyError } from '../../../lib/errors.ts';
import { useStartEncounter } from '../api/encounters.ts';

export interface StartConsultationButtonProps extends Pick<ButtonProps, 'size' | 'variant'> {
  /** a called (or in-service) queue ticket */
  ticketId?: string;
  /** a checked-in appointment */
  appointmentId?: string;
  /** a patient seen without the queue (walk-in, emergency) */
  patientId?: string;
  type?: 'outpatient' | 'emergency' | 'inpatient' | 'telehealth';
  /** the accessible name when several buttons share a screen ("Start consultation for C-004") */
  'aria-label'?: string;
}

/**
 * One click: starts the consultation (or opens the one already in progress for the same visit) and
 * goes to it, `/encounters/<id>`. Shows only to users who may run consultations (encounters:write).
 */
export function StartConsultationButton({
  ticketId,
  appointmentId,
  patientId,
  type,
  size = 'xs',
  variant = 'filled',
  'aria-label': ariaLabel,
}: StartConsultationButtonProps) {
  const { t } = useTranslation('encounters');
  const { can } = useAuth();
  const navigate = useNavigate();
  const start = useStartEncounter();
  if (!can('encounters:write')) return null;
  const source = ticketId ? { ticketId } : appointmentId ? { appointmentId } : patientId ? { patientId } : null;
  if (!source) return null;
  return (
    <Button
      size={size}
      variant={variant}
      leftSection={<IconStethoscope size={14} aria-hidden />}
      loading={start.isPending}
      aria-label={ariaLabel}
      onClick={() =>
        start.mutate(
          { ...source, ...(type ? { type } : {}) },
          {
            onSuccess: (encounter) => void navigate(`/encounters/${encounter.id}`),
            onError: (err) => notifyError(err, t),
          },
        )
      }
    >
      {t('start.button')}
    </Button>
  );
}
