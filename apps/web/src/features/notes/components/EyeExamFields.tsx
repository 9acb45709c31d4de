import { Fieldset, Group, NumberInput, SimpleGrid, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EYES, type Eye } from '@sanita/contracts/notes';
import type { EyeExam } from '../api/notes.ts';

type Eyes = { right: EyeExam; left: EyeExam };

/** The ophthalmology template's exam: per eye, visual acuity, refraction (sphere, cylinder, axis) and IOP. */
export function EyeExamFields({
  value,
  onChange,
  errors,
}: {
  value: Eyes;
  onChange: (next: Eyes) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation('notes');
  const set = (eye: Eye, patch: Partial<EyeExam>) => {
    const next: EyeExam = { ...value[eye], ...patch };
    for (const k of Object.keys(next) as (keyof EyeExam)[]) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange({ ...value, [eye]: next });
  };
  const num = (v: string | number) => (typeof v === 'number' ? v : v.trim() === '' || v === '-' ? undefined : Number(v));
  const err = (eye: Eye, k: keyof EyeExam) => errors[`sections.eyes.${eye}.${k}`] ?? null;
  return (
    <section aria-labelledby="eyes-title">
      <Title order={3} size="h5" id="eyes-title" mb="xs">
        {t('eyes.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {EYES.map((eye) => (
          <Fieldset key={eye} legend={t(`eyes.${eye}`)} data-testid={`eye-${eye}`}>
            <Group gap="xs" grow wrap="wrap">
              <TextInput
                label={t('eyes.visualAcuity')}
                description={t('eyes.visualAcuityHelp')}
                value={value[eye].visualAcuity ?? ''}
                onChange={(e) => set(eye, { visualAcuity: e.currentTarget.value.toUpperCase() || undefined })}
                error={err(eye, 'visualAcuity') && t('eyes.invalid')}
                maxLength={10}
                miw={120}
              />
              <NumberInput
                label={t('eyes.iop')}
                value={value[eye].iop ?? ''}
                onChange={(v) => set(eye, { iop: num(v) })}
                min={0}
                max={80}
                allowDecimal={false}
                error={err(eye, 'iop') && t('eyes.invalid')}
                miw={90}
              />
            </Group>
            <Group gap="xs" grow mt="xs" wrap="wrap">
              <NumberInput
                label={t('eyes.sphere')}
                value={value[eye].sphere ?? ''}
                onChange={(v) => set(eye, { sphere: num(v) })}
                step={0.25}
                decimalScale={2}
                min={-30}
                max={30}
                error={err(eye, 'sphere') && t('eyes.invalid')}
                miw={90}
              />
              <NumberInput
                label={t('eyes.cylinder')}
                value={value[eye].cylinder ?? ''}
                onChange={(v) => set(eye, { cylinder: num(v) })}
                step={0.25}
                decimalScale={2}
                min={-10}
                max={10}
                error={err(eye, 'cylinder') && t('eyes.invalid')}
                miw={90}
              />
              <NumberInput
                label={t('eyes.axis')}
                value={value[eye].axis ?? ''}
                onChange={(v) => set(eye, { axis: num(v) })}
                min={0}
                max={180}
                allowDecimal={false}
                error={err(eye, 'axis') && t('eyes.invalid')}
                miw={80}
              />
            </Group>
          </Fieldset>
        ))}
      </SimpleGrid>
    </section>
  );
}

/** The exam per eye of a signed note, as a small table. */
export function EyeExamView({ eyes }: { eyes: Eyes }) {
  const { t } = useTranslation('notes');
  const cells = (e: EyeExam) =>
    [
      e.visualAcuity && `${t('eyes.visualAcuity')} ${e.visualAcuity}`,
      e.sphere !== undefined && `${t('eyes.sphere')} ${e.sphere}`,
      e.cylinder !== undefined && `${t('eyes.cylinder')} ${e.cylinder}`,
      e.axis !== undefined && `${t('eyes.axis')} ${e.axis}`,
      e.iop !== undefined && `${t('eyes.iop')} ${e.iop}`,
    ]
      .filter(Boolean)
      .join(' · ') || '—';
  return (
    <section aria-label={t('eyes.title')}>
      <Title order={3} size="h5" mb={4}>
        {t('eyes.title')}
      </Title>
      {EYES.map((eye) => (
        <div key={eye}>
          <strong>{t(`eyes.${eye}`)}</strong>: {cells(eyes[eye])}
        </div>
      ))}
    </section>
  );
}
