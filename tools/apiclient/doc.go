// Package apiclient is a client of the platform's API generated from its
// OpenAPI document alone (internal/apiv1/openapi.yaml) by oapi-codegen;
// its test uses it against the real server. Regenerate after changing the
// document with `go generate ./tools/apiclient/`.
package apiclient

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapi-codegen.yaml ../../internal/apiv1/openapi.yaml
