package scpvpn

// This file holds NewClientFromEnv: configuration as SCP's own tools keep it,
// in environment variables and in the files of ~/.scpconf, and the one error
// that names everything missing.

import (
	"os"
	"path/filepath"
	"strings"
)

// Environment variables read by NewClientFromEnv. Each value is taken from
// the first of: the options given, the SCP_* variable, the SCP_TF_* variable
// of SCP's Terraform provider, the files in SCP_CONFIG_DIR (or ~/.scpconf).
const (
	EnvAccessKey     = "SCP_ACCESS_KEY"
	EnvSecretKey     = "SCP_SECRET_KEY" //nolint:gosec // the name of a variable, not a credential
	EnvAccountID     = "SCP_ACCOUNT_ID"
	EnvAuthToken     = "SCP_AUTH_TOKEN" //nolint:gosec // the name of a variable, not a credential
	EnvEndpoint      = "SCP_VPN_ENDPOINT"
	EnvAuthURL       = "SCP_AUTH_URL"
	EnvDefaultRegion = "SCP_DEFAULT_REGION"
	EnvRegion        = "SCP_REGION"
	EnvEnvironment   = "SCP_ENVIRONMENT"
	// EnvConfigDir is the folder of config.json and credentials.json;
	// ~/.scpconf when unset.
	EnvConfigDir = "SCP_CONFIG_DIR"
)

// The variables of SCP's Terraform provider, read after the SCP_* ones.
const (
	envTFAccessKey        = "SCP_TF_ACCESS_KEY"
	envTFSecretKey        = "SCP_TF_SECRET_KEY" //nolint:gosec // the name of a variable
	envTFAccountID        = "SCP_TF_ACCOUNT_ID"
	envTFAuthToken        = "SCP_TF_AUTH_TOKEN" //nolint:gosec // the name of a variable
	envTFEndpointOverride = "SCP_TF_ENDPOINT_OVERRIDE"
	envTFAuthURL          = "SCP_TF_AUTH_URL"
	envTFDefaultRegion    = "SCP_TF_DEFAULT_REGION"
)

// The files of SCP's tools and their keys.
const (
	configFile      = "config.json"
	credentialsFile = "credentials.json" //nolint:gosec // a file name
)

// configPlaces says where NewClientFromEnv looked, for the error that names
// what is missing.
type configPlaces struct {
	dir string // of the files
}

// NewClientFromEnv returns a client configured as SCP's own tools are. Each
// value comes from the first place that has it (an option given an empty
// value has none): the options given; the SCP_* variables (EnvAccessKey and
// the others); the SCP_TF_* variables of SCP's Terraform provider; then the
// files config.json (auth-url, endpoint-override, account-id,
// default-region) and credentials.json (access-key, secret-key, auth-token)
// in SCP_CONFIG_DIR, or ~/.scpconf when that is unset.
//
// The endpoint is, in order: an endpoint option (WithEndpoint, WithCatalog
// or WithRegion); an explicit URL (SCP_VPN_ENDPOINT, SCP_TF_ENDPOINT_OVERRIDE,
// endpoint-override); the IAM catalog (SCP_AUTH_URL, SCP_TF_AUTH_URL,
// auth-url), in the default region (SCP_DEFAULT_REGION, SCP_REGION,
// SCP_TF_DEFAULT_REGION, default-region); or SCP_REGION with
// SCP_ENVIRONMENT.
//
// A missing file is empty. Only a regular file of at most 1 MiB is read (a
// symbolic link to one is followed); anything else (a named pipe, a
// device, a folder, a larger file) is refused without reading it, and
// NewClientFromEnv never blocks on one. A UTF-8 byte order mark at the
// start is skipped. A file that is refused or does not parse is an error
// that names the file and says why, never quoting its content. When
// something required is missing, one error names every missing value and
// where each could be given.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	dir := os.Getenv(EnvConfigDir)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err == nil {
			dir = filepath.Join(home, ".scpconf")
		}
	}
	var cfg struct {
		AuthURL          string `json:"auth-url"`
		EndpointOverride string `json:"endpoint-override"`
		AccountID        string `json:"account-id"`
		DefaultRegion    string `json:"default-region"`
	}
	var creds struct {
		AccessKey string `json:"access-key"`
		SecretKey string `json:"secret-key"`
		AuthToken string `json:"auth-token"`
	}
	if dir != "" {
		if err := readConfigFile(filepath.Join(dir, configFile), &cfg); err != nil {
			return nil, err
		}
		if err := readConfigFile(filepath.Join(dir, credentialsFile), &creds); err != nil {
			return nil, err
		}
	}
	defaultRegion := first(os.Getenv(EnvDefaultRegion), os.Getenv(EnvRegion), os.Getenv(envTFDefaultRegion), cfg.DefaultRegion)
	explicit := first(os.Getenv(EnvEndpoint), os.Getenv(envTFEndpointOverride), cfg.EndpointOverride)
	authURL := first(os.Getenv(EnvAuthURL), os.Getenv(envTFAuthURL), cfg.AuthURL)
	region, environment := os.Getenv(EnvRegion), os.Getenv(EnvEnvironment)
	// After the options, the rest fills in what they left empty: an option
	// given "" (a flag left unset) gives nothing, and the next place is read.
	fill := func(s *settings) {
		s.accessKey = first(s.accessKey, os.Getenv(EnvAccessKey), os.Getenv(envTFAccessKey), creds.AccessKey)
		s.secretKey = first(s.secretKey, os.Getenv(EnvSecretKey), os.Getenv(envTFSecretKey), creds.SecretKey)
		s.accountID = first(s.accountID, os.Getenv(EnvAccountID), os.Getenv(envTFAccountID), cfg.AccountID)
		s.token = first(s.token, os.Getenv(EnvAuthToken), os.Getenv(envTFAuthToken), creds.AuthToken)
		if !s.endpointGiven() {
			switch {
			case explicit != "":
				s.setEndpoint(explicit, "", "", "", "")
			case authURL != "":
				s.setEndpoint("", "", "", authURL, "")
			case region != "" || environment != "":
				s.setEndpoint("", first(region, defaultRegion), environment, "", "")
			}
		}
		s.defaultRegion = defaultRegion
		s.fromEnv = &configPlaces{dir: dir}
	}
	return NewClient(append(opts[:len(opts):len(opts)], fill)...)
}

// first returns the first value that is not empty.
func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// missingError names every required value that no place gave.
type missingError struct {
	missing   []string
	sentinels []error
}

func (e *missingError) Error() string {
	return "scpvpn: missing configuration: " + strings.Join(e.missing, "; ")
}

// Unwrap returns ErrNoEndpoint and ErrNoCredentials, as they apply.
func (e *missingError) Unwrap() []error { return e.sentinels }

// checkRequired returns one error naming every required value missing,
// with where each could be given, or nil.
func (s *settings) checkRequired() error {
	e := &missingError{}
	for _, v := range []struct {
		what, option, env, file string
		missing                 bool
	}{
		{"access key", "WithCredentials", EnvAccessKey + " or " + envTFAccessKey, "access-key in " + credentialsFile, s.accessKey == ""},
		{"secret key", "WithCredentials", EnvSecretKey + " or " + envTFSecretKey, "secret-key in " + credentialsFile, s.secretKey == ""},
	} {
		if v.missing {
			e.missing = append(e.missing, s.places(v.what, v.option, v.env, v.file))
		}
	}
	if len(e.missing) > 0 {
		e.sentinels = append(e.sentinels, ErrNoCredentials)
	}
	if !s.endpointGiven() {
		e.missing = append(e.missing, s.places("endpoint", "WithEndpoint, WithCatalog or WithRegion",
			EnvEndpoint+", "+EnvAuthURL+", "+EnvRegion+" with "+EnvEnvironment+", "+envTFEndpointOverride+" or "+envTFAuthURL,
			"endpoint-override or auth-url in "+configFile))
		e.sentinels = append(e.sentinels, ErrNoEndpoint)
	}
	if len(e.missing) == 0 {
		return nil
	}
	return e
}

// places says where a value could be given: the option, and with
// NewClientFromEnv the variables and the file.
func (s *settings) places(what, option, env, file string) string {
	if s.fromEnv == nil {
		return what + " (give it with " + option + ")"
	}
	where := what + " (give it with " + option + ", set " + env
	if s.fromEnv.dir != "" {
		where += ", or put " + strings.Replace(file, configFile, filepath.Join(s.fromEnv.dir, configFile), 1)
		where = strings.Replace(where, credentialsFile, filepath.Join(s.fromEnv.dir, credentialsFile), 1)
	}
	return where + ")"
}
