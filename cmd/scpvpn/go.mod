module github.com/scpsdk/scpvpn/cmd/scpvpn

go 1.26.0

require (
	github.com/itchyny/gojq v0.12.20
	github.com/scpsdk/scpvpn v0.3.0
	github.com/spf13/cobra v1.10.2
	github.com/spf13/pflag v1.1.0
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
)

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/itchyny/timefmt-go v0.1.9 // indirect
	golang.org/x/net v0.63.0 // indirect
)
