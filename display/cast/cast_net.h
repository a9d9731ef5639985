/* Addresses and the certificate of the cast server. */
#ifndef CR_CAST_NET_H
#define CR_CAST_NET_H

#include <stdbool.h>

/* The first IPv4 address of an interface that is up and not loopback (the
 * address pupils type). g_free; NULL if none. */
char *cr_cast_first_lan_address(void);

/* Turns "eth0, 192.168.1.20, wlan0" into IP addresses (an interface name
 * gives its IPv4 addresses). NULL-terminated, g_strfreev; NULL when spec
 * is empty (all interfaces). Unknown names are logged and skipped. */
char **cr_cast_resolve_addresses(const char *spec);

/* The server's certificate: cert_file and key_file when both are given,
 * else state_dir/cast-cert.pem and state_dir/cast-key.pem, made on first
 * start with openssl(1) (a self-signed ECDSA P-256 certificate for
 * HOSTNAME.local, 10 years; the key is 0600). Returns false with *error. */
bool cr_cast_tls_files(const char *cert_file, const char *key_file, const char *state_dir,
                       char **cert_out, char **key_out, char **error);

#endif
