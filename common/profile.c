#include "common/profile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "common/log.h"

#define ED25519_KEY_LEN 32
#define ED25519_SIG_LEN 64

/* --- keys and signatures ----------------------------------------------------- */

static guchar *decode_b64(const char *text, size_t *len)
{
    g_autofree char *clean = g_strdup(text);
    char *w = clean;
    for (const char *r = text; *r; r++)
        if (!g_ascii_isspace(*r))
            *w++ = *r;
    *w = '\0';
    size_t n = strlen(clean);
    if (n == 0 || n % 4)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(clean[i]) && clean[i] != '+' && clean[i] != '/' &&
            !(clean[i] == '=' && i >= n - 2))
            return NULL;
    gsize out = 0;
    guchar *data = g_base64_decode(clean, &out);
    *len = out;
    return data;
}

void *cr_profile_key_load(const char *text, char **error)
{
    EVP_PKEY *pk = NULL;
    if (!text || !*text) {
        *error = g_strdup("no public key (profile.public_key)");
        return NULL;
    }
    /* base64 may start with '/': a path is a file that exists, or a .pem */
    if (g_str_has_suffix(text, ".pem") || g_file_test(text, G_FILE_TEST_IS_REGULAR)) {
        FILE *f = fopen(text, "r");
        if (!f) {
            *error = g_strdup_printf("%s: %s", text, g_strerror(errno));
            return NULL;
        }
        pk = PEM_read_PUBKEY(f, NULL, NULL, NULL);
        fclose(f);
        if (!pk) {
            *error = g_strdup_printf("%s: not a PEM public key", text);
            return NULL;
        }
    } else {
        size_t len = 0;
        g_autofree guchar *raw = decode_b64(text, &len);
        if (raw && len == ED25519_KEY_LEN) {
            pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
        } else if (raw) {
            const unsigned char *p = raw;
            pk = d2i_PUBKEY(NULL, &p, (long)len);
        }
        if (!pk) {
            *error = g_strdup("profile.public_key is neither an Ed25519 key in base64 nor a "
                              "PEM file path");
            return NULL;
        }
    }
    if (EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pk);
        *error = g_strdup("profile.public_key is not an Ed25519 key");
        return NULL;
    }
    return pk;
}

void cr_profile_key_free(void *key)
{
    EVP_PKEY_free(key);
}

bool cr_profile_verify(void *key, const void *data, size_t len, const char *sig_b64, char **error)
{
    size_t sig_len = 0;
    g_autofree guchar *sig = sig_b64 ? decode_b64(sig_b64, &sig_len) : NULL;
    if (!sig || sig_len != ED25519_SIG_LEN) {
        *error = g_strdup("the signature is not 64 bytes in base64");
        return false;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestVerify(ctx, sig, sig_len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        *error = g_strdup("the signature does not match (altered, or signed with another key)");
    return ok;
}

/* --- the start-up step --------------------------------------------------------- */

/* A profile must read cleanly as settings (the diagnostics are logged). */
static bool parses_cleanly(const char *data, size_t len, const char *origin, char **error)
{
    if (memchr(data, '\0', len) || !g_utf8_validate(data, (gssize)len, NULL)) {
        *error = g_strdup("not text (UTF-8)");
        return false;
    }
    struct cr_config scratch;
    cr_config_init(&scratch);
    cr_config_load_data(&scratch, data, len, origin);
    bool ok = scratch.n_diagnostics == 0;
    if (!ok)
        *error = g_strdup_printf("malformed: %s%s", scratch.diagnostics[0],
                                 scratch.n_diagnostics > 1 ? " (and more, see above)" : "");
    cr_config_destroy(&scratch);
    return ok;
}

static void save_cache(const char *dir, const char *data, size_t len, const char *sig)
{
    g_autofree char *conf = g_build_filename(dir, "profile.conf", NULL);
    g_autofree char *sigp = g_build_filename(dir, "profile.conf.sig", NULL);
    g_autoptr(GError) err = NULL;
    if (g_mkdir_with_parents(dir, 0755) != 0)
        g_set_error(&err, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s", dir);
    else if (g_file_set_contents_full(sigp, sig, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &err))
        g_file_set_contents_full(conf, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &err);
    if (err)
        cr_warn("profile", "the profile is used but not cached: %s", err->message);
}

/* The cached profile, checked again; true when usable. */
static bool load_cache(const char *dir, void *key, struct cr_profile *out, char **why)
{
    g_autofree char *conf = g_build_filename(dir, "profile.conf", NULL);
    g_autofree char *sigp = g_build_filename(dir, "profile.conf.sig", NULL);
    g_autofree char *data = NULL, *sig = NULL;
    gsize len = 0;
    if (!g_file_get_contents(conf, &data, &len, NULL) ||
        !g_file_get_contents(sigp, &sig, NULL, NULL)) {
        *why = g_strdup("no cached profile");
        return false;
    }
    g_autofree char *origin = g_strdup_printf("cached profile %s", conf);
    g_autofree char *error = NULL;
    if (!cr_profile_verify(key, data, len, sig, &error) ||
        !parses_cleanly(data, len, origin, &error)) {
        *why = g_strdup_printf("the cached profile is refused too: %s", error);
        return false;
    }
    out->data = g_steal_pointer(&data);
    out->len = len;
    out->origin = g_steal_pointer(&origin);
    out->source = CR_PROFILE_CACHED;
    return true;
}

void cr_profile_load(const struct cr_config *cfg, struct cr_profile *out)
{
    memset(out, 0, sizeof(*out));
    const char *url = cfg->profile.url;
    if (!url || !*url)
        return;
    g_autofree char *error = NULL;
    void *key = cr_profile_key_load(cfg->profile.public_key, &error);
    if (!key) {
        cr_err("profile", "profile %s not used: %s", url, error);
        return;
    }
    const char *state = cfg->paths.state_dir;
    g_autofree char *dir = state && *state ? g_build_filename(state, "profile", NULL) : NULL;

    char *data = NULL, *sig = NULL;
    size_t len = 0, sig_len = 0;
    g_autofree char *sig_url = g_strconcat(url, ".sig", NULL);
    g_autofree char *origin = g_strdup_printf("profile %s", url);
    if (!cr_profile_fetch(url, cfg->profile.ca_file, &data, &len, &error)) {
        out->refused = g_strdup_printf("cannot fetch it (%s)", error);
    } else if (!cr_profile_fetch(sig_url, cfg->profile.ca_file, &sig, &sig_len, &error)) {
        out->refused = g_strdup_printf("unsigned: cannot fetch its signature (%s)", error);
    } else if (!cr_profile_verify(key, data, len, sig, &error)) {
        out->refused = g_strdup_printf("refused: %s", error);
    } else if (!parses_cleanly(data, len, origin, &error)) {
        out->refused = g_strdup_printf("refused: %s", error);
    } else {
        if (dir)
            save_cache(dir, data, len, sig);
        out->source = CR_PROFILE_FETCHED;
        out->data = data;
        out->len = len;
        out->origin = g_steal_pointer(&origin);
        data = NULL;
        cr_info("profile", "profile %s applied (signature valid)", url);
    }
    g_free(data);
    g_free(sig);
    if (out->source == CR_PROFILE_NONE) {
        g_autofree char *why = NULL;
        if (dir && load_cache(dir, key, out, &why))
            cr_warn("profile", "profile %s %s; the cached one (%s) is used", url, out->refused,
                    out->origin);
        else
            cr_err("profile", "profile %s %s; %s: none is used", url, out->refused,
                   why ? why : "no state folder for a cache");
    }
    cr_profile_key_free(key);
}

void cr_profile_clear(struct cr_profile *p)
{
    g_free(p->data);
    g_free(p->origin);
    g_free(p->refused);
    memset(p, 0, sizeof(*p));
}

enum cr_cli_result cr_profile_apply(struct cr_config *cfg, int argc, char **argv)
{
    if (!cfg->profile.url || !*cfg->profile.url)
        return CR_CLI_RUN;
    struct cr_profile p;
    cr_profile_load(cfg, &p);
    if (p.source == CR_PROFILE_NONE) {
        cr_profile_clear(&p);
        return CR_CLI_RUN;
    }
    cr_config_destroy(cfg);
    cr_config_init(cfg);
    cr_config_use_profile(cfg, p.data, p.len, p.origin);
    cr_profile_clear(&p);
    return cr_config_parse_args(cfg, argc, argv);
}
