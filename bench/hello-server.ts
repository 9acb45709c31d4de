import Fastify from 'fastify';

// The ceiling of the saturation phase: a bare Fastify route, on the same runtime (node + tsx) and
// with the same logger level as the Sanita server, so that the ratio measures what Sanita adds.
const app = Fastify({ logger: { level: 'warn' } });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 3999), host: process.env.HOST ?? '127.0.0.1' });

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
