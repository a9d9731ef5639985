/* The diagnostics page's checks against real servers on loopback: an mDNS
 * responder that answers and one that is blocked (no answer), a casting
 * port open and closed, an ENT over TLS with a valid certificate, one that
 * has expired (made with OpenSSL at test time, signed by a test CA), one
 * from an unknown authority, and an ENT that does not answer. Each problem
 * says in French what to do. */
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/log.h"

static char *dir;

static void sh(const char *cmd)
{
    const char *argv[] = {"/bin/sh", "-ec", cmd, NULL};
    int status = 0;
    GError *e = NULL;
    g_assert_true(g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &e));
    g_assert_no_error(e);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
}

/* --- mDNS ------------------------------------------------------------------ */

struct responder {
    GSocket *sock;
    bool answer; /* false: a network that drops mDNS */
    GThread *thread;
};

static gpointer respond(gpointer data)
{
    struct responder *r = data;
    guint8 buf[1500];
    GSocketAddress *from = NULL;
    gssize n = g_socket_receive_from(r->sock, &from, (char *)buf, sizeof(buf), NULL, NULL);
    if (n >= 12 && r->answer) {
        /* a response: the question's name, PTR → _craie._tcp.local */
        static const guint8 answer[] = {0,   0,   0x84, 0,   0,    0,    0,   1,   0,    0,   0,
                                        0,   9,   '_',  's', 'e',  'r',  'v', 'i', 'c',  'e', 's',
                                        7,   '_', 'd',  'n', 's',  '-',  's', 'd', 4,    '_', 'u',
                                        'd', 'p', 5,    'l', 'o',  'c',  'a', 'l', 0,    0,   12,
                                        0,   1,   0,    0,   0x11, 0x94, 0,   2,   0xc0, 0x0c};
        g_socket_send_to(r->sock, from, (const char *)answer, sizeof(answer), NULL, NULL);
    }
    if (from)
        g_object_unref(from);
    return NULL;
}

static int start_responder(struct responder *r, bool answer)
{
    r->answer = answer;
    r->sock =
        g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
    GInetAddress *lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    GSocketAddress *sa = g_inet_socket_address_new(lo, 0);
    g_assert_true(g_socket_bind(r->sock, sa, TRUE, NULL));
    g_object_unref(sa);
    g_object_unref(lo);
    GSocketAddress *local = g_socket_get_local_address(r->sock, NULL);
    int port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
    g_object_unref(local);
    g_socket_set_timeout(r->sock, 5);
    r->thread = g_thread_new("mdns", respond, r);
    return port;
}

static void stop_responder(struct responder *r)
{
    g_thread_join(r->thread);
    g_object_unref(r->sock);
}

static void test_mdns_answers(void)
{
    struct responder r;
    struct cr_diag_options o = {.mdns_address = "127.0.0.1", .timeout_ms = 2000};
    o.mdns_port = start_responder(&r, true);
    struct cr_diag_item it = {0};
    cr_diag_check_mdns(&o, &it);
    stop_responder(&r);
    g_assert_cmpstr(it.id, ==, "mdns");
    g_assert_cmpint(it.status, ==, CR_DIAG_OK);
    g_assert_null(it.advice);
    g_free(it.summary);
}

static void test_mdns_blocked(void)
{
    struct responder r;
    struct cr_diag_options o = {.mdns_address = "127.0.0.1", .timeout_ms = 600};
    o.mdns_port = start_responder(&r, false); /* the query is swallowed */
    struct cr_diag_item it = {0};
    cr_diag_check_mdns(&o, &it);
    stop_responder(&r);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    /* in French, with what to do */
    g_assert_nonnull(strstr(it.summary, "Aucune réponse mDNS"));
    g_assert_nonnull(strstr(it.advice, "multicast"));
    g_assert_nonnull(strstr(it.advice, "équipe réseau"));
    g_free(it.summary);
    g_free(it.advice);
}

/* --- casting port ------------------------------------------------------------ */

static void test_cast_port(void)
{
    GSocketListener *l = g_socket_listener_new();
    guint16 port = g_socket_listener_add_any_inet_port(l, NULL, NULL);
    g_assert_cmpuint(port, >, 0);
    struct cr_diag_options o = {.cast_host = "127.0.0.1", .cast_port = port, .timeout_ms = 2000};
    struct cr_diag_item it = {0};
    cr_diag_check_cast(&o, &it);
    g_assert_cmpint(it.status, ==, CR_DIAG_OK);
    g_free(it.summary);
    g_socket_listener_close(l);
    g_object_unref(l);
    /* now closed */
    memset(&it, 0, sizeof(it));
    cr_diag_check_cast(&o, &it);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    g_assert_nonnull(strstr(it.advice, "pare-feu"));
    g_free(it.summary);
    g_free(it.advice);
    /* casting off */
    struct cr_diag_options off = {0};
    memset(&it, 0, sizeof(it));
    cr_diag_check_cast(&off, &it);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    g_free(it.summary);
    g_free(it.advice);
}

/* --- ENT certificate ----------------------------------------------------------- */

/* A server certificate for 127.0.0.1 signed by the test CA, valid from
 * from_days to to_days (relative to now). */
static void make_cert(const char *name, long from_days, long to_days)
{
    g_autofree char *ca_pem = g_build_filename(dir, "ca", "ca.pem", NULL);
    g_autofree char *ca_key_path = g_build_filename(dir, "ca", "ca.key", NULL);
    FILE *f = fopen(ca_pem, "r");
    X509 *ca = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(ca_key_path, "r");
    EVP_PKEY *ca_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    g_assert_nonnull(ca);
    g_assert_nonnull(ca_key);

    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), g_random_int_range(1, G_MAXINT32));
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
    X509_set_pubkey(x, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"127.0.0.1", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(ca));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca, x, NULL, NULL, 0);
    X509_EXTENSION *ext =
        X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    g_assert_cmpint(X509_sign(x, ca_key, EVP_sha256()), >, 0);

    g_autofree char *cert_path = g_strdup_printf("%s/%s.pem", dir, name);
    g_autofree char *key_path = g_strdup_printf("%s/%s.key", dir, name);
    f = fopen(cert_path, "w");
    PEM_write_X509(f, x);
    fclose(f);
    f = fopen(key_path, "w");
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    X509_free(x);
    X509_free(ca);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
}

struct tls_server {
    GPid pid;
    int in;
    int port;
};

static void serve(struct tls_server *s, const char *name)
{
    g_autofree char *script =
        g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "unit", "https_serve.py", NULL);
    g_autofree char *cert = g_strdup_printf("%s/%s.pem", dir, name);
    g_autofree char *key = g_strdup_printf("%s/%s.key", dir, name);
    const char *argv[] = {"python3", script, dir, cert, key, NULL};
    int out = -1;
    GError *e = NULL;
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &s->pid, &s->in, &out, NULL, &e));
    g_assert_no_error(e);
    char buf[32] = "";
    size_t got = 0;
    while (got < sizeof(buf) - 1 && read(out, buf + got, 1) == 1 && buf[got] != '\n')
        got++;
    close(out);
    s->port = atoi(buf);
    g_assert_cmpint(s->port, >, 0);
}

static void stop(struct tls_server *s)
{
    close(s->in);
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    g_spawn_close_pid(s->pid);
}

static struct cr_diag_item check_ent(int port, bool with_ca)
{
    g_autofree char *url = g_strdup_printf("https://127.0.0.1:%d/", port);
    g_autofree char *ca = g_build_filename(dir, "ca", "ca.pem", NULL);
    struct cr_diag_options o = {
        .ent_url = url, .ent_ca_file = with_ca ? ca : NULL, .timeout_ms = 3000};
    struct cr_diag_item it = {0};
    cr_diag_check_ent(&o, &it);
    return it;
}

static void test_ent_valid(void)
{
    make_cert("valid", -1, 90);
    struct tls_server s;
    serve(&s, "valid");
    struct cr_diag_item it = check_ent(s.port, true);
    stop(&s);
    g_assert_cmpint(it.status, ==, CR_DIAG_OK);
    g_assert_cmpint(it.cert_days, >=, 88);
    g_assert_nonnull(strstr(it.summary, "valide"));
    g_free(it.summary);
}

static void test_ent_expired(void)
{
    make_cert("expired", -30, -3);
    struct tls_server s;
    serve(&s, "expired");
    struct cr_diag_item it = check_ent(s.port, true);
    stop(&s);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    if (it.cert_days > -2)
        g_error("%s / %s", it.summary, it.advice);
    g_assert_cmpint(it.cert_days, <=, -2);
    g_assert_nonnull(strstr(it.summary, "a expiré"));
    g_assert_nonnull(strstr(it.advice, "fournisseur de l'ENT"));
    g_free(it.summary);
    g_free(it.advice);
}

static void test_ent_soon_and_untrusted(void)
{
    make_cert("soon", -1, 5);
    struct tls_server s;
    serve(&s, "soon");
    struct cr_diag_item it = check_ent(s.port, true);
    g_assert_cmpint(it.status, ==, CR_DIAG_WARN);
    g_assert_cmpint(it.cert_days, <=, 5);
    g_free(it.summary);
    g_free(it.advice);
    /* without the school's authority: not trusted */
    it = check_ent(s.port, false);
    stop(&s);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    g_assert_nonnull(strstr(it.summary, "pas reconnu"));
    g_free(it.summary);
    g_free(it.advice);
}

static void test_ent_down(void)
{
    GSocketListener *l = g_socket_listener_new();
    guint16 port = g_socket_listener_add_any_inet_port(l, NULL, NULL);
    g_socket_listener_close(l); /* nobody there any more */
    g_object_unref(l);
    struct cr_diag_item it = check_ent(port, true);
    g_assert_cmpint(it.status, ==, CR_DIAG_FAIL);
    g_assert_nonnull(strstr(it.summary, "ne répond pas"));
    g_free(it.summary);
    g_free(it.advice);
    /* and no ENT at all: skipped, not a failure */
    struct cr_diag_options none = {0};
    memset(&it, 0, sizeof(it));
    cr_diag_check_ent(&none, &it);
    g_assert_cmpint(it.status, ==, CR_DIAG_SKIPPED);
    g_free(it.summary);
}

static void test_report(void)
{
    struct responder r;
    struct cr_diag_options o = {.mdns_address = "127.0.0.1", .timeout_ms = 500};
    o.mdns_port = start_responder(&r, false);
    struct cr_diag_report *rep = cr_diag_run(&o);
    stop_responder(&r);
    g_assert_cmpuint(rep->n, ==, 4);
    g_assert_cmpint(cr_diag_report_find(rep, "mdns")->status, ==, CR_DIAG_FAIL);
    g_assert_nonnull(cr_diag_report_find(rep, "clock"));
    g_auto(GStrv) lines = cr_diag_report_lines(rep);
    g_assert_true(g_str_has_prefix(lines[0], "! ")); /* a problem, in orange */
    cr_diag_report_free(rep);
}

static bool have(const char *program)
{
    g_autofree char *path = g_find_program_in_path(program);
    return path != NULL;
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_log_init(false);
    cr_i18n_init("fr"); /* what the technician reads on the board */
    if (!have("python3") || !have("openssl") || !g_getenv("CRAIE_SOURCE_ROOT")) {
        printf("1..0 # SKIP needs python3, openssl and CRAIE_SOURCE_ROOT\n");
        return 77;
    }
    dir = g_dir_make_tmp("craie-diag-XXXXXX", NULL);
    g_autofree char *cmd = g_strdup_printf("sh '%s/tests/idp/make-test-ca.sh' '%s/ca' >/dev/null",
                                           g_getenv("CRAIE_SOURCE_ROOT"), dir);
    sh(cmd);
    g_test_add_func("/diag/mdns-answers", test_mdns_answers);
    g_test_add_func("/diag/mdns-blocked", test_mdns_blocked);
    g_test_add_func("/diag/cast-port", test_cast_port);
    g_test_add_func("/diag/ent-valid", test_ent_valid);
    g_test_add_func("/diag/ent-expired", test_ent_expired);
    g_test_add_func("/diag/ent-soon-and-untrusted", test_ent_soon_and_untrusted);
    g_test_add_func("/diag/ent-down", test_ent_down);
    g_test_add_func("/diag/report", test_report);
    int rc = g_test_run();
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", dir);
    if (!g_getenv("CRAIE_KEEP_TMP"))
        sh(rm);
    else
        printf("# kept %s\n", dir);
    g_free(dir);
    return rc;
}
