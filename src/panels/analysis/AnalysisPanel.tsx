// 管网分析 — the planner's drainage analysis, docked across the bottom like an attribute table: the
// hazard ranking (RI / MI) and the per-street / per-community summary. Loaded when first opened.
import { useState } from 'react';
import type { Geometry } from 'geojson';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';
import { RankingView } from './RankingView.tsx';
import { SummaryView } from './SummaryView.tsx';
import { useAreas } from './useAreas.ts';

type Tab = 'ranking' | 'summary';

interface Props {
  selectedPipe: number | null;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
  onImport(): void;
  onClose(): void;
}

export default function AnalysisPanel({ selectedPipe, onSelect, onImport, onClose }: Props) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('ranking');
  const { areas, failed, retry } = useAreas();
  return (
    <aside className="panel tool-panel wide has-results analysis-panel" data-testid="analysis-panel" aria-label={t('analysis.title')}>
      <header className="panel-header">
        <h2><Icon name="chart" /> {t('analysis.title')}</h2>
        <div className="tabs header-tabs" role="tablist">
          {(['ranking', 'summary'] as const).map((id) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} data-testid={`analysis-tab-${id}`}
              onClick={() => setTab(id)}>
              {t(`analysis.tab.${id}`)}
            </button>
          ))}
        </div>
        <div className="header-actions">
          {failed && (
            <button type="button" className="link-button small-text" onClick={retry} title={t('area.failed')}>
              <Icon name="warning" /> {t('common.retry')}
            </button>
          )}
          <button type="button" className="button small" onClick={onImport} data-testid="analysis-import">
            <Icon name="upload" /> {t('import.open')}
          </button>
          <button type="button" className="icon-button" onClick={onClose} title={t('common.close')} aria-label={t('common.close')} data-testid="analysis-close">
            <Icon name="close" />
          </button>
        </div>
      </header>
      {tab === 'ranking'
        ? <RankingView areas={areas} selectedPipe={selectedPipe} onSelect={onSelect} />
        : <SummaryView areas={areas} />}
    </aside>
  );
}
