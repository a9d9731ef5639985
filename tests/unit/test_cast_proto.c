/* Signalling messages from sender pages: the good ones are read, anything
 * malformed, oversized or unexpected is refused with a reason, and what the
 * board asks of a sender fits its tile. */
#include <glib.h>
#include <string.h>

#include "display/cast/cast_proto.h"
#include "display/layout.h"

static struct cr_cast_msg parse_ok(const char *text)
{
    struct cr_cast_msg m;
    char *error = NULL;
    if (!cr_cast_msg_parse(text, strlen(text), &m, &error))
        g_error("refused %.80s: %s", text, error);
    g_assert_null(error);
    return m;
}

static void assert_refused(const char *text, const char *why)
{
    struct cr_cast_msg m;
    char *error = NULL;
    if (cr_cast_msg_parse(text, strlen(text), &m, &error))
        g_error("accepted %.80s", text);
    g_assert_nonnull(error);
    if (why && !strstr(error, why))
        g_error("refused %.80s with \"%s\", expected \"%s\"", text, error, why);
    g_free(error);
}

static void test_good(void)
{
    struct cr_cast_msg m = parse_ok("{\"type\":\"hello\",\"name\":\"  Léa \",\"code\":\"4821\"}");
    g_assert_cmpint(m.type, ==, CR_CAST_MSG_HELLO);
    g_assert_cmpstr(m.name, ==, "Léa");
    g_assert_cmpstr(m.code, ==, "4821");
    g_assert_null(m.resume);
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"hello\",\"name\":\"Zoé\",\"resume\":"
                 "\"0123456789abcdef0123456789abcdef\"}");
    g_assert_null(m.code);
    g_assert_cmpstr(m.resume, ==, "0123456789abcdef0123456789abcdef");
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}");
    g_assert_cmpint(m.type, ==, CR_CAST_MSG_OFFER);
    g_assert_true(g_str_has_prefix(m.sdp, "v=0\r\n"));
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"ice\",\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.4 "
                 "50000 typ host\",\"sdpMLineIndex\":0}");
    g_assert_cmpint(m.type, ==, CR_CAST_MSG_ICE);
    g_assert_cmpint(m.mline, ==, 0);
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"ice\",\"candidate\":\"\",\"sdpMLineIndex\":0}");
    g_assert_cmpstr(m.candidate, ==, "");
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"stats\",\"width\":1280,\"height\":720,\"fps\":29.5}");
    g_assert_cmpint(m.width, ==, 1280);
    g_assert_cmpint(m.height, ==, 720);
    g_assert_cmpfloat(m.fps, ==, 29.5);
    cr_cast_msg_clear(&m);

    m = parse_ok("{\"type\":\"bye\"}");
    g_assert_cmpint(m.type, ==, CR_CAST_MSG_BYE);
    cr_cast_msg_clear(&m);
}

static void test_malformed(void)
{
    assert_refused("", "empty");
    assert_refused("hello", "not JSON");
    assert_refused("[1,2]", "object");
    assert_refused("{\"name\":\"x\"}", "type");
    assert_refused("{\"type\":7}", "type");
    assert_refused("{\"type\":\"shutdown\"}", "unknown message type");
    assert_refused("{\"type\":\"hello\",\"name\":\"Léa\"}", "code");
    assert_refused("{\"type\":\"hello\",\"code\":\"1234\"}", "name");
    assert_refused("{\"type\":\"hello\",\"name\":\"Léa\",\"code\":1234}", "string");
    assert_refused("{\"type\":\"hello\",\"name\":\"Léa\",\"code\":\"12a4\"}", "digits");
    assert_refused("{\"type\":\"hello\",\"name\":\"   \",\"code\":\"1234\"}", "name");
    assert_refused("{\"type\":\"hello\",\"name\":\"a\\nb\",\"code\":\"1234\"}", "name");
    assert_refused("{\"type\":\"hello\",\"name\":\"a\\u202eb\",\"code\":\"1234\"}", "name");
    assert_refused("{\"type\":\"hello\",\"name\":\"Abcdefghijklmnopqrstuvwxyz\",\"code\":\"1\"}",
                   "name");
    assert_refused("{\"type\":\"hello\",\"name\":\"L\",\"resume\":\"XYZ\"}", "resume");
    assert_refused("{\"type\":\"hello\",\"name\":\"L\",\"code\":\"1234\",\"admin\":true}",
                   "unexpected");
    assert_refused("{\"type\":\"offer\",\"sdp\":\"hello\"}", "SDP");
    assert_refused("{\"type\":\"offer\"}", "sdp");
    assert_refused("{\"type\":\"ice\",\"candidate\":\"candidate:1\",\"sdpMLineIndex\":1.5}",
                   "integer");
    assert_refused("{\"type\":\"ice\",\"candidate\":\"candidate:1\",\"sdpMLineIndex\":99}",
                   "range");
    assert_refused("{\"type\":\"ice\",\"candidate\":\"a=candidate:1\",\"sdpMLineIndex\":0}",
                   "candidate");
    assert_refused("{\"type\":\"ice\",\"candidate\":\"candidate:1\\r\\na=x\",\"sdpMLineIndex\":0}",
                   "candidate");
    assert_refused("{\"type\":\"stats\",\"width\":-1,\"height\":720,\"fps\":30}", "range");
    assert_refused("{\"type\":\"stats\",\"width\":\"wide\",\"height\":720,\"fps\":30}", "integer");

    /* Binary data with a NUL inside. */
    const char bin[] = "{\"type\":\"bye\"}\0garbage";
    struct cr_cast_msg m;
    char *error = NULL;
    g_assert_false(cr_cast_msg_parse(bin, sizeof(bin) - 1, &m, &error));
    g_free(error);
}

static void test_oversized(void)
{
    GString *s = g_string_new("{\"type\":\"offer\",\"sdp\":\"v=0");
    while (s->len < CR_CAST_MAX_SDP * 3 / 2)
        g_string_append(s, "\\r\\na=x");
    g_string_append(s, "\"}");
    assert_refused(s->str, "SDP");
    while (s->len < CR_CAST_MAX_MESSAGE + 10)
        g_string_append(s, "          ");
    assert_refused(s->str, "too large");
    g_string_free(s, TRUE);

    /* Deeply nested JSON is refused without trouble. */
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 5000; i++)
        g_string_append_c(deep, '[');
    assert_refused(deep->str, NULL);
    g_string_free(deep, TRUE);
}

static void test_outgoing_round_trip(void)
{
    char *w = cr_cast_msg_welcome(3, "0123456789abcdef0123456789abcdef", "h264");
    g_assert_nonnull(strstr(w, "\"type\":\"welcome\""));
    g_assert_nonnull(strstr(w, "\"id\":3"));
    g_free(w);
    char *e = cr_cast_msg_error("wrong-code");
    g_assert_cmpstr(e, ==, "{\"type\":\"error\",\"reason\":\"wrong-code\"}");
    g_free(e);
    char *a = cr_cast_msg_answer("v=0\r\n\"quoted\"");
    g_assert_nonnull(strstr(a, "\\\"quoted\\\""));
    g_free(a);
}

static void test_request_fits_tile(void)
{
    /* The whole 1080p board, 2x2, 3x3, 4x4 cells. */
    struct cr_rect area = {0, 0, 1920, 944};
    size_t counts[] = {1, 4, 9, 16};
    int64_t pixels_1 = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(counts); i++) {
        struct cr_rect cells[16];
        size_t n =
            cr_layout_compute(cr_layout_for_count(counts[i]), area, counts[i], 0, 8, cells, 16);
        g_assert_cmpuint(n, ==, counts[i]);
        int64_t total = 0, bitrate = 0;
        for (size_t k = 0; k < n; k++) {
            struct cr_cast_request r = cr_cast_request_for_cell(cells[k].w, cells[k].h, true);
            g_assert_cmpint(r.width, <=, cells[k].w);
            g_assert_cmpint(r.height, <=, cells[k].h);
            g_assert_cmpint(r.width % 2, ==, 0);
            g_assert_cmpint(r.fps, ==, 30);
            total += (int64_t)r.width * r.height;
            bitrate += r.max_bitrate;
        }
        if (i == 0)
            pixels_1 = total;
        /* 16 tiles cost about what one full-screen stream costs. */
        g_assert_cmpint(total, <=, pixels_1 * 11 / 10);
        g_assert_cmpint(bitrate, <=, 8000000 * 12 / 10);
    }
    struct cr_cast_request thumb = cr_cast_request_for_cell(20, 10, false);
    g_assert_cmpint(thumb.width, ==, 160);
    g_assert_cmpint(thumb.height, ==, 90);
    g_assert_cmpint(thumb.fps, <, 30);
}

static void test_streamid(void)
{
    char *code, *name, *error;
    g_assert_true(cr_cast_parse_streamid("#!::u=Léo,r=4821", &code, &name, &error));
    g_assert_cmpstr(code, ==, "4821");
    g_assert_cmpstr(name, ==, "Léo");
    g_free(code);
    g_free(name);
    g_assert_true(
        cr_cast_parse_streamid("#!::r=0042,m=publish,u=OBS salle 3", &code, &name, &error));
    g_assert_cmpstr(code, ==, "0042");
    g_assert_cmpstr(name, ==, "OBS salle 3");
    g_free(code);
    g_free(name);
    g_assert_true(cr_cast_parse_streamid("1234/Tablette 7", &code, &name, &error));
    g_assert_cmpstr(code, ==, "1234");
    g_assert_cmpstr(name, ==, "Tablette 7");
    g_free(code);
    g_free(name);
    const char *bad[] = {NULL,          "",      "1234",      "abcd/Léo", "#!::u=Léo",
                         "#!::r=12,u=", "1234/", "1234/a\nb", "/Léo"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(cr_cast_parse_streamid(bad[i], &code, &name, &error));
        g_assert_nonnull(error);
        g_assert_null(code);
        g_free(error);
    }
}

static void test_layout_for_count(void)
{
    static const struct {
        size_t n;
        enum cr_layout_kind kind;
    } table[] = {{1, CR_LAYOUT_SINGLE},    {2, CR_LAYOUT_SIDE_BY_SIDE}, {3, CR_LAYOUT_GRID_2X2},
                 {4, CR_LAYOUT_GRID_2X2},  {5, CR_LAYOUT_GRID_3X3},     {9, CR_LAYOUT_GRID_3X3},
                 {10, CR_LAYOUT_GRID_4X4}, {16, CR_LAYOUT_GRID_4X4},    {17, CR_LAYOUT_GRID_4X4}};
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        g_assert_cmpint(cr_layout_for_count(table[i].n), ==, table[i].kind);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cast-proto/good", test_good);
    g_test_add_func("/cast-proto/malformed", test_malformed);
    g_test_add_func("/cast-proto/oversized", test_oversized);
    g_test_add_func("/cast-proto/outgoing", test_outgoing_round_trip);
    g_test_add_func("/cast-proto/request-fits-tile", test_request_fits_tile);
    g_test_add_func("/cast-proto/layout-for-count", test_layout_for_count);
    g_test_add_func("/cast-proto/streamid", test_streamid);
    return g_test_run();
}
