#include "ent-client/resources.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "ent-client/secret.h"

GPtrArray *cr_resource_list_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)cr_ent_resource_free);
}

struct cr_ent_resource *cr_ent_resource_new(enum cr_ent_resource_kind kind, const char *title,
                                            const char *url)
{
    struct cr_ent_resource *r = cr_xcalloc(1, sizeof(*r));
    r->kind = kind;
    r->title = g_strdup(title);
    r->url = g_strdup(url);
    return r;
}

/* A teacher's document names and links are personal data: zeroed too. */
void cr_ent_resource_clear(struct cr_ent_resource *r)
{
    cr_secret_clear(&r->id);
    cr_secret_clear(&r->title);
    cr_secret_clear(&r->url);
    cr_secret_clear(&r->icon_url);
    cr_secret_clear(&r->mime_type);
    cr_secret_clear(&r->parent_id);
}

void cr_ent_resource_free(struct cr_ent_resource *r)
{
    if (!r)
        return;
    cr_ent_resource_clear(r);
    free(r);
}

void cr_ent_resource_copy(struct cr_ent_resource *dst, const struct cr_ent_resource *src)
{
    *dst = *src;
    dst->id = g_strdup(src->id);
    dst->title = g_strdup(src->title);
    dst->url = g_strdup(src->url);
    dst->icon_url = g_strdup(src->icon_url);
    dst->mime_type = g_strdup(src->mime_type);
    dst->parent_id = g_strdup(src->parent_id);
}

static JsonNode *parse(const char *json, size_t len)
{
    if (!json)
        return NULL;
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    if (!json_parser_load_from_data(p, json, (gssize)len, NULL))
        return NULL;
    JsonNode *root = json_parser_get_root(p);
    return root ? json_node_copy(root) : NULL;
}

static const char *str(JsonObject *o, const char *name)
{
    if (!o || !json_object_has_member(o, name))
        return NULL;
    JsonNode *n = json_object_get_member(o, name);
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return NULL;
    const char *s = json_node_get_string(n);
    return s && *s ? s : NULL;
}

static bool boolean(JsonObject *o, const char *name, bool fallback)
{
    if (!o || !json_object_has_member(o, name))
        return fallback;
    JsonNode *n = json_object_get_member(o, name);
    if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
        return fallback;
    return json_node_get_boolean(n);
}

static JsonObject *obj(JsonNode *n)
{
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonArray *arr(JsonObject *o, const char *name)
{
    if (!o || !json_object_has_member(o, name))
        return NULL;
    JsonNode *n = json_object_get_member(o, name);
    return JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static bool is_http(const char *url)
{
    return url && (g_str_has_prefix(url, "https://") || g_str_has_prefix(url, "http://"));
}

/* base + a path or an absolute URL; NULL when neither. */
static char *absolute(const char *base_url, const char *ref)
{
    if (!ref)
        return NULL;
    if (is_http(ref))
        return g_strdup(ref);
    if (!base_url)
        return NULL;
    g_autoptr(GUri) base = g_uri_parse(base_url, G_URI_FLAGS_ENCODED, NULL);
    if (!base)
        return NULL;
    g_autoptr(GUri) abs = g_uri_parse_relative(base, ref, G_URI_FLAGS_ENCODED, NULL);
    return abs ? g_uri_to_string(abs) : NULL;
}

static const char *const kind_names[CR_ENT_RESOURCE_KIND_COUNT] = {
    "app", "connector", "gar", "document", "folder", "link",
};

const char *cr_ent_resource_kind_name(enum cr_ent_resource_kind kind)
{
    return kind < CR_ENT_RESOURCE_KIND_COUNT ? kind_names[kind] : "link";
}

static enum cr_ent_resource_kind kind_from_name(const char *name)
{
    for (int k = 0; name && k < CR_ENT_RESOURCE_KIND_COUNT; k++) {
        if (!strcmp(name, kind_names[k]))
            return (enum cr_ent_resource_kind)k;
    }
    return CR_ENT_RESOURCE_LINK;
}

bool cr_resources_parse_list(const char *json, size_t len, const char *base_url, GPtrArray *out,
                             char **error)
{
    g_autoptr(JsonNode) root = parse(json, len);
    JsonArray *list = NULL;
    if (root && JSON_NODE_HOLDS_ARRAY(root))
        list = json_node_get_array(root);
    else if (root && JSON_NODE_HOLDS_OBJECT(root))
        list = arr(json_node_get_object(root), "resources");
    if (!list) {
        if (error)
            *error = g_strdup(root ? "expected {\"resources\": [...]} or an array" : "not JSON");
        return false;
    }
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = obj(json_array_get_element(list, i));
        const char *title = str(o, "title");
        g_autofree char *url = absolute(base_url, str(o, "url"));
        if (!title || !is_http(url))
            continue;
        struct cr_ent_resource *r = cr_ent_resource_new(kind_from_name(str(o, "kind")), title, url);
        r->icon_url = absolute(base_url, str(o, "icon"));
        r->bookmarked = boolean(o, "bookmarked", false);
        r->id = g_strdup(str(o, "id"));
        g_ptr_array_add(out, r);
    }
    return true;
}

static void llng_category(JsonObject *cat, GPtrArray *out)
{
    JsonArray *apps = arr(cat, "Applications");
    for (guint i = 0; apps && i < json_array_get_length(apps); i++) {
        JsonObject *entry = obj(json_array_get_element(apps, i));
        if (!entry)
            continue;
        if (json_object_has_member(entry, "Category")) { /* a sub-category */
            llng_category(entry, out);
            continue;
        }
        g_autoptr(GList) names = json_object_get_members(entry);
        for (GList *n = names; n; n = n->next) {
            JsonObject *app = obj(json_object_get_member(entry, n->data));
            const char *uri = str(app, "AppUri");
            if (!app || !is_http(uri))
                continue;
            struct cr_ent_resource *r = cr_ent_resource_new(CR_ENT_RESOURCE_LINK, n->data, uri);
            r->id = g_strdup(n->data);
            const char *logo = str(app, "AppLogo");
            if (logo && is_http(logo))
                r->icon_url = g_strdup(logo);
            g_ptr_array_add(out, r);
        }
    }
}

bool cr_llng_parse_myapplications(const char *json, size_t len, GPtrArray *out)
{
    g_autoptr(JsonNode) root = parse(json, len);
    JsonArray *cats = arr(obj(root), "myapplications");
    if (!cats)
        return false;
    for (guint i = 0; i < json_array_get_length(cats); i++)
        llng_category(obj(json_array_get_element(cats, i)), out);
    return true;
}

char *cr_oidc_parse_userinfo_name(const char *json, size_t len)
{
    g_autoptr(JsonNode) root = parse(json, len);
    JsonObject *o = obj(root);
    if (!o)
        return NULL;
    if (str(o, "name"))
        return g_strdup(str(o, "name"));
    if (str(o, "given_name") && str(o, "family_name"))
        return g_strdup_printf("%s %s", str(o, "given_name"), str(o, "family_name"));
    if (str(o, "preferred_username"))
        return g_strdup(str(o, "preferred_username"));
    return g_strdup(str(o, "sub") ? str(o, "sub") : "");
}

bool cr_entcore_parse_userinfo(const char *json, size_t len, struct cr_entcore_user *u)
{
    memset(u, 0, sizeof(*u));
    g_autoptr(JsonNode) root = parse(json, len);
    JsonObject *o = obj(root);
    if (!o || !str(o, "userId"))
        return false;
    u->user_id = g_strdup(str(o, "userId"));
    const char *first = str(o, "firstName"), *last = str(o, "lastName");
    if (first && last)
        u->display_name = g_strdup_printf("%s %s", first, last);
    else
        u->display_name = g_strdup(str(o, "username") ? str(o, "username") : str(o, "login"));
    if (!u->display_name)
        u->display_name = g_strdup("");
    JsonArray *s = arr(o, "structures");
    GPtrArray *ids = g_ptr_array_new();
    for (guint i = 0; s && i < json_array_get_length(s); i++) {
        JsonNode *n = json_array_get_element(s, i);
        if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
            g_ptr_array_add(ids, g_strdup(json_node_get_string(n)));
    }
    g_ptr_array_add(ids, NULL);
    u->structures = (char **)g_ptr_array_free(ids, FALSE);
    u->has_app = boolean(o, "hasApp", true);
    u->delete_pending = boolean(o, "deletePending", false);
    return true;
}

void cr_entcore_user_clear(struct cr_entcore_user *u)
{
    g_clear_pointer(&u->user_id, g_free);
    g_clear_pointer(&u->display_name, g_free);
    g_clear_pointer(&u->structures, g_strfreev);
}

static const char *const blocking_requirements[] = {
    "forceChangePassword", "needRevalidateTerms",  "needMfa",
    "needRevalidateEmail", "needRevalidateMobile",
};

bool cr_entcore_parse_requirements(const char *json, size_t len, bool *blocking, const char **what)
{
    *blocking = false;
    if (what)
        *what = NULL;
    g_autoptr(JsonNode) root = parse(json, len);
    JsonObject *o = obj(root);
    if (!o)
        return false;
    for (size_t i = 0; i < CR_ARRAY_SIZE(blocking_requirements); i++) {
        if (boolean(o, blocking_requirements[i], false)) {
            *blocking = true;
            if (what)
                *what = blocking_requirements[i];
            break;
        }
    }
    return true;
}

bool cr_entcore_parse_apps(const char *json, size_t len, const char *base_url, GPtrArray *out)
{
    g_autoptr(JsonNode) root = parse(json, len);
    JsonArray *apps = arr(obj(root), "apps");
    if (!apps)
        return false;
    for (guint i = 0; i < json_array_get_length(apps); i++) {
        JsonObject *a = obj(json_array_get_element(apps, i));
        if (!a || !boolean(a, "display", true))
            continue;
        const char *name = str(a, "name");
        g_autofree char *url = absolute(base_url, str(a, "address"));
        if (!name || !url)
            continue;
        bool external = boolean(a, "isExternal", false);
        struct cr_ent_resource *r = cr_ent_resource_new(
            external ? CR_ENT_RESOURCE_CONNECTOR : CR_ENT_RESOURCE_APP, name, url);
        r->id = g_strdup(name);
        /* icon is a CSS class name ("workspace-large") unless it is a path. */
        const char *icon = str(a, "icon");
        if (icon && (icon[0] == '/' || is_http(icon)))
            r->icon_url = absolute(base_url, icon);
        g_ptr_array_add(out, r);
    }
    return true;
}

char **cr_entcore_parse_bookmarks(const char *json, size_t len)
{
    g_autoptr(JsonNode) root = parse(json, len);
    JsonObject *o = obj(root);
    if (!o)
        return NULL;
    GPtrArray *names = g_ptr_array_new();
    /* "preference" is JSON text inside JSON (or null: no preferences yet). */
    const char *inner = str(o, "preference");
    if (inner) {
        g_autoptr(JsonNode) pref = parse(inner, strlen(inner));
        JsonArray *b = arr(obj(pref), "bookmarks");
        if (!pref) {
            g_ptr_array_free(names, TRUE);
            return NULL;
        }
        for (guint i = 0; b && i < json_array_get_length(b); i++) {
            JsonNode *n = json_array_get_element(b, i);
            if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING)
                g_ptr_array_add(names, g_strdup(json_node_get_string(n)));
        }
    }
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}

int64_t cr_entcore_parse_date(const char *text)
{
    if (!text)
        return 0;
    int y, mo, d, h, mi, s = 0;
    if (sscanf(text, "%d-%d-%d %d:%d.%d", &y, &mo, &d, &h, &mi, &s) >= 5 ||
        sscanf(text, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) >= 5) {
        g_autoptr(GDateTime) dt = g_date_time_new_utc(y, mo, d, h, mi, s);
        return dt ? g_date_time_to_unix(dt) : 0;
    }
    return 0;
}

bool cr_entcore_parse_documents(const char *json, size_t len, const char *base_url, GPtrArray *out)
{
    g_autoptr(JsonNode) root = parse(json, len);
    if (!root || !JSON_NODE_HOLDS_ARRAY(root))
        return false;
    JsonArray *docs = json_node_get_array(root);
    for (guint i = 0; i < json_array_get_length(docs); i++) {
        JsonObject *d = obj(json_array_get_element(docs, i));
        const char *id = str(d, "_id"), *name = str(d, "name");
        if (!id || !name || boolean(d, "deleted", false))
            continue;
        bool folder = !g_strcmp0(str(d, "eType"), "folder");
        g_autofree char *escaped = g_uri_escape_string(id, NULL, FALSE);
        g_autofree char *path = folder ? g_strdup("/workspace/workspace")
                                       : g_strdup_printf("/workspace/document/%s", escaped);
        g_autofree char *url = absolute(base_url, path);
        struct cr_ent_resource *r = cr_ent_resource_new(
            folder ? CR_ENT_RESOURCE_FOLDER : CR_ENT_RESOURCE_DOCUMENT, name, url);
        r->id = g_strdup(id);
        r->parent_id = g_strdup(str(d, "eParent"));
        r->updated = cr_entcore_parse_date(str(d, "modified"));
        if (!r->updated)
            r->updated = cr_entcore_parse_date(str(d, "created"));
        JsonObject *meta = obj(
            json_object_has_member(d, "metadata") ? json_object_get_member(d, "metadata") : NULL);
        r->mime_type = g_strdup(str(meta, "content-type"));
        JsonObject *thumbs =
            obj(json_object_has_member(d, "thumbnails") ? json_object_get_member(d, "thumbnails")
                                                        : NULL);
        if (thumbs && json_object_get_size(thumbs) > 0) {
            /* The smallest size the ENT already made (120x120 first). */
            g_autoptr(GList) sizes = json_object_get_members(thumbs);
            const char *size = json_object_has_member(thumbs, "120x120") ? "120x120" : sizes->data;
            g_autofree char *t = g_strdup_printf("%s?thumbnail=%s", path, size);
            r->icon_url = absolute(base_url, t);
        }
        g_ptr_array_add(out, r);
    }
    return true;
}

bool cr_entcore_parse_gar(const char *json, size_t len, GPtrArray *out)
{
    g_autoptr(JsonNode) root = parse(json, len);
    if (!root || !JSON_NODE_HOLDS_ARRAY(root))
        return false;
    JsonArray *list = json_node_get_array(root);
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *g = obj(json_array_get_element(list, i));
        const char *name = str(g, "nomRessource"), *url = str(g, "urlAccesRessource");
        if (!name || !is_http(url))
            continue;
        struct cr_ent_resource *r = cr_ent_resource_new(CR_ENT_RESOURCE_GAR, name, url);
        r->id = g_strdup(str(g, "idRessource"));
        if (is_http(str(g, "urlVignette")))
            r->icon_url = g_strdup(str(g, "urlVignette"));
        g_ptr_array_add(out, r);
    }
    return true;
}

static int bookmark_index(const struct cr_ent_resource *r, char **bookmarks)
{
    if (!bookmarks || !r->id ||
        (r->kind != CR_ENT_RESOURCE_APP && r->kind != CR_ENT_RESOURCE_CONNECTOR))
        return -1;
    for (int i = 0; bookmarks[i]; i++) {
        if (!strcmp(bookmarks[i], r->id))
            return i;
    }
    return -1;
}

static int group(const struct cr_ent_resource *r)
{
    if (r->bookmarked)
        return 0;
    switch (r->kind) {
    case CR_ENT_RESOURCE_APP:
    case CR_ENT_RESOURCE_CONNECTOR:
        return 1;
    case CR_ENT_RESOURCE_LINK:
        return 2;
    case CR_ENT_RESOURCE_GAR:
        return 3;
    case CR_ENT_RESOURCE_FOLDER:
        return 4;
    default:
        return 5;
    }
}

struct order_item {
    struct cr_ent_resource *r;
    int bookmark;
    guint pos;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order_item *x = a, *y = b;
    int gx = group(x->r), gy = group(y->r);
    if (gx != gy)
        return gx - gy;
    if (gx == 0 && x->bookmark != y->bookmark)
        return x->bookmark - y->bookmark;
    if (gx == 5 && x->r->updated != y->r->updated)
        return x->r->updated > y->r->updated ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void cr_entcore_order(GPtrArray *list, char **bookmarks)
{
    struct order_item *items = cr_xcalloc(list->len ? list->len : 1, sizeof(*items));
    for (guint i = 0; i < list->len; i++) {
        struct cr_ent_resource *r = g_ptr_array_index(list, i);
        int b = bookmark_index(r, bookmarks);
        r->bookmarked = r->bookmarked || b >= 0;
        items[i] = (struct order_item){r, b < 0 ? G_MAXINT : b, i};
    }
    qsort(items, list->len, sizeof(*items), order_cmp);
    for (guint i = 0; i < list->len; i++)
        list->pdata[i] = items[i].r;
    free(items);
}
