export * from './services.js';
export * from './python.js';
export * from './http.js';
