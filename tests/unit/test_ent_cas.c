/* CAS 2.0/3.0 validation answers (success with attributes, failure,
 * malformed) and login forms, as LemonLDAP::NG and Apereo CAS write them. */
#include <glib.h>
#include <string.h>

#include "build_config.h"
#include "ent-client/cas.h"

static char *data(const char *name, gsize *len)
{
    g_autofree char *path = g_build_filename(CR_SOURCE_ROOT, "tests/data/ent", name, NULL);
    char *text = NULL;
    GError *err = NULL;
    g_file_get_contents(path, &text, len, &err);
    g_assert_no_error(err);
    return text;
}

static void test_success_with_attributes(void)
{
    gsize len;
    g_autofree char *xml = data("cas/success.xml", &len);
    struct cr_cas_result r;
    g_autofree char *error = NULL;
    g_assert_true(cr_cas_parse_validation(xml, len, &r, &error));
    g_assert_true(r.success);
    g_assert_cmpstr(r.user, ==, "dwho");
    g_assert_cmpstr(cr_cas_attribute(&r, "cn"), ==, "Doctor Who");
    g_assert_cmpstr(cr_cas_attribute(&r, "mail"), ==, "dwho@badwolf.org");
    /* a multi-valued attribute keeps each value */
    g_assert_cmpstr(cr_cas_attribute(&r, "memberOf"), ==, "timelords");
    g_assert_cmpuint(r.names->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(r.values, 3), ==, "profs");
    g_assert_null(cr_cas_attribute(&r, "uid"));
    cr_cas_result_clear(&r);
}

static void test_success_cas2(void)
{
    gsize len;
    g_autofree char *xml = data("cas/success-cas2.xml", &len);
    struct cr_cas_result r;
    g_assert_true(cr_cas_parse_validation(xml, len, &r, NULL));
    g_assert_true(r.success);
    g_assert_cmpstr(r.user, ==, "jean.dupont");
    g_assert_cmpuint(r.names->len, ==, 0);
    cr_cas_result_clear(&r);
}

static void test_failure(void)
{
    gsize len;
    g_autofree char *xml = data("cas/failure.xml", &len);
    struct cr_cas_result r;
    g_assert_true(cr_cas_parse_validation(xml, len, &r, NULL));
    g_assert_false(r.success);
    g_assert_null(r.user);
    g_assert_cmpstr(r.failure_code, ==, "INVALID_TICKET");
    g_assert_true(g_str_has_prefix(r.failure_message, "Ticket ST-"));
    cr_cas_result_clear(&r);
}

static void test_malformed(void)
{
    gsize len;
    g_autofree char *truncated = data("cas/truncated.xml", &len);
    const char *bad[] = {
        truncated,
        "",
        "<html><body>LemonLDAP::NG login page</body></html>",
        "<cas:serviceResponse xmlns:cas='x'></cas:serviceResponse>",
        "<cas:serviceResponse xmlns:cas='x'><cas:authenticationSuccess>"
        "</cas:authenticationSuccess></cas:serviceResponse>",
        "not xml at all",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        struct cr_cas_result r;
        char *error = NULL;
        g_assert_false(cr_cas_parse_validation(bad[i], strlen(bad[i]), &r, &error));
        g_assert_nonnull(error);
        g_assert_null(r.user);
        g_free(error);
    }
}

static void test_login_form(void)
{
    gsize len;
    g_autofree char *html = data("cas/llng-login.html", &len);
    struct cr_html_form f;
    const char *page = "http://127.0.0.1:8080/cas/login?service=http%3A%2F%2Fsvc%2F";
    g_assert_true(cr_html_find_login_form(html, page, &f));
    g_assert_cmpstr(f.action, ==, page); /* action="#": the page itself */
    g_assert_cmpstr(f.user_field, ==, "user");
    g_assert_cmpstr(f.password_field, ==, "password");
    g_assert_cmpuint(f.names->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(f.names, 3), ==, "token");
    g_assert_cmpstr(g_ptr_array_index(f.values, 3), ==, "1700000000_123456");
    g_assert_cmpstr(g_ptr_array_index(f.values, 1), ==, ""); /* timezone: no value */
    cr_html_form_clear(&f);

    /* Apereo CAS: username + execution, relative action, entities */
    const char *apereo =
        "<form method='post' id='fm1' action='login?service=https%3A%2F%2Fs&amp;x=1'>"
        "<input id='username' name='username' type='text' value=''>"
        "<input type=\"password\" name=\"password\">"
        "<input type=\"hidden\" name=\"execution\" value=\"e1s1&amp;z\"/>"
        "<input type=\"hidden\" name=\"_eventId\" value=\"submit\"/></form>";
    g_assert_true(cr_html_find_login_form(apereo, "https://cas.example/cas/login?service=a", &f));
    g_assert_cmpstr(f.action, ==, "https://cas.example/cas/login?service=https%3A%2F%2Fs&x=1");
    g_assert_cmpstr(f.user_field, ==, "username");
    g_assert_cmpstr(g_ptr_array_index(f.values, 0), ==, "e1s1&z");
    cr_html_form_clear(&f);

    g_assert_false(cr_html_find_login_form("<form><input name=q></form>", "https://x/", &f));
    g_assert_false(cr_html_find_login_form("", "https://x/", &f));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ent/cas/success-with-attributes", test_success_with_attributes);
    g_test_add_func("/ent/cas/success-cas2", test_success_cas2);
    g_test_add_func("/ent/cas/failure", test_failure);
    g_test_add_func("/ent/cas/malformed", test_malformed);
    g_test_add_func("/ent/cas/login-form", test_login_form);
    return g_test_run();
}
