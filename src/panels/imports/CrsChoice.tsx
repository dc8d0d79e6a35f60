// The source CRS: from the file, an EPSG code, or coordinates copied from Amap (GCJ-02) or Baidu (BD-09).
import { useI18n } from '../../i18n/index.tsx';
import { validEpsg, type CrsMode } from './importOptions.ts';

interface Props {
  modes: readonly CrsMode[];
  mode: CrsMode;
  epsg: string;
  disabled: boolean;
  onMode(mode: CrsMode): void;
  onEpsg(epsg: string): void;
}

export function CrsChoice({ modes, mode, epsg, disabled, onMode, onEpsg }: Props) {
  const { t } = useI18n();
  return (
    <fieldset className="filter-field crs-choice" disabled={disabled}>
      <legend>{t('import.crs')}</legend>
      {modes.map((m) => (
        <label key={m} className="radio">
          <input type="radio" name="crs" value={m} checked={mode === m} onChange={() => onMode(m)} data-testid={`import-crs-${m}`} />
          {t(`import.crs.${m}`)}
          {m === 'epsg' && (
            <input type="text" inputMode="numeric" className="epsg-input" placeholder="4547" value={epsg} disabled={mode !== 'epsg'}
              aria-label={t('import.epsgCode')} aria-invalid={mode === 'epsg' && epsg !== '' && !validEpsg(epsg)} data-testid="import-epsg"
              onChange={(e) => onEpsg(e.currentTarget.value)} />
          )}
        </label>
      ))}
    </fieldset>
  );
}
