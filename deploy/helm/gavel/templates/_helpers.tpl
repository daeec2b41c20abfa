{{/* The release's names, labels and the pieces the API, the worker and the migration Job share. */}}

{{- define "gavel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gavel.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "gavel.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "gavel.name" .) | trunc 63 | trimSuffix "-" }}
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

{{/* A config value, or "" when unset. */}}
{{- define "gavel.config" -}}
{{- $value := index (index . 0).Values.config (index . 1) -}}
{{- if kindIs "invalid" $value }}{{ else }}{{ $value }}{{ end -}}
{{- end }}

{{/*
  What the processes read from the ConfigMap: config, with the values the chart derives from its other
  settings (the ingress's address, the mounted Temporal certificate) where config leaves them unset.
*/}}
{{- define "gavel.environment" -}}
{{- $env := dict -}}
{{- range $name, $value := .Values.config -}}
{{- if not (kindIs "invalid" $value) -}}
{{- $text := toString $value -}}
{{- if ne $text "" }}{{ $_ := set $env $name $text }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if .Values.api.ingress.enabled -}}
{{- if not (hasKey $env "PUBLIC_URL") }}{{ $_ := set $env "PUBLIC_URL" (printf "%s://%s" (ternary "https" "http" (ne .Values.api.ingress.tlsSecretName "")) .Values.api.ingress.host) }}{{ end -}}
{{- if not (hasKey $env "TRUST_PROXY") }}{{ $_ := set $env "TRUST_PROXY" "1" }}{{ end -}}
{{- end -}}
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

{{- define "gavel.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
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
{{- if .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}
