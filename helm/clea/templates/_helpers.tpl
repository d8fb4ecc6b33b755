{{/* ---------------------------------------------------------------- names and labels */}}

{{/* Chart name, overridable with nameOverride. */}}
{{- define "clea.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: <release>-<chart> unless the release name already holds it. */}}
{{- define "clea.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component's objects: (dict "root" $ "component" "web"). */}}
{{- define "clea.componentName" -}}
{{- printf "%s-%s" (include "clea.fullname" .root | trunc 55 | trimSuffix "-") .component }}
{{- end }}

{{- define "clea.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Standard labels on every object. */}}
{{- define "clea.labels" -}}
helm.sh/chart: {{ include "clea.chart" . }}
{{ include "clea.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: clea
{{- end }}

{{- define "clea.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clea.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: (dict "root" $ "component" "web"). */}}
{{- define "clea.componentLabels" -}}
{{ include "clea.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "clea.componentSelectorLabels" -}}
{{ include "clea.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "clea.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "clea.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* <repository>@<digest> when a digest is given (pinned), else <repository>:<tag>. */}}
{{- define "clea.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* ---------------------------------------------------------------- configuration */}}

{{- define "clea.httpScheme" -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled }}https{{ else }}http{{ end }}
{{- end }}

{{/* Non-secret environment (ConfigMap data), read by clea.settings.production. */}}
{{- define "clea.configData" -}}
{{- $django := .Values.django }}
DJANGO_SETTINGS_MODULE: {{ $django.settingsModule | quote }}
CLEA_BASE_DOMAIN: {{ .Values.baseDomain | quote }}
CLEA_PUBLIC_HOSTS: {{ join "," $django.extraPublicHosts | quote }}
CLEA_EXTRA_HOSTS: {{ join "," $django.extraAllowedHosts | quote }}
CLEA_SSL_REDIRECT: {{ include "clea.sslRedirect" . | quote }}
CLEA_LOG_LEVEL: {{ $django.logLevel | quote }}
CLEA_TRUSTED_PROXY_COUNT: {{ $django.trustedProxyCount | quote }}
CLEA_DB_POOL_MIN: {{ $django.dbPool.minSize | quote }}
CLEA_DB_POOL_MAX: {{ $django.dbPool.maxSize | quote }}
CLEA_VAR_DIR: {{ .Values.varDir | quote }}
CLEA_STORAGE_BACKEND: {{ .Values.storage.backend | quote }}
{{- if eq .Values.storage.backend "s3" }}
{{- with .Values.storage.s3 }}
CLEA_S3_BUCKET: {{ required "storage.s3.bucket is required with storage.backend s3" .bucket | quote }}
CLEA_S3_PREFIX: {{ .prefix | quote }}
CLEA_S3_ENDPOINT_URL: {{ .endpointUrl | quote }}
CLEA_S3_REGION: {{ .region | quote }}
CLEA_S3_ADDRESSING_STYLE: {{ .addressingStyle | quote }}
CLEA_S3_SSE: {{ .serverSideEncryption | quote }}
CLEA_S3_SSE_KMS_KEY_ID: {{ .kmsKeyId | quote }}
{{- end }}
{{- end }}
{{- with .Values.email }}
{{- if .host }}
EMAIL_HOST: {{ .host | quote }}
EMAIL_PORT: {{ .port | quote }}
EMAIL_USE_TLS: {{ .useTls | quote }}
EMAIL_USE_SSL: {{ .useSsl | quote }}
EMAIL_HOST_USER: {{ .user | quote }}
{{- end }}
{{- if .from }}
DEFAULT_FROM_EMAIL: {{ .from | quote }}
{{- end }}
{{- end }}
{{- range $key, $value := .Values.extraEnv }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* django.sslRedirect, or when left null: whether the Ingress terminates TLS. */}}
{{- define "clea.sslRedirect" -}}
{{- if kindIs "bool" .Values.django.sslRedirect }}
{{- .Values.django.sslRedirect }}
{{- else }}
{{- and .Values.ingress.enabled .Values.ingress.tls.enabled }}
{{- end }}
{{- end }}

{{/* A Redis URL on externalRedis for database number $db: (dict "root" $ "db" N). */}}
{{- define "clea.redisUrl" -}}
{{- $r := .root.Values.externalRedis }}
{{- $auth := "" }}
{{- if $r.password }}{{ $auth = printf ":%s@" ($r.password | urlquery) }}{{ end }}
{{- if $r.tls }}
{{- printf "rediss://%s%s:%v/%v?ssl_cert_reqs=required" $auth $r.host $r.port .db }}
{{- else }}
{{- printf "redis://%s%s:%v/%v" $auth $r.host $r.port .db }}
{{- end }}
{{- end }}

{{- define "clea.databaseUrl" -}}
{{- if .Values.secret.databaseUrl }}
{{- .Values.secret.databaseUrl }}
{{- else }}
{{- $db := .Values.externalDatabase }}
{{- $auth := $db.user | urlquery }}
{{- if $db.password }}{{ $auth = printf "%s:%s" $auth ($db.password | urlquery) }}{{ end }}
{{- printf "postgres://%s@%s:%v/%s?sslmode=%s" $auth $db.host $db.port $db.name $db.sslmode }}
{{- end }}
{{- end }}

{{- define "clea.brokerUrl" -}}
{{- .Values.secret.brokerUrl | default (include "clea.redisUrl" (dict "root" . "db" .Values.externalRedis.db)) }}
{{- end }}

{{- define "clea.cacheUrl" -}}
{{- .Values.secret.cacheUrl | default (include "clea.redisUrl" (dict "root" . "db" .Values.externalRedis.cacheDb)) }}
{{- end }}

{{/* SECRET_KEY: the value given. Never generated: a render must not change it (GitOps, hook copies). */}}
{{- define "clea.secretKey" -}}
{{- required "secret.secretKey (or existingSecret) is required: the chart never generates SECRET_KEY" .Values.secret.secretKey }}
{{- end }}

{{/* The signing key must come from somewhere: its own Secret, or (trials) the PEM in values. */}}
{{- define "clea.checkSigningKey" -}}
{{- if not (or .Values.signingKey.existingSecret .Values.signingKey.pem (hasKey .Values.extraEnvFromSecret "CLEA_SIGNING_KEY_PASSPHRASE")) }}
{{- fail "signingKey.existingSecret (or signingKey.pem, or CLEA_SIGNING_KEY_PASSPHRASE in extraEnvFromSecret) is required: the federation's signing key is a secret of its own" }}
{{- end }}
{{- end }}

{{/* Secret data (stringData). */}}
{{- define "clea.secretData" -}}
DATABASE_URL: {{ include "clea.databaseUrl" . | quote }}
CELERY_BROKER_URL: {{ include "clea.brokerUrl" . | quote }}
CLEA_CACHE_URL: {{ include "clea.cacheUrl" . | quote }}
SECRET_KEY: {{ include "clea.secretKey" . | quote }}
SECRET_KEY_FALLBACKS: {{ join "," .Values.secret.secretKeyFallbacks | quote }}
{{- if and .Values.signingKey.pem (not .Values.signingKey.existingSecret) }}
CLEA_SIGNING_KEY_PEM: {{ .Values.signingKey.pem | quote }}
{{- end }}
{{- end }}

{{/* Secret variables of the containers: variable -> field of existingSecretKeys. */}}
{{- define "clea.secretVariables" -}}
DATABASE_URL: databaseUrl
CELERY_BROKER_URL: brokerUrl
CLEA_CACHE_URL: cacheUrl
SECRET_KEY: secretKey
SECRET_KEY_FALLBACKS: secretKeyFallbacks
{{- end }}

{{/*
Environment of every container: the ConfigMap, then each secret variable by key.
(dict "root" $ "name" NAME ["component" "web"]): NAME of the ConfigMap and Secret; the migration hook passes
its copies. The web pods also get PROMETHEUS_MULTIPROC_DIR (gunicorn's workers share their counters).
With existingSecret, keys come from existingSecretKeys and CLEA_CACHE_URL may be absent.
*/}}
{{- define "clea.env" -}}
{{- $root := .root }}
{{- $name := .name }}
envFrom:
  - configMapRef:
      name: {{ $name }}
env:
  - name: HOME
    value: /tmp
{{- if and (eq (default "" .component) "web") $root.Values.metrics.enabled }}
  - name: PROMETHEUS_MULTIPROC_DIR
    value: {{ $root.Values.metrics.multiprocessDir | quote }}
{{- end }}
{{- range $variable, $field := include "clea.secretVariables" $root | fromYaml }}
  - name: {{ $variable }}
    valueFrom:
      secretKeyRef:
        {{- if $root.Values.existingSecret }}
        name: {{ $root.Values.existingSecret }}
        key: {{ index $root.Values.existingSecretKeys $field }}
        {{- if has $variable (list "CLEA_CACHE_URL" "SECRET_KEY_FALLBACKS") }}
        optional: true
        {{- end }}
        {{- else }}
        name: {{ $name }}
        key: {{ $variable }}
        {{- end }}
{{- end }}
{{- include "clea.checkSigningKey" $root }}
{{- if or $root.Values.signingKey.existingSecret $root.Values.signingKey.pem }}
  - name: CLEA_SIGNING_KEY_PEM
    valueFrom:
      secretKeyRef:
        {{- if $root.Values.signingKey.existingSecret }}
        name: {{ $root.Values.signingKey.existingSecret }}
        key: {{ $root.Values.signingKey.key }}
        {{- else if $root.Values.existingSecret }}
        {{- fail "signingKey.pem goes into the chart's Secret, which existingSecret switches off: use signingKey.existingSecret" }}
        {{- else }}
        name: {{ $name }}
        key: CLEA_SIGNING_KEY_PEM
        {{- end }}
{{- end }}
{{- if eq $root.Values.storage.backend "s3" }}
{{- with $root.Values.storage.s3.credentialsSecret }}
{{- if .name }}
  - name: CLEA_S3_ACCESS_KEY_ID
    valueFrom:
      secretKeyRef:
        name: {{ .name }}
        key: {{ .accessKeyIdKey }}
  - name: CLEA_S3_SECRET_ACCESS_KEY
    valueFrom:
      secretKeyRef:
        name: {{ .name }}
        key: {{ .secretAccessKeyKey }}
{{- end }}
{{- end }}
{{- end }}
{{- with $root.Values.email.passwordSecret }}
{{- if .name }}
  - name: EMAIL_HOST_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ .name }}
        key: {{ .key }}
{{- end }}
{{- end }}
{{- range $variable, $ref := $root.Values.extraEnvFromSecret }}
  - name: {{ $variable }}
    valueFrom:
      secretKeyRef:
        name: {{ $ref.name }}
        key: {{ $ref.key }}
        {{- if $ref.optional }}
        optional: true
        {{- end }}
{{- end }}
{{- end }}

{{/* ---------------------------------------------------------------- pod pieces */}}

{{- define "clea.podSecurityContext" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{- define "clea.containerSecurityContext" -}}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
{{- end }}

{{- define "clea.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{- define "clea.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* Uploaded files, for web and worker pods (local storage only; nothing with object storage). */}}
{{- define "clea.mediaVolume" -}}
{{- if eq .Values.storage.backend "local" }}
- name: media
  {{- if .Values.media.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.media.existingClaim }}
  {{- else }}
  emptyDir:
    sizeLimit: {{ .Values.media.emptyDirSizeLimit }}
  {{- end }}
{{- end }}
{{- end }}

{{- define "clea.mediaVolumeMount" -}}
{{- if eq .Values.storage.backend "local" }}
- name: media
  mountPath: {{ printf "%s/media" (.Values.varDir | trimSuffix "/") }}
{{- end }}
{{- end }}

{{/* Scheduling constraints shared by every pod. */}}
{{- define "clea.scheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* topologySpreadConstraints of one component: (dict "root" $ "component" "web"). */}}
{{- define "clea.topologySpread" -}}
{{- $spread := (index .root.Values .component).topologySpread }}
{{- if and $spread $spread.enabled }}
topologySpreadConstraints:
  - maxSkew: {{ $spread.maxSkew }}
    topologyKey: {{ $spread.topologyKey }}
    whenUnsatisfiable: {{ $spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "clea.componentSelectorLabels" . | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
{{- end }}
{{- end }}

{{/* Pod template metadata: (dict "root" $ "component" "web"). */}}
{{- define "clea.podMetadata" -}}
metadata:
  labels:
    {{- include "clea.componentLabels" . | nindent 4 }}
    {{- with .root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "clea.configData" .root | sha256sum }}
    {{- if not .root.Values.existingSecret }}
    checksum/secret: {{ include (print .root.Template.BasePath "/secret.yaml") .root | sha256sum }}
    {{- end }}
    {{- with .root.Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if and (eq .component "web") .root.Values.metrics.enabled .root.Values.metrics.podAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ .root.Values.web.containerPort | quote }}
    prometheus.io/path: /metrics
    {{- end }}
{{- end }}

{{/* An httpGet probe on the web port: (dict "root" $ "probe" .Values.web.livenessProbe). */}}
{{- define "clea.httpProbe" -}}
httpGet:
  path: {{ .probe.path }}
  port: http
  httpHeaders:
    - name: Host
      value: {{ .root.Values.baseDomain | quote }}
    - name: X-Forwarded-Proto
      value: https
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- end }}
