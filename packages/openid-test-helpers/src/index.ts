export * from './services.js';
export * from './python.js';
export * from './http.js';
export * from './databases.js';
export * from './tcp-proxy.js';
export * from './store-conformance.js';
export * from './cookie-client.js';
export { startStorePeer, PeerError, type StorePeer, type SharedStoreSpec } from './store-peer.js';
export { expectStoreError, FAULT_BOUND_MS } from './store-fixtures.js';
