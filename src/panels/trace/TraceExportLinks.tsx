// Downloads of the traced reaches from the export route: plain links, so the browser saves the file
// under the name the server gives it (Content-Disposition) and a right click can copy the URL.
import { exportUrl } from '../../api/endpoints.ts';
import type { ExportFormat, TraceDirection, TraceFrom } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';

const FORMATS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'geojson', label: 'GeoJSON' },
  { format: 'gpkg', label: 'GeoPackage' },
  { format: 'csv', label: 'CSV' },
  { format: 'inp', label: 'SWMM .inp' },
];

export function TraceExportLinks({ from, direction }: { from: TraceFrom; direction: TraceDirection }) {
  const { t } = useI18n();
  return (
    <div className="export-links" data-testid="trace-export">
      <span className="muted">{t('trace.export')}</span>
      {FORMATS.map(({ format, label }) => (
        <a key={format} className="button small" href={exportUrl(format, { from, direction })} download data-testid={`trace-export-${format}`}
          title={t('trace.exportHint', { format: label })}>
          <Icon name="download" /> {label}
        </a>
      ))}
    </div>
  );
}
