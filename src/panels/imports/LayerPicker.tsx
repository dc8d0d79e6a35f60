// Which layer the file goes to, by its name in the UI's language, in the order a district loads them.
import type { ImportLayer } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { IMPORT_LAYER_ORDER } from './importOptions.ts';

export function LayerPicker({ layer, disabled, onChange }: { layer: ImportLayer; disabled: boolean; onChange(layer: ImportLayer): void }) {
  const { t } = useI18n();
  return (
    <label className="filter-field">
      <span>{t('import.layer')}</span>
      <select value={layer} disabled={disabled} data-testid="import-layer" onChange={(e) => onChange(e.currentTarget.value as ImportLayer)}>
        {IMPORT_LAYER_ORDER.map((l) => <option key={l} value={l}>{t(`import.layer.${l}`)}</option>)}
      </select>
    </label>
  );
}
