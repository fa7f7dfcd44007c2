{{- define "switchboard.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "switchboard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "switchboard.labels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "switchboard.secretName" -}}
{{- default (include "switchboard.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* switchboard.yaml: what the chart decides, with .Values.config merged over it. */}}
{{- define "switchboard.config" -}}
{{- $chart := dict
  "server" (dict "host" "0.0.0.0" "port" 8080)
  "timeouts" (dict
    "shutdownDelay" (printf "%ds" (int .Values.shutdown.delaySeconds))
    "shutdownSpread" (printf "%ds" (int .Values.shutdown.spreadSeconds))
    "drainTimeout" (printf "%ds" (int .Values.shutdown.drainSeconds))) -}}
{{- if .Values.redis.url -}}
{{- $_ := set $chart "engine" (dict "type" "redis") -}}
{{- $_ := set $chart "redis" (dict "uri" .Values.redis.url) -}}
{{- end -}}
{{- if .Values.tls.secretName -}}
{{- $_ := set $chart "tls" (dict "cert" "/etc/switchboard/tls/tls.crt" "key" "/etc/switchboard/tls/tls.key") -}}
{{- end -}}
{{- toYaml (mergeOverwrite $chart (deepCopy .Values.config)) -}}
{{- end -}}
