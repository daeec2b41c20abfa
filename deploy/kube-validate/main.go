// Command kube-validate checks Kubernetes manifests without a cluster.
//
// The chart's tests render it with `helm template`, and there is no API server to dry-run the result
// against (nor a network to fetch JSON schemas from), so a misspelt field would only surface on a real
// deploy. This decodes every document strictly into the very Go types the API server uses (client-go's
// scheme, the same k8s.io modules helm is built from) and checks its metadata with apimachinery's own
// rules:
//
//	helm template chart/ | kube-validate
//	kube-validate a.yaml b.yaml
//
// Caught: unknown or duplicate fields, wrong types, unknown apiVersion/kind (including custom resources,
// which the scheme does not know), bad names, labels and annotations. Not caught: the per-kind rules
// the API server applies after decoding (required fields, selectors matching labels, ...).
//
// Exit status: 0 all valid, 1 problems found, 2 usage or I/O error.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	sigsyaml "sigs.k8s.io/yaml"
)

// Strict: unknown and duplicate fields are errors, not silently dropped as a lenient decode would.
var decoder = json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
	json.SerializerOptions{Yaml: true, Strict: true})

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" {
			fmt.Fprintln(stderr, "usage: kube-validate [FILE...]   (no FILE, or -, reads standard input)")
			return 2
		}
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	objects, problems := 0, 0
	for _, name := range args {
		in, label := stdin, "standard input"
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintln(stderr, "kube-validate:", err)
				return 2
			}
			defer f.Close()
			in, label = f, name
		}
		docs := yaml.NewYAMLReader(bufio.NewReader(in))
		for {
			doc, err := docs.Read()
			if err == io.EOF {
				break
			}
			if err != nil { // an I/O error, or a "---" line with more than a comment after it
				fmt.Fprintf(stderr, "kube-validate: reading %s: %v\n", label, err)
				return 2
			}
			if isEmpty(doc) { // helm's leading "---" and templates that rendered to nothing
				continue
			}
			objects++
			where := fmt.Sprint(objects)
			if len(args) > 1 {
				where = label + ":" + where
			}
			errs, id := check(doc)
			for _, e := range errs {
				fmt.Fprintf(stdout, "error  %s %s: %s\n", where, id, oneLine(e.Error()))
			}
			problems += len(errs)
			if len(errs) == 0 {
				fmt.Fprintf(stdout, "ok  %s\n", id)
			}
		}
	}
	if problems > 0 {
		fmt.Fprintf(stdout, "%s in %s\n", plural(problems, "problem"), plural(objects, "object"))
		return 1
	}
	fmt.Fprintf(stdout, "%s valid\n", plural(objects, "object"))
	return 0
}

// check decodes one document and validates its metadata. id names it for the report: the kind and
// name, and the template helm rendered it from when its "# Source:" comment is there.
func check(doc []byte) (errs []error, id string) {
	id = describe(doc)
	obj, gvk, err := decoder.Decode(doc, nil, nil)
	if runtime.IsStrictDecodingError(err) {
		// Each unknown or duplicate field is its own error; the object was still decoded, so its
		// metadata can be checked too.
		errs = err.(interface{ Errors() []error }).Errors()
	} else if err != nil {
		// The stock messages name the scheme's source line, or quote the whole document.
		switch {
		case runtime.IsNotRegisteredError(err) && gvk != nil:
			err = fmt.Errorf("unknown apiVersion/kind %s %s: a typo, or a custom resource (no schema for those here)",
				gvk.GroupVersion(), gvk.Kind)
		case runtime.IsMissingKind(err):
			err = errors.New("kind is missing")
		case runtime.IsMissingVersion(err):
			err = errors.New("apiVersion is missing")
		}
		return []error{err}, id
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return append(errs, err), id
	}
	// helm template leaves metadata.namespace empty (the release's namespace is applied at install time),
	// so a namespace is only checked when the chart sets one.
	for _, e := range validation.ValidateObjectMetaAccessor(accessor, accessor.GetNamespace() != "",
		nameRule(gvk.Kind), field.NewPath("metadata")) {
		errs = append(errs, e)
	}
	return errs, id
}

// nameRule is the kinds whose names the API server holds to stricter rules than a DNS subdomain.
func nameRule(kind string) validation.ValidateNameFunc {
	switch kind {
	case "Service":
		return validation.NameIsDNS1035Label
	case "Namespace":
		return validation.NameIsDNSLabel
	}
	return validation.NameIsDNSSubdomain
}

// describe reads apiVersion, kind and name leniently, since a document that fails to decode strictly
// still needs naming in the report.
func describe(doc []byte) string {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	_ = sigsyaml.Unmarshal(doc, &head)
	id := strings.Join(strings.Fields(head.APIVersion+" "+head.Kind+" "+head.Metadata.Name), " ")
	for _, line := range strings.Split(string(doc), "\n") {
		if src, ok := strings.CutPrefix(line, "# Source: "); ok {
			return id + " (" + strings.TrimSpace(src) + ")"
		}
	}
	return id
}

// isEmpty tells a document with nothing but comments, blank lines and the "---" that opened it (the
// reader keeps that line when it starts a stream or follows an empty document).
func isEmpty(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "---") {
			return false
		}
	}
	return true
}

// oneLine keeps a multi-line message (YAML errors have them) to its line of the report.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
