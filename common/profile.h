/* The room's profile: settings in craie.conf's format, fetched at start
 * from profile.url over verified HTTPS, with a detached Ed25519 signature
 * at profile.url + ".sig" (base64 of the 64 signature bytes, over the
 * profile's exact bytes) checked against profile.public_key, which the
 * image carries. The last good profile is kept in STATE_DIR/profile/ and
 * used when the network is down, or when the new one is refused (unsigned,
 * altered, signed by another key, malformed); the cached copy is checked
 * again each time. A profile never holds a secret: secrets are files.
 * Order: main file < profile < drop-ins < command line. */
#ifndef CR_PROFILE_H
#define CR_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"

#define CR_PROFILE_MAX_SIZE (256 * 1024)

enum cr_profile_source {
    CR_PROFILE_NONE,    /* none configured, or none usable */
    CR_PROFILE_FETCHED, /* fresh from profile.url (and now cached) */
    CR_PROFILE_CACHED,  /* the last good one */
};

struct cr_profile {
    enum cr_profile_source source;
    char *data; /* NUL-terminated too */
    size_t len;
    char *origin;  /* for messages: "profile https://…" or "cached profile …" */
    char *refused; /* why the fetched profile was not used, or NULL */
};

/* Reads an Ed25519 public key: base64 of the raw 32 bytes, base64 of a DER
 * SubjectPublicKeyInfo, or the path of a PEM public key file. Returns an
 * opaque key (cr_profile_key_free) or NULL with *error. */
void *cr_profile_key_load(const char *text, char **error);
void cr_profile_key_free(void *key);

/* True when sig_b64 (base64, spaces ignored) is key's Ed25519 signature of
 * data; else false with *error saying what is wrong. */
bool cr_profile_verify(void *key, const void *data, size_t len, const char *sig_b64, char **error);

/* Fetches url (https only, certificate verified with ca_file or the
 * system's authorities, at most CR_PROFILE_MAX_SIZE) into *out (g_free);
 * false with *error. profile_fetch.c (libcurl). */
bool cr_profile_fetch(const char *url, const char *ca_file, char **out, size_t *len, char **error);

/* The whole start-up step for cfg (profile.url, profile.public_key,
 * profile.ca_file, paths.state_dir): fetch, verify, check it parses
 * cleanly, cache, or fall back to the cache. Logs what happened in one
 * clear line. */
void cr_profile_load(const struct cr_config *cfg, struct cr_profile *out);
void cr_profile_clear(struct cr_profile *p);

/* main(): loads the profile for cfg (already read from files and the
 * command line) and, when there is one, reads everything again with it in
 * its place. Returns the result of the last cr_config_parse_args. */
enum cr_cli_result cr_profile_apply(struct cr_config *cfg, int argc, char **argv);

#endif
