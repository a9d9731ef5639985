/* The sign-in screen's QR code: the size grows with the text, the three
 * finder patterns sit in their corners, the same text gives the same
 * code, and a text too long for any QR code is refused. */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "ent-client/qr.h"

static bool dark(const struct cr_qr *qr, int x, int y)
{
    return qr->modules[y * qr->width + x];
}

/* The 7x7 finder: dark ring, light ring, dark 3x3 centre. */
static void assert_finder(const struct cr_qr *qr, int x0, int y0)
{
    for (int y = 0; y < 7; y++) {
        for (int x = 0; x < 7; x++) {
            bool ring = x == 0 || y == 0 || x == 6 || y == 6;
            bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            g_assert_cmpint(dark(qr, x0 + x, y0 + y), ==, ring || centre);
        }
    }
}

static void test_qr(void)
{
    const char *url = "http://127.0.0.1:4593/api/oidc/device?code=ABCD-EFGH";
    struct cr_qr *qr = cr_qr_new(url);
    g_assert_nonnull(qr);
    g_assert_cmpint((qr->width - 17) % 4, ==, 0); /* version v: 17 + 4v */
    g_assert_cmpint(qr->width, >=, 29);
    assert_finder(qr, 0, 0);
    assert_finder(qr, qr->width - 7, 0);
    assert_finder(qr, 0, qr->width - 7);
    struct cr_qr *again = cr_qr_new(url);
    g_assert_cmpint(again->width, ==, qr->width);
    g_assert_cmpmem(again->modules, qr->width * qr->width, qr->modules, qr->width * qr->width);
    cr_qr_free(again);

    /* An entcore authorize URL (with state, nonce, redirect) is bigger. */
    GString *big = g_string_new("https://ent.example.fr/auth/oauth2/auth?response_type=code");
    g_string_append(big, "&client_id=craie-board&redirect_uri=https%3A%2F%2Fboard-12.school.lan"
                         "%3A8443%2Fent%2Fcallback&scope=userinfo%20portal%20workspace%20auth"
                         "%20cas%20gar%20userbook&state=ABCDEF.0123456789abcdefghijklmnopqrstuv"
                         "&nonce=0123456789abcdefghijkl");
    struct cr_qr *large = cr_qr_new(big->str);
    g_assert_nonnull(large);
    g_assert_cmpint(large->width, >, qr->width);
    cr_qr_free(large);
    cr_qr_free(qr);

    g_string_set_size(big, 0);
    for (int i = 0; i < 3000; i++)
        g_string_append_c(big, 'x');
    g_assert_null(cr_qr_new(big->str));
    g_assert_null(cr_qr_new(""));
    g_string_free(big, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ent/qr/encode", test_qr);
    return g_test_run();
}
