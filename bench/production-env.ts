/**
 * What an API process needs to start with NODE_ENV=production: the secrets production refuses to
 * default, made fresh for one bench run. Nothing here ever signs anything outside that run.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const secret = () => randomBytes(32).toString('base64url');

export function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
    NOTIFICATION_LINK_SECRET: secret(),
    ALTCHA_HMAC_KEY: secret(),
    STRIPE_SECRET_KEY: `sk_test_${secret().replace(/[^A-Za-z0-9]/g, '')}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${secret().replace(/[^A-Za-z0-9]/g, '')}`,
    // Production refuses plain http to Stripe; unset means Stripe itself, which no bench calls.
    STRIPE_API_URL: '',
  };
}
