export * from './types.js';
export * from './dedupe-keys.js';
export * from './outbid.js';
export * from './ending-soon.js';
export * from './settings.js';
export * from './audience.js';
export * from './live-channel.js';
