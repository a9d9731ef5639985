/* Diagnostics: what breaks in schools, checked from the board and said in
 * French with what to do. Blocking (timeouts of a few seconds): run it on a
 * worker thread (display/app_settings.c posts the report as an event).
 *   mdns      an mDNS query gets an answer on this network (Avahi here, or
 *             any responder; blocked multicast gets none)
 *   cast      the casting port answers on the address the pupils use
 *   ent       the ENT answers over TLS, its certificate is valid (days left)
 *   clock     the clock is synchronised (NTP), or certificates fail */
#ifndef CR_DIAG_H
#define CR_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cr_diag_status { CR_DIAG_OK, CR_DIAG_WARN, CR_DIAG_FAIL, CR_DIAG_SKIPPED };

struct cr_diag_item {
    const char *id; /* "mdns", "cast", "ent", "clock" */
    enum cr_diag_status status;
    char *summary; /* one line for the technician (translated) */
    char *advice;  /* what to do (translated), or NULL when OK */
    int cert_days; /* ent: days until the certificate expires (negative: expired) */
};

struct cr_diag_report {
    struct cr_diag_item *items;
    size_t n;
};

struct cr_diag_options {
    const char *mdns_address; /* where the query goes; NULL: 224.0.0.251 */
    int mdns_port;            /* 0: 5353 */
    const char *cast_host;    /* the board's address pupils use; NULL: casting is off */
    int cast_port;
    const char *ent_url; /* NULL or "": no ENT configured */
    const char *ent_ca_file;
    int timeout_ms; /* per check; 0: 3000 */
};

struct cr_diag_report *cr_diag_run(const struct cr_diag_options *opts);
void cr_diag_report_free(struct cr_diag_report *r);
const struct cr_diag_item *cr_diag_report_find(const struct cr_diag_report *r, const char *id);

/* The checks one by one (the report runs them all). */
void cr_diag_check_mdns(const struct cr_diag_options *o, struct cr_diag_item *out);
void cr_diag_check_cast(const struct cr_diag_options *o, struct cr_diag_item *out);
void cr_diag_check_ent(const struct cr_diag_options *o, struct cr_diag_item *out);
void cr_diag_check_clock(struct cr_diag_item *out);

/* Lines for the Diagnostic page ("+ …" passed, "! …" problem). g_strfreev. */
char **cr_diag_report_lines(const struct cr_diag_report *r);

#endif
