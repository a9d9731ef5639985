/* Resource lists and the JSON shapes they come from: entcore's listings
 * (userinfo v2.0, /applications-list, the double-encoded bookmarks,
 * /workspace/documents, /gar/resources, /auth/user/requirements), the
 * technician's list (doc/ent.md), LemonLDAP::NG's /myapplications and
 * OIDC userinfo. Pure parsing; internal to ent-client. Lists are
 * GPtrArray of struct cr_ent_resource * freed by cr_ent_resource_free. */
#ifndef CR_ENT_RESOURCES_H
#define CR_ENT_RESOURCES_H

#include <glib.h>
#include <stdbool.h>

#include "ent-client/ent.h"

GPtrArray *cr_resource_list_new(void);
struct cr_ent_resource *cr_ent_resource_new(enum cr_ent_resource_kind kind, const char *title,
                                            const char *url);
void cr_ent_resource_free(struct cr_ent_resource *r);
/* Deep copy into an array element. */
void cr_ent_resource_copy(struct cr_ent_resource *dst, const struct cr_ent_resource *src);
void cr_ent_resource_clear(struct cr_ent_resource *r);

/* The technician's list: {"resources": [{"title", "url", "kind"?, "icon"?,
 * "bookmarked"?}]} or the bare array. Relative URLs are resolved against
 * base_url (may be NULL). Entries without title or http(s) url are
 * skipped. False (and *error, g_free) when the text is not such a list. */
bool cr_resources_parse_list(const char *json, size_t len, const char *base_url, GPtrArray *out,
                             char **error);

/* LemonLDAP::NG GET /myapplications (Accept: application/json). */
bool cr_llng_parse_myapplications(const char *json, size_t len, GPtrArray *out);

/* OIDC userinfo: the display name (name, given + family, preferred_username,
 * sub). g_free; NULL when the text is not a JSON object. */
char *cr_oidc_parse_userinfo_name(const char *json, size_t len);

struct cr_entcore_user {
    char *user_id;
    char *display_name; /* "Jean DUPONT" */
    char **structures;  /* structure ids (for /gar/resources) */
    bool has_app;       /* hasApp; false stops the sign-in */
    bool delete_pending;
};

bool cr_entcore_parse_userinfo(const char *json, size_t len, struct cr_entcore_user *out);
void cr_entcore_user_clear(struct cr_entcore_user *u);

/* /auth/user/requirements: true when something must be done first
 * (forceChangePassword, needRevalidateTerms, needMfa …); *what names it. */
bool cr_entcore_parse_requirements(const char *json, size_t len, bool *blocking, const char **what);

/* {"apps": […]} of /applications-list, or a userinfo's apps. */
bool cr_entcore_parse_apps(const char *json, size_t len, const char *base_url, GPtrArray *out);
/* /userbook/preference/apps: {"preference": "<JSON text>"} whose inner
 * object has "bookmarks": [app names]. Returns a NULL-terminated vector
 * (g_strfreev; empty when there are none), NULL when malformed. */
char **cr_entcore_parse_bookmarks(const char *json, size_t len);
/* /workspace/documents: a JSON array of files and folders. */
bool cr_entcore_parse_documents(const char *json, size_t len, const char *base_url, GPtrArray *out);
/* /gar/resources: a JSON array of GAR resources. */
bool cr_entcore_parse_gar(const char *json, size_t len, GPtrArray *out);

/* entcore's dates: "2024-01-01 10:00.00.000" (and ISO 8601). 0 when not. */
int64_t cr_entcore_parse_date(const char *text);

/* Orders an entcore listing as the board shows it: bookmarked apps (in
 * the bookmarks' order), other apps and connectors, GAR, folders, then
 * documents recent first. */
void cr_entcore_order(GPtrArray *list, char **bookmarks);

#endif
