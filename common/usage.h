/* Anonymous usage indicators: how many times each feature was used, per
 * day. Nothing else: no name, no time of day, no content, no device
 * identity. Kept in STATE_DIR/usage.conf (a key file, one group per day)
 * so that the collectivité can tell which features a school uses
 * (craiectl usage --csv). Not thread-safe: one owner (the UI thread). */
#ifndef CR_USAGE_H
#define CR_USAGE_H

#include <stdbool.h>
#include <stdint.h>

/* The features counted; anything else is refused. */
enum cr_usage_feature {
    CR_USAGE_CAMERA,      /* the document camera opened */
    CR_USAGE_SNAPSHOT,    /* a snapshot taken */
    CR_USAGE_SAVE,        /* a picture or the whiteboard saved */
    CR_USAGE_WHITEBOARD,  /* the whiteboard opened */
    CR_USAGE_TABLETS,     /* the Tablettes screen opened */
    CR_USAGE_CAST,        /* a pupil's screen shown (approved) */
    CR_USAGE_ENT,         /* the ENT screen opened */
    CR_USAGE_ENT_SIGNIN,  /* a teacher signed in */
    CR_USAGE_CALIBRATION, /* a calibration saved */
    CR_USAGE_SETTINGS,    /* the Réglages screen opened */
    CR_USAGE_COUNT,
};

const char *cr_usage_feature_name(enum cr_usage_feature f); /* "camera" … */

/* Days kept: older ones are dropped when saving. */
#define CR_USAGE_DAYS_KEPT 400

struct cr_usage;

/* path: the file, or NULL to keep the counts in memory only. A missing file
 * is an empty history; a damaged one is logged and started again. */
struct cr_usage *cr_usage_new(const char *path);
void cr_usage_free(struct cr_usage *u);

/* Counts one use of f on day (local date "YYYY-MM-DD"; NULL: today) and
 * saves (a failure is logged once, the count kept in memory). */
void cr_usage_count(struct cr_usage *u, enum cr_usage_feature f, const char *day);
/* The count of f on day (NULL: today). */
uint64_t cr_usage_get(const struct cr_usage *u, enum cr_usage_feature f, const char *day);
/* Total of f over every day kept. */
uint64_t cr_usage_total(const struct cr_usage *u, enum cr_usage_feature f);

/* "date,feature,count\n" then one line per day and feature used, days in
 * order, features in enum order. g_free. */
char *cr_usage_csv(const struct cr_usage *u);

#endif
