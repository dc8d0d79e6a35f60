// What a planner is told when GDAL cannot read an upload. GDAL's own messages name the server's temporary
// paths, and for a file that points elsewhere, hosts, URLs and other files: the job status is readable by
// whoever has the job id, so those are replaced by the uploaded file's name or left out. The full text goes
// to the server log only.

/** The first ERROR line of GDAL's stderr (else the start of it), without its "ERROR n:" prefix. */
export function gdalReason(stderr: string): string {
  const line = stderr.split('\n').find((l) => /^ERROR \d+:/.test(l));
  return (line ?? stderr.split('\n').find((l) => l.trim()) ?? '').replace(/^ERROR \d+:\s*/, '').trim();
}

/**
 * `text` with `dir` (the private folder, in any of the forms GDAL writes it) replaced by `filename`, and
 * anything that looks like a URL, connection string, host, address or absolute path removed.
 */
export function publicGdalText(text: string, dir: string, filename: string): string {
  let s = text;
  const stop = `\\s'\`"()`; // a path or link ends at blanks, quotes and brackets
  // /vsizip/{/tmp/x/upload.zip}/a.shp, /vsizip//tmp/x/upload.zip/a.shp, /tmp/x/upload.geojson
  const d = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  s = s.replace(new RegExp(`/vsi\\w+/\\{?${d}/[^}${stop}]*\\}?/?`, 'g'), `${filename}: `);
  s = s.replace(new RegExp(`${d}/[^${stop}]*`, 'g'), filename);
  s = s.replace(new RegExp(`/vsi\\w+/[^${stop}]*`, 'g'), '(a path)');
  s = s.replace(new RegExp(`\\b[a-z][a-z0-9+.-]*://[^${stop}]*`, 'gi'), '(a link)');
  s = s.replace(new RegExp(`\\b(PG|MySQL|ODBC|MSSQL|OCI|SDE|PGeo|WFS|CouchDB|ElasticSearch):[^${stop}]*(\\s+\\w+=[^${stop}]*)*`, 'gi'), '(a connection string)');
  s = s.replace(new RegExp(`\\b\\w+=[^${stop}]+`, 'g'), '');
  s = s.replace(new RegExp(`(^|[${stop}=])/[^${stop}]+`, 'g'), '$1(a path)');
  s = s.replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '(an address)');
  s = s.replace(/\[[0-9a-f:]+\](:\d+)?/gi, '(an address)');
  s = s.replace(/\b(localhost|[a-z0-9-]+(\.[a-z0-9-]+)*\.(local|internal|lan|corp|home|arpa|com|net|org|cn|io))(:\d+)?\b/gi, '(a host)');
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
