#include "ent-client/cas.h"

#include <string.h>

#include "common/util.h"
#include "ent-client/secret.h"

struct cas_parse {
    struct cr_cas_result *r;
    GString *text;
    bool in_attributes;
    bool seen_root;
    int depth;
};

static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static void on_start(GMarkupParseContext *ctx, const char *element, const char **names,
                     const char **values, gpointer ud, GError **error)
{
    struct cas_parse *p = ud;
    const char *e = local_name(element);
    p->depth++;
    if (p->depth == 1) {
        if (strcmp(e, "serviceResponse")) {
            g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                        "not a CAS service response");
            return;
        }
        p->seen_root = true;
    }
    g_string_truncate(p->text, 0);
    if (!strcmp(e, "authenticationSuccess")) {
        p->r->success = true;
    } else if (!strcmp(e, "authenticationFailure")) {
        p->r->success = false;
        for (int i = 0; names[i]; i++) {
            if (!strcmp(names[i], "code"))
                p->r->failure_code = g_strdup(values[i]);
        }
        if (!p->r->failure_code)
            p->r->failure_code = g_strdup("UNKNOWN");
    } else if (!strcmp(e, "attributes")) {
        p->in_attributes = true;
    }
}

static void on_end(GMarkupParseContext *ctx, const char *element, gpointer ud, GError **error)
{
    struct cas_parse *p = ud;
    const char *e = local_name(element);
    p->depth--;
    g_autofree char *text = g_strstrip(g_strdup(p->text->str));
    if (!strcmp(e, "attributes")) {
        p->in_attributes = false;
    } else if (p->in_attributes) {
        g_ptr_array_add(p->r->names, g_strdup(e));
        g_ptr_array_add(p->r->values, g_strdup(text));
    } else if (!strcmp(e, "user")) {
        g_free(p->r->user);
        p->r->user = g_strdup(text);
    } else if (!strcmp(e, "authenticationFailure")) {
        p->r->failure_message = g_strdup(text);
    }
    g_string_truncate(p->text, 0);
}

static void on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer ud,
                    GError **error)
{
    struct cas_parse *p = ud;
    g_string_append_len(p->text, text, (gssize)len);
}

static const GMarkupParser cas_parser = {on_start, on_end, on_text, NULL, NULL};

bool cr_cas_parse_validation(const char *xml, size_t len, struct cr_cas_result *out, char **error)
{
    memset(out, 0, sizeof(*out));
    out->names = g_ptr_array_new_with_free_func(g_free);
    out->values = g_ptr_array_new_with_free_func(g_free);
    struct cas_parse p = {out, g_string_new(NULL), false, false, 0};
    /* Skip an XML declaration or a BOM: GMarkup handles <?xml …?> itself. */
    GMarkupParseContext *ctx = g_markup_parse_context_new(&cas_parser, 0, &p, NULL);
    GError *err = NULL;
    bool ok = g_markup_parse_context_parse(ctx, xml ? xml : "", xml ? (gssize)len : 0, &err) &&
              g_markup_parse_context_end_parse(ctx, &err);
    g_markup_parse_context_free(ctx);
    g_string_free(p.text, TRUE);
    if (ok && !p.seen_root) {
        ok = false;
        err = g_error_new(G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "empty document");
    }
    if (ok && out->success && (!out->user || !*out->user)) {
        ok = false;
        err = g_error_new(G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "success without user");
    }
    if (ok && !out->success && !out->failure_code) {
        ok = false;
        err = g_error_new(G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                          "neither success nor failure");
    }
    if (!ok) {
        if (error)
            *error = g_strdup(err ? err->message : "invalid");
        g_clear_error(&err);
        cr_cas_result_clear(out);
        return false;
    }
    return true;
}

const char *cr_cas_attribute(const struct cr_cas_result *r, const char *name)
{
    if (!r->names)
        return NULL;
    for (guint i = 0; i < r->names->len; i++) {
        if (!strcmp(g_ptr_array_index(r->names, i), name))
            return g_ptr_array_index(r->values, i);
    }
    return NULL;
}

void cr_cas_result_clear(struct cr_cas_result *r)
{
    g_clear_pointer(&r->user, g_free);
    g_clear_pointer(&r->failure_code, g_free);
    g_clear_pointer(&r->failure_message, g_free);
    g_clear_pointer(&r->names, g_ptr_array_unref);
    g_clear_pointer(&r->values, g_ptr_array_unref);
    r->success = false;
}

/* ---- HTML login forms ---- */

static char *attr(const char *tag, const char *name)
{
    g_autofree char *pattern =
        g_strdup_printf("\\s%s\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))", name);
    GRegex *re = g_regex_new(pattern, G_REGEX_CASELESS, 0, NULL);
    GMatchInfo *m = NULL;
    char *value = NULL;
    if (g_regex_match(re, tag, 0, &m)) {
        for (int g = 1; g <= 3 && !value; g++) {
            char *v = g_match_info_fetch(m, g);
            if (v && *v)
                value = v;
            else
                g_free(v);
        }
        if (!value)
            value = g_strdup("");
    }
    g_match_info_free(m);
    g_regex_unref(re);
    if (value) {
        /* The few entities a form value carries. */
        static const char *const ent[][2] = {
            {"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"},
            {"&gt;", ">"},  {"&#x2F;", "/"},  {"&#47;", "/"}, {"&#x3D;", "="},
        };
        for (size_t i = 0; i < CR_ARRAY_SIZE(ent); i++) {
            if (!strstr(value, ent[i][0]))
                continue;
            char **parts = g_strsplit(value, ent[i][0], -1);
            g_free(value);
            value = g_strjoinv(ent[i][1], parts);
            g_strfreev(parts);
        }
    }
    return value;
}

bool cr_html_find_login_form(const char *html, const char *page_url, struct cr_html_form *out)
{
    memset(out, 0, sizeof(*out));
    if (!html)
        return false;
    GRegex *form_re =
        g_regex_new("<form\\b([^>]*)>(.*?)</form>", G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
    GRegex *input_re = g_regex_new("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
    GMatchInfo *fm = NULL;
    bool found = false;
    g_regex_match(form_re, html, 0, &fm);
    while (!found && g_match_info_matches(fm)) {
        g_autofree char *form_attrs = g_match_info_fetch(fm, 1);
        g_autofree char *inner = g_match_info_fetch(fm, 2);
        out->names = g_ptr_array_new_with_free_func(g_free);
        out->values = g_ptr_array_new_with_free_func(g_free);
        GMatchInfo *im = NULL;
        g_regex_match(input_re, inner, 0, &im);
        while (g_match_info_matches(im)) {
            g_autofree char *tag = g_match_info_fetch(im, 0);
            g_autofree char *type = attr(tag, "type");
            g_autofree char *name = attr(tag, "name");
            if (name && *name) {
                if (type && !g_ascii_strcasecmp(type, "password")) {
                    g_free(out->password_field);
                    out->password_field = g_strdup(name);
                } else if (type && !g_ascii_strcasecmp(type, "hidden")) {
                    g_ptr_array_add(out->names, g_strdup(name));
                    char *v = attr(tag, "value");
                    g_ptr_array_add(out->values, v ? v : g_strdup(""));
                } else if (!out->user_field && (!type || !g_ascii_strcasecmp(type, "text") ||
                                                !g_ascii_strcasecmp(type, "email"))) {
                    out->user_field = g_strdup(name);
                }
            }
            g_match_info_next(im, NULL);
        }
        g_match_info_free(im);
        if (out->password_field && out->user_field) {
            g_autofree char *action = attr(form_attrs, "action");
            if (!action || !*action || action[0] == '#') {
                out->action = g_strdup(page_url);
            } else {
                g_autoptr(GUri) base = g_uri_parse(page_url, G_URI_FLAGS_ENCODED, NULL);
                g_autoptr(GUri) abs =
                    base ? g_uri_parse_relative(base, action, G_URI_FLAGS_ENCODED, NULL) : NULL;
                out->action = abs ? g_uri_to_string(abs) : g_strdup(action);
            }
            found = true;
        } else {
            cr_html_form_clear(out);
        }
        g_match_info_next(fm, NULL);
    }
    g_match_info_free(fm);
    g_regex_unref(form_re);
    g_regex_unref(input_re);
    return found;
}

void cr_html_form_clear(struct cr_html_form *f)
{
    g_clear_pointer(&f->action, g_free);
    g_clear_pointer(&f->user_field, g_free);
    g_clear_pointer(&f->password_field, g_free);
    g_clear_pointer(&f->names, g_ptr_array_unref);
    g_clear_pointer(&f->values, g_ptr_array_unref);
}
