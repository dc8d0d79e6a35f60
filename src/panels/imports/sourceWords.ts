// How a layer report's file was read, in the UI's language: the text encoding and where it was told from,
// the coordinate system (with its EPSG code, Gauss-Krüger zone) and where it came from. The report's own
// crs text is English; its crs_source holds the values said here.
import type { CrsSource } from '../../api/types.ts';
import type { I18n } from '../../i18n/index.tsx';

type Words = Pick<I18n, 't' | 'tr' | 'num'>;

const NAMED_EPSG: Record<number, 'wgs84' | 'cgcs2000' | 'webMercator'> = { 4326: 'wgs84', 4490: 'cgcs2000', 3857: 'webMercator' };

export function crsWords(src: CrsSource, { t, num }: Words): string {
  let what: string;
  if (src.kind === 'epsg' && src.epsg !== null) {
    const gk = src.gauss_kruger;
    const named = NAMED_EPSG[src.epsg];
    what = gk
      ? t('import.crsGk', { epsg: src.epsg, width: gk.width, zone: gk.zone, cm: num(gk.cm), prefix: t(gk.prefixed ? 'import.crsGkPrefixed' : 'import.crsGkPlain') })
      : named ? `EPSG:${src.epsg} · ${t(`import.crsName.${named}`)}` : `EPSG:${src.epsg}`;
  } else {
    what = t(`import.crsKind.${src.kind === 'epsg' ? 'file' : src.kind}`);
  }
  return src.from === 'file' ? what : t('import.withSource', { what, from: t(`import.crsFrom.${src.from}`) });
}

export function encodingWords(enc: { encoding: string; from: string }, { t, tr }: Words): string {
  const what = enc.encoding === 'gb18030' ? 'GB18030 / GBK' : enc.encoding.toUpperCase();
  return t('import.withSource', { what, from: tr(`import.encodingFrom.${enc.from}`, enc.from) });
}
