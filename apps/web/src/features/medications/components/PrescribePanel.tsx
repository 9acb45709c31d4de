import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconCopy, IconDeviceFloppy, IconPlus, IconSignature, IconStar, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { checkMedications } from '@sanita/clinical/medications';
import type { ConsultationPartProps } from '../../../app/feature.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { PrescriptionCreate } from '@sanita/contracts/medications';
import { schemaIssues } from '../../../lib/validation.ts';
import { isApiError } from '../../../lib/api/errors.ts';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { useFormatters } from '../../../lib/dates.ts';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/errors.ts';
import { useVitals } from '../../chart/index.ts';
import { AllergyBanner, useAllergies } from '../../history/index.ts';
import { usePatient } from '../../patients/index.ts';
import {
  useAddFavourite,
  useCurrentMedications,
  useDeleteFavourite,
  useFavourites,
  useFormularyItems,
  usePatientPrescriptions,
  usePrescriptionActions,
  type MedicationAlert,
  type Prescription,
} from '../api/medications.ts';
import {
  asksPregnancyOf,
  carriedAnswers,
  checkInputs,
  emptyItem,
  itemFromFavourite,
  itemFromFormulary,
  itemFromSaved,
  recompute,
  toFavourite,
  toInput,
  withFormulary,
  type DraftItem,
  type Lang,
  type PregnancyAnswers,
} from '../lib/items.ts';
import { reasonOk } from './AlertList.tsx';
import { FormularyPicker } from './FormularyPicker.tsx';
import { ItemEditor } from './ItemEditor.tsx';
import { PrescriptionView } from './PrescriptionView.tsx';

const SIGNED = new Set(['active', 'completed', 'expired']);
/** a pause in typing after which the draft saves itself */
const AUTOSAVE_MS = 2500;

/**
 * The consultation's prescription (a panel of /encounters/:id): what was signed in this consultation, and
 * the prescription being written, checked against the patient's current medications and allergies as it
 * is typed.
 */
export function PrescribePanel({ encounter, patientId }: ConsultationPartProps) {
  const { t } = useTranslation('medications');
  const prescriptions = usePatientPrescriptions(patientId);
  const { can } = useAuth();
  const [session, setSession] = useState(0);

  if (prescriptions.isPending) return <Skeleton h={160} radius="md" />;
  if (prescriptions.isError) return <QueryError error={prescriptions.error} onRetry={() => void prescriptions.refetch()} />;
  const all = prescriptions.data.data;
  const here = all.filter((p) => p.encounterId === encounter.id);
  const draft = here.find((p) => p.status === 'draft') ?? null;
  const signedHere = here.filter((p) => p.status !== 'draft');
  const last = all
    .filter((p) => SIGNED.has(p.status) && p.signedAt)
    .sort((a, b) => (b.signedAt ?? '').localeCompare(a.signedAt ?? ''))[0];
  const writable = can('prescriptions:write') && encounter.status === 'in_progress';

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="rx-title" data-testid="prescribe-panel">
      <Stack gap="sm">
        <Title order={2} size="h4" id="rx-title">
          {t('panel.title')}
        </Title>
        {signedHere.length > 0 && (
          <Stack gap="xs">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              {t('panel.inThisVisit')}
            </Text>
            {signedHere.map((p) => (
              <PrescriptionView key={p.id} prescription={p} />
            ))}
          </Stack>
        )}
        {writable ? (
          <Editor
            // the editor owns what is typed from its mount on: a refetch of the list (window focus, a dispense)
            // must not replace it; a new one starts once the signed prescription has left the drafts
            key={session}
            encounterId={encounter.id}
            patientId={patientId}
            initial={draft}
            last={last ?? null}
            carried={carriedAnswers(all.filter((p) => p.id !== draft?.id))}
            onSigned={() => void prescriptions.refetch().then(() => setSession((s) => s + 1))}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {encounter.status === 'in_progress' ? t('panel.readOnly') : t('panel.encounterClosed')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

type SaveStatus = 'clean' | 'dirty' | 'saving' | 'saved' | 'failed';

function Editor({
  encounterId,
  patientId,
  initial,
  last,
  carried,
  onSigned,
}: {
  encounterId: string;
  patientId: string;
  initial: Prescription | null;
  last: Prescription | null;
  /** the pregnancy and breastfeeding answers of the patient's latest prescription of the last nine months */
  carried: { answers: PregnancyAnswers; from: string | null };
  onSigned: () => void;
}) {
  const { t, i18n } = useTranslation('medications');
  const f = useFormatters();
  const { can } = useAuth();
  const uiLang: Lang = i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
  const patient = usePatient(patientId);
  const current = useCurrentMedications(patientId);
  const allergies = useAllergies(patientId);
  const vitals = useVitals(patientId);
  const favourites = useFavourites();
  const addFavourite = useAddFavourite();
  const deleteFavourite = useDeleteFavourite();
  const actions = usePrescriptionActions(patientId, encounterId);

  const preferred = patient.data?.preferredLanguage;
  const [lang, setLang] = useState<Lang>(initial?.language ?? (preferred === 'fr' || preferred === 'en' ? preferred : uiLang));
  // the patient's language may arrive after the panel opened: it becomes the prescription's, unless a draft or the
  // doctor chose one (the instructions not typed by hand follow it)
  const langChosen = useRef(!!initial?.language || preferred === 'fr' || preferred === 'en');
  useEffect(() => {
    if (langChosen.current || (preferred !== 'fr' && preferred !== 'en')) return;
    langChosen.current = true;
    setLang(preferred);
    setItems((list) => list.map((item) => recompute(item, preferred)));
  }, [preferred]);
  const [items, setItems] = useState<DraftItem[]>(() => initial?.items.map(itemFromSaved) ?? []);
  const [note, setNote] = useState(initial?.note ?? '');
  const [answers, setAnswers] = useState<PregnancyAnswers>(() =>
    initial ? { pregnant: initial.pregnant, breastfeeding: initial.breastfeeding } : carried.answers,
  );
  /** the answers came from an earlier prescription and have not been touched here */
  const [carriedFrom, setCarriedFrom] = useState<string | null>(initial ? null : carried.from);
  const [id, setId] = useState<string | null>(initial?.id ?? null);
  /** the draft's id as the server last answered (a save queued behind a create updates what it created) */
  const idRef = useRef<string | null>(initial?.id ?? null);
  /** saves run one after the other: two at once would create two drafts or meet a stale version */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const edits = useRef(0);
  const version = useRef<number | null>(initial?.version ?? null);
  const [status, setStatus] = useState<SaveStatus>(initial ? 'saved' : 'clean');
  const [savedAt, setSavedAt] = useState<string | null>(initial?.createdAt ?? null);
  const [failure, setFailure] = useState<string | null>(null);
  /** the server's alerts of the last refused sign: item index in the items sent */
  const [serverAlerts, setServerAlerts] = useState<MedicationAlert[]>([]);
  const [confirmSign, setConfirmSign] = useState(false);
  const [busy, setBusy] = useState(false);
  const pickerRef = useRef<HTMLInputElement>(null);

  // a reloaded draft's items learn their strength and form, so that the quantity follows the dose again
  const [unknownIds] = useState(() => [
    ...new Set(items.flatMap((i) => (i.formularyItemId && i.strength === null && i.form === null ? [i.formularyItemId] : []))),
  ]);
  const formularyItems = useFormularyItems(unknownIds);
  const loaded = formularyItems.filter((q) => q.data).length;
  useEffect(() => {
    if (loaded === 0) return;
    const byId = new Map(formularyItems.flatMap((q) => (q.data ? [[q.data.id, q.data] as const] : [])));
    setItems((all) =>
      all.map((i) => {
        const f = i.formularyItemId && i.strength === null && i.form === null ? byId.get(i.formularyItemId) : undefined;
        return f ? withFormulary(i, f, lang) : i;
      }),
    );
    // once per item arriving (the queries' array is new at each render)
  }, [loaded]);

  const edit = (next: DraftItem[]) => {
    edits.current++;
    setItems(next);
    setStatus('dirty');
  };
  const focusDose = (key: string) => setTimeout(() => document.getElementById(`rx-${key}-dose`)?.focus(), 0);
  const add = (item: DraftItem) => {
    edit([...items, item]);
    focusDose(item.key);
  };

  // ------------------------------------------------------------------ checks, as typed
  const latestWeight = vitals.rows.find((v) => v.weightKg !== null)?.weightKg ?? null;
  const birth = patient.data?.birthDate;
  const ageYears = birth ? Math.floor((Date.now() - Date.parse(birth)) / (365.2425 * 86_400_000)) : null;
  // asked of women of childbearing age only; for anyone else the checks and the server hear nothing
  const asked = asksPregnancyOf(patient.data);
  const told: PregnancyAnswers | Record<string, never> = asked ? answers : {};
  const currentList = current.data?.data ?? [];
  const allergyList = allergies.data?.data ?? [];
  const { check, indexes } = useMemo(() => {
    const { input, indexes } = checkInputs(items, currentList, id, {
      allergies: allergyList,
      patient: { ageYears, weightKg: latestWeight, ...told },
    });
    return { check: checkMedications(input), indexes };
  }, [items, currentList, allergyList, id, ageYears, latestWeight, asked, answers]);

  /** alerts by item (draft index): local checks, then the server's that the local checks did not give */
  const alertsByItem = useMemo(() => {
    const out = items.map(() => [] as MedicationAlert[]);
    const seen = new Set<string>();
    for (const a of check.alerts) {
      const i = indexes[a.item];
      if (i === undefined) continue;
      out[i]!.push({ ...a, drugs: [...a.drugs] });
      seen.add(`${i}|${a.key}`);
    }
    for (const a of serverAlerts) {
      const i = indexes[a.item];
      if (i === undefined || seen.has(`${i}|${a.key}`)) continue;
      out[i]!.push(a);
    }
    return out;
  }, [check, indexes, items, serverAlerts]);
  const unrecognised = new Set(check.unrecognised.map((u) => indexes[u]));
  const missingReasons = items.reduce(
    (n, item, i) => n + alertsByItem[i]!.filter((a) => a.blocking && !reasonOk(item.overrides[a.key])).length,
    0,
  );

  // ------------------------------------------------------------------ save and sign
  const body = () => {
    const sent = indexes.map((i) => items[i]!);
    return sent.map((item, n) =>
      toInput(
        item,
        alertsByItem[indexes[n]!]!.map((a) => a.key),
      ),
    );
  };

  const save = (): Promise<Prescription | null> => {
    // what is typed now is what this save sends, whenever its turn comes
    const payload = { language: lang, items: body(), note: note.trim(), ...told };
    const sent = edits.current;
    const run = queue.current.then(async (): Promise<Prescription | null> => {
      setStatus('saving');
      setFailure(null);
      try {
        const current = idRef.current;
        const p =
          current && version.current !== null
            ? await actions.update(current, { version: version.current, ...payload, note: payload.note || null })
            : await actions.create({
                language: payload.language,
                items: payload.items,
                ...(payload.note ? { note: payload.note } : {}),
                ...told,
              });
        idRef.current = p.id;
        setId(p.id);
        version.current = p.version;
        setSavedAt(new Date().toISOString());
        setStatus(edits.current === sent ? 'saved' : 'dirty');
        return p;
      } catch (err) {
        setStatus('failed');
        setFailure(errorMessage(err, t));
        if (isApiError(err) && err.code === 'MEDICATION_ALERTS') {
          setServerAlerts(alertsOf(err.details));
          actions.refreshCurrent();
        }
        return null;
      }
    });
    queue.current = run;
    return run;
  };

  // the draft saves itself a moment after the last change, once what is typed is complete enough to send
  const complete = useMemo(
    () =>
      indexes.length > 0 &&
      schemaIssues(PrescriptionCreate, { language: lang, items: indexes.map((i) => toInput(items[i]!, [])) }).length === 0,
    [indexes, items, lang],
  );
  useEffect(() => {
    if (status !== 'dirty' || !complete || busy) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // save() reads what is typed at the time it fires
  }, [items, note, lang, answers, status, complete, busy]);

  const askSign = () => {
    if (indexes.length === 0 || missingReasons > 0 || busy) return;
    setConfirmSign(true);
  };

  const doSign = async () => {
    setBusy(true);
    // once signed, the editor stays busy until the next one replaces it
    let signed = false;
    try {
      const saved = await save();
      if (!saved) return;
      await actions.sign(saved.id, saved.version);
      signed = true;
      notifySuccess(t('panel.signed'));
      setConfirmSign(false);
      actions.refresh();
      onSigned();
    } catch (err) {
      setFailure(errorMessage(err, t));
      setStatus('failed');
      if (isApiError(err) && err.code === 'MEDICATION_ALERTS') {
        setServerAlerts(alertsOf(err.details));
        actions.refreshCurrent();
      }
      setConfirmSign(false);
    } finally {
      if (!signed) setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      askSign();
    }
  };

  const answer = (field: keyof PregnancyAnswers, value: string) => {
    edits.current++;
    setAnswers((a) => ({ ...a, [field]: value === 'yes' ? true : value === 'no' ? false : null }));
    setCarriedFrom(null);
    setStatus('dirty');
  };
  const answerData = [
    { value: 'unknown', label: t('panel.answerUnknown') },
    { value: 'no', label: t('panel.answerNo') },
    { value: 'yes', label: t('panel.answerYes') },
  ];
  const answerValue = (v: boolean | null) => (v === true ? 'yes' : v === false ? 'no' : 'unknown');

  const changeLang = (l: Lang) => {
    langChosen.current = true;
    setLang(l);
    edit(items.map((item) => recompute(item, l)));
  };

  const repeatLast = () => {
    if (!last) return;
    const copied = last.items.map((i) =>
      recompute({ ...itemFromSaved({ ...i, overrides: [] }), instructionsEdited: false }, lang),
    );
    edit([...items, ...copied]);
    notifySuccess(t('panel.repeatDone'));
  };

  const statusText =
    status === 'saving'
      ? t('panel.saving')
      : status === 'saved' && savedAt
        ? t('panel.saved', { time: f.dateTime(savedAt).split(' ').pop() })
        : status === 'failed'
          ? (failure ?? t('panel.unsaved'))
          : status === 'dirty'
            ? t('panel.unsaved')
            : '';

  const checksIncomplete = current.isError || allergies.isError;

  return (
    <Stack gap="sm" onKeyDown={onKeyDown} data-testid="prescription-editor">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <div style={{ flex: 1, minWidth: 280 }}>
          <FormularyPicker
            inputRef={pickerRef}
            onPick={(fi) => add(itemFromFormulary(fi, lang))}
            onFreeText={(name) => add(recompute({ ...emptyItem(), name }, lang))}
          />
        </div>
        <Group gap="xs" wrap="wrap">
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" leftSection={<IconStar size={14} aria-hidden />}>
                {t('panel.favourites')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(favourites.data?.data ?? []).length === 0 ? (
                <Menu.Label>{t('panel.favouritesEmpty')}</Menu.Label>
              ) : (
                favourites.data!.data.map((fav) => (
                  <Group key={fav.id} gap={0} wrap="nowrap">
                    <Menu.Item
                      style={{ flex: 1 }}
                      leftSection={<IconPlus size={14} aria-hidden />}
                      onClick={() => add(recompute({ ...itemFromFavourite(fav), instructionsEdited: false }, lang))}
                    >
                      {fav.label}
                    </Menu.Item>
                    <Menu.Item
                      w="auto"
                      color="red"
                      aria-label={t('panel.favouriteRemove', { label: fav.label })}
                      onClick={() => deleteFavourite.mutate(fav.id, { onError: (err) => notifyError(err, t) })}
                    >
                      <IconTrash size={14} aria-hidden />
                    </Menu.Item>
                  </Group>
                ))
              )}
            </Menu.Dropdown>
          </Menu>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconCopy size={14} aria-hidden />}
            onClick={repeatLast}
            disabled={!last}
            data-testid="repeat-last"
          >
            {t('panel.repeatLast')}
          </Button>
          <SegmentedControl
            size="xs"
            aria-label={t('panel.language')}
            value={lang}
            onChange={(v) => changeLang(v as Lang)}
            data={[
              { value: 'en', label: 'EN' },
              { value: 'fr', label: 'FR' },
            ]}
          />
        </Group>
      </Group>

      {/* what the checks run against, in view while prescribing: the allergies as the chart's banner shows them */}
      <Group gap="sm" wrap="wrap">
        {patient.data && can('history:read') && <AllergyBanner patient={patient.data} />}
        {!checksIncomplete && (
          <Text size="xs" c="dimmed">
            {t('alerts.checking', { current: currentList.length, allergies: allergyList.length })}
          </Text>
        )}
      </Group>
      {asked && (
        <Group gap="md" wrap="wrap" align="center" data-testid="rx-pregnancy">
          {(['pregnant', 'breastfeeding'] as const).map((field) => (
            <Group key={field} gap={6} wrap="nowrap">
              <Text size="sm" aria-hidden>
                {t(`panel.${field}`)}
              </Text>
              <SegmentedControl
                size="xs"
                aria-label={t(`panel.${field}`)}
                value={answerValue(answers[field])}
                onChange={(v) => answer(field, v)}
                data={answerData}
                color={answers[field] ? 'grape' : undefined}
              />
            </Group>
          ))}
          <Text size="xs" c="dimmed">
            {carriedFrom ? t('panel.answersCarried', { date: f.date(carriedFrom) }) : t('panel.pregnancyHint')}
          </Text>
        </Group>
      )}
      {checksIncomplete && (
        <Alert color="orange" variant="light" p="xs">
          <Text size="sm">{t('alerts.noData')}</Text>
        </Alert>
      )}

      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('panel.empty')}
        </Text>
      ) : (
        items.map((item, i) => (
          <ItemEditor
            key={item.key}
            item={item}
            index={i}
            lang={lang}
            uiLang={uiLang}
            alerts={alertsByItem[i] ?? []}
            unrecognised={unrecognised.has(i)}
            onChange={(next) => edit(items.map((x) => (x.key === item.key ? next : x)))}
            onRemove={() => {
              edit(items.filter((x) => x.key !== item.key));
              pickerRef.current?.focus();
            }}
            onFavourite={
              can('prescriptions:write') && item.name.trim()
                ? () =>
                    addFavourite.mutate(
                      { label: item.name.trim().slice(0, 100), item: toFavourite(item) },
                      {
                        onSuccess: () => notifySuccess(t('item.favouriteSaved', { name: item.name })),
                        onError: (err) => notifyError(err, t),
                      },
                    )
                : undefined
            }
          />
        ))
      )}

      {items.length > 0 && (
        <Textarea
          size="xs"
          label={t('panel.note')}
          autosize
          minRows={1}
          maxRows={4}
          maxLength={1000}
          value={note}
          onChange={(e) => {
            edits.current++;
            setNote(e.currentTarget.value);
            setStatus('dirty');
          }}
        />
      )}

      {serverAlerts.length > 0 && status === 'failed' && (
        <Alert color="red" variant="light" p="xs">
          <Text size="sm">{t('alerts.server')}</Text>
        </Alert>
      )}

      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs">
          {missingReasons > 0 ? (
            <Badge color="red" variant="light" data-testid="blocking-count">
              {t('alerts.summaryBlocking', { count: missingReasons })}
            </Badge>
          ) : (
            items.length > 0 && (
              <Badge color="green" variant="light">
                {t('alerts.summaryClear')}
              </Badge>
            )
          )}
          <Text size="xs" c={status === 'failed' ? 'red' : 'dimmed'} role="status" aria-live="polite" data-testid="rx-status">
            {statusText}
          </Text>
        </Group>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {t('panel.keys')}
          </Text>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDeviceFloppy size={14} aria-hidden />}
            onClick={() => void save()}
            disabled={indexes.length === 0}
            loading={status === 'saving' && !busy}
          >
            {t('panel.save')}
          </Button>
          <Button
            size="xs"
            leftSection={<IconSignature size={14} aria-hidden />}
            onClick={askSign}
            disabled={indexes.length === 0 || missingReasons > 0}
            title={missingReasons > 0 ? t('panel.signBlocked') : undefined}
            loading={busy}
          >
            {t('panel.sign')}
          </Button>
        </Group>
      </Group>

      <Modal
        opened={confirmSign}
        onClose={() => setConfirmSign(false)}
        title={t('panel.signTitle')}
        closeButtonProps={{ 'aria-label': t('panel.signCancel') }}
      >
        <Stack gap="md">
          <Text size="sm">{t('panel.signText', { count: indexes.length })}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmSign(false)}>
              {t('panel.signCancel')}
            </Button>
            <Button onClick={() => void doSign()} loading={busy} data-autofocus>
              {t('panel.signConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The blocking alerts a 409 MEDICATION_ALERTS lists. */
function alertsOf(details: unknown): MedicationAlert[] {
  const alerts = (details as { alerts?: unknown } | null)?.alerts;
  return Array.isArray(alerts) ? (alerts as MedicationAlert[]) : [];
}
