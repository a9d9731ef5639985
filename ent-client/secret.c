#define _GNU_SOURCE
#include "ent-client/secret.h"

#include <curl/curl.h>
#include <glib.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "common/util.h"

char *cr_secret_dup(const char *s)
{
    return s ? cr_xstrdup(s) : NULL;
}

char *cr_secret_dupn(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = cr_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void cr_secret_free(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void cr_secret_clear(char **s)
{
    cr_secret_free(*s);
    *s = NULL;
}

void cr_secret_free_n(void *p, size_t n)
{
    if (!p)
        return;
    explicit_bzero(p, n);
    free(p);
}

bool cr_secret_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    size_t n = la < lb ? la : lb;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
    return diff == 0;
}

/* Cuts "?…" and "#…" off an URL-like word, and user info before '@'. */
static void append_redacted_url(GString *out, const char *url, size_t len)
{
    const char *scheme_end = g_strstr_len(url, (gssize)len, "://");
    size_t start = 0;
    if (scheme_end) {
        size_t host_start = (size_t)(scheme_end - url) + 3;
        g_string_append_len(out, url, (gssize)host_start);
        const char *at = NULL;
        for (size_t i = host_start; i < len && url[i] != '/' && url[i] != '?'; i++) {
            if (url[i] == '@')
                at = url + i;
        }
        start = at ? (size_t)(at - url) + 1 : host_start;
        if (at)
            g_string_append(out, "…@");
    }
    for (size_t i = start; i < len; i++) {
        if (url[i] == '?' || url[i] == '#') {
            g_string_append(out, "?…");
            return;
        }
        g_string_append_c(out, url[i]);
    }
}

char *cr_ent_redact_url(const char *url)
{
    if (!url)
        return g_strdup("(none)");
    GString *out = g_string_new(NULL);
    append_redacted_url(out, url, strlen(url));
    return g_string_free(out, FALSE);
}

static const char *const secret_headers[] = {
    "authorization:", "proxy-authorization:", "cookie:", "set-cookie:", "location:",
};

char *cr_ent_redact_line(const char *line)
{
    if (!line)
        return g_strdup("");
    for (size_t i = 0; i < CR_ARRAY_SIZE(secret_headers); i++) {
        size_t n = strlen(secret_headers[i]);
        if (!g_ascii_strncasecmp(line, secret_headers[i], n))
            return g_strdup_printf("%.*s …", (int)n, line);
    }
    /* curl's own notes about cookies ("Added cookie sid=…") say too much. */
    if (strcasestr(line, "cookie"))
        return g_strdup("(cookie details hidden)");
    /* Any word with a query or fragment is cut there. */
    GString *out = g_string_new(NULL);
    const char *p = line;
    while (*p) {
        size_t word = strcspn(p, " \t\r\n\"'<>");
        if (word) {
            append_redacted_url(out, p, word);
            p += word;
        }
        size_t space = strspn(p, " \t\r\n\"'<>");
        g_string_append_len(out, p, (gssize)space);
        p += space;
    }
    return g_string_free(out, FALSE);
}

/* libcurl's allocator: every block is zeroed before it goes back to malloc,
 * so that no header buffer, receive buffer or cookie survives in free
 * memory after sign-out. */
static void zfree(void *p)
{
    if (!p)
        return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

static void *zrealloc(void *p, size_t size)
{
    if (!p)
        return malloc(size);
    if (size == 0) {
        zfree(p);
        return NULL;
    }
    size_t old = malloc_usable_size(p);
    if (size <= old)
        return p;
    void *n = malloc(size);
    if (!n)
        return NULL;
    memcpy(n, p, old);
    zfree(p);
    return n;
}

static char *zstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static gsize curl_once;

void cr_secret_curl_global_init(void)
{
    if (g_once_init_enter(&curl_once)) {
        curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, zfree, zrealloc, zstrdup, calloc);
        g_once_init_leave(&curl_once, 1);
    }
}

void cr_secret_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            g_error("getrandom failed");
        }
        p += got;
        n -= (size_t)got;
    }
}

char *cr_b64url_encode(const void *data, size_t len)
{
    char *b = g_base64_encode(data, len);
    size_t w = 0;
    for (size_t r = 0; b[r]; r++) {
        char c = b[r];
        if (c == '=')
            break;
        b[w++] = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    b[w] = '\0';
    return b;
}

void *cr_b64url_decode(const char *text, size_t *out_len)
{
    size_t n = strlen(text);
    char *s = g_malloc(n + 4);
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!(g_ascii_isalnum(c) || c == '+' || c == '/' || c == '='))
            goto invalid;
        s[i] = c;
    }
    while (n % 4)
        s[n++] = '=';
    s[n] = '\0';
    gsize len = 0;
    guchar *out = g_base64_decode(s, &len);
    g_free(s);
    *out_len = len;
    return out;
invalid:
    g_free(s);
    return NULL;
}

char *cr_secret_random_b64url(size_t n)
{
    unsigned char buf[64];
    g_assert(n <= sizeof(buf));
    cr_secret_random(buf, n);
    char *s = cr_b64url_encode(buf, n);
    explicit_bzero(buf, sizeof(buf));
    return s;
}
