/* CAS 2.0/3.0 ticket validation responses (serviceValidate,
 * p3/serviceValidate) and the HTML login forms of CAS servers and portals
 * (LemonLDAP::NG, Apereo CAS). Pure parsing; internal to ent-client. */
#ifndef CR_ENT_CAS_H
#define CR_ENT_CAS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

struct cr_cas_result {
    bool success;
    char *user;            /* cas:user */
    char *failure_code;    /* authenticationFailure code="…" */
    char *failure_message; /* its text */
    GPtrArray *names;      /* attribute names (local names), parallel to values */
    GPtrArray *values;     /* one entry per value: a multi-valued attribute repeats */
};

/* False (and *error set, g_free) when xml is not a CAS service response. */
bool cr_cas_parse_validation(const char *xml, size_t len, struct cr_cas_result *out, char **error);
/* First value of an attribute, or NULL. */
const char *cr_cas_attribute(const struct cr_cas_result *r, const char *name);
void cr_cas_result_clear(struct cr_cas_result *r);

/* The first form of an HTML page that has a password field. */
struct cr_html_form {
    char *action;         /* absolute (resolved against the page URL) */
    char *user_field;     /* "user", "username" …: the text field's name */
    char *password_field; /* "password" */
    GPtrArray *names;     /* hidden fields, parallel to values */
    GPtrArray *values;
};

bool cr_html_find_login_form(const char *html, const char *page_url, struct cr_html_form *out);
void cr_html_form_clear(struct cr_html_form *f);

#endif
