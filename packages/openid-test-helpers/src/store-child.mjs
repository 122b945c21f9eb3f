// Runs one store operation in a separate Node process, for the conformance
// suite's two-process tests. It imports the built packages (npm run build).
// Input (argv[2], JSON): { module, exportName, options, op, args }.
// Output (stdout, JSON): { result } or { error }.
const request = JSON.parse(process.argv[2]);
const core = await import('openid-core');
const mod = await import(request.module);
const Store = mod[request.exportName];
const store = new Store(request.options);
try {
  let result;
  if (request.op === 'getAssociation') {
    const found = await store.getAssociation(...request.args);
    result = found === undefined ? null : { handle: found.handle, secret: found.secret.toString('base64') };
  } else if (request.op === 'storeAssociation') {
    const [serverUrl, serialized] = request.args;
    await store.storeAssociation(serverUrl, core.Association.deserialize(serialized));
    result = true;
  } else {
    result = await store[request.op](...request.args);
  }
  process.stdout.write(JSON.stringify({ result }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: `${error.name}: ${error.message}` }));
} finally {
  await store.close();
}
