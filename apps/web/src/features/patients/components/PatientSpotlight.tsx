import { useState } from 'react';
import { Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight } from '@mantine/spotlight';
import { IconArrowRight, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { fullName } from '../../../lib/labels.ts';
import { useQuickPatientSearch } from '../api/patients.ts';

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** Ctrl/Cmd+K from any staff page: find a patient by name, MRN, phone, birth date or ID. */
export function PatientSpotlight() {
  const { t } = useTranslation('patients');
  const f = useFormatters();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const typed = query.trim();
  const text = debounced.trim();
  const search = useQuickPatientSearch(text);
  // Spotlight selects the first action as soon as the query changes, before the debounced search has
  // answered: results of an older query are hidden meanwhile, so that Enter never opens a patient (or
  // the registration form) that does not match what was typed — the first action is then "see all".
  const current = typed === text;
  const results = current && text.length >= 2 ? (search.data?.data ?? []) : [];
  const searching = typed.length >= 2 && (!current || search.isFetching);

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      // Ctrl/Cmd+K types nothing, so it may open the search even from inside a field.
      tagsToIgnore={[]}
      // The title names the dialog for screen readers; the search box makes it obvious to everyone else.
      title={t('search.dialogLabel')}
      styles={{ header: VISUALLY_HIDDEN }}
      // Opens at once, so that what is typed right after Ctrl/Cmd+K lands in the search box.
      transitionProps={{ duration: 0 }}
    >
      <Spotlight.Search
        placeholder={t('search.placeholder')}
        aria-label={t('search.dialogLabel')}
        leftSection={<IconSearch size={18} aria-hidden />}
        rightSection={searching ? <Loader size="xs" aria-label={t('common.loading')} /> : null}
      />
      <Spotlight.ActionsList aria-label={t('search.results')}>
        {typed.length < 2 && (
          <Text size="sm" c="dimmed" p="md">
            {t('search.hint')}
          </Text>
        )}
        {results.map((p) => (
          <Spotlight.Action key={p.id} onClick={() => void navigate(`/patients/${p.id}`)}>
            <Group justify="space-between" wrap="nowrap" w="100%">
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  {fullName(p)}
                </Text>
                <Text size="xs" c="dimmed">
                  {p.mrn} · {t(`sex.${p.sex}`)} · {f.date(p.birthDate)} ({f.age(p.birthDate)})
                  {p.phones[0] ? ` · ${p.phones[0]}` : ''}
                </Text>
              </Stack>
              {p.status !== 'active' && (
                <Badge variant="light" color="gray">
                  {t(`patient.status.${p.status}`)}
                </Badge>
              )}
            </Group>
          </Spotlight.Action>
        ))}
        {typed.length >= 2 && !searching && results.length === 0 && search.isFetched && (
          <Text size="sm" c="dimmed" p="md">
            {t('search.noResults', { query: typed })}
          </Text>
        )}
        {typed.length >= 2 && (
          <Spotlight.Action
            onClick={() => void navigate(`/patients?q=${encodeURIComponent(typed)}`)}
            leftSection={<IconArrowRight size={16} aria-hidden />}
            label={t('search.seeAll', { query: typed })}
          />
        )}
        {can('patients:write') && (
          <Spotlight.Action
            onClick={() => void navigate('/patients/new')}
            leftSection={<IconUserPlus size={16} aria-hidden />}
            label={t('patients.register')}
          />
        )}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
