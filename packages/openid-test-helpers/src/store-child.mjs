// The second process of the store conformance suite's two-process tests: it
// opens the same store as the test (same directory, database tables or key
// prefix) with our store class, from the TypeScript sources (see
// ts-source-loader.mjs), and runs the operations the test sends.
//
// argv[2] (JSON): { module, exportName, options }: the store to open.
// stdin, one JSON object a line: { id, op, args, repeat? }; with `repeat`, the
//   operation runs that many times concurrently and the answer is the array.
// stdout, one JSON object a line: { id, result } or { id, error: { name, code, message } }.
import { register } from 'node:module';
import { createInterface } from 'node:readline';

register('./ts-source-loader.mjs', import.meta.url);

const spec = JSON.parse(process.argv[2]);
const core = await import('openid2-core');
const Store = (await import(spec.module))[spec.exportName];
const store = new Store(spec.options);

async function perform(op, args) {
  if (op === 'getAssociation') {
    const found = await store.getAssociation(...args);
    return found === undefined ? null : { handle: found.handle, secret: found.secret.toString('base64'), issued: found.issued };
  }
  if (op === 'storeAssociation') {
    const [opEndpoint, serialized] = args;
    await store.storeAssociation(opEndpoint, core.Association.deserialize(serialized));
    return true;
  }
  if (op === 'useNonce' || op === 'removeAssociation' || op === 'cleanup') return store[op](...args);
  throw new Error(`unknown operation ${op}`);
}

async function answer(line) {
  const { id, op, args, repeat } = JSON.parse(line);
  try {
    const result = repeat === undefined ? await perform(op, args) : await Promise.all(Array.from({ length: repeat }, () => perform(op, args)));
    process.stdout.write(`${JSON.stringify({ id, result })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, error: { name: error?.name, code: error?.code, message: String(error?.message ?? error) } })}\n`);
  }
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const pending = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== '') pending.push(answer(line));
}
await Promise.all(pending);
await store.close();
