/**
 * The parts of rendered Kubernetes manifests the chart's tests read, typed. Only what the tests look at:
 * that the objects are well-formed as a whole is kube-validate's job (deploy/kube-validate).
 */
import assert from 'node:assert/strict';

type Labels = Record<string, string>;

export interface Metadata {
  name: string;
  labels?: Labels;
  annotations?: Labels;
}

interface Probe {
  httpGet: { path: string; port: string | number };
}

export interface Container {
  name: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources: { requests?: Labels; limits?: Labels };
  securityContext: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  securityContext: { runAsNonRoot?: boolean };
  imagePullSecrets?: { name: string }[];
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string }; emptyDir?: object }[];
}

interface PodTemplate {
  metadata: Metadata;
  spec: PodSpec;
}

export type KubeObject = { apiVersion: string; metadata: Metadata } & (
  | { kind: 'Deployment'; spec: { replicas?: number; selector: { matchLabels: Labels }; template: PodTemplate } }
  | { kind: 'Job'; spec: { template: PodTemplate } }
  | { kind: 'Pod'; spec: PodSpec }
  | {
      kind: 'Service';
      spec: { selector: Labels; ports: { name: string; port: number; targetPort: string | number }[] };
    }
  | { kind: 'ConfigMap'; data: Labels }
  | { kind: 'Secret'; data: Labels }
  | { kind: 'HorizontalPodAutoscaler'; spec: { scaleTargetRef: { name: string } } }
  | { kind: 'PodDisruptionBudget'; spec: { selector: { matchLabels: Labels } } }
  | {
      kind: 'Ingress';
      spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
    }
  | { kind: 'ServiceAccount' }
);

export type Kind = KubeObject['kind'];
export type OfKind<K extends Kind> = Extract<KubeObject, { kind: K }>;

export function findObject<K extends Kind>(objects: KubeObject[], kind: K, name: string): OfKind<K> | undefined {
  return objects.find((object): object is OfKind<K> => object.kind === kind && object.metadata.name === name);
}

/** The object of that kind and name; a failed assertion when it was not rendered. */
export function getObject<K extends Kind>(objects: KubeObject[], kind: K, name: string): OfKind<K> {
  const object = findObject(objects, kind, name);
  assert.ok(object, `${kind} ${name} is rendered`);
  return object;
}

/** The pod spec of an object that runs pods (a Deployment, a Job, a Pod), or undefined. */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  if (object.kind === 'Deployment' || object.kind === 'Job') return object.spec.template.spec;
  if (object.kind === 'Pod') return object.spec;
  return undefined;
}

/** A Secret's values, decoded: the chart writes `data` (base64), not `stringData`. */
export function secretValues(secret: OfKind<'Secret'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data).map(([name, value]) => [name, Buffer.from(value, 'base64').toString('utf8')]),
  );
}
