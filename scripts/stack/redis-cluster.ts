/**
 * A three-master Redis Cluster on loopback (GAVEL_REDIS=cluster): each node with its own port and
 * folder, AOF on (appendfsync everysec) like the single server. Created with `redis-cli --cluster
 * create` on first start; a kept state folder (npm start) restarts the same cluster from nodes.conf.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startChild, type Child } from './child.js';
import { redisAddresses, type Profile } from './profiles.js';
import { askRedis, DURABLE_FOREGROUND } from './redis.js';
import { ServiceFailed, waitUntilReady } from './wait.js';

const clusterInfo = async (port: number) =>
  Object.fromEntries(
    (await askRedis(port, 'CLUSTER', 'INFO'))
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => line.split(':') as [string, string]),
  );

function startNode(p: Profile, port: number): Child {
  const dir = path.join(p.stateDir, 'redis-cluster', String(port));
  fs.mkdirSync(dir, { recursive: true });
  return startChild({
    name: 'redis', // stopped as the single server is (scripts/stack/stop.ts)
    argv: [
      'redis-server',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '5000',
      ...DURABLE_FOREGROUND,
    ],
    logFile: path.join(p.logDir, `redis-cluster-${port}.log`),
  });
}

/** Assigns the slots over the three masters and joins them; the node logs and the tool's output say how it went. */
async function createCluster(p: Profile): Promise<void> {
  const logFile = path.join(p.logDir, 'redis-cluster-create.log');
  const argv = ['--cluster', 'create', ...redisAddresses(p), '--cluster-replicas', '0', '--cluster-yes'];
  try {
    const { stdout } = await promisify(execFile)('redis-cli', argv, { timeout: 60_000 });
    fs.writeFileSync(logFile, stdout);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    fs.writeFileSync(logFile, `${stdout}${stderr}`);
    throw new ServiceFailed(`redis-cli ${argv.join(' ')} failed (${(error as Error).message}); see ${logFile}`);
  }
}

export async function startRedisCluster(p: Profile): Promise<Child[]> {
  const nodes = p.redisClusterPorts.map((port) => ({ port, child: startNode(p, port) }));
  await Promise.all(nodes.map(({ port, child }) => waitUntilReady(child, () => askRedis(port, 'PING'), 20_000)));
  const first = nodes[0]!;
  if ((await clusterInfo(first.port)).cluster_slots_assigned === '0') await createCluster(p);
  // Every node must see every slot served before a client may trust the slot map it reads from any of them.
  await Promise.all(
    nodes.map(({ port, child }) =>
      waitUntilReady(
        child,
        async () => {
          const info = await clusterInfo(port);
          if (info.cluster_state !== 'ok' || info.cluster_known_nodes !== String(nodes.length)) {
            throw new Error(`cluster_state:${info.cluster_state} known_nodes:${info.cluster_known_nodes}`);
          }
        },
        30_000,
      ),
    ),
  );
  return nodes.map(({ child }) => child);
}
