/* Secrets (tokens, codes, tickets, passwords, cookies) and what keeps them
 * out of logs and out of freed memory. Internal to ent-client. */
#ifndef CR_ENT_SECRET_H
#define CR_ENT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* A heap copy of s (NULL stays NULL); free it with cr_secret_free. */
char *cr_secret_dup(const char *s);
char *cr_secret_dupn(const char *s, size_t n);
/* Zeroes the whole string with explicit_bzero, then frees it. NULL is fine. */
void cr_secret_free(char *s);
/* Same, and sets *s to NULL. */
void cr_secret_clear(char **s);
/* Zeroes then frees a buffer of known size. */
void cr_secret_free_n(void *p, size_t n);

/* Constant-time comparison of two NUL-terminated strings (length leaks). */
bool cr_secret_equal(const char *a, const char *b);

/* A URL fit for a log line: scheme, host, port and path; the user info,
 * the query and the fragment (where codes, tickets, states and tokens
 * travel) become "?…". Caller frees with g_free. NULL gives "(none)". */
char *cr_ent_redact_url(const char *url);

/* One line of HTTP traffic fit for a log line: the values of
 * Authorization, Proxy-Authorization, Cookie, Set-Cookie and Location
 * headers are dropped, and every query string is cut as above. Caller
 * frees with g_free. */
char *cr_ent_redact_line(const char *line);

/* Makes libcurl zero every block it frees (its header buffers, receive
 * buffers and cookie store hold secrets). Call before any other use of
 * libcurl in the process; later calls do nothing. */
void cr_secret_curl_global_init(void);

/* n random bytes from the kernel (getrandom). Aborts if it cannot. */
void cr_secret_random(void *buf, size_t n);
/* A random base64url string (no padding) from n random bytes. g_free. */
char *cr_secret_random_b64url(size_t n);
/* base64url (RFC 4648 §5, no padding) of data. g_free. */
char *cr_b64url_encode(const void *data, size_t len);
/* Decodes base64url (padding optional); NULL when invalid. g_free. */
void *cr_b64url_decode(const char *text, size_t *out_len);

#endif
