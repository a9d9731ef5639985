/* The profile's download: libcurl's easy interface, once, at start. */
#include <curl/curl.h>
#include <glib.h>
#include <string.h>

#include "common/profile.h"
#include "ent-client/secret.h"

struct sink {
    GByteArray *buf;
    bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb;
    if (s->buf->len + n > CR_PROFILE_MAX_SIZE) {
        s->too_big = true;
        return 0;
    }
    g_byte_array_append(s->buf, (const guint8 *)ptr, (guint)n);
    return n;
}

bool cr_profile_fetch(const char *url, const char *ca_file, char **out, size_t *len, char **error)
{
    *out = NULL;
    *len = 0;
    if (g_ascii_strncasecmp(url, "https://", 8)) {
        *error = g_strdup_printf("%s: only https:// URLs are accepted", url);
        return false;
    }
    cr_secret_curl_global_init();
    CURL *e = curl_easy_init();
    if (!e) {
        *error = g_strdup("libcurl could not start");
        return false;
    }
    struct sink sink = {.buf = g_byte_array_new()};
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file && *ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "craie-profile");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    if (sink.too_big) {
        *error = g_strdup_printf("%s: larger than %d bytes", url, CR_PROFILE_MAX_SIZE);
    } else if (rc != CURLE_OK) {
        *error = g_strdup_printf("%s: %s", url, *errbuf ? errbuf : curl_easy_strerror(rc));
    } else {
        *len = sink.buf->len;
        g_byte_array_append(sink.buf, (const guint8 *)"", 1);
        *out = (char *)g_byte_array_free(sink.buf, FALSE);
        return true;
    }
    g_byte_array_unref(sink.buf);
    return false;
}
