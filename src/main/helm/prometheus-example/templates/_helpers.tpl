{{/*
app.kubernetes.io/name is always the chart name, "prometheus-example": the ServiceMonitor's jobLabel turns it into the
job label, and the rules select job="prometheus-example" (src/main/prometheus/*.rules.yml).
*/}}
{{- define "prometheus-example.name" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "prometheus-example.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "prometheus-example.selectorLabels" -}}
app.kubernetes.io/name: {{ include "prometheus-example.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "prometheus-example.labels" -}}
{{ include "prometheus-example.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The same annotations as the generated manifests: scrape the management port. */}}
{{- define "prometheus-example.scrapeAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/path: /metrics
prometheus.io/port: "9101"
prometheus.io/scheme: http
{{- end -}}

{{- define "prometheus-example.image" -}}
{{- $tag := .Values.image.tag | default (printf "%s%s" .Chart.AppVersion (eq .Values.runtime "native" | ternary "-native" "")) -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{- define "prometheus-example.resources" -}}
{{- if .Values.resources -}}
{{- toYaml .Values.resources -}}
{{- else -}}
{{- toYaml (get .Values.resourcePresets .Values.runtime) -}}
{{- end -}}
{{- end -}}

{{- define "prometheus-example.passwordSecret" -}}
{{- .Values.faultControl.existingSecret | default (printf "%s-fault-control" (include "prometheus-example.fullname" .)) -}}
{{- end -}}

{{/* An environment variable for a value that is set; null leaves the service's default. */}}
{{- define "prometheus-example.env" -}}
{{- if not (kindIs "invalid" .value) }}
- name: {{ .name }}
  value: {{ .value | toString | quote }}
{{- end }}
{{- end -}}

{{/*
A number, also when given as text: `helm --set fault.failureRate=0.2` passes 0.2 as a string (it types only whole
numbers and booleans), and the fault file needs a JSON number.
*/}}
{{- define "prometheus-example.number" -}}
{{- if and (kindIs "string" .value) (not (regexMatch "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$" .value)) }}
{{- fail (printf "%s must be a number, got %q" .name .value) }}
{{- end }}
{{- .value }}
{{- end -}}

{{/* The fault settings that are set (not null), as the fault file's JSON; refuses what the chart no longer takes. */}}
{{- define "prometheus-example.faultSettings" -}}
{{- if hasKey .Values.faultFile "settings" }}
{{- fail "faultFile.settings is no longer read: set fault.failureRate, fault.latencyMin (\"50ms\") and the other fault.* values; they go into the fault file" }}
{{- end }}
{{- include "prometheus-example.requirePassword" . }}
{{- $settings := dict }}
{{- $numbers := list "failureRate" "cpuBurnCores" "hangRate" "resetRate" }}
{{- range $field := list "failureRate" "latencyMin" "latencyMax" "ready" "live" "requestFaults" "cpuBurnCores" "memoryTarget" "memoryRate" "allowOomKill" "hangRate" "resetRate" "crashAfter" "crashExitCode" }}
{{- $value := get $.Values.fault $field }}
{{- if not (kindIs "invalid" $value) }}
{{- if has $field $numbers }}
{{- $value = include "prometheus-example.number" (dict "name" (printf "fault.%s" $field) "value" $value) | float64 }}
{{- else if eq $field "crashExitCode" }}
{{- $value = include "prometheus-example.number" (dict "name" "fault.crashExitCode" "value" $value) | int }}
{{- end }}
{{- $_ := set $settings $field $value }}
{{- end }}
{{- end }}
{{- if .Values.fault.failureStatuses }}
{{- $statuses := dict }}
{{- range $status, $weight := .Values.fault.failureStatuses }}
{{- $_ := set $statuses (toString $status) (include "prometheus-example.number" (dict "name" (printf "fault.failureStatuses.%v" $status) "value" $weight) | float64) }}
{{- end }}
{{- $_ := set $settings "failureStatuses" $statuses }}
{{- end }}
{{- toJson $settings }}
{{- end -}}

{{/*
The faults that end the process (a crash, memory allowed past the limit) need the operator password: the service
refuses them without it, and a pod that crashes at every start for want of a Secret is a poor way to learn that.
*/}}
{{- define "prometheus-example.requirePassword" -}}
{{- if not (or .Values.faultControl.existingSecret .Values.faultControl.password) }}
{{- if not (kindIs "invalid" .Values.fault.crashAfter) }}
{{- fail "fault.crashAfter ends the process: the service takes it only with the operator password set (faultControl.password or faultControl.existingSecret)" }}
{{- end }}
{{- if .Values.fault.allowOomKill }}
{{- fail "fault.allowOomKill lets memory growth end the process: the service takes it only with the operator password set (faultControl.password or faultControl.existingSecret)" }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "prometheus-example.containerEnv" -}}
{{- with .Values.fault }}
{{- if not $.Values.faultFile.enabled }}
{{- include "prometheus-example.requirePassword" $ }}
{{- range $field := list "ready" "live" "cpuBurnCores" "memoryTarget" "memoryRate" "allowOomKill" "hangRate" "resetRate" }}
{{- if not (kindIs "invalid" (get $.Values.fault $field)) }}
{{- fail (printf "fault.%s is only read from the fault file: set faultFile.enabled=true, or leave fault.%s null" $field $field) }}
{{- end }}
{{- end }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_FAILURE_RATE" "value" .failureRate) }}
{{- if .failureStatuses }}
{{- $statuses := list }}
{{- range $status, $weight := .failureStatuses }}
{{- $statuses = append $statuses (printf "%v=%v" $status $weight) }}
{{- end }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_FAILURE_STATUSES" "value" (join "," $statuses)) }}
{{- end }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_LATENCY_MIN" "value" .latencyMin) }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_LATENCY_MAX" "value" .latencyMax) }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_REQUEST_FAULTS_ENABLED" "value" .requestFaults) }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_CRASH_AFTER" "value" .crashAfter) }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_CRASH_EXIT_CODE" "value" .crashExitCode) }}
{{- end }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_STARTUP_DELAY" "value" .startupDelay) }}
{{- end }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_TRAFFIC_RATE" "value" .Values.trafficRate) }}
{{- if .Values.faultFile.enabled }}
{{- include "prometheus-example.env" (dict "name" "EXAMPLE_FAULT_FILE" "value" (printf "%s/fault.json" (trimSuffix "/" .Values.faultFile.mountPath))) }}
{{- end }}
{{- if or .Values.faultControl.existingSecret .Values.faultControl.password }}
- name: EXAMPLE_FAULT_CONTROL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "prometheus-example.passwordSecret" . }}
      key: {{ .Values.faultControl.secretKey }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
An Alertmanager route's receiver, grouping and timings (alertmanager.yml's snake_case) in AlertmanagerConfig's camelCase.
*/}}
{{- define "prometheus-example.alertmanagerRoute" -}}
receiver: {{ .receiver }}
{{- with .group_by }}
groupBy: {{ toJson . }}
{{- end }}
{{- with .group_wait }}
groupWait: {{ . }}
{{- end }}
{{- with .group_interval }}
groupInterval: {{ . }}
{{- end }}
{{- with .repeat_interval }}
repeatInterval: {{ . }}
{{- end }}
{{- end }}

{{/*
Matchers such as severity="page" as AlertmanagerConfig matchers. Only equality is used by the shipped configuration.
*/}}
{{- define "prometheus-example.alertmanagerMatchers" -}}
{{- range . }}
{{- $matcher := regexFind "^[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"$" . }}
{{- if not $matcher }}
{{- fail (printf "cannot turn the matcher %s into an AlertmanagerConfig matcher (only name=\"value\")" .) }}
{{- end }}
{{- $parts := splitn "=" 2 . }}
- name: {{ $parts._0 }}
  value: {{ trimAll "\"" $parts._1 | quote }}
  matchType: "="
{{- end }}
{{- end }}
