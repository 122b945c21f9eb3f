export * from './services.js';
export * from './python.js';
