/**
 * The local DynamoDB server's thread, as source: dynalite (and LevelDB under it) answers there, so a process that
 * writes many items (the serving load) spends its main thread on the SDK and DuckDB while that one stores them, on
 * another core. A string run with `new Worker(source, { eval: true })`, not a file beside this one: Lambda bundles
 * (which `cur invoke` runs locally) carry this module inlined, and a worker file would not be beside them. It is
 * CommonJS and loads dynalite from the path the main thread resolved (`workerData.dynalitePath`).
 */
export const LOCAL_DYNAMODB_SERVER_THREAD = `
const { timingSafeEqual } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const { dataDir, port, accessToken, tokenHeader, closeGraceMs } = workerData;
const server = dynalite({ ...(dataDir === undefined ? {} : { path: dataDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
if (accessToken !== undefined) {
  // A token check in front of dynalite's own request listener.
  const expected = Buffer.from(accessToken);
  const listeners = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (request, response) => {
    const sent = Buffer.from(String(request.headers[tokenHeader] ?? ''));
    if (sent.length === expected.length && timingSafeEqual(sent, expected)) {
      for (const listener of listeners) listener(request, response);
      return;
    }
    request.resume();
    response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
      message: "this local DynamoDB server takes requests only with the token in its state folder's lock file",
    }));
  });
}
server.once('error', (error) => parentPort.postMessage({ kind: 'error', message: error.message }));
server.listen(port, '127.0.0.1', () => parentPort.postMessage({ kind: 'listening', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close((error) => parentPort.postMessage({ kind: 'closed', ...(error ? { message: error.message } : {}) }));
  // Other processes' keep-alive sockets would hold the server open; they reconnect (and take over) on demand.
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), closeGraceMs).unref();
});
// The thread lives as long as its server: once the server and LevelDB are closed it ends by itself. (Unref'd after
// the listener is added, which refs the port.) LevelDB's addon stays loaded after it: the main thread pinned it.
parentPort.unref();
`;
