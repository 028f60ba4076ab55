// Account and sign-in.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

export const Account = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('apiKey') }),
  z.object({ type: z.literal('chatgpt'), email: z.string().nullable(), planType: z.string() }),
]));

export const AccountRead = request(
  'account/read',
  () => z.object({ refreshToken: z.boolean().optional() }).nullish(),
  () => z.object({ account: Account.nullable(), requiresOpenaiAuth: z.boolean() }),
);

export const LoginParams = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('apiKey'), apiKey: z.string() }),
  z.object({ type: z.literal('chatgpt') }).loose(),
  z.object({ type: z.literal('chatgptDeviceCode') }),
  z.object({ type: z.literal('chatgptAuthTokens'), accessToken: z.string(), chatgptAccountId: z.string(), chatgptPlanType: z.string().nullish() }),
]));

export const AccountLoginStart = request(
  'account/login/start',
  () => LoginParams,
  () => z.discriminatedUnion('type', [
    z.object({ type: z.literal('apiKey') }),
    z.object({ type: z.literal('chatgpt'), loginId: z.string(), authUrl: z.string() }),
    z.object({ type: z.literal('chatgptDeviceCode'), loginId: z.string(), verificationUrl: z.string(), userCode: z.string() }),
    z.object({ type: z.literal('chatgptAuthTokens') }),
  ]),
);
export const AccountLoginCancel = request('account/login/cancel', () => z.object({ loginId: z.string() }), () => z.object({ status: z.enum(['canceled', 'notFound']) }));
export const AccountLogout = request('account/logout', () => z.undefined().or(z.object({}).loose()).nullish(), () => z.object({}));

export const AccountUpdated = notification('account/updated', () => z.object({ authMode: z.string().nullable(), planType: z.string().nullable() }));
export const AccountLoginCompleted = notification('account/login/completed', () => z.object({ loginId: z.string().nullable(), success: z.boolean(), error: z.string().nullable() }));

const RateLimitWindow = lazy(() => z.object({ usedPercent: z.number().int(), windowDurationMins: z.number().int().nullable(), resetsAt: z.number().int().nullable() }));
export const RateLimitSnapshot = lazy(() => z.object({
  limitId: z.string().nullable(),
  limitName: z.string().nullable(),
  primary: RateLimitWindow.nullable(),
  secondary: RateLimitWindow.nullable(),
  credits: z.object({ hasCredits: z.boolean(), unlimited: z.boolean(), balance: z.string().nullable() }).nullable(),
  planType: z.string().nullable(),
}));

export const AccountRateLimitsRead = request(
  'account/rateLimits/read',
  () => z.undefined().or(z.object({}).loose()).nullish(),
  () => z.object({ rateLimits: RateLimitSnapshot, rateLimitsByLimitId: z.record(z.string(), RateLimitSnapshot).nullable(), rateLimitResetCredits: z.null() }),
);
export const AccountRateLimitsUpdated = notification('account/rateLimits/updated', () => z.object({ rateLimits: RateLimitSnapshot }));

/** Whether a Bedrock setup resolves to GovCloud: Tandem has no Bedrock provider, so never. */
export const BedrockCheckGovCloudRequirements = request(
  'account/bedrock/checkGovCloudRequirements',
  () => z.object({}).loose().nullish(),
  () => z.object({ isGovCloud: z.boolean(), shouldWarn: z.boolean() }),
);
