export * from './jsonrpc';
export * from './method';
export * from './initialize';
export * from './common';
export * from './items';
export * from './thread';
export * from './turn';
export * from './webviewBridge';
