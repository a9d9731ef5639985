#include "idp.h"

#include "common/log.h"
#include "ent-client/memscan.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n,
                               gpointer data)
{
    const char *message = "", *module = "";
    for (gsize i = 0; i < n; i++) {
        if (!strcmp(fields[i].key, "MESSAGE"))
            message = fields[i].value;
        else if (!strcmp(fields[i].key, "CRAIE_MODULE"))
            module = fields[i].value;
    }
    if (!(level & G_LOG_LEVEL_DEBUG) || cr_log_is_verbose())
        g_printerr("[%s] %s\n", module, message);
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
        g_error("a critical was logged: %s", message);
    return G_LOG_WRITER_HANDLED;
}

void idp_init(void)
{
    g_log_set_writer_func(writer, NULL, NULL);
    /* IDP_VERBOSE=1: the client's debug log and curl's (redacted) trace. */
    if (g_getenv("IDP_VERBOSE"))
        cr_log_set_verbose(true);
}

const char *idp_env(const char *name)
{
    const char *v = g_getenv(name);
    if (!v)
        g_error("%s is not set: run this test through tests/idp/run-with.sh", name);
    return v;
}

char *idp_script(const char *name)
{
    return g_build_filename(idp_env("IDP_SCRIPTS"), name, NULL);
}

static void changed(struct cr_ent *ent, void *data)
{
    struct idp_client *c = data;
    enum cr_ent_state s = cr_ent_get_state(ent);
    c->changes++;
    if (c->states->len == 0 || g_array_index(c->states, int, c->states->len - 1) != (int)s) {
        int v = s;
        g_array_append_val(c->states, v);
    }
}

static const struct cr_ent_callbacks callbacks = {.changed = changed};

void idp_client_init(struct idp_client *c, const struct cr_ent_settings *s)
{
    c->ctx = g_main_context_new();
    c->states = g_array_new(FALSE, FALSE, sizeof(int));
    c->changes = 0;
    g_main_context_push_thread_default(c->ctx);
    c->ent = cr_ent_new(s, c->ctx, &callbacks, c);
    g_assert_nonnull(c->ent);
}

void idp_client_destroy(struct idp_client *c)
{
    cr_ent_unref(c->ent);
    /* Let deferred frees (the callback server's) run. */
    idp_client_run(c, 600);
    g_main_context_pop_thread_default(c->ctx);
    g_main_context_unref(c->ctx);
    g_array_free(c->states, TRUE);
}

static bool reached(struct idp_client *c, enum cr_ent_state state)
{
    if (cr_ent_get_state(c->ent) != state)
        return false;
    if (state != CR_ENT_SIGNED_IN)
        return true;
    struct cr_ent_view *v = cr_ent_snapshot(c->ent);
    bool loading = v->resources_loading;
    cr_ent_view_free(v);
    return !loading;
}

bool idp_client_wait(struct idp_client *c, enum cr_ent_state state, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    while (!reached(c, state) && g_get_monotonic_time() < deadline) {
        if (!g_main_context_iteration(c->ctx, FALSE))
            g_usleep(2000);
    }
    return reached(c, state);
}

void idp_client_run(struct idp_client *c, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    while (g_get_monotonic_time() < deadline)
        if (!g_main_context_iteration(c->ctx, FALSE))
            g_usleep(2000);
}

void idp_child_spawn(struct idp_child *ch, char **argv)
{
    *ch = (struct idp_child){0};
    int fd = g_file_open_tmp("craie-phone-XXXXXX", &ch->out_path, NULL);
    g_assert_cmpint(fd, >=, 0);
    GError *err = NULL;
    gboolean ok = g_spawn_async_with_pipes_and_fds(
        NULL, (const char *const *)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
        NULL, NULL, -1, fd, -1, NULL, NULL, 0, &ch->pid, NULL, NULL, NULL, &err);
    g_assert_no_error(err);
    g_assert_true(ok);
    close(fd);
}

bool idp_child_wait(struct idp_client *c, struct idp_child *ch, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    while (!ch->done && g_get_monotonic_time() < deadline) {
        if (waitpid(ch->pid, &ch->status, WNOHANG) == ch->pid) {
            ch->done = true;
            break;
        }
        if (!g_main_context_iteration(c->ctx, FALSE))
            g_usleep(2000);
    }
    if (!ch->done) {
        kill(ch->pid, SIGKILL);
        waitpid(ch->pid, &ch->status, 0);
        ch->done = true;
        return false;
    }
    return WIFEXITED(ch->status) && WEXITSTATUS(ch->status) == 0;
}

char *idp_child_output(struct idp_child *ch)
{
    char *text = NULL;
    g_file_get_contents(ch->out_path, &text, NULL, NULL);
    g_unlink(ch->out_path);
    g_clear_pointer(&ch->out_path, g_free);
    return text ? text : g_strdup("");
}

char *idp_run(char **argv)
{
    char *out = NULL;
    int status = 0;
    GError *err = NULL;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                      &err)) {
        g_clear_error(&err);
        return NULL;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_free(out);
        return NULL;
    }
    return out;
}

struct idp_hidden idp_hide(const char *secret)
{
    g_assert_nonnull(secret);
    struct idp_hidden h = {g_malloc(strlen(secret)), strlen(secret)};
    for (size_t i = 0; i < h.len; i++)
        h.bytes[i] = (unsigned char)secret[i] ^ 0x5a;
    return h;
}

long idp_copies_in_memory(const struct idp_hidden *h)
{
    unsigned char *plain = g_malloc(h->len);
    for (size_t i = 0; i < h->len; i++)
        plain[i] = h->bytes[i] ^ 0x5a;
    long n = cr_memory_count(plain, h->len);
    explicit_bzero(plain, h->len);
    g_free(plain);
    return n;
}

void idp_hidden_free(struct idp_hidden *h)
{
    g_clear_pointer(&h->bytes, g_free);
}

char *idp_fake_calls(void)
{
    g_autofree char *url = g_strdup_printf("%s/__test/calls", idp_env("ENTCORE_URL"));
    char *argv[] = {"curl", "-s", "--cacert", (char *)idp_env("IDP_CA"), url, NULL};
    g_autofree char *out = idp_run(argv);
    g_assert_nonnull(out);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonArray *a = json_node_get_array(json_parser_get_root(p));
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        g_string_append_printf(s, "%s %s%s|%s\n", json_object_get_string_member(o, "method"),
                               json_object_get_string_member(o, "path"),
                               json_object_get_boolean_member(o, "bearer") ? " bearer" : "",
                               json_object_get_string_member(o, "accept"));
    }
    return g_string_free(s, FALSE);
}

int idp_fake_count(const char *calls, const char *prefix)
{
    int n = 0;
    g_auto(GStrv) lines = g_strsplit(calls, "\n", -1);
    for (char **l = lines; *l; l++)
        n += g_str_has_prefix(*l, prefix);
    return n;
}
