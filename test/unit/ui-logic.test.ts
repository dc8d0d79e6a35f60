// Pure pieces of the desktop map: opacity scaling of style expressions, the URL state, CSV export,
// the scale bar, vehicle replay positions, and the density level choice.
import { describe, expect, it } from 'vitest';
import { scaleOpacity, withOpacity } from '../../src/map/opacity.ts';
import { formatUrlState, parseUrlState } from '../../src/map/urlState.ts';
import { selectionCsv } from '../../src/panels/tools/exporters.ts';
import { scaleBar } from '../../src/panels/StatusBar.tsx';
import { vehicleHeads } from '../../src/layers/deck/vehicles.ts';
import { cellRange, levelFor } from '../../server/data/density.ts';
import { parseBbox } from '../../server/routes/density.ts';
import { buildStyle } from '../../src/map/style.ts';
import { COMPOSITE_SOURCE, compositeLayers, layersOfSource, tileLayerOf } from '../../src/map/tileSources.ts';
import { ALL_LAYER_IDS } from '../../src/layers/catalog.ts';

describe('opacity', () => {
  it('multiplies numbers and data expressions, and the outputs of zoom curves', () => {
    expect(scaleOpacity(undefined, 0.5)).toBe(0.5);
    expect(scaleOpacity(0.8, 0.5)).toBe(0.4);
    expect(scaleOpacity(['case', ['==', ['get', 'a'], 1], 1, 0.5], 0.5)).toEqual(['*', ['case', ['==', ['get', 'a'], 1], 1, 0.5], 0.5]);
    expect(scaleOpacity(['interpolate', ['linear'], ['zoom'], 12, 0.3, 16, 0.8], 0.5)).toEqual(['interpolate', ['linear'], ['zoom'], 12, 0.15, 16, 0.4]);
    expect(scaleOpacity(['step', ['zoom'], 0, 14, 1], 0.5)).toEqual(['step', ['zoom'], 0, 14, 0.5]);
    expect(scaleOpacity(0.7, 1)).toBe(0.7);
  });

  it('reaches every opacity property of a circle layer', () => {
    const l = withOpacity({ id: 'x', type: 'circle', source: 's', paint: { 'circle-opacity': 0.9 } }, 0.5);
    expect(l.paint).toEqual({ 'circle-opacity': 0.45, 'circle-stroke-opacity': 0.5 });
  });

  it('the built style holds opacity and visibility of the state', () => {
    const style = buildStyle({ theme: 'dark', pipeColor: 'sgrade', visible: new Set(['basemap', 'pipes']), opacity: { pipes: 0.4 } }, 'http://x');
    const pipes = style.layers.find((l) => l.id === 'pipes-line')!;
    expect(pipes.layout?.visibility).toBe('visible');
    expect(JSON.stringify((pipes as { paint: Record<string, unknown> }).paint['line-opacity'])).toContain('0.4');
    expect(style.layers.find((l) => l.id === 'grids-line')!.layout?.visibility).toBe('none');
    expect((style.layers[0] as { paint: Record<string, unknown> }).paint['background-color']).toBe('#0e1726');
    expect(style.sources.pipes).toEqual({ type: 'vector', url: 'http://x/tiles/pipes.json', attribution: expect.any(String) });
  });

  it('the composite wiring puts the default layers in one source and keeps the others their own', () => {
    const style = buildStyle({ theme: 'dark', pipeColor: 'usage', visible: new Set(['basemap', 'pipes']), opacity: {} }, 'http://x', undefined, 'composite');
    const inComposite = compositeLayers();
    expect(inComposite).toEqual(expect.arrayContaining(['basemap', 'grids', 'pipes']));
    expect(inComposite).not.toContain('cases');
    expect(style.sources[COMPOSITE_SOURCE]).toMatchObject({ type: 'vector', url: `http://x/tiles/${inComposite.join(',')}.json` });
    expect(style.sources.pipes).toBeUndefined();
    expect(style.sources.cases).toMatchObject({ url: 'http://x/tiles/cases.json' });
    const source = (id: string) => (style.layers.find((l) => l.id === id) as { source?: string }).source;
    expect(source('pipes-line')).toBe(COMPOSITE_SOURCE);
    expect(source('cases-point')).toBe('cases');
    // A default layer switched off is hidden, not taken out of the composite: no tile is asked for again.
    expect(style.layers.find((l) => l.id === 'grids-line')!.layout?.visibility).toBe('none');
    expect(tileLayerOf({ source: COMPOSITE_SOURCE, sourceLayer: 'pipes' })).toBe('pipes');
    expect(layersOfSource(COMPOSITE_SOURCE)).toEqual(inComposite);
  });
});

describe('URL state', () => {
  it('round-trips layers, opacity, options and selection, keeping map=', () => {
    const s = parseUrlState('#map=15/30.5/114.3&layers=basemap,pipes,bogus&op=pipes:40,nope:10&pipes=fgrade&dens=heat&sel=grids:420106005001001');
    expect([...s.visible]).toEqual(['basemap', 'pipes']);
    expect(s.opacity).toEqual({ pipes: 0.4 });
    expect(s.pipeColor).toBe('fgrade');
    expect(s.densityMode).toBe('heat');
    expect(s.selection).toEqual({ layer: 'grids', id: '420106005001001' });
    const out = formatUrlState(s, '#map=15/30.5/114.3&layers=x');
    expect(out).toBe('map=15/30.5/114.3&layers=basemap,pipes&op=pipes:40&pipes=fgrade&dens=heat&sel=grids:420106005001001');
    expect(parseUrlState(`#${out}`)).toEqual(s);
  });

  it('falls back to the defaults for what is missing or malformed', () => {
    const s = parseUrlState('#pipes=rainbow&sel=%%%');
    expect(s.pipeColor).toBe('usage');
    expect(s.selection).toBeNull();
    expect(s.visible.has('pipes')).toBe(true);
    expect([...s.visible].every((id) => ALL_LAYER_IDS.includes(id))).toBe(true);
  });
});

describe('CSV export', () => {
  const layer = (properties: Record<string, unknown>[]) => ({
    type: 'FeatureCollection' as const,
    features: properties.map((p, i) => ({ type: 'Feature' as const, id: i + 1, geometry: { type: 'Point' as const, coordinates: [114.33, 30.55] }, properties: p })),
  });

  it('quotes what needs quoting and keeps Chinese (with a BOM for spreadsheets)', () => {
    const csv = selectionCsv({
      pipes: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 7, geometry: { type: 'LineString', coordinates: [[114.3, 30.5], [114.31, 30.51], [114.32, 30.52]] }, properties: { code: 'P-7', usage: 'rain', note: 'say "hi"' } }] },
      cameras: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 3, geometry: { type: 'Point', coordinates: [114.33, 30.55] }, properties: { name: '中华路, 东' } }] },
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('layer,id,code,name,usage,note,lon,lat');
    expect(lines[1]).toBe('pipes,7,P-7,,rain,"say ""hi""",114.31,30.51');
    expect(lines[2]).toBe('cameras,3,,"中华路, 东",,,114.33,30.55');
  });

  it('neutralises formula cells (a leading = + - @ tab or CR) in text, not in numbers', () => {
    const formulas = ['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x.example","x")'];
    const csv = selectionCsv({ cameras: layer(formulas.map((name) => ({ name, elev: -1.5 }))) });
    const body = csv.slice(1).split('\r\n').slice(1, -1);
    expect(body).toEqual([
      "cameras,1,'=1+1,-1.5,114.33,30.55",
      "cameras,2,'+1,-1.5,114.33,30.55",
      "cameras,3,'-1+2,-1.5,114.33,30.55",
      "cameras,4,'@SUM(A1),-1.5,114.33,30.55",
      `cameras,5,"'\t=1",-1.5,114.33,30.55`,
      `cameras,6,"'\r=1",-1.5,114.33,30.55`,
      `cameras,7,"'=HYPERLINK(""http://x.example"",""x"")",-1.5,114.33,30.55`,
    ]);
  });
});

describe('scale bar', () => {
  it('picks 1, 2 or 5 × 10ⁿ metres that fit', () => {
    expect(scaleBar(10, 120)).toEqual({ metres: 1000, px: 100 });
    expect(scaleBar(1, 120)).toEqual({ metres: 100, px: 100 });
    expect(scaleBar(3, 120).metres).toBe(200);
  });
});

describe('vehicle replay', () => {
  const track = { id: 1, plate: 'A', kind: 'drainage', status: 'on_duty', path: [[114, 30, 100], [114.01, 30, 130], [114.02, 30, 160]] as [number, number, number][] };
  it('interpolates between fixes and hides a vehicle before its first fix', () => {
    const [h] = vehicleHeads([track], 115);
    expect(h.position[0]).toBeCloseTo(114.005, 6);
    expect(h.speed).toBeGreaterThan(100); // ~960 m in 30 s
    expect(vehicleHeads([track], 50)).toEqual([]);
    expect(vehicleHeads([track], 500)[0].position[0]).toBeCloseTo(114.02, 6);
  });
});

describe('case density levels', () => {
  it('uses one level finer than the zoom, down to the deepest stored', () => {
    expect(levelFor(12)).toBe(13);
    expect(levelFor(15.6)).toBe(16);
    expect(levelFor(19)).toBe(16);
  });
  it('covers a box with cells, north to south as rows grow', () => {
    const r = cellRange([114.3, 30.5, 114.4, 30.6], 12);
    expect(r.cx1).toBeGreaterThan(r.cx0);
    expect(r.cy1).toBeGreaterThan(r.cy0);
    expect(r.size).toBeCloseTo(40075016.686 / 2 ** 17, 3);
  });
  it('parses a bbox or says what is wrong', () => {
    expect(parseBbox('114.3,30.5,114.4,30.6')).toEqual([114.3, 30.5, 114.4, 30.6]);
    expect(parseBbox('1,2,3')).toMatch(/four numbers/);
    expect(parseBbox('114.4,30.5,114.3,30.6')).toMatch(/west < east/);
  });
});
