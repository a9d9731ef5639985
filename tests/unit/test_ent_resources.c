/* What the teacher sees once signed in, from the shapes the servers send:
 * entcore's userinfo v2.0, applications and connectors, the double-encoded
 * bookmark preference, workspace documents (recent first, folders),
 * GAR resources, account requirements; LemonLDAP::NG's menu; the
 * technician's list; and the board's order of it all. */
#include <glib.h>
#include <string.h>

#include "build_config.h"
#include "ent-client/resources.h"

static char *data(const char *name, gsize *len)
{
    g_autofree char *path = g_build_filename(CR_SOURCE_ROOT, "tests/data/ent", name, NULL);
    char *text = NULL;
    GError *err = NULL;
    g_file_get_contents(path, &text, len, &err);
    g_assert_no_error(err);
    return text;
}

#define BASE "https://ent.example"

static struct cr_ent_resource *at(GPtrArray *l, guint i)
{
    return g_ptr_array_index(l, i);
}

static void test_userinfo(void)
{
    gsize len;
    g_autofree char *json = data("entcore/userinfo.json", &len);
    struct cr_entcore_user u;
    g_assert_true(cr_entcore_parse_userinfo(json, len, &u));
    g_assert_cmpstr(u.display_name, ==, "Jean DUPONT");
    g_assert_cmpstr(u.user_id, ==, "7d3c2a10-0b1e-4c8f-9a77-5e2f1c0d9b11");
    g_assert_cmpuint(g_strv_length(u.structures), ==, 1);
    g_assert_cmpstr(u.structures[0], ==, "s-0123456X");
    g_assert_true(u.has_app);
    g_assert_false(u.delete_pending);
    cr_entcore_user_clear(&u);
    const char *v1 = "{\"userId\":\"u\",\"username\":\"DUPONT Jean\",\"hasApp\":false}";
    g_assert_true(cr_entcore_parse_userinfo(v1, strlen(v1), &u));
    g_assert_cmpstr(u.display_name, ==, "DUPONT Jean");
    g_assert_false(u.has_app);
    cr_entcore_user_clear(&u);
    g_assert_false(cr_entcore_parse_userinfo("{\"error\":\"x\"}", 13, &u));
    g_assert_false(cr_entcore_parse_userinfo("<html>", 6, &u));
}

static void test_requirements(void)
{
    const struct {
        const char *file;
        bool blocking;
        const char *what;
    } cases[] = {
        {"entcore/requirements-none.json", false, NULL},
        {"entcore/requirements-terms.json", true, "needRevalidateTerms"},
        {"entcore/requirements-password.json", true, "forceChangePassword"},
        {"entcore/requirements-mfa.json", true, "needMfa"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        gsize len;
        g_autofree char *json = data(cases[i].file, &len);
        bool blocking = !cases[i].blocking;
        const char *what = NULL;
        g_assert_true(cr_entcore_parse_requirements(json, len, &blocking, &what));
        g_assert_cmpint(blocking, ==, cases[i].blocking);
        g_assert_cmpstr(what, ==, cases[i].what);
    }
    bool b;
    g_assert_false(cr_entcore_parse_requirements("nope", 4, &b, NULL));
}

static void test_apps(void)
{
    gsize len;
    g_autofree char *json = data("entcore/applications-list.json", &len);
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_assert_true(cr_entcore_parse_apps(json, len, BASE, l));
    g_assert_cmpuint(l->len, ==, 4); /* display:false is not shown */
    g_assert_cmpint(at(l, 0)->kind, ==, CR_ENT_RESOURCE_APP);
    g_assert_cmpstr(at(l, 0)->title, ==, "Espace documentaire");
    g_assert_cmpstr(at(l, 0)->url, ==, BASE "/workspace/workspace");
    g_assert_null(at(l, 0)->icon_url); /* a CSS class, not a picture */
    g_assert_cmpstr(at(l, 2)->icon_url, ==, BASE "/assets/themes/one/img/apps/homeworks.png");
    g_assert_cmpint(at(l, 3)->kind, ==, CR_ENT_RESOURCE_CONNECTOR);
    g_assert_cmpstr(at(l, 3)->url, ==,
                    BASE
                    "/cas/login?service=https%3A%2F%2F0123456x.index-education.net%2Fpronote%2F");
    g_assert_false(cr_entcore_parse_apps("[]", 2, BASE, l));
}

static void test_bookmarks_double_decoded(void)
{
    gsize len;
    g_autofree char *json = data("entcore/preference-apps.json", &len);
    /* the file really holds a string inside the JSON */
    g_assert_nonnull(strstr(json, "\"{\\\"bookmarks\\\""));
    g_auto(GStrv) b = cr_entcore_parse_bookmarks(json, len);
    g_assert_nonnull(b);
    g_assert_cmpuint(g_strv_length(b), ==, 2);
    g_assert_cmpstr(b[0], ==, "Pronote");
    g_assert_cmpstr(b[1], ==, "Espace documentaire");
    /* no preference yet */
    g_auto(GStrv) none = cr_entcore_parse_bookmarks("{\"preference\":null}", 19);
    g_assert_nonnull(none);
    g_assert_cmpuint(g_strv_length(none), ==, 0);
    /* an object where a string is expected, or a broken inner text */
    g_assert_null(cr_entcore_parse_bookmarks("{\"preference\":\"{broken\"}", 24));
    g_assert_null(cr_entcore_parse_bookmarks("]", 1));
}

static void test_documents(void)
{
    gsize len;
    g_autofree char *json = data("entcore/documents.json", &len);
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_assert_true(cr_entcore_parse_documents(json, len, BASE, l));
    g_assert_cmpuint(l->len, ==, 3); /* the trashed one is not shown */
    g_assert_cmpint(at(l, 0)->kind, ==, CR_ENT_RESOURCE_DOCUMENT);
    g_assert_cmpstr(at(l, 0)->url, ==, BASE "/workspace/document/d-old");
    g_assert_cmpstr(at(l, 0)->mime_type, ==, "application/pdf");
    g_assert_null(at(l, 0)->icon_url);
    g_assert_cmpint(at(l, 1)->kind, ==, CR_ENT_RESOURCE_FOLDER);
    g_assert_cmpstr(at(l, 1)->id, ==, "folder-1");
    g_assert_cmpstr(at(l, 2)->icon_url, ==, BASE "/workspace/document/d-new?thumbnail=120x120");
    g_assert_cmpint(at(l, 2)->updated, ==, cr_entcore_parse_date("2024-03-11 16:30.00.000"));
    g_assert_cmpint(cr_entcore_parse_date("2024-03-11 16:30.00.000"), ==, 1710174600);
    g_assert_cmpint(cr_entcore_parse_date("2024-03-11T16:30:00Z"), ==, 1710174600);
    g_assert_cmpint(cr_entcore_parse_date("hier"), ==, 0);

    g_autofree char *folder = data("entcore/documents-folder-1.json", &len);
    g_autoptr(GPtrArray) f = cr_resource_list_new();
    g_assert_true(cr_entcore_parse_documents(folder, len, BASE, f));
    g_assert_cmpuint(f->len, ==, 2);
    g_assert_cmpstr(at(f, 0)->parent_id, ==, "folder-1");
    g_assert_cmpstr(at(f, 1)->id, ==, "d-expose");
    g_assert_cmpstr(at(f, 1)->mime_type, ==, "application/vnd.oasis.opendocument.presentation");
    g_assert_cmpint(at(f, 1)->kind, ==, CR_ENT_RESOURCE_DOCUMENT);
    g_assert_cmpstr(at(f, 0)->title, ==, "éruption.mp4");
    g_assert_cmpstr(at(f, 0)->icon_url, ==, BASE "/workspace/document/d-volcan?thumbnail=290x290");
    g_assert_false(cr_entcore_parse_documents("{}", 2, BASE, f));
}

static void test_gar(void)
{
    gsize len;
    g_autofree char *json = data("entcore/gar-resources.json", &len);
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_assert_true(cr_entcore_parse_gar(json, len, l));
    g_assert_cmpuint(l->len, ==, 2);
    g_assert_cmpint(at(l, 0)->kind, ==, CR_ENT_RESOURCE_GAR);
    g_assert_cmpstr(at(l, 0)->title, ==, "Manuel numérique CM2");
    g_assert_cmpstr(at(l, 0)->icon_url, ==, "https://vignette.gar.test/r1.png");
    g_assert_true(g_str_has_prefix(at(l, 0)->url, "https://idp-auth.gar.education.fr/domaineGar?"));
    g_assert_null(at(l, 1)->icon_url);
    /* gar-connector answers [] on its own errors */
    g_autoptr(GPtrArray) e = cr_resource_list_new();
    g_assert_true(cr_entcore_parse_gar("[]", 2, e));
    g_assert_cmpuint(e->len, ==, 0);
}

static void test_board_order(void)
{
    gsize len;
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_autofree char *docs = data("entcore/documents.json", &len);
    g_assert_true(cr_entcore_parse_documents(docs, len, BASE, l));
    g_autofree char *gar = data("entcore/gar-resources.json", &len);
    g_assert_true(cr_entcore_parse_gar(gar, len, l));
    g_autofree char *apps = data("entcore/applications-list.json", &len);
    g_assert_true(cr_entcore_parse_apps(apps, len, BASE, l));
    g_autofree char *pref = data("entcore/preference-apps.json", &len);
    g_auto(GStrv) b = cr_entcore_parse_bookmarks(pref, len);
    cr_entcore_order(l, b);
    const char *want[] = {
        "Pronote",
        "Espace documentaire", /* bookmarks, in their order */
        "Messagerie",
        "Cahier multimédia", /* other apps */
        "Manuel numérique CM2",
        "Dictionnaire", /* GAR */
        "Sciences",     /* folders */
        "volcans.png",
        "cours-2023.pdf", /* documents, recent first */
    };
    g_assert_cmpuint(l->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < l->len; i++)
        g_assert_cmpstr(at(l, i)->title, ==, want[i]);
    g_assert_true(at(l, 0)->bookmarked);
    g_assert_true(at(l, 1)->bookmarked);
    g_assert_false(at(l, 2)->bookmarked);
}

static void test_technician_list(void)
{
    gsize len;
    g_autofree char *json = data("lists/resources.json", &len);
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_autofree char *error = NULL;
    g_assert_true(
        cr_resources_parse_list(json, len, "https://portal.example/list.json", l, &error));
    g_assert_cmpuint(l->len, ==, 3);
    g_assert_cmpstr(at(l, 0)->title, ==, "Lalilo");
    g_assert_true(at(l, 0)->bookmarked);
    g_assert_cmpstr(at(l, 0)->icon_url, ==, "https://lalilo.example/icon.png");
    g_assert_cmpint(at(l, 1)->kind, ==, CR_ENT_RESOURCE_APP);
    g_assert_cmpstr(at(l, 1)->url, ==, "https://portal.example/cahier/");
    g_assert_cmpint(at(l, 2)->kind, ==, CR_ENT_RESOURCE_LINK);
    /* a bare array; a relative URL with no base is dropped */
    const char *bare =
        "[{\"title\":\"A\",\"url\":\"https://a.example/\"},{\"title\":\"B\",\"url\":\"/b\"}]";
    g_autoptr(GPtrArray) m = cr_resource_list_new();
    g_assert_true(cr_resources_parse_list(bare, strlen(bare), NULL, m, NULL));
    g_assert_cmpuint(m->len, ==, 1);
    g_assert_false(cr_resources_parse_list("{\"items\":[]}", 12, NULL, m, &error));
    g_assert_nonnull(error);
}

static void test_llng_menu(void)
{
    gsize len;
    g_autofree char *json = data("lists/myapplications.json", &len);
    g_autoptr(GPtrArray) l = cr_resource_list_new();
    g_assert_true(cr_llng_parse_myapplications(json, len, l));
    g_assert_cmpuint(l->len, ==, 3);
    g_assert_cmpstr(at(l, 0)->title, ==, "Cahier de textes");
    g_assert_cmpstr(at(l, 1)->url, ==, "http://127.0.0.1:28081/docs/");
    g_assert_cmpint(at(l, 2)->kind, ==, CR_ENT_RESOURCE_LINK);
    g_assert_false(cr_llng_parse_myapplications("{\"result\":0}", 12, l));
}

static void test_oidc_userinfo(void)
{
    const char *a = "{\"sub\":\"x\",\"name\":\"Teacher One\",\"email\":\"t@s\"}";
    const char *b = "{\"sub\":\"x\",\"given_name\":\"Jean\",\"family_name\":\"Dupont\"}";
    const char *c = "{\"sub\":\"x\",\"preferred_username\":\"jdupont\"}";
    g_autofree char *na = cr_oidc_parse_userinfo_name(a, strlen(a));
    g_autofree char *nb = cr_oidc_parse_userinfo_name(b, strlen(b));
    g_autofree char *nc = cr_oidc_parse_userinfo_name(c, strlen(c));
    g_assert_cmpstr(na, ==, "Teacher One");
    g_assert_cmpstr(nb, ==, "Jean Dupont");
    g_assert_cmpstr(nc, ==, "jdupont");
    g_assert_null(cr_oidc_parse_userinfo_name("[]", 2));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ent/resources/entcore-userinfo", test_userinfo);
    g_test_add_func("/ent/resources/entcore-requirements", test_requirements);
    g_test_add_func("/ent/resources/entcore-apps", test_apps);
    g_test_add_func("/ent/resources/entcore-bookmarks-double-decoded",
                    test_bookmarks_double_decoded);
    g_test_add_func("/ent/resources/entcore-documents", test_documents);
    g_test_add_func("/ent/resources/entcore-gar", test_gar);
    g_test_add_func("/ent/resources/board-order", test_board_order);
    g_test_add_func("/ent/resources/technician-list", test_technician_list);
    g_test_add_func("/ent/resources/llng-menu", test_llng_menu);
    g_test_add_func("/ent/resources/oidc-userinfo", test_oidc_userinfo);
    return g_test_run();
}
