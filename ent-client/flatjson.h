/* A reader for flat JSON objects (OAuth token, error and device responses)
 * that decodes string values into buffers the caller zeroes, so that no
 * token passes through a general-purpose JSON library's allocations.
 * Nested objects and arrays are skipped (reported with a NULL value). */
#ifndef CR_ENT_FLATJSON_H
#define CR_ENT_FLATJSON_H

#include <stdbool.h>
#include <stddef.h>

enum cr_flatjson_type {
    CR_FLATJSON_STRING,
    CR_FLATJSON_NUMBER, /* value is the number's text */
    CR_FLATJSON_BOOL,   /* value is "true" or "false" */
    CR_FLATJSON_NULL,
    CR_FLATJSON_NESTED, /* object or array, skipped: value NULL */
};

/* Called for each top-level member; key and value are borrowed for the
 * call (and zeroed after it). */
typedef void (*cr_flatjson_member_fn)(const char *key, enum cr_flatjson_type type,
                                      const char *value, void *userdata);

/* True when text is one well-formed JSON object (whitespace around is
 * fine); members are reported as they are read, so a false return may
 * come after some calls. */
bool cr_flatjson_parse(const char *text, size_t len, cr_flatjson_member_fn fn, void *userdata);

#endif
