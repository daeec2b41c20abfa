/**
 * A flash sale that asks for proof of work (`requireChallenge`) gets it solved here, as the web app
 * does in the browser (web/src/challenge.ts), with the library the API checks it with: a fresh
 * challenge per claim, its solution sent as the X-Altcha header.
 */
import { solveChallenge } from 'altcha-lib/v1';
import { call, type ApiClient } from './api/client.js';
import { ApiRefusal } from './errors.js';

export async function solvedChallengeFor(client: ApiClient, saleId: string): Promise<string> {
  const challenge = await call(() => client.GET('/v1/sales/{id}/challenge', { params: { path: { id: saleId } } }));
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber)
    .promise;
  if (!solution) throw new ApiRefusal(400, 'CHALLENGE_UNSOLVED', 'Could not solve the anti-bot challenge; try again');
  return Buffer.from(JSON.stringify({ ...challenge, number: solution.number })).toString('base64');
}
