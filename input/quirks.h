/* Device quirks as data: INI files (sections of Match* keys and Model/Attr
 * keys, like libinput's own .quirks) matched by vendor/product/name. Known
 * broken devices are fixed here, not in code. Pure: no libinput types. */
#ifndef CR_QUIRKS_H
#define CR_QUIRKS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* What the matching sections say about one device (later sections and later
 * files override earlier ones key by key). */
struct cr_quirk_attrs {
    /* units/mm to set on ABS_X/ABS_Y when the device has none (0 = leave) */
    int resolution_x, resolution_y;
    bool binary_pressure;     /* pressure jumps 0 → max: ignore it, use a constant */
    double pressure_constant; /* used when binary_pressure (default 0.5) */
    char applied[128];        /* the matching section names, comma-separated */
};

struct cr_quirks;

struct cr_quirks *cr_quirks_new(void);
void cr_quirks_free(struct cr_quirks *q);
/* Loads one file; malformed lines are reported (file:line) as warnings and
 * skipped, never fatal. Returns false if the file cannot be read. */
bool cr_quirks_load_file(struct cr_quirks *q, const char *path, GError **error);
/* Loads every *.quirks file of a directory in name order (missing dir: ok). */
void cr_quirks_load_dir(struct cr_quirks *q, const char *dir);
/* Matches one device; returns true if any section matched. q may be NULL
 * (no quirks); name may be NULL (sections with MatchName do not match). */
bool cr_quirks_match(const struct cr_quirks *q, uint16_t vendor, uint16_t product, const char *name,
                     struct cr_quirk_attrs *out);

#endif
