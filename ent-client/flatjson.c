#include "ent-client/flatjson.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "ent-client/secret.h"

struct reader {
    const char *p, *end;
    int depth;
};

static void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(struct reader *r, uint32_t *out)
{
    if (r->end - r->p < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(r->p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (uint32_t)h;
    }
    r->p += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* At the opening quote. Decodes into out (when not NULL; out has room for
 * the raw length, which decoding never exceeds). */
static bool read_string(struct reader *r, char *out, size_t *out_len)
{
    if (r->p >= r->end || *r->p != '"')
        return false;
    r->p++;
    size_t n = 0;
    while (r->p < r->end) {
        char c = *r->p++;
        if (c == '"') {
            if (out)
                out[n] = '\0';
            if (out_len)
                *out_len = n;
            return true;
        }
        if ((unsigned char)c < 0x20)
            return false;
        if (c != '\\') {
            if (out)
                out[n] = c;
            n++;
            continue;
        }
        if (r->p >= r->end)
            return false;
        char e = *r->p++;
        char lit = 0;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            lit = e;
            break;
        case 'b':
            lit = '\b';
            break;
        case 'f':
            lit = '\f';
            break;
        case 'n':
            lit = '\n';
            break;
        case 'r':
            lit = '\r';
            break;
        case 't':
            lit = '\t';
            break;
        case 'u': {
            uint32_t cp;
            if (!read_hex4(r, &cp))
                return false;
            if (cp >= 0xD800 && cp < 0xDC00) {
                uint32_t lo;
                if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                    return false;
                r->p += 2;
                if (!read_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return false;
            }
            if (cp == 0)
                return false; /* no NUL inside a C string */
            char buf[4];
            size_t k = put_utf8(buf, cp);
            if (out)
                memcpy(out + n, buf, k);
            n += k;
            continue;
        }
        default:
            return false;
        }
        if (out)
            out[n] = lit;
        n++;
    }
    return false;
}

static bool read_literal(struct reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
        return false;
    r->p += n;
    return true;
}

static bool read_number(struct reader *r)
{
    const char *start = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    while (r->p < r->end && ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
                             *r->p == 'E' || *r->p == '+' || *r->p == '-'))
        r->p++;
    return r->p > start && (r->p[-1] >= '0' && r->p[-1] <= '9');
}

static bool skip_value(struct reader *r);

static bool skip_container(struct reader *r, char close)
{
    if (++r->depth > 64)
        return false;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return true;
    }
    for (;;) {
        skip_ws(r);
        if (close == '}') {
            if (!read_string(r, NULL, NULL))
                return false;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return false;
            r->p++;
            skip_ws(r);
        }
        if (!skip_value(r))
            return false;
        skip_ws(r);
        if (r->p >= r->end)
            return false;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        if (*r->p == close) {
            r->p++;
            r->depth--;
            return true;
        }
        return false;
    }
}

static bool skip_value(struct reader *r)
{
    if (r->p >= r->end)
        return false;
    switch (*r->p) {
    case '"':
        return read_string(r, NULL, NULL);
    case '{':
        return skip_container(r, '}');
    case '[':
        return skip_container(r, ']');
    case 't':
        return read_literal(r, "true");
    case 'f':
        return read_literal(r, "false");
    case 'n':
        return read_literal(r, "null");
    default:
        return read_number(r);
    }
}

/* Decodes the string at r->p into a new buffer (zero it when done). */
static char *dup_string(struct reader *r, size_t *cap)
{
    struct reader probe = *r;
    if (!read_string(&probe, NULL, NULL))
        return NULL;
    *cap = (size_t)(probe.p - r->p);
    char *out = cr_xmalloc(*cap);
    if (!read_string(r, out, NULL)) {
        cr_secret_free_n(out, *cap);
        return NULL;
    }
    return out;
}

bool cr_flatjson_parse(const char *text, size_t len, cr_flatjson_member_fn fn, void *userdata)
{
    if (!text)
        return false;
    struct reader r = {text, text + len, 0};
    skip_ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return false;
    r.p++;
    skip_ws(&r);
    if (r.p < r.end && *r.p == '}') {
        r.p++;
        goto tail;
    }
    for (;;) {
        skip_ws(&r);
        size_t kcap = 0;
        char *key = dup_string(&r, &kcap);
        if (!key)
            return false;
        skip_ws(&r);
        if (r.p >= r.end || *r.p != ':') {
            cr_secret_free_n(key, kcap);
            return false;
        }
        r.p++;
        skip_ws(&r);
        bool ok = true;
        if (r.p < r.end && *r.p == '"') {
            size_t vcap = 0;
            char *v = dup_string(&r, &vcap);
            if (v)
                fn(key, CR_FLATJSON_STRING, v, userdata);
            else
                ok = false;
            cr_secret_free_n(v, vcap);
        } else if (r.p < r.end && (*r.p == '{' || *r.p == '[')) {
            ok = skip_value(&r);
            if (ok)
                fn(key, CR_FLATJSON_NESTED, NULL, userdata);
        } else if (read_literal(&r, "true")) {
            fn(key, CR_FLATJSON_BOOL, "true", userdata);
        } else if (read_literal(&r, "false")) {
            fn(key, CR_FLATJSON_BOOL, "false", userdata);
        } else if (read_literal(&r, "null")) {
            fn(key, CR_FLATJSON_NULL, NULL, userdata);
        } else {
            const char *start = r.p;
            ok = read_number(&r);
            if (ok) {
                char num[64];
                size_t n = CR_MIN((size_t)(r.p - start), sizeof(num) - 1);
                memcpy(num, start, n);
                num[n] = '\0';
                fn(key, CR_FLATJSON_NUMBER, num, userdata);
            }
        }
        cr_secret_free_n(key, kcap);
        if (!ok)
            return false;
        skip_ws(&r);
        if (r.p >= r.end)
            return false;
        if (*r.p == ',') {
            r.p++;
            continue;
        }
        if (*r.p == '}') {
            r.p++;
            break;
        }
        return false;
    }
tail:
    skip_ws(&r);
    return r.p == r.end;
}
