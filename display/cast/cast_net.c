#include "display/cast/cast_net.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"

char *cr_cast_first_lan_address(void)
{
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return NULL;
    char *found = NULL;
    for (struct ifaddrs *i = list; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
            (i->ifa_flags & IFF_LOOPBACK))
            continue;
        char buf[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, sizeof(buf)))
            found = g_strdup(buf);
    }
    freeifaddrs(list);
    return found;
}

char **cr_cast_resolve_addresses(const char *spec)
{
    if (!spec || !*spec)
        return NULL;
    GPtrArray *out = g_ptr_array_new();
    char **parts = g_strsplit_set(spec, ", ", -1);
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        list = NULL;
    for (char **p = parts; *p; p++) {
        if (!**p)
            continue;
        GInetAddress *ia = g_inet_address_new_from_string(*p);
        if (ia) {
            g_ptr_array_add(out, g_strdup(*p));
            g_object_unref(ia);
            continue;
        }
        bool found = false;
        for (struct ifaddrs *i = list; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, *p))
                continue;
            char buf[INET_ADDRSTRLEN];
            if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf,
                          sizeof(buf))) {
                g_ptr_array_add(out, g_strdup(buf));
                found = true;
            }
        }
        if (!found)
            cr_warn("cast", "cast.interfaces: no IPv4 address on \"%s\"", *p);
    }
    if (list)
        freeifaddrs(list);
    g_strfreev(parts);
    if (out->len == 0) {
        g_ptr_array_free(out, TRUE);
        return NULL;
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static bool make_certificate(const char *cert, const char *key, char **error)
{
    char *cn = g_strdup_printf("/CN=%s.local", g_get_host_name());
    char *san = g_strdup_printf("subjectAltName=DNS:%s.local,DNS:%s,DNS:localhost,IP:127.0.0.1",
                                g_get_host_name(), g_get_host_name());
    char *tmp_key = g_strconcat(key, ".new", NULL), *tmp_cert = g_strconcat(cert, ".new", NULL);
    const char *argv[] = {
        "openssl", "req",   "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes",  "-days", "3650",  "-subj",   cn,   "-addext",  san,
        "-keyout", tmp_key, "-out",  tmp_cert,  NULL};
    GError *err = NULL;
    int status = 0;
    char *out = NULL;
    /* The key is created 0600 by openssl under this umask. */
    mode_t old = umask(077);
    bool ok =
        g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &out, &status, &err) &&
        g_spawn_check_wait_status(status, &err);
    umask(old);
    if (ok && (g_chmod(tmp_key, 0600) != 0 || g_chmod(tmp_cert, 0644) != 0 ||
               g_rename(tmp_key, key) != 0 || g_rename(tmp_cert, cert) != 0)) {
        ok = false;
        *error = g_strdup_printf("cannot store the certificate in %s", key);
    } else if (!ok) {
        *error = g_strdup_printf("openssl could not make a certificate: %s%s",
                                 err ? err->message : "", out ? out : "");
    }
    g_unlink(tmp_key);
    g_unlink(tmp_cert);
    g_clear_error(&err);
    g_free(out);
    g_free(tmp_key);
    g_free(tmp_cert);
    g_free(cn);
    g_free(san);
    return ok;
}

bool cr_cast_tls_files(const char *cert_file, const char *key_file, const char *state_dir,
                       char **cert_out, char **key_out, char **error)
{
    *error = NULL;
    if (cert_file && *cert_file && key_file && *key_file) {
        *cert_out = g_strdup(cert_file);
        *key_out = g_strdup(key_file);
        return true;
    }
    char *cert = g_build_filename(state_dir, "cast-cert.pem", NULL);
    char *key = g_build_filename(state_dir, "cast-key.pem", NULL);
    if (!g_file_test(cert, G_FILE_TEST_EXISTS) || !g_file_test(key, G_FILE_TEST_EXISTS)) {
        if (g_mkdir_with_parents(state_dir, 0755) != 0) {
            *error = g_strdup_printf("cannot create %s", state_dir);
        } else if (make_certificate(cert, key, error)) {
            cr_info("cast", "made a certificate for the sender page: %s", cert);
        }
        if (*error) {
            g_free(cert);
            g_free(key);
            return false;
        }
    }
    *cert_out = cert;
    *key_out = key;
    return true;
}
