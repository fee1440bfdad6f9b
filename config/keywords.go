package config

// kw identifies how the resolver treats an ssh_config keyword.
type kw int

const (
	kwUnknown     kw = iota
	kwOther          // known to OpenSSH, no effect on what ferry resolves
	kwFlag           // known to OpenSSH, yes/no value checked, otherwise unused
	kwDeprecated     // accepted with a warning, ignored
	kwUnsupported    // accepted with a warning, ignored
	kwHost
	kwMatch
	kwInclude
	kwIgnoreUnknown
	kwCanonicalizeHostname
	kwHostName
	kwUser
	kwPort
	kwIdentityFile
	kwIdentitiesOnly
	kwIdentityAgent
	kwCertificateFile
	kwProxyJump
	kwProxyCommand
	kwConnectTimeout
	kwServerAliveInterval
	kwServerAliveCountMax
	kwUserKnownHostsFile
	kwGlobalKnownHostsFile
	kwStrictHostKeyChecking
	kwHostKeyAlias
	kwHashKnownHosts
	kwPreferredAuthentications
	kwPasswordAuthentication
	kwKbdInteractiveAuthentication
	kwBatchMode
	kwCiphers
	kwKexAlgorithms
	kwMACs
	kwHostKeyAlgorithms
)

// keywords is OpenSSH 9.2's client keyword table (readconf.c, including
// Debian's GSSAPI and keepalive patches), lowercased.
var keywords = map[string]kw{
	// Deprecated and unsupported options.
	"protocol": kwOther, "cipher": kwDeprecated, "fallbacktorsh": kwDeprecated,
	"globalknownhostsfile2": kwDeprecated, "rhostsauthentication": kwDeprecated,
	"useblacklistedkeys": kwDeprecated, "userknownhostsfile2": kwDeprecated,
	"useroaming": kwDeprecated, "usersh": kwDeprecated, "useprivilegedport": kwDeprecated,
	"afstokenpassing": kwUnsupported, "kerberosauthentication": kwUnsupported,
	"kerberostgtpassing": kwUnsupported, "rsaauthentication": kwUnsupported,
	"rhostsrsaauthentication": kwUnsupported, "compressionlevel": kwUnsupported,

	// Options ferry resolves.
	"host": kwHost, "match": kwMatch, "include": kwInclude,
	"ignoreunknown": kwIgnoreUnknown, "canonicalizehostname": kwCanonicalizeHostname,
	"hostname": kwHostName, "user": kwUser, "port": kwPort,
	"identityfile": kwIdentityFile, "identityfile2": kwIdentityFile,
	"identitiesonly": kwIdentitiesOnly, "identityagent": kwIdentityAgent,
	"certificatefile": kwCertificateFile, "proxyjump": kwProxyJump,
	"proxycommand": kwProxyCommand, "connecttimeout": kwConnectTimeout,
	"serveraliveinterval": kwServerAliveInterval, "serveralivecountmax": kwServerAliveCountMax,
	// Debian's keepalive patch: both are aliases of ServerAliveInterval.
	"protocolkeepalives": kwServerAliveInterval, "setuptimeout": kwServerAliveInterval,
	"userknownhostsfile": kwUserKnownHostsFile, "globalknownhostsfile": kwGlobalKnownHostsFile,
	"stricthostkeychecking": kwStrictHostKeyChecking, "hostkeyalias": kwHostKeyAlias,
	"hashknownhosts": kwHashKnownHosts, "preferredauthentications": kwPreferredAuthentications,
	"passwordauthentication":          kwPasswordAuthentication,
	"kbdinteractiveauthentication":    kwKbdInteractiveAuthentication,
	"challengeresponseauthentication": kwKbdInteractiveAuthentication,
	"skeyauthentication":              kwKbdInteractiveAuthentication,
	"tisauthentication":               kwKbdInteractiveAuthentication,
	"batchmode":                       kwBatchMode, "ciphers": kwCiphers, "kexalgorithms": kwKexAlgorithms,
	"macs": kwMACs, "hostkeyalgorithms": kwHostKeyAlgorithms,

	// Plain yes/no options ferry does not use.
	"checkhostip": kwFlag, "compression": kwFlag, "tcpkeepalive": kwFlag, "keepalive": kwFlag,
	"clearallforwardings": kwFlag, "enablesshkeysign": kwFlag,
	"nohostauthenticationforlocalhost": kwFlag, "visualhostkey": kwFlag,
	"permitlocalcommand": kwFlag, "exitonforwardfailure": kwFlag, "forwardx11trusted": kwFlag,
	"gatewayports": kwFlag, "hostbasedauthentication": kwFlag,
	"gssapiauthentication": kwFlag, "gssapikeyexchange": kwFlag,
	"gssapidelegatecredentials": kwFlag, "gssapitrustdns": kwFlag,
	"gssapirenewalforcesrekey": kwFlag,

	// Other options ferry does not use.
	"gssapiclientidentity": kwOther, "gssapiserveridentity": kwOther,
	"gssapikexalgorithms": kwOther, "pkcs11provider": kwOther, "smartcarddevice": kwOther,
	"forwardagent": kwOther, "forwardx11": kwOther, "forwardx11timeout": kwOther,
	"xauthlocation": kwOther, "kbdinteractivedevices": kwOther,
	"pubkeyauthentication": kwOther, "dsaauthentication": kwOther,
	"addkeystoagent": kwOther, "remoteforward": kwOther, "localforward": kwOther,
	"permitremoteopen": kwOther, "escapechar": kwOther, "connectionattempts": kwOther,
	"numberofpasswordprompts": kwOther, "syslogfacility": kwOther, "loglevel": kwOther,
	"logverbose": kwOther, "dynamicforward": kwOther, "casignaturealgorithms": kwOther,
	"bindaddress": kwOther, "bindinterface": kwOther, "verifyhostkeydns": kwOther,
	"rekeylimit": kwOther, "addressfamily": kwOther, "sendenv": kwOther, "setenv": kwOther,
	"controlpath": kwOther, "controlmaster": kwOther, "controlpersist": kwOther,
	"tunnel": kwOther, "tunneldevice": kwOther, "localcommand": kwOther,
	"remotecommand": kwOther, "ipqos": kwOther, "requesttty": kwOther,
	"sessiontype": kwOther, "stdinnull": kwOther, "forkafterauthentication": kwOther,
	"proxyusefdpass": kwOther, "canonicaldomains": kwOther,
	"canonicalizefallbacklocal": kwOther, "canonicalizemaxdots": kwOther,
	"canonicalizepermittedcnames": kwOther, "streamlocalbindmask": kwOther,
	"streamlocalbindunlink": kwOther, "revokedhostkeys": kwOther,
	"fingerprinthash": kwOther, "updatehostkeys": kwOther,
	"hostbasedacceptedalgorithms": kwOther, "hostbasedkeytypes": kwOther,
	"pubkeyacceptedalgorithms": kwOther, "pubkeyacceptedkeytypes": kwOther,
	"securitykeyprovider": kwOther, "knownhostscommand": kwOther,
	"requiredrsasize": kwOther, "enableescapecommandline": kwOther,
}
