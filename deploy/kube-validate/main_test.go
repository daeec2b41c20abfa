package main

import (
	"bytes"
	"strings"
	"testing"
)

const deployment = `---
# Source: gavel/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gavel-api
  labels: {app: gavel-api}
spec:
  replicas: 2
  selector: {matchLabels: {app: gavel-api}}
  template:
    metadata: {labels: {app: gavel-api}}
    spec:
      containers: [{name: api, image: "gavel:1"}]
`

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		code           int
	}{
		{"valid", "---\n# Source: empty.yaml\n" + deployment, "ok  apps/v1 Deployment gavel-api", 0},
		{"unknown field", strings.Replace(deployment, "replicas:", "replica:", 1), `unknown field "spec.replica"`, 1},
		{"duplicate field", strings.Replace(deployment, "  replicas: 2", "  replicas: 2\n  replicas: 3", 1), "already set in map", 1},
		{"wrong type", strings.Replace(deployment, "replicas: 2", "replicas: two", 1), "cannot unmarshal", 1},
		{"unknown kind", strings.Replace(deployment, "kind: Deployment", "kind: Deploymnet", 1), "unknown apiVersion/kind apps/v1 Deploymnet", 1},
		{"bad label", strings.Replace(deployment, "labels: {app: gavel-api}", "labels: {app: gavel api}", 1), "metadata.labels", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(nil, strings.NewReader(tc.in), &out, &errOut)
			if code != tc.code || !strings.Contains(out.String(), tc.want) {
				t.Fatalf("exit %d, want %d; output should contain %q:\n%s%s", code, tc.code, tc.want, out.String(), errOut.String())
			}
		})
	}
}
