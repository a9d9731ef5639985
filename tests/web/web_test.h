/* Support for the web suite: a test site on loopback (libsoup, its own
 * thread) and a web view whose frames and state are pumped on the test's
 * (UI) thread. */
#ifndef CR_TEST_WEB_H
#define CR_TEST_WEB_H

#include <stdbool.h>

#include "display/frame.h"
#include "display/frame_slot.h"
#include "display/web/web_view.h"

/* Starts the site once; returns its base URL ("http://127.0.0.1:PORT"). */
const char *cr_test_site_start(void);
/* The same site over HTTPS with a self-signed certificate ("https://…"), or
 * NULL if no certificate could be made. */
const char *cr_test_site_tls(void);
/* Requests seen by the site for this path. */
int cr_test_site_hits(const char *path);

struct cr_test_web {
    struct cr_frame_slot slot;
    struct cr_web_view *view;
    struct cr_frame *frame; /* latest frame taken, or NULL */
    int frames;
    int states;
    /* The last <select> shown (labels joined by '|'), or NULL once closed. */
    char *choice;
    int choice_selected;
};

/* SDL events + our event types; once. */
void cr_test_web_init(void);
bool cr_test_web_open(struct cr_test_web *t, const char *url, int w, int h,
                      const char *private_dir);
/* The same, with options of one's own (slot, callbacks and userdata are set). */
bool cr_test_web_open_with(struct cr_test_web *t, struct cr_web_view_options *o);
void cr_test_web_close(struct cr_test_web *t);
/* Pumps events and frames for up to timeout_ms or until pred(t, data). */
bool cr_test_web_wait(struct cr_test_web *t, bool (*pred)(struct cr_test_web *t, const void *data),
                      const void *data, int timeout_ms);
/* Waits until the title is `title` and a frame has the colour at (x, y). */
bool cr_test_web_wait_title(struct cr_test_web *t, const char *title, int timeout_ms);
bool cr_test_web_wait_color(struct cr_test_web *t, int x, int y, unsigned rgb, int timeout_ms);
/* 0xRRGGBB of the latest frame at (x, y), or 0xffffffff without a frame. */
unsigned cr_test_web_pixel(struct cr_test_web *t, int x, int y);
/* Keeps the latest frame as build/test-artifacts/web/NAME.png. */
void cr_test_web_save(struct cr_test_web *t, const char *name);
/* A tap: press and release of the left button. */
void cr_test_web_tap(struct cr_test_web *t, int x, int y);

#endif
