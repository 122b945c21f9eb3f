// node-openid ships no type declarations; the tests describe what they use.
declare module 'openid';
