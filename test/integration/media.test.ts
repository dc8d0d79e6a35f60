// Photos: re-encoded on upload (no EXIF position or device left, the orientation applied, a file that does
// not decode refused), each upload in the audit log, read only by those who may read its case (the public
// only the photo of a citizen report published with consent), and removed after a day when no case took it.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
type H = Record<string, string>;
const rows = async (sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows;
const upload = async (body: Buffer, headers: H = {}, type = 'image/jpeg') => {
  const res = await fetch(`${ctx.app.baseUrl}/api/media`, { method: 'POST', headers: { ...headers, 'content-type': type }, body: new Uint8Array(body) });
  return { status: res.status, body: await res.json() as { id: string; url: string; message?: string } };
};
const read = (id: string, headers: H = {}) => fetch(`${ctx.app.baseUrl}/api/media/${id}`, { headers });
const post = async (path: string, headers: H, body: unknown) => {
  const res = await fetch(ctx.app.baseUrl + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const jpeg = (background = '#808080') => sharp({ create: { width: 16, height: 12, channels: 3, background } }).jpeg().toBuffer();

let grid: { code: string; x: number; y: number };
let field: { headers: H; user: { id: number } }; let otherField: { headers: H }; let dispatcher: { headers: H };
beforeAll(async () => {
  [grid] = await rows(`SELECT code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids ORDER BY code LIMIT 1 OFFSET 55`);
  field = await loginAs(ctx, 'field', [grid.code]);
  otherField = await loginAs(ctx, 'field', ['420106099099099']);
  dispatcher = await loginAs(ctx, 'dispatcher');
});

describe('photos keep no metadata', () => {
  it('a phone photo\'s EXIF (GPS position, make, model) is gone from what is stored and served; its orientation is applied', async () => {
    const phone = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#5a7' } }).jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Make: 'PhoneMakerCo', Model: 'SecretPhone X9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 33/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '114/1 18/1 5678/100', GPSMapDatum: 'WGS-84-SECRET' } })
      .toBuffer();
    const sent = await sharp(phone).metadata();
    expect(sent).toMatchObject({ width: 64, height: 48, orientation: 6 });
    expect(sent.exif).toBeDefined();
    expect(phone.includes('WGS-84-SECRET') && phone.includes('SecretPhone')).toBe(true);

    const up = await upload(phone, field.headers);
    expect(up.status).toBe(201);
    const res = await read(up.body.id, field.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const served = Buffer.from(await res.arrayBuffer());
    const m = await sharp(served).metadata();
    expect(m.format).toBe('jpeg');
    expect(m.exif).toBeUndefined();
    expect(m.xmp).toBeUndefined();
    expect(m.orientation).toBeUndefined();
    expect([m.width, m.height]).toEqual([48, 64]); // turned upright, since the tag that said how is gone
    for (const s of ['WGS-84-SECRET', 'SecretPhone', 'PhoneMakerCo', 'Exif']) expect(served.includes(s), s).toBe(false);
    const [stored] = await rows('SELECT bytes, size FROM media WHERE id = $1', [up.body.id]);
    expect(stored.bytes.equals(served)).toBe(true);
    expect(stored.size).toBe(served.length);
  });

  it('PNG and WebP stay PNG and WebP; a file with an image\'s first bytes that does not decode is refused', async () => {
    const png = await upload(await sharp({ create: { width: 4, height: 4, channels: 4, background: '#f00a' } }).png().withMetadata({ density: 300 }).toBuffer(), field.headers, 'image/png');
    expect((await sharp(Buffer.from(await (await read(png.body.id, field.headers)).arrayBuffer())).metadata()).format).toBe('png');
    const webp = await upload(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#0f0' } }).webp().toBuffer(), field.headers, 'image/webp');
    expect((await read(webp.body.id, field.headers)).headers.get('content-type')).toBe('image/webp');
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<script>alert(1)</script>'.repeat(10))]);
    const before = await rows('SELECT count(*)::int AS n FROM media');
    const refused = await upload(fake, field.headers);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/could not be read as a JPEG image/);
    expect(await rows('SELECT count(*)::int AS n FROM media')).toEqual(before);
  });

  it('every upload is in the audit log: the account, or a citizen, with the type, size and address', async () => {
    const mine = await upload(await jpeg(), field.headers);
    const anon = await upload(await jpeg());
    const log = await rows(`SELECT entity_id, action, actor, role, user_id, after FROM audit_log WHERE entity = 'media' AND entity_id = ANY($1) ORDER BY id`, [[mine.body.id, anon.body.id]]);
    expect(log).toMatchObject([
      { entity_id: mine.body.id, action: 'media.upload', role: 'field', user_id: field.user.id, after: { content_type: 'image/jpeg', size: expect.any(Number), ip: expect.any(String) } },
      { entity_id: anon.body.id, action: 'media.upload', actor: 'citizen', role: 'citizen', user_id: null, after: { content_type: 'image/jpeg' } },
    ]);
  });
});

describe('who reads a photo', () => {
  it('an unattached upload: only the account that sent it; a staff case\'s photos: its readers; the public: only a published citizen report\'s own photo', async () => {
    const status = async (id: string) => ({
      public: (await read(id)).status, uploader: (await read(id, field.headers)).status,
      dispatcher: (await read(id, dispatcher.headers)).status, otherGrid: (await read(id, otherField.headers)).status,
    });
    // Not attached yet.
    const loose = await upload(await jpeg(), field.headers);
    expect(await status(loose.body.id)).toEqual({ public: 404, uploader: 200, dispatcher: 404, otherGrid: 404 });
    const anonLoose = await upload(await jpeg());
    expect((await read(anonLoose.body.id)).status).toBe(404);

    // An inspector's report: staff's, never public.
    const staffReport = await post('/api/cases', field.headers, { item_code: 'C0701', lon: grid.x, lat: grid.y, photos: [loose.body.id] });
    expect(staffReport.status).toBe(201);
    expect(await status(loose.body.id)).toEqual({ public: 404, uploader: 200, dispatcher: 200, otherGrid: 404 });

    // A citizen's report without consent: its photo is not public.
    const quietPhoto = await upload(await jpeg('#123456'));
    const form = (fields: Record<string, string>) => fetch(`${ctx.app.baseUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const place = { service_code: 'E0101', lat: String(grid.y), long: String(grid.x) };
    expect((await form({ ...place, media_url: `${ctx.app.baseUrl}${quietPhoto.body.url}` })).status).toBe(201);
    expect(await status(quietPhoto.body.id)).toEqual({ public: 404, uploader: 200, dispatcher: 200, otherGrid: 404 });

    // Published: the public sees the report's photo, but not a photo staff add to its steps.
    const shownPhoto = await upload(await jpeg('#654321'));
    const published = await (await form({ ...place, media_url: `${ctx.app.baseUrl}${shownPhoto.body.url}`, x_publish: 'true' })).json();
    expect(await status(shownPhoto.body.id)).toEqual({ public: 200, uploader: 200, dispatcher: 200, otherGrid: 404 });
    const [c] = await rows('SELECT id FROM cases WHERE case_no = $1', [published[0].service_request_id]);
    const stepPhoto = await upload(await jpeg('#abcdef'), dispatcher.headers);
    expect((await post(`/api/cases/${c.id}/actions/accept`, dispatcher.headers, { photos: [stepPhoto.body.id] })).status).toBe(200);
    expect((await read(stepPhoto.body.id)).status).toBe(404);
    expect((await read(stepPhoto.body.id, dispatcher.headers)).status).toBe(200);
    expect((await read(stepPhoto.body.id, field.headers)).status).toBe(200);
  });

  it('a photo goes with one case, and a citizen report takes only an anonymous upload', async () => {
    const staffPhoto = await upload(await jpeg(), dispatcher.headers);
    const form = await fetch(`${ctx.app.baseUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service_code: 'E0101', lat: grid.y, long: grid.x, media_url: `${ctx.app.baseUrl}${staffPhoto.body.url}`, x_publish: true }) });
    expect(form.status).toBe(400);
    expect((await form.json())[0].description).toMatch(/not yours to send/);
    const first = await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: grid.x, lat: grid.y, photos: [staffPhoto.body.id] });
    expect(first.status).toBe(201);
    const second = await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: grid.x, lat: grid.y, photos: [staffPhoto.body.id] });
    expect(second.status).toBe(400);
    expect(second.body.message).toMatch(/belongs to another case/);
    // The same case may show it again (a step after the report).
    expect((await post(`/api/cases/${first.body.id}/actions/accept`, dispatcher.headers, { photos: [staffPhoto.body.id] })).status).toBe(200);
  });
});

describe('photos no case took', () => {
  it('are removed once a day old; attached and younger ones stay (rows backdated)', async () => {
    const [old, attached, young] = await Promise.all([1, 2, 3].map(async () => (await upload(await jpeg(), dispatcher.headers)).body.id));
    expect((await post('/api/cases', dispatcher.headers, { item_code: 'E0101', lon: grid.x, lat: grid.y, photos: [attached] })).status).toBe(201);
    await ctx.db.query(`UPDATE media SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [[old, attached]]);
    await ctx.db.query(`UPDATE media SET created_at = now() - interval '23 hours' WHERE id = $1`, [young]);
    expect(await ctx.app.server.photos.run()).toBeGreaterThanOrEqual(1);
    expect((await rows('SELECT id::text FROM media WHERE id = ANY($1) ORDER BY created_at', [[old, attached, young]])).map((r) => r.id)).toEqual([attached, young]);
    expect((await read(old, dispatcher.headers)).status).toBe(404);
  });
});
