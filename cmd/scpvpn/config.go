package main

// This file holds the configuration in the operator's words: the flags
// that say where the API is (--endpoint, --region, --environment,
// --auth-url) and where the files are (--config-dir), how they become the
// SDK's options over scpvpn.NewClientFromEnv, what the command itself
// reads of the files (the secrets to scrub, an auth URL for --region), and
// how the SDK's configuration errors are told in flags, variables and
// files rather than Go option names.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/scpsdk/scpvpn"
)

// configFlags are the global flags of the configuration.
type configFlags struct {
	endpoint    string
	region      string
	environment string
	authURL     string
	configDir   string
}

// The variables of SCP's Terraform provider that the SDK reads after the
// SCP_* ones, for the decisions the command makes before calling it.
const (
	envTFAuthURL          = "SCP_TF_AUTH_URL"
	envTFAccessKey        = "SCP_TF_ACCESS_KEY"
	envTFAccountID        = "SCP_TF_ACCOUNT_ID"
	envTFEndpointOverride = "SCP_TF_ENDPOINT_OVERRIDE"
	envTFDefaultRegion    = "SCP_TF_DEFAULT_REGION"
	envTFSecretKey        = "SCP_TF_SECRET_KEY" //nolint:gosec // the name of a variable
	envTFAuthToken        = "SCP_TF_AUTH_TOKEN" //nolint:gosec // the name of a variable
)

// maxConfigFile bounds what the command reads of a configuration file, as
// the SDK does: they hold a few keys.
const maxConfigFile = 1 << 20

// configView is what the command reads of the configuration for its own
// decisions and messages; the SDK reads it again, and is the judge of
// what is wrong with it.
type configView struct {
	dir           string   // of config.json and credentials.json; "" when none is known
	explicit      string   // an endpoint URL from the variables or config.json
	authURL       string   // an IAM auth URL from the variables or config.json
	defaultRegion string   // from the variables or config.json
	secrets       []string // the secret key and token of credentials.json
	// Where the values sent in headers come from, for a message that
	// refuses one: a variable, or a key in a file; "" when none gives it.
	accessKeyFrom, tokenFrom, accountIDFrom string
	// warnings are what the SDK takes in silence: a file that is a
	// symbolic link to nothing is read as missing.
	warnings []string
	// problem is a file the SDK refuses, told better: text in UTF-16 is
	// only "not valid JSON (at byte 1)" to it.
	problem error
}

// readConfigView reads the variables and the files in dir ("" for the
// folder SCP_CONFIG_DIR or ~/.scpconf names). A file that cannot be read
// is empty here: the SDK reports it.
func readConfigView(dir string) *configView {
	if dir == "" {
		dir = os.Getenv(scpvpn.EnvConfigDir)
	}
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".scpconf")
		}
	}
	var cfg struct {
		AuthURL          string `json:"auth-url"`
		EndpointOverride string `json:"endpoint-override"`
		DefaultRegion    string `json:"default-region"`
		AccountID        string `json:"account-id"`
	}
	var creds struct {
		AccessKey string `json:"access-key"`
		SecretKey string `json:"secret-key"`
		AuthToken string `json:"auth-token"`
	}
	view := &configView{dir: dir}
	configPath, credentialsPath := filepath.Join(dir, "config.json"), filepath.Join(dir, "credentials.json")
	if dir != "" {
		view.readJSONFile(configPath, &cfg)
		view.readJSONFile(credentialsPath, &creds)
	}
	view.explicit = first(os.Getenv(scpvpn.EnvEndpoint), os.Getenv(envTFEndpointOverride), cfg.EndpointOverride)
	view.authURL = first(os.Getenv(scpvpn.EnvAuthURL), os.Getenv(envTFAuthURL), cfg.AuthURL)
	view.defaultRegion = first(os.Getenv(scpvpn.EnvDefaultRegion), os.Getenv(scpvpn.EnvRegion), os.Getenv(envTFDefaultRegion), cfg.DefaultRegion)
	view.secrets = []string{creds.SecretKey, creds.AuthToken}
	// In the order the SDK takes them.
	view.accessKeyFrom = origin(creds.AccessKey, "access-key in "+credentialsPath, scpvpn.EnvAccessKey, envTFAccessKey)
	view.tokenFrom = origin(creds.AuthToken, "auth-token in "+credentialsPath, scpvpn.EnvAuthToken, envTFAuthToken)
	view.accountIDFrom = origin(cfg.AccountID, "account-id in "+configPath, scpvpn.EnvAccountID, envTFAccountID)
	return view
}

// origin names where a value comes from: the first of the variables
// that is set, else the key of a file, when the file gives it.
func origin(fromFile, fileKey string, variables ...string) string {
	for _, name := range variables {
		if os.Getenv(name) != "" {
			return name
		}
	}
	if fromFile != "" {
		return fileKey
	}
	return ""
}

// environmentSecrets returns the secret key and token of the variables.
func environmentSecrets() []string {
	return []string{
		os.Getenv(scpvpn.EnvSecretKey), os.Getenv(envTFSecretKey),
		os.Getenv(scpvpn.EnvAuthToken), os.Getenv(envTFAuthToken),
	}
}

// readJSONFile decodes the JSON file at path into v, leaving v as it is
// when the file is missing, not a regular file, larger than
// maxConfigFile, or not JSON. It never blocks: a named pipe without a
// writer is opened without waiting, then refused. A symbolic link to
// nothing is a warning; text in UTF-16 (or with NUL bytes) the problem.
func (view *configView) readJSONFile(path string, v any) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0) //nolint:gosec // the configuration folder, the user's choice
	if err != nil {
		if target, dangling := danglingLink(path, err); dangling {
			view.warnings = append(view.warnings, fmt.Sprintf("%s is a symbolic link to %s, which does not exist: read as a missing file", path, target))
		}
		return
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return
	}
	b, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil || len(b) > maxConfigFile {
		return
	}
	if problem := encodingProblem(b); problem != "" && view.problem == nil {
		view.problem = fmt.Errorf("%s is not UTF-8 text: %s; save it as UTF-8", path, problem)
	}
	_ = json.Unmarshal(bytes.TrimPrefix(b, []byte("\ufeff")), v)
}

// danglingLink reports whether err, of opening path, is that of a
// symbolic link to nothing, and where it points.
func danglingLink(path string, err error) (string, bool) {
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	info, lerr := os.Lstat(path) //nolint:gosec // the configuration folder, the user's choice
	if lerr != nil || info.Mode()&fs.ModeSymlink == 0 {
		return "", false
	}
	target, rerr := os.Readlink(path) //nolint:gosec // as above
	if rerr != nil {
		target = "a path"
	}
	return target, true
}

// encodingProblem says why b, a JSON file, is in an encoding other than
// UTF-8, or "": a UTF-16 or UTF-32 byte order mark, or NUL bytes, which
// JSON text cannot hold and UTF-16 text is full of.
func encodingProblem(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return "it starts with a UTF-16 byte order mark"
	case bytes.HasPrefix(b, []byte{0, 0, 0xfe, 0xff}):
		return "it starts with a UTF-32 byte order mark"
	case bytes.IndexByte(b, 0) >= 0:
		return "it holds NUL bytes (UTF-16 text?)"
	}
	return ""
}

// inConfigDir names the file name of the configuration folder in a
// message: its path, or when there is no folder, how to give one.
func (view *configView) inConfigDir(name string) string {
	if view.dir == "" {
		return name + " (in the folder of --config-dir or " + scpvpn.EnvConfigDir + ": HOME is not set, so there is no ~/.scpconf)"
	}
	return filepath.Join(view.dir, name)
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

// endpointOptions returns the SDK's options for the endpoint flags: none
// when none is given, and NewClientFromEnv finds the endpoint. A
// combination that cannot be meant is a usage error, as is a region
// without what it needs; the errors name flags and variables.
func (f *configFlags) endpointOptions(view *configView) ([]scpvpn.Option, error) {
	switch {
	case f.endpoint != "":
		if f.region != "" || f.environment != "" || f.authURL != "" {
			return nil, errors.New("--endpoint gives the endpoint itself: leave out --region, --environment and --auth-url")
		}
		return []scpvpn.Option{scpvpn.WithEndpoint(f.endpoint)}, nil
	case f.authURL != "":
		if f.environment != "" {
			return nil, errors.New("--auth-url finds the endpoint in the IAM catalog, in --region: leave out --environment")
		}
		return []scpvpn.Option{scpvpn.WithCatalog(f.authURL, f.region)}, nil
	case f.environment != "":
		region := first(f.region, os.Getenv(scpvpn.EnvRegion), view.defaultRegion)
		if region == "" {
			return nil, fmt.Errorf("--environment %s needs a region: give --region, or set %s", f.environment, scpvpn.EnvRegion)
		}
		return []scpvpn.Option{scpvpn.WithRegion(region, f.environment)}, nil
	case f.region != "":
		if view.authURL != "" {
			return []scpvpn.Option{scpvpn.WithCatalog(view.authURL, f.region)}, nil
		}
		if env := os.Getenv(scpvpn.EnvEnvironment); env != "" {
			return []scpvpn.Option{scpvpn.WithRegion(f.region, env)}, nil
		}
		return nil, fmt.Errorf("--region %s needs an environment or an IAM catalog: give --environment (or set %s), or --auth-url (or set %s, or put auth-url in %s)",
			f.region, scpvpn.EnvEnvironment, scpvpn.EnvAuthURL, view.inConfigDir("config.json"))
	}
	return nil, view.checkRegionVariables()
}

// checkRegionVariables names the variable missing when the endpoint is to
// come from SCP_REGION and SCP_ENVIRONMENT and only one is set: the SDK
// would only say that the other is not a DNS label.
func (view *configView) checkRegionVariables() error {
	if view.explicit != "" || view.authURL != "" {
		return nil // the endpoint comes from elsewhere
	}
	region, environment := os.Getenv(scpvpn.EnvRegion), os.Getenv(scpvpn.EnvEnvironment)
	switch {
	case region != "" && environment == "":
		return fmt.Errorf("%s is set (%s) but %s is not: set %s too (such as e), or give --environment; or give the endpoint itself with --endpoint or %s",
			scpvpn.EnvRegion, region, scpvpn.EnvEnvironment, scpvpn.EnvEnvironment, scpvpn.EnvEndpoint)
	case environment != "" && region == "" && view.defaultRegion == "":
		return fmt.Errorf("%s is set (%s) but %s is not: set %s too (such as kr-west1), or give --region; or give the endpoint itself with --endpoint or %s",
			scpvpn.EnvEnvironment, environment, scpvpn.EnvRegion, scpvpn.EnvRegion, scpvpn.EnvEndpoint)
	}
	return nil
}

// withConfigDir runs fn with SCP_CONFIG_DIR set to dir, when dir is given:
// NewClientFromEnv takes the folder from the environment only. The command
// is one run of one process, and the variable is restored after.
func withConfigDir[T any](dir string, fn func() (T, error)) (T, error) {
	if dir == "" {
		return fn()
	}
	old, had := os.LookupEnv(scpvpn.EnvConfigDir)
	if err := os.Setenv(scpvpn.EnvConfigDir, dir); err != nil {
		var zero T
		return zero, fmt.Errorf("--config-dir: %w", err)
	}
	defer func() {
		if had {
			_ = os.Setenv(scpvpn.EnvConfigDir, old)
		} else {
			_ = os.Unsetenv(scpvpn.EnvConfigDir)
		}
	}()
	return fn()
}

// configError is an error of the configuration, found before anything
// was sent: status 4 when the key pair is missing (as for a key refused),
// 2 otherwise. Its message speaks of flags, variables and files: view
// says where each value came from, and whether there is a folder of files
// at all.
func configError(err error, view *configView) error {
	code := exitUsage
	if errors.Is(err, scpvpn.ErrNoCredentials) {
		code = exitAuth
	}
	hint := configHint
	if errors.Is(err, scpvpn.ErrNoEndpoint) || errors.Is(err, scpvpn.ErrNoCredentials) {
		hint = "Set what is missing as above; " + hint
		if view.dir == "" {
			hint = "No config.json or credentials.json was read: HOME is not set, and neither --config-dir nor " +
				scpvpn.EnvConfigDir + " names their folder.\n" + hint
		}
	}
	return &exitError{code: code, err: operatorError{err: err, words: view.words()}, hint: hint}
}

// configHint follows the message of a configuration error.
const configHint = "'scpvpn --help' lists the flags, variables and files that configure the command."

// operatorError tells an error of the SDK's configuration in the
// operator's words: the SDK names its Go options, which a command line
// user cannot give.
type operatorError struct {
	err   error
	words *strings.Replacer
}

func (e operatorError) Error() string { return e.words.Replace(e.err.Error()) }
func (e operatorError) Unwrap() error { return e.err }

// words returns the replacer of the SDK's option names that names, for a
// value sent in a header, the variable or file it came from: a token with
// a new line at its end in credentials.json is not SCP_AUTH_TOKEN's.
func (view *configView) words() *strings.Replacer {
	var pairs []string
	for _, v := range []struct{ option, what, from string }{
		{"WithCredentials (access key)", "the access key", view.accessKeyFrom},
		{"WithAuthToken", "the token", view.tokenFrom},
		{"WithAccountID", "the account id", view.accountIDFrom},
	} {
		if v.from != "" {
			pairs = append(pairs, v.option, v.what+" ("+v.from+")")
		}
	}
	return strings.NewReplacer(append(pairs, operatorPairs...)...)
}

// operatorPairs replace the SDK's option names in its configuration
// errors with the flags, variables and files that give the same.
var operatorPairs = []string{
	"give it with WithCredentials, set ", "set ",
	"give it with WithEndpoint, WithCatalog or WithRegion, set ", "give --endpoint, --auth-url, or --region with --environment; or set ",
	"give the key pair with WithCredentials", "give the key pair in " + scpvpn.EnvAccessKey + " and " + scpvpn.EnvSecretKey,
	"WithCatalog's region", "--region",
	"WithCredentials (access key)", "the access key (" + scpvpn.EnvAccessKey + ")",
	"WithAuthToken", "the token (" + scpvpn.EnvAuthToken + ")",
	"WithAccountID", "the account id (" + scpvpn.EnvAccountID + ")",
	"WithEndpoint", "--endpoint",
	"WithCatalog", "--auth-url",
	"WithRegion", "--region and --environment",
}

// operatorWords replaces the SDK's option names with the operator's, for
// errors of calls (an endpoint the IAM catalog gave, or could not give).
var operatorWords = strings.NewReplacer(operatorPairs...)
