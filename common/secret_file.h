/* Secret files: what the technician's tooling installs beside the
 * configuration (an ENT client secret, the metrics token). A secret file
 * must be a regular file, mode 0600 or stricter, owned by the user running
 * craie; anything else is refused with a message saying what to fix
 * (chmod 600, chown). Secrets never travel in a profile or a log line. */
#ifndef CR_SECRET_FILE_H
#define CR_SECRET_FILE_H

#include <glib.h>
#include <stdbool.h>

/* Reads path into *out (g_free after zeroing: cr_secret_file_free), without the
 * trailing newline and spaces. False with *error (G_FILE_ERROR) when the
 * file is missing, unsafe, empty or too large (over 64 KiB). */
bool cr_secret_file_read(const char *path, char **out, GError **error);

/* Zeroes then frees a secret string (NULL is fine). */
void cr_secret_file_free(char *secret);

#endif
