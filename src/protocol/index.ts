export * from './jsonrpc';
export * from './method';
export * from './initialize';
