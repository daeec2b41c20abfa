{{/* The release's names, labels and the pieces the API, the worker and the migration Job share. */}}

{{- define "gavel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* 52, not 63: the longest suffix, "-migrations", must still fit a 63-character name. */}}
{{- define "gavel.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else if contains (include "gavel.name" .) .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "gavel.name" .) | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "gavel.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "gavel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gavel
{{- end }}

{{/* Selector labels of one component (api, worker, migrations): call with (list $ "api"). */}}
{{- define "gavel.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "gavel.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "gavel.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "gavel.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gavel.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gavel.secretName" -}}
{{- .Values.existingSecret | default (include "gavel.fullname" .) }}
{{- end }}

{{/*
  A value as the processes read it. Helm reads a YAML number as a float64, which toString would write
  as 2.097152e+07: whole numbers are written as integers.
*/}}
{{- define "gavel.text" -}}
{{- if kindIs "invalid" . }}{{ else if and (kindIs "float64" .) (eq (floor .) .) }}{{ . | int64 }}{{ else }}{{ . }}{{ end -}}
{{- end }}

{{/* A config value, or "" when unset. */}}
{{- define "gavel.config" -}}
{{- include "gavel.text" (index (index . 0).Values.config (index . 1)) -}}
{{- end }}

{{/*
  What the processes read from the ConfigMap: config, with what the chart fixes (production; the
  metrics port) and derives (the proxy hop of the ingress, the mounted Temporal certificate).
*/}}
{{- define "gavel.environment" -}}
{{- $env := dict -}}
{{- range $name, $value := .Values.config -}}
{{- $text := include "gavel.text" $value -}}
{{- if ne $text "" }}{{ $_ := set $env $name $text }}{{ end -}}
{{- end -}}
{{- /* Production refuses development keys and runs the prebuilt workflow bundle. */ -}}
{{- $_ := set $env "NODE_ENV" "production" -}}
{{- $_ := set $env "METRICS_PORT" (toString .Values.metrics.port) -}}
{{- if and .Values.api.ingress.enabled (not (hasKey $env "TRUST_PROXY")) }}{{ $_ := set $env "TRUST_PROXY" "1" }}{{ end -}}
{{- with .Values.temporal.tls -}}
{{- if .existingSecret -}}
{{- $_ := set $env "TEMPORAL_TLS" "true" -}}
{{- $_ := set $env "TEMPORAL_TLS_CERT_PATH" (printf "%s/tls.crt" .mountPath) -}}
{{- $_ := set $env "TEMPORAL_TLS_KEY_PATH" (printf "%s/tls.key" .mountPath) -}}
{{- if .customCA }}{{ $_ := set $env "TEMPORAL_TLS_CA_PATH" (printf "%s/ca.crt" .mountPath) }}{{ end -}}
{{- if .serverName }}{{ $_ := set $env "TEMPORAL_TLS_SERVER_NAME" .serverName }}{{ end -}}
{{- end -}}
{{- end -}}
{{- toYaml $env -}}
{{- end }}

{{/* SHUTDOWN_TIMEOUT_MS as the processes read it: config's, or the app's default. */}}
{{- define "gavel.shutdownTimeoutMs" -}}
{{- $set := include "gavel.config" (list . "SHUTDOWN_TIMEOUT_MS") -}}
{{- if $set }}{{ $set | int }}{{ else }}10000{{ end -}}
{{- end }}

{{/*
  Time the kubelet gives a pod between SIGTERM and SIGKILL: the preStop sleep, then the process's own
  limit (it forces what is left after SHUTDOWN_TIMEOUT_MS and exits 1 at twice that), and a margin.
*/}}
{{- define "gavel.terminationGracePeriodSeconds" -}}
{{- $root := index . 0 -}}
{{- $preStop := index . 1 | int -}}
{{- $processLimit := div (add (mul 2 (include "gavel.shutdownTimeoutMs" $root | int)) 999) 1000 -}}
{{- add $preStop $processLimit 5 -}}
{{- end }}

{{/* Fails the install on what the schema cannot say: an HPA whose minimum is above its maximum. */}}
{{- define "gavel.checkValues" -}}
{{- range $component := list "api" "worker" }}
{{- with (index $.Values $component).autoscaling }}
{{- if and .enabled (gt (int .minReplicas) (int .maxReplicas)) }}
{{- fail (printf "%s.autoscaling: minReplicas (%d) is above maxReplicas (%d)" $component (int .minReplicas) (int .maxReplicas)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gavel.podSecurityContext" -}}
runAsNonRoot: true
# The image's `node` user.
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "gavel.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end }}

{{/* Checksums in the pod template, so a change of config or secrets rolls the pods. */}}
{{- define "gavel.configChecksums" -}}
checksum/config: {{ include "gavel.environment" . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ toYaml .Values.secrets | sha256sum }}
{{- end }}
{{- end }}

{{- define "gavel.envFrom" -}}
- configMapRef:
    name: {{ include "gavel.fullname" . }}
- secretRef:
    name: {{ include "gavel.secretName" . }}
{{- end }}

{{/* Node reads extra CAs from a file named at start: the CA of a private Postgres, Redis or SMTP server. */}}
{{- define "gavel.env" -}}
{{- if .Values.trustedCA.existingSecret }}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/gavel/trusted-ca/{{ .Values.trustedCA.key }}
{{- end }}
{{- end }}

{{- define "gavel.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.trustedCA.existingSecret }}
- name: trusted-ca
  mountPath: /etc/gavel/trusted-ca
  readOnly: true
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: {{ .Values.temporal.tls.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "gavel.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if .Values.trustedCA.existingSecret }}
- name: trusted-ca
  secret:
    secretName: {{ .Values.trustedCA.existingSecret }}
    items:
      - key: {{ .Values.trustedCA.key }}
        path: {{ .Values.trustedCA.key }}
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}
