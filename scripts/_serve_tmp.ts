import { buildApp } from '/work/main/server/app.ts';
const { app } = await buildApp({ databaseUrl: 'postgres://postgres@127.0.0.1:54329/wuchang' });
await app.listen({ port: 8090, host: '127.0.0.1' }); console.log('up');
