/**
 * A sale that asks for proof of work (ALTCHA) gets it solved here, in the browser, with the same
 * library the API checks it with: a fresh challenge per claim, its solution sent as X-Altcha.
 */
import { solveChallenge } from 'altcha-lib/v1';
import { api, call } from './api/client';

export async function solvedChallengeFor(saleId: string): Promise<string> {
  const challenge = await call(() => api.GET('/v1/sales/{id}/challenge', { params: { path: { id: saleId } } }));
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber)
    .promise;
  if (!solution) throw new Error('Could not solve the anti-bot challenge; try again.');
  return btoa(JSON.stringify({ ...challenge, number: solution.number }));
}
