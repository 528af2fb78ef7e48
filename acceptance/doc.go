// Package acceptance proves scpvpn against a Samsung Cloud Platform
// account: one command creates real resources through every operation of
// both API versions, checks what comes back, and deletes everything.
//
//	SCPVPN_ACCEPTANCE=1 \
//	SCPVPN_ACCEPTANCE_VPC_ID=... SCPVPN_ACCEPTANCE_IP_ID=... SCPVPN_ACCEPTANCE_IP_ADDRESS=... \
//	go test -count=1 -v -timeout 60m ./acceptance
//
// The suite is skipped unless SCPVPN_ACCEPTANCE is 1. Its client is
// configured exactly as scpvpn.NewClientFromEnv configures one (the SCP_*
// and SCP_TF_* variables, the files of ~/.scpconf or $SCP_CONFIG_DIR, the
// IAM catalog), so a run proves the configuration too, and sends over the
// transport a client gets by default, the requests as the SDK builds
// them: only a recorder is added, which keeps what goes through to check
// it against the API's OpenAPI documents and changes nothing on the wire.
// go test never replays a run of the suite or of the sweeper from its
// cache, even without -count=1: each changes into its test binary's
// directory, an input of the cache that no later run shares (see
// uncached_test.go). What it needs besides:
//
//	SCPVPN_ACCEPTANCE_VPC_ID         the VPC the gateway is created in (required)
//	SCPVPN_ACCEPTANCE_IP_ID          the id of a free public IP of that VPC (required)
//	SCPVPN_ACCEPTANCE_IP_ADDRESS     that IP's address (required)
//	SCPVPN_ACCEPTANCE_PREFIX         the prefix of every name the suite gives (default scpvpnacc)
//	SCPVPN_ACCEPTANCE_PEER_IPS       the peer addresses of the two tunnels (default 203.0.113.10,203.0.113.11)
//	SCPVPN_ACCEPTANCE_REMOTE_NET     an IPv4 /16 whose x.y.1.0/24 to x.y.4.0/24 serve as remote subnets (default 10.251.0.0/16)
//
// A run costs one VPN gateway and two VPN tunnels (one made in each
// version) for the few minutes they take to create, change and delete.
// It logs each step with its duration and, at the end, what it created,
// the steps, and any answer the API's OpenAPI documents do not describe.
//
// Every name the suite gives is the prefix, the run's id (six lower-case
// letters and digits), then gw for the gateway, t10 and t11 for the
// tunnels: scpvpnacc3k9x2qgw, scpvpnacc3k9x2qt10, scpvpnacc3k9x2qt11. The
// gateway is tagged scpvpn-acceptance with the run's id.
// A run deletes what it created when it fails, and when it is interrupted
// (SIGINT or SIGTERM: a second one abandons the clean-up). What a run that
// was killed left behind, the sweeper deletes: the gateways named exactly
// as a run names its gateway, and the tunnels named as that same run names
// its tunnels on them, tunnels first; nothing else, not a name that merely
// starts with the prefix, nor a tunnel of a run's shape on another gateway.
// (The API's answers hold no tags, so the tag cannot be checked.)
//
//	SCPVPN_SWEEP=1 go test -count=1 -v -run TestSweep ./acceptance   # or: go test -count=1 -v -run TestSweep ./acceptance -sweep
//
// The package's other tests run the same life cycle and the sweeper
// against vpntest, in the repository's plain go test ./... .
package acceptance
