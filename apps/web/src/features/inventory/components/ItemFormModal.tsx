import { useState } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../lib/auth/AuthProvider.tsx';
import { errorMessage, notifySuccess } from '../../../lib/errors.ts';
import { ITEM_KINDS, useCreateItem, useItemSettings, useUpdateItem, type Item, type ItemKind } from '../api/inventory.ts';
import { FormularyField } from './FormularyField.tsx';

/**
 * Adding an item to the catalogue, or editing one (name, unit, code, active) and the clinic's reorder level.
 * A medication is linked to its formulary product: what the pharmacy dispenses for prescriptions of it.
 */
export function ItemFormModal({ item, onClose }: { item?: Item; onClose: () => void }) {
  const { t } = useTranslation('inventory');
  const { can } = useAuth();
  const [kind, setKind] = useState<ItemKind>(item?.kind ?? 'medication');
  const [name, setName] = useState(item?.name ?? '');
  const [unit, setUnit] = useState(item?.unit ?? '');
  const [code, setCode] = useState(item?.code ?? '');
  const [formularyItemId, setFormularyItemId] = useState<string | null>(item?.formularyItemId ?? null);
  const [reorderLevel, setReorderLevel] = useState<number | ''>(item?.reorderLevel ?? 0);
  const [active, setActive] = useState(item?.active ?? true);
  const [tried, setTried] = useState(false);
  const create = useCreateItem();
  const update = useUpdateItem();
  const settings = useItemSettings();
  const error = create.error ?? update.error ?? settings.error;
  // the picker searches the formulary (formulary:read); without it, the link is left as it is
  const pickFormulary = kind === 'medication' && can('formulary:read');
  const formulary = pickFormulary ? formularyItemId : (item?.formularyItemId ?? null);
  const pending = create.isPending || update.isPending || settings.isPending;

  const errors = {
    name: !name.trim() ? t('form.required') : null,
    unit: !unit.trim() ? t('form.required') : null,
    reorderLevel: typeof reorderLevel !== 'number' || reorderLevel < 0 ? t('form.zeroOrMore') : null,
  };

  const submit = async () => {
    setTried(true);
    if (Object.values(errors).some(Boolean)) return;
    const level = reorderLevel as number;
    try {
      if (!item) {
        await create.mutateAsync({
          kind,
          name: name.trim(),
          unit: unit.trim(),
          code: code.trim() || null,
          ...(pickFormulary && formulary ? { formularyItemId: formulary } : {}),
          reorderLevel: level,
        });
      } else {
        const linkChanged = formulary !== item.formularyItemId;
        const changed =
          name.trim() !== item.name ||
          unit.trim() !== item.unit ||
          (code.trim() || null) !== item.code ||
          active !== item.active ||
          linkChanged;
        if (changed)
          await update.mutateAsync({
            id: item.id,
            body: {
              version: item.version,
              name: name.trim(),
              unit: unit.trim(),
              code: code.trim() || null,
              active,
              ...(linkChanged ? { formularyItemId: formulary } : {}),
            },
          });
        if (level !== item.reorderLevel) await settings.mutateAsync({ id: item.id, reorderLevel: level });
      }
      notifySuccess(t(item ? 'itemForm.saved' : 'itemForm.created', { name: name.trim() }));
      onClose();
    } catch {
      // shown below the form
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={item ? t('itemForm.editTitle', { name: item.name }) : t('itemForm.createTitle')}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('itemForm.kind')}
            data={ITEM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as ItemKind)}
            disabled={!!item}
            allowDeselect={false}
          />
          <TextInput
            label={t('itemForm.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
            error={tried ? errors.name : null}
            required
            data-autofocus
          />
          {pickFormulary && <FormularyField value={formularyItemId} onChange={setFormularyItemId} />}
          <Group grow align="flex-start">
            <TextInput
              label={t('itemForm.unit')}
              description={t('itemForm.unitHint')}
              value={unit}
              onChange={(e) => setUnit(e.currentTarget.value)}
              maxLength={40}
              error={tried ? errors.unit : null}
              required
            />
            <TextInput label={t('itemForm.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} maxLength={64} />
          </Group>
          <NumberInput
            label={t('itemForm.reorderLevel')}
            description={t('itemForm.reorderHint')}
            value={reorderLevel}
            onChange={(v) => setReorderLevel(typeof v === 'number' ? v : '')}
            min={0}
            max={1_000_000}
            allowDecimal={false}
            allowNegative={false}
            error={tried ? errors.reorderLevel : null}
          />
          {item && <Switch label={t('itemForm.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
          {error && (
            <Alert color="red" role="alert">
              {errorMessage(error, t)}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending}>
              {t(item ? 'itemForm.save' : 'itemForm.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
