// The SDK's OAuth token schema, in a module of its own so the store can load it on first use. An ES
// module import: a bare require() of the SDK would bundle its CommonJS build (and a second zod) beside
// the ES build everything else uses.
export { OAuthTokensSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
