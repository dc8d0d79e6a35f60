import { useState, type ReactNode } from 'react';
import type { Geometry } from 'geojson';
import { useI18n } from '../i18n/index.tsx';
import type { LayerId } from '../layers/catalog.ts';
import type { PipeColorMode } from '../layers/types.ts';
import type { Theme } from '../map/palette.ts';
import { useMapHandle } from '../map/MapContext.ts';
import { AreaZoom } from './AreaZoom.tsx';
import { LangSwitch } from './LangSwitch.tsx';
import { SearchBox } from './SearchBox.tsx';
import { SyntheticBadge } from './SyntheticBadge.tsx';
import { useSynthetic } from '../api/dataLayers.ts';
import { Icon } from './Icon.tsx';
import { TOOL_IDS, type ToolId } from './tools/toolIds.ts';

interface Props {
  theme: Theme;
  onTheme(t: Theme): void;
  tool: ToolId | null;
  onTool(t: ToolId | null): void;
  onSelect(layer: string, id: string | number, geometry?: Geometry | null): void;
  visible: ReadonlySet<LayerId>;
  pipeColor: PipeColorMode;
  analysisOpen: boolean;
  onAnalysis(): void;
  onImport(): void;
  /** The edit mode (planners, admins): open or not. */
  editOpen: boolean;
  onEdit(): void;
  /** Buttons of other work areas (cases), placed after the drainage ones. */
  extraTools?: ReactNode;
}

const TOOL_ICON: Record<ToolId, Parameters<typeof Icon>[0]['name']> = {
  'measure-line': 'ruler',
  'measure-area': 'area',
  'select-polygon': 'polygon',
  'select-circle': 'circle',
};

export function TopBar({ theme, onTheme, tool, onTool, onSelect, visible, pipeColor, analysisOpen, onAnalysis, onImport, editOpen, onEdit, extraTools }: Props) {
  const { t, lang } = useI18n();
  const synthetic = useSynthetic();
  const { map } = useMapHandle();
  const [printing, setPrinting] = useState<'png' | 'print' | null>(null);
  const [printError, setPrintError] = useState<string | null>(null);

  const exportMap = async (mode: 'png' | 'print') => {
    if (!map || printing) return;
    setPrinting(mode);
    setPrintError(null);
    try {
      const { exportMapImage } = await import('./tools/print.ts');
      await exportMapImage(map, { mode, theme, lang, visible, pipeColor, t, synthetic: synthetic !== false });
    } catch (e) {
      setPrintError((e as Error).message);
    } finally {
      setPrinting(null);
    }
  };

  return (
    <header className="top-bar" data-testid="top-bar">
      <div className="title-text">
        <h1 data-testid="app-title">{t('app.title')}</h1>
        <p>{t('app.subtitle')}</p>
      </div>
      <SyntheticBadge />
      <SearchBox onSelect={onSelect} />
      <AreaZoom />
      <div className="toolbar" role="toolbar" aria-label={t('tools.label')}>
        {TOOL_IDS.map((id) => (
          <button
            key={id}
            type="button"
            className={`tool-button${tool === id ? ' active' : ''}`}
            aria-pressed={tool === id}
            title={t(`tool.${id}` as const)}
            data-testid={`tool-${id}`}
            onClick={() => onTool(tool === id ? null : id)}
          >
            <Icon name={TOOL_ICON[id]} />
            <span className="tool-label">{t(`tool.${id}.short` as const)}</span>
          </button>
        ))}
        <span className="toolbar-sep" aria-hidden="true" />
        <button type="button" className={`tool-button${analysisOpen ? ' active' : ''}`} aria-pressed={analysisOpen} title={t('tool.analysis')}
          data-testid="tool-analysis" onClick={onAnalysis}>
          <Icon name="chart" />
          <span className="tool-label">{t('tool.analysis.short')}</span>
        </button>
        <button type="button" className="tool-button" title={t('tool.import')} data-testid="tool-import" onClick={onImport}>
          <Icon name="upload" />
          <span className="tool-label">{t('tool.import.short')}</span>
        </button>
        <button type="button" className={`tool-button${editOpen ? ' active' : ''}`} aria-pressed={editOpen} title={t('tool.edit')} data-testid="tool-edit" onClick={onEdit}>
          <Icon name="pencil" />
          <span className="tool-label">{t('tool.edit.short')}</span>
        </button>
        {extraTools}
        <span className="toolbar-sep" aria-hidden="true" />
        <button type="button" className="tool-button" title={t('tool.screenshot')} data-testid="tool-screenshot" disabled={!map || printing !== null} onClick={() => void exportMap('png')}>
          {printing === 'png' ? <span className="spinner" /> : <Icon name="camera" />}
          <span className="tool-label">{t('tool.screenshot.short')}</span>
        </button>
        <button type="button" className="tool-button" title={t('tool.print')} data-testid="tool-print" disabled={!map || printing !== null} onClick={() => void exportMap('print')}>
          {printing === 'print' ? <span className="spinner" /> : <Icon name="printer" />}
          <span className="tool-label">{t('tool.print.short')}</span>
        </button>
        {printError && <span className="inline-error" role="alert" title={printError}>{t('tool.printFailed')}</span>}
      </div>
      <div className="top-bar-end">
        <button
          type="button"
          className="chrome-button"
          data-testid="theme-switch"
          title={t(theme === 'light' ? 'theme.toDark' : 'theme.toLight')}
          aria-label={t(theme === 'light' ? 'theme.toDark' : 'theme.toLight')}
          onClick={() => onTheme(theme === 'light' ? 'dark' : 'light')}
        >
          <Icon name={theme === 'light' ? 'moon' : 'sun'} />
        </button>
        <LangSwitch />
      </div>
    </header>
  );
}
