import { useCallback, useEffect, useState } from 'react';
import { useServerHealth } from './api/health.ts';
import { LAYER_GROUPS } from './layers/index.ts';
import { MapView } from './map/MapView.tsx';
import { readLayersFromUrl, writeLayersToUrl } from './map/urlState.ts';
import { LayerPanel } from './panels/LayerPanel.tsx';
import { ServerBanner } from './panels/ServerBanner.tsx';
import { TitleBar } from './panels/TitleBar.tsx';

const GROUP_IDS = LAYER_GROUPS.map((g) => g.id);

function initialVisible(): Set<string> {
  const fromUrl = readLayersFromUrl(GROUP_IDS);
  return new Set(fromUrl ?? LAYER_GROUPS.filter((g) => g.defaultVisible).map((g) => g.id));
}

export function App() {
  const [visible, setVisible] = useState<ReadonlySet<string>>(initialVisible);
  const server = useServerHealth();

  useEffect(() => {
    // Panel order, so the same set of layers always gives the same URL.
    writeLayersToUrl(GROUP_IDS.filter((id) => visible.has(id)));
  }, [visible]);

  useEffect(() => {
    // A pasted link in the same tab changes only the hash; MapLibre follows `map=`, we follow `layers=`.
    const onHashChange = () => {
      const fromUrl = readLayersFromUrl(GROUP_IDS);
      if (fromUrl) setVisible(new Set(fromUrl));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const toggle = useCallback((id: string, on: boolean) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  return (
    <div className="app">
      <MapView visibleGroups={visible} reloadToken={server.recoveries} />
      <TitleBar />
      <LayerPanel groups={LAYER_GROUPS} visible={visible} onToggle={toggle} />
      {server.state === 'down' && <ServerBanner />}
    </div>
  );
}
