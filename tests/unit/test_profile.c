/* The room's signed profile, with keys made by openssl at test time and a
 * real HTTPS server on loopback (tests/unit/https_serve.py, a test CA):
 * signed → applied and cached; altered, unsigned, signed by another key or
 * malformed → refused with a clear line and the cached one used; network
 * down → cached; the server's certificate is verified; precedence main <
 * profile < drop-ins < command line; secret files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"
#include "common/profile.h"

static char *dir;       /* everything of this test */
static char *www;       /* what the server serves */
static char *ca_file;   /* the test CA */
static char *pub_b64;   /* the raw Ed25519 public key, base64 */
static char *pub_pem;   /* the same as a PEM file */
static char *other_key; /* another Ed25519 private key (PEM path) */
static GPid server_pid;
static int server_in = -1;
static int port;

static void sh(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const char *argv[] = {"/bin/sh", "-ec", cmd, NULL};
    g_autofree char *err = NULL;
    int status = 0;
    GError *e = NULL;
    g_assert_true(g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &status, &e));
    g_assert_no_error(e);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s failed: %s", cmd, err);
}

static char *path_in(const char *d, const char *name)
{
    return g_build_filename(d, name, NULL);
}

/* Puts a profile on the server, signed with key (a PEM path) unless NULL. */
static void publish(const char *text, const char *key)
{
    g_autofree char *p = path_in(www, "room.conf");
    g_autofree char *sig = path_in(www, "room.conf.sig");
    g_assert_true(g_file_set_contents(p, text, -1, NULL));
    g_unlink(sig);
    if (key) /* the technician's signing command (doc/technician.md) */
        sh("openssl pkeyutl -sign -rawin -inkey '%s' -in '%s' | base64 -w0 > '%s'", key, p, sig);
}

static void start_server(void)
{
    g_autofree char *script =
        g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "unit", "https_serve.py", NULL);
    g_autofree char *cert = path_in(dir, "ca/server.pem");
    g_autofree char *key = path_in(dir, "ca/server.key");
    const char *argv[] = {"python3", script, www, cert, key, NULL};
    int out = -1;
    GError *e = NULL;
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
                                           NULL, &server_pid, &server_in, &out, NULL, &e));
    g_assert_no_error(e);
    char buf[32] = "";
    size_t got = 0;
    while (got < sizeof(buf) - 1) {
        ssize_t n = read(out, buf + got, 1);
        if (n <= 0 || buf[got] == '\n')
            break;
        got++;
    }
    close(out);
    port = atoi(buf);
    g_assert_cmpint(port, >, 0);
}

static void stop_server(void)
{
    if (server_in < 0)
        return;
    close(server_in);
    server_in = -1;
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
    g_spawn_close_pid(server_pid);
}

static void config_for(struct cr_config *cfg, const char *key)
{
    cr_config_init(cfg);
    g_autofree char *url = g_strdup_printf("https://127.0.0.1:%d/room.conf", port);
    g_autofree char *state = path_in(dir, "state");
    g_assert_true(cr_config_set(cfg, "profile.url", url, "test"));
    g_assert_true(cr_config_set(cfg, "profile.public_key", key, "test"));
    g_assert_true(cr_config_set(cfg, "profile.ca_file", ca_file, "test"));
    g_assert_true(cr_config_set(cfg, "paths.state_dir", state, "test"));
}

static enum cr_profile_source load(const char *key, struct cr_profile *p)
{
    struct cr_config cfg;
    config_for(&cfg, key);
    cr_profile_load(&cfg, p);
    cr_config_destroy(&cfg);
    return p->source;
}

static void forget_cache(void)
{
    g_autofree char *c = path_in(dir, "state/profile/profile.conf");
    g_autofree char *s = path_in(dir, "state/profile/profile.conf.sig");
    g_unlink(c);
    g_unlink(s);
}

static const char *good = "[ink]\nwidth = 7\n[ui]\nlong_press_ms = 3000\n";

static void test_keys(void)
{
    char *error = NULL;
    void *k = cr_profile_key_load(pub_b64, &error);
    g_assert_nonnull(k);
    cr_profile_key_free(k);
    k = cr_profile_key_load(pub_pem, &error);
    g_assert_nonnull(k);
    cr_profile_key_free(k);
    /* the DER form in base64 too */
    g_autofree char *der = NULL;
    g_autofree char *der_path = path_in(dir, "pub.der.b64");
    sh("openssl pkey -in key.pem -pubout -outform DER | base64 -w0 > pub.der.b64");
    g_assert_true(g_file_get_contents(der_path, &der, NULL, NULL));
    k = cr_profile_key_load(der, &error);
    g_assert_nonnull(k);
    cr_profile_key_free(k);

    /* base64 that starts with '/' is still a key, not a path */
    guchar raw[32];
    memset(raw, 0x5a, sizeof(raw));
    raw[0] = 0xfc; /* base64 "/…" */
    g_autofree char *slash = g_base64_encode(raw, sizeof(raw));
    g_assert_cmpint(slash[0], ==, '/');
    k = cr_profile_key_load(slash, &error);
    g_assert_nonnull(k);
    cr_profile_key_free(k);

    g_assert_null(cr_profile_key_load("", &error));
    g_clear_pointer(&error, g_free);
    g_assert_null(cr_profile_key_load("not base64 at all!", &error));
    g_assert_nonnull(strstr(error, "Ed25519"));
    g_clear_pointer(&error, g_free);
    /* an RSA key is not an Ed25519 key */
    sh("openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 2>/dev/null | "
       "openssl pkey -pubout > rsa.pem");
    g_autofree char *rsa = path_in(dir, "rsa.pem");
    g_assert_null(cr_profile_key_load(rsa, &error));
    g_assert_nonnull(strstr(error, "not an Ed25519 key"));
    g_clear_pointer(&error, g_free);
}

static void test_verify(void)
{
    publish(good, "key.pem");
    g_autofree char *sig = NULL, *data = NULL;
    g_autofree char *sig_path = path_in(www, "room.conf.sig");
    g_autofree char *data_path = path_in(www, "room.conf");
    gsize len = 0;
    g_assert_true(g_file_get_contents(sig_path, &sig, NULL, NULL));
    g_assert_true(g_file_get_contents(data_path, &data, &len, NULL));
    char *error = NULL;
    void *k = cr_profile_key_load(pub_b64, &error);
    g_assert_true(cr_profile_verify(k, data, len, sig, &error));
    data[len - 2] ^= 1; /* one bit */
    g_assert_false(cr_profile_verify(k, data, len, sig, &error));
    g_assert_nonnull(strstr(error, "does not match"));
    g_clear_pointer(&error, g_free);
    g_assert_false(cr_profile_verify(k, data, len, "AAAA", &error));
    g_assert_nonnull(strstr(error, "64 bytes"));
    g_clear_pointer(&error, g_free);
    cr_profile_key_free(k);
}

static void test_fetch_and_cache(void)
{
    forget_cache();
    struct cr_profile p;
    publish(good, "key.pem");
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_FETCHED);
    g_assert_cmpstr(p.data, ==, good);
    g_assert_null(p.refused);
    cr_profile_clear(&p);
    g_autofree char *cached = path_in(dir, "state/profile/profile.conf");
    g_assert_true(g_file_test(cached, G_FILE_TEST_IS_REGULAR));

    /* altered on the server after signing: refused, the cached one is used */
    publish(good, "key.pem");
    g_autofree char *p_path = path_in(www, "room.conf");
    g_assert_true(
        g_file_set_contents(p_path, "[ink]\nwidth = 30\n[ui]\nlong_press_ms = 3000\n", -1, NULL));
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_CACHED);
    g_assert_cmpstr(p.data, ==, good);
    g_assert_nonnull(strstr(p.refused, "does not match"));
    cr_profile_clear(&p);

    /* unsigned */
    publish("[ink]\nwidth = 12\n", NULL);
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_CACHED);
    g_assert_nonnull(strstr(p.refused, "unsigned"));
    cr_profile_clear(&p);

    /* signed with another key */
    publish("[ink]\nwidth = 12\n", other_key);
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_CACHED);
    g_assert_nonnull(strstr(p.refused, "does not match"));
    cr_profile_clear(&p);

    /* signed but malformed: a clear error, the cached one used */
    publish("[ink]\nwidth = wide\nnot a line\n", "key.pem");
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_CACHED);
    g_assert_nonnull(strstr(p.refused, "malformed"));
    g_assert_nonnull(strstr(p.refused, "ink.width"));
    cr_profile_clear(&p);

    /* a new good profile replaces the cache (the PEM key file works too) */
    const char *newer = "[ink]\nwidth = 5\n";
    publish(newer, "key.pem");
    g_assert_cmpint(load(pub_pem, &p), ==, CR_PROFILE_FETCHED);
    cr_profile_clear(&p);
    g_autofree char *c = NULL;
    g_assert_true(g_file_get_contents(cached, &c, NULL, NULL));
    g_assert_cmpstr(c, ==, newer);

    /* the cache is checked again: tampered, it is refused too */
    g_assert_true(g_file_set_contents(cached, "[ink]\nwidth = 40\n", -1, NULL));
    publish("[ink]\nwidth = 12\n", NULL);
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_NONE);
    cr_profile_clear(&p);
    forget_cache();
}

static void test_tls_verified(void)
{
    forget_cache();
    publish(good, "key.pem");
    struct cr_config cfg;
    config_for(&cfg, pub_b64);
    g_assert_true(cr_config_set(&cfg, "profile.ca_file", "", "test")); /* system CAs only */
    struct cr_profile p;
    cr_profile_load(&cfg, &p);
    g_assert_cmpint(p.source, ==, CR_PROFILE_NONE);
    g_assert_nonnull(strstr(p.refused, "cannot fetch"));
    cr_profile_clear(&p);
    /* plain http is never used */
    g_autofree char *http = g_strdup_printf("http://127.0.0.1:%d/room.conf", port);
    g_assert_true(cr_config_set(&cfg, "profile.url", http, "test"));
    cr_profile_load(&cfg, &p);
    g_assert_cmpint(p.source, ==, CR_PROFILE_NONE);
    g_assert_nonnull(strstr(p.refused, "https"));
    cr_profile_clear(&p);
    cr_config_destroy(&cfg);
}

static void test_precedence(void)
{
    forget_cache();
    publish("[ink]\nwidth = 7\nsecond_color = #00ff00\n[ui]\nlong_press_ms = 3000\n"
            "[profile]\nurl = https://elsewhere.example/evil.conf\n",
            "key.pem");
    g_autofree char *conf = path_in(dir, "craie.conf");
    g_autofree char *dropins = path_in(dir, "craie.conf.d");
    g_autofree char *dropin = path_in(dir, "craie.conf.d/10-room.conf");
    g_autofree char *state = path_in(dir, "state");
    g_autofree char *main_text = g_strdup_printf(
        "[ui]\nlong_press_ms = 1000\n[ink]\nwidth = 3\ncolor = #ff0000\n"
        "[profile]\nurl = https://127.0.0.1:%d/room.conf\npublic_key = %s\nca_file = %s\n"
        "[paths]\nstate_dir = %s\n",
        port, pub_b64, ca_file, state);
    g_assert_true(g_file_set_contents(conf, main_text, -1, NULL));
    g_mkdir_with_parents(dropins, 0755);
    g_assert_true(g_file_set_contents(dropin, "[ink]\nwidth = 9\n", -1, NULL));

    g_autofree char *config_arg = g_strdup_printf("--config=%s", conf);
    char *argv[] = {"craie", config_arg, "--ink.second_color=#0000ff", NULL};
    struct cr_config cfg;
    cr_config_init(&cfg);
    g_assert_cmpint(cr_config_parse_args(&cfg, 3, argv), ==, CR_CLI_RUN);
    g_assert_cmpint(cr_profile_apply(&cfg, 3, argv), ==, CR_CLI_RUN);
    g_assert_cmpint(cfg.ui.long_press_ms, ==, 3000);      /* profile over the main file */
    g_assert_cmpint(cfg.ink.width, ==, 9);                /* drop-in over the profile */
    g_assert_cmpstr(cfg.ink.second_color, ==, "#0000ff"); /* command line over all */
    g_assert_cmpstr(cfg.ink.color, ==, "#ff0000");        /* the main file where nothing else */
    g_assert_true(g_str_has_prefix(cfg.profile.url, "https://127.0.0.1")); /* not moved */
    bool said = false;
    for (size_t i = 0; i < cfg.n_diagnostics; i++)
        said |= strstr(cfg.diagnostics[i], "cannot change the profile settings") != NULL;
    g_assert_true(said);
    cr_config_destroy(&cfg);

    /* network down: the cached profile still applies */
    stop_server();
    cr_config_init(&cfg);
    g_assert_cmpint(cr_config_parse_args(&cfg, 3, argv), ==, CR_CLI_RUN);
    g_assert_cmpint(cr_profile_apply(&cfg, 3, argv), ==, CR_CLI_RUN);
    g_assert_cmpint(cfg.ui.long_press_ms, ==, 3000);
    g_assert_cmpint(cfg.ink.width, ==, 9);
    cr_config_destroy(&cfg);
    struct cr_profile p;
    g_assert_cmpint(load(pub_b64, &p), ==, CR_PROFILE_CACHED);
    g_assert_nonnull(strstr(p.refused, "cannot fetch"));
    cr_profile_clear(&p);
}

static bool have(const char *program)
{
    g_autofree char *path = g_find_program_in_path(program);
    return path != NULL;
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cr_log_init(false); /* refusals are logged as warnings and errors, not fatal here */
    if (!have("openssl") || !have("python3") || !g_getenv("CRAIE_SOURCE_ROOT")) {
        printf("1..0 # SKIP needs openssl, python3 and CRAIE_SOURCE_ROOT\n");
        return 77;
    }
    GError *e = NULL;
    dir = g_dir_make_tmp("craie-profile-XXXXXX", &e);
    g_assert_no_error(e);
    www = path_in(dir, "www");
    g_mkdir_with_parents(www, 0755);
    g_autofree char *make_ca =
        g_build_filename(g_getenv("CRAIE_SOURCE_ROOT"), "tests", "idp", "make-test-ca.sh", NULL);
    sh("sh '%s' '%s/ca' >/dev/null", make_ca, dir);
    ca_file = path_in(dir, "ca/ca.pem");
    /* the technician's key pair (doc/technician.md) */
    sh("openssl genpkey -algorithm ed25519 -out key.pem");
    sh("openssl pkey -in key.pem -pubout -out pub.pem");
    sh("openssl pkey -in key.pem -pubout -outform DER | tail -c 32 | base64 -w0 > pub.b64");
    sh("openssl genpkey -algorithm ed25519 -out other.pem");
    pub_pem = path_in(dir, "pub.pem");
    other_key = path_in(dir, "other.pem");
    g_autofree char *b64_path = path_in(dir, "pub.b64");
    g_assert_true(g_file_get_contents(b64_path, &pub_b64, NULL, NULL));
    start_server();

    g_test_add_func("/profile/keys", test_keys);
    g_test_add_func("/profile/verify", test_verify);
    g_test_add_func("/profile/fetch-and-cache", test_fetch_and_cache);
    g_test_add_func("/profile/tls-verified", test_tls_verified);
    g_test_add_func("/profile/precedence-and-network-down", test_precedence);
    int rc = g_test_run();
    stop_server();
    sh("rm -rf '%s'", dir);
    return rc;
}
