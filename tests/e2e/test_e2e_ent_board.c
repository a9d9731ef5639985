/* End to end: ENT resources on the board and the sign-out wipe, on the real
 * craie and the fake entcore (tests/idp/fake_entcore.py): the teacher signs
 * in (password typed on the board), opens an ENT page (it lands signed in:
 * the fake's green "Signed in as" page, which sets a cookie and local
 * storage) and a workspace video (fetched into memory, played by libvlc);
 * then signs out: the web view loads the ENT's logout address (the fake
 * sees /auth/logout with the view's session), every web process ends, no
 * ENT tile is left; the same page opened again lands on the login page.
 * Servers: tests/idp/run-with.sh entcore. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "tests/e2e/e2e.h"

#define SIGNED_IN_GREEN 0x15803du /* the fake's signed-in page */
#define LOGIN_RED 0xb91c1cu       /* the fake's login page */

static const char *env(const char *name)
{
    const char *v = g_getenv(name);
    if (!v)
        g_error("%s is not set: run this test through tests/idp/run-with.sh entcore", name);
    return v;
}

static JsonObject *ent_state(JsonObject **root)
{
    *root = e2e_state();
    return json_object_get_object_member(*root, "ent");
}

static const char *ent_str(JsonObject *ent, const char *name)
{
    return json_object_get_string_member_with_default(ent, name, NULL);
}

static bool ent_is(void *data)
{
    JsonObject *root, *ent = ent_state(&root);
    bool ok = !g_strcmp0(ent_str(ent, "state"), data) &&
              (strcmp(data, "signed-in") || !json_object_get_boolean_member(ent, "loading"));
    json_object_unref(root);
    return ok;
}

static void wait_ent(const char *state)
{
    if (!e2e_wait_for(ent_is, (void *)state, 15000))
        g_error("the ENT did not reach %s", state);
}

static void tap_key(const char *label)
{
    e2e_tap_labelled("ent key", label);
}

static void type_on_board(const char *text)
{
    for (const char *c = text; *c; c++) {
        char l[2] = {(char)g_ascii_tolower(*c), 0};
        tap_key(*c == '.' ? "." : l);
    }
}

static void sign_in(void)
{
    E2E_OK("open", "ent");
    e2e_tap_button("ent signin");
    wait_ent("ask-password");
    type_on_board("jean.dupont");
    tap_key("Champ suivant");
    type_on_board("password");
    tap_key("Se connecter");
    wait_ent("signed-in");
}

/* The index (for "ent open N") of the ENT screen's tile with this title. */
static char *resource_index(const char *title)
{
    char *found = NULL;
    for (int i = 0; i < 100 && !found; i++, g_usleep(50000)) {
        JsonObject *root, *ent = ent_state(&root);
        JsonArray *tiles = json_object_get_array_member(ent, "tiles");
        for (guint k = 0; k < json_array_get_length(tiles) && !found; k++) {
            JsonObject *t = json_array_get_object_element(tiles, k);
            if (!strcmp(json_object_get_string_member(t, "title"), title))
                found =
                    g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(t, "index"));
        }
        json_object_unref(root);
    }
    if (!found)
        g_error("no ENT tile %s", title);
    return found;
}

struct shown {
    const char *kind;
    int64_t frames;
};

static bool tile_shows(void *data)
{
    struct shown *w = data;
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, w->kind);
    bool ok = t && json_object_get_boolean_member(t, "has_image") &&
              json_object_get_int_member(t, "frames_shown") >= w->frames &&
              (strcmp(w->kind, "web") || !json_object_get_boolean_member(t, "loading"));
    json_object_unref(s);
    return ok;
}

/* Opens an ENT file of the list from the ENT screen: it shows on the board
 * as a tile of kind (at least frames drawn), marked as the ENT's, and the
 * board then has count tiles. Returns get_state (unref). */
static JsonObject *open_from_ent(const char *title, const char *kind, int64_t frames, int64_t count)
{
    E2E_OK("open", "ent");
    g_autofree char *index = resource_index(title);
    E2E_OK("ent", "open", index);
    struct shown want = {kind, frames};
    if (!e2e_wait_for(tile_shows, &want, 30000))
        g_error("%s did not show on the board", title);
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "board");
    g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(s, "board"), "count"),
                    ==, count);
    g_assert_true(json_object_get_boolean_member(e2e_board_tile(s, kind), "ent"));
    return s;
}

static int64_t web_processes(void)
{
    JsonObject *s = e2e_state();
    int64_t n =
        json_object_get_int_member(json_object_get_object_member(s, "web_engine"), "processes");
    json_object_unref(s);
    return n;
}

/* The share of the web tile's picture in rgb (±40): how much of the page shows. */
static double web_share(const char *shot_name, unsigned rgb)
{
    g_usleep(500000); /* the page painted after the load finished */
    JsonObject *s = e2e_state();
    JsonObject *t = e2e_board_tile(s, "web");
    g_assert_nonnull(t);
    struct e2e_rect r = e2e_member_rect(t, "image_rect");
    json_object_unref(s);
    SDL_Surface *sh = e2e_screenshot(shot_name);
    int hits = 0, n = 0;
    for (int y = r.y + 4; y < r.y + r.h - 4; y += 8)
        for (int x = r.x + 4; x < r.x + r.w - 4; x += 8, n++)
            hits += e2e_color_near(sh, x, y, 0, rgb, 40);
    SDL_FreeSurface(sh);
    return n ? (double)hits / n : 0;
}

/* The calls the fake saw: "path user via" lines. */
static char *fake_calls(void)
{
    g_autofree char *url = g_strdup_printf("%s/__test/calls", env("ENTCORE_HTTP_URL"));
    char *argv[] = {"curl", "-s", url, NULL};
    g_autofree char *out = NULL;
    int status = -1;
    g_assert_true(
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, NULL));
    JsonNode *root = json_from_string(out, NULL);
    g_assert_nonnull(root);
    JsonArray *a = json_node_get_array(root);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        const char *user = json_object_get_string_member_with_default(o, "user", NULL);
        g_string_append_printf(s, "%s %s %s %s\n", json_object_get_string_member(o, "path"),
                               user ? user : "-",
                               json_object_get_string_member_with_default(o, "via", "-"),
                               json_object_get_boolean_member(o, "bearer") ? "bearer" : "-");
    }
    json_node_unref(root);
    return g_string_free(s, FALSE);
}

static void test_open_and_wipe(void)
{
    /* The ENT over plain HTTP (the fake's second door): the web engine
     * cannot be told about the test CA. */
    g_autofree char *a_url = g_strdup_printf("--ent.url=%s", env("ENTCORE_HTTP_URL"));
    g_autofree char *a_id = g_strdup_printf("--ent.client_id=%s", env("ENTCORE_CLIENT_ID"));
    g_autofree char *a_secret =
        g_strdup_printf("--ent.client_secret_file=%s", env("ENTCORE_CLIENT_SECRET_FILE"));
    g_autofree char *a_ca = g_strdup_printf("--ent.ca_file=%s", env("IDP_CA"));
    g_autofree char *a_save = g_strdup_printf("--camera.save_dir=%s", e2e_save_dir());
    const char *argv[] = {"--camera=test",
                          "--cast.enabled=false",
                          a_save,
                          "--ent.kind=entcore",
                          a_url,
                          a_id,
                          a_secret,
                          a_ca,
                          NULL};
    /* A home of its own: what the session leaves on disk is looked for there. */
    g_autofree char *home = g_build_filename(e2e_tmp_dir, "home", NULL);
    g_autofree char *tmp = g_build_filename(home, "tmp", NULL);
    g_mkdir_with_parents(tmp, 0700);
    g_autofree char *e_home = g_strdup_printf("HOME=%s", home);
    g_autofree char *e_tmp = g_strdup_printf("TMPDIR=%s", tmp);
    /* GStreamer's plugin cache is the machine's, not the session's */
    struct utsname u;
    uname(&u);
    g_autofree char *e_gst = g_strdup_printf("GST_REGISTRY=%s/gstreamer-1.0/registry.%s.bin",
                                             g_get_user_cache_dir(), u.machine);
    const char *envv[] = {
        "CRAIE_TEST_AOUT=adummy", e_home, e_tmp, "XDG_CACHE_HOME=", "XDG_DATA_HOME=",
        "XDG_CONFIG_HOME=",       e_gst,  NULL};
    e2e_start_craie(argv, envv);
    g_assert_true(e2e_wait_for(e2e_socket_ready, NULL, 20000));
    g_assert_cmpint(web_processes(), ==, 0);
    sign_in();

    /* An ENT page, opened from the ENT screen: on the board, signed in. */
    g_autofree char *app = resource_index("Espace documentaire");
    E2E_OK("ent", "open", app);
    struct shown web = {"web", 1};
    if (!e2e_wait_for(tile_shows, &web, 30000))
        g_error("the ENT page did not show on the board");
    JsonObject *s = e2e_state();
    g_assert_cmpstr(json_object_get_string_member(s, "screen"), ==, "board");
    JsonObject *t = e2e_board_tile(s, "web");
    g_autofree char *page_url = g_strdup(json_object_get_string_member(t, "url"));
    g_assert_null(strchr(page_url, '?')); /* the token is never shown */
    g_assert_true(json_object_get_boolean_member(t, "ent"));
    json_object_unref(s);
    g_assert_cmpfloat(web_share("01-ent-page", SIGNED_IN_GREEN), >, 0.3);
    g_assert_cmpint(web_processes(), >, 0);

    /* A workspace video beside it, fetched into memory, played by libvlc. */
    E2E_OK("ent", "folder", "folder-1");
    s = open_from_ent("éruption.mp4", "media", 3, 2);
    json_object_unref(s);
    SDL_FreeSurface(e2e_screenshot("02-page-and-video"));

    /* An office file of the same folder: the ENT's PDF preview of it, a
     * two-page document tile beside them. */
    s = open_from_ent("exposé-volcans.odp", "document", 1, 3);
    t = e2e_board_tile(s, "document");
    g_assert_cmpstr(json_object_get_string_member(t, "document_kind"), ==, "pdf");
    g_assert_cmpint(json_object_get_int_member(t, "pages"), ==, 2);
    json_object_unref(s);

    /* Sign-out: the view ends the ENT session, then nothing is left. */
    E2E_OK("ent", "signout");
    wait_ent("signed-out");
    for (int i = 0; i < 120 && web_processes() > 0; i++)
        g_usleep(50000);
    g_assert_cmpint(web_processes(), ==, 0);
    s = e2e_state();
    JsonObject *board = json_object_get_object_member(s, "board");
    g_assert_cmpint(json_object_get_int_member(board, "count"), ==, 0);
    JsonObject *engine = json_object_get_object_member(s, "web_engine");
    g_assert_false(json_object_get_boolean_member(engine, "private_dir_exists"));
    json_object_unref(s);
    /* Nothing of the session on disk: no cookie, cache, local storage, file. */
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    e2e_list_files(home, NULL, files);
    for (guint i = 0; i < files->len; i++)
        g_test_message("left on disk: %s", (char *)files->pdata[i]);
    g_assert_cmpuint(files->len, ==, 0);
    g_autofree char *calls = fake_calls();
    /* the logout came from the web view (its session cookie, no token) */
    g_assert_nonnull(strstr(calls, "/auth/logout jean.dupont - -"));

    /* The same page again: the login page, nothing remembered. */
    g_autofree char *again = g_strdup_printf("%s/workspace/workspace", env("ENTCORE_HTTP_URL"));
    E2E_OK("open", "url", again);
    struct shown w2 = {"web", 1};
    g_assert_true(e2e_wait_for(tile_shows, &w2, 30000));
    g_assert_cmpfloat(web_share("03-login-again", LOGIN_RED), >, 0.3);
    E2E_OK("quit");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    int rc = e2e_init("e2e-ent-board");
    if (rc)
        return rc;
    g_test_add_func("/e2e/ent-board/open-and-wipe", test_open_and_wipe);
    rc = g_test_run();
    e2e_finish();
    return rc;
}
